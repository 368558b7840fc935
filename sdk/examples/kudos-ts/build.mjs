// Builds dist/kudos (or the file named as its argument): one JavaScript file holding the plugin, its
// dependencies and the protocol's definitions, which the portal starts as
// the plugin's executable. The portal copies only the executables a
// manifest names when it installs a plugin, so the file must stand alone.
import { build } from "esbuild";
import { chmodSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import protobuf from "protobufjs";

// The protocol as JSON descriptors, read from the SDK's own plugin.proto
// (never a copy that could drift) and go-plugin's services.
const root = new protobuf.Root();
root.loadSync(["../../proto/plugin.proto", "proto/health.proto", "proto/goplugin.proto"], { keepCase: true });
const descriptors = JSON.stringify(root.toJSON());

const out = process.argv[2] ?? "dist/kudos";
mkdirSync(dirname(out), { recursive: true });
await build({
  entryPoints: ["src/main.ts"],
  outfile: out,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: false,
  legalComments: "inline",
  banner: { js: "#!/usr/bin/env node" },
  define: { PROTOCOL_DESCRIPTORS: descriptors },
  logLevel: "warning",
});
chmodSync(out, 0o755);
console.log(`built ${out}`);
