// An Atrium plugin in TypeScript: the acme/kudos block, served over the
// plugin protocol (sdk/proto/plugin.proto) with @grpc/grpc-js. Build it
// with `npm ci && npm run build`; dist/kudos is the executable plugin.yaml
// names. See docs/plugins.md, "Beyond Go".
import * as grpc from "@grpc/grpc-js";
import { serve } from "./goplugin";
import { BLOCK, act, configSchema, defaultConfig, render } from "./kudos";

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

// parseConfig reads a block's config; the portal has validated it against
// the schema, so only an empty config needs care.
function parseConfig(b: Buffer | undefined): Record<string, unknown> {
  return b && b.length > 0 ? JSON.parse(b.toString("utf8")) : {};
}

// unary adapts a function of the request to a gRPC handler: what it
// throws becomes an error for that call alone, and the process serves on.
function unary<Req, Res>(fn: (req: Req) => Res) {
  return (call: grpc.ServerUnaryCall<Req, Res>, done: grpc.sendUnaryData<Res>) => {
    try {
      done(null, fn(call.request));
    } catch (e) {
      process.stderr.write(`acme/kudos: ${(e as Error).stack ?? e}\n`);
      done({ code: grpc.status.INTERNAL, details: `acme/kudos failed: ${(e as Error).message}` });
    }
  };
}

serve({
  Describe: unary(() => ({
    plugin_id: "acme/kudos",
    blocks: [
      {
        name: BLOCK,
        title: "Kudos",
        description: "Partners thank someone on your team.",
        icon: "star",
        config_schema: json(configSchema),
        schema_version: 1,
        default_config: json(defaultConfig),
        handles_actions: true,
      },
    ],
    rooms: [],
  })),
  RenderBatch: unary((req: any) => ({
    results: req.blocks.map((b: any) => {
      if (b.type !== BLOCK) {
        return { block_id: b.block_id, error: `acme/kudos does not serve block type ${b.type}` };
      }
      try {
        return { block_id: b.block_id, tree: json(render(parseConfig(b.config), req.viewer ?? {})) };
      } catch (e) {
        return { block_id: b.block_id, error: (e as Error).message };
      }
    }),
  })),
  Action: unary((req: any) => {
    const values: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(req.values ?? {})) {
      values[k] = (v as { values?: string[] }).values ?? [];
    }
    return act(req.name, values, req.viewer ?? {});
  }),
  RenderItem: (_call: unknown, done: grpc.sendUnaryData<unknown>) =>
    done({ code: grpc.status.UNIMPLEMENTED, details: "acme/kudos has no item pages" }),
  ValidateConfig: unary(() => ({ error: "" })),
  MigrateConfig: unary((req: any) => ({ config: req.config })),
  Health: unary(() => ({ status: "ok" })),
}).catch((e) => {
  process.stderr.write(`acme/kudos could not start: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
