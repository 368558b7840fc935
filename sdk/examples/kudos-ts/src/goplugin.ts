// The go-plugin side of an Atrium plugin written in TypeScript: what
// hashicorp/go-plugin, which the portal starts plugins with, expects of
// the process it starts. The Go SDK's sdk.Serve does all of this for a Go
// plugin; here it is spelt out in one file.
//
//  1. The magic cookie: the portal sets ATRIUM_PLUGIN in the environment.
//     Without it the program was started by hand, and says so.
//  2. Mutual TLS: the portal passes its one-time client certificate in
//     PLUGIN_CLIENT_CERT; the plugin makes a one-time certificate of its
//     own for "localhost", serves gRPC over TLS that only the portal's
//     certificate may open, and hands its certificate back in the
//     handshake line.
//  3. The services: the plugin protocol (sdk/proto/plugin.proto), the
//     standard health service answering SERVING for "plugin", go-plugin's
//     broker stream (kept open) and its controller (Shutdown exits).
//  4. The handshake line on stdout, and nothing else ever on stdout:
//     1|<app protocol>|tcp|127.0.0.1:<port>|grpc|<certificate>
//  5. Leaving with the portal: when the process that started it is gone.
import "reflect-metadata"; // @peculiar/x509's dependency injection needs it
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import * as x509 from "@peculiar/x509";
import { webcrypto } from "node:crypto";

// The protocol's descriptors, put in by build.mjs from sdk/proto/plugin.proto.
declare const PROTOCOL_DESCRIPTORS: Record<string, unknown>;

const MAGIC_COOKIE_KEY = "ATRIUM_PLUGIN";
const MAGIC_COOKIE_VALUE = "8d3f0c1e-atrium-block-and-room-types";
// The plugin protocol version this plugin speaks (sdk.ProtocolVersion);
// plugin.yaml lists it under protocols.
export const PROTOCOL_VERSION = 1;
const CORE_PROTOCOL_VERSION = 1; // go-plugin's own

// PluginService is the atrium.plugin.v1.Plugin service: field names as in
// plugin.proto (snake_case), bytes as Buffers.
export type PluginService = grpc.UntypedServiceImplementation;

// serve runs the plugin until the portal shuts it down.
export async function serve(plugin: PluginService): Promise<void> {
  // Anything a library prints must not corrupt the handshake on stdout.
  console.log = console.error;
  console.info = console.error;

  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write(
      "This is an Atrium plugin: the portal starts it. Install it with atrium plugins install, " +
        "or check it with atrium plugins check.\n",
    );
    process.exit(1);
  }
  const offered = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? String(PROTOCOL_VERSION)).split(",").map(Number);
  if (!offered.includes(PROTOCOL_VERSION)) {
    process.stderr.write(`the portal speaks plugin protocols ${offered.join(", ")}; this plugin speaks ${PROTOCOL_VERSION}\n`);
    process.exit(1);
  }

  const def = protoLoader.fromJSON(PROTOCOL_DESCRIPTORS, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as any;
  const server = new grpc.Server();
  server.addService(pkg.atrium.plugin.v1.Plugin.service, plugin);
  server.addService(pkg.grpc.health.v1.Health.service, {
    check: (call: any, done: grpc.sendUnaryData<unknown>) => {
      const known = call.request.service === "" || call.request.service === "plugin";
      done(null, { status: known ? "SERVING" : "SERVICE_UNKNOWN" });
    },
  });
  server.addService(pkg.plugin.GRPCBroker.service, {
    // The portal opens the broker stream at start; this plugin makes no
    // calls back to the portal, so it only keeps the stream open.
    startStream: (call: grpc.ServerDuplexStream<unknown, unknown>) => {
      call.on("data", () => {});
      call.on("end", () => call.end());
      call.on("error", () => {});
    },
  });
  server.addService(pkg.plugin.GRPCController.service, {
    shutdown: (_call: unknown, done: grpc.sendUnaryData<unknown>) => {
      done(null, {});
      setImmediate(() => server.tryShutdown(() => process.exit(0)));
    },
  });

  let creds = grpc.ServerCredentials.createInsecure();
  let certField = "";
  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  if (clientCert) {
    const own = await oneTimeCertificate();
    creds = grpc.ServerCredentials.createSsl(
      Buffer.from(clientCert),
      [{ private_key: Buffer.from(own.keyPem), cert_chain: Buffer.from(own.certPem) }],
      true, // only the portal's certificate opens a connection
    );
    certField = "|" + own.der.toString("base64").replace(/=+$/, "");
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
  process.stdout.write(`${CORE_PROTOCOL_VERSION}|${PROTOCOL_VERSION}|tcp|127.0.0.1:${port}|grpc${certField}\n`);
  // The portal stops plugins with Shutdown, or by signal.
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => server.tryShutdown(() => process.exit(0)));
  }
  // A plugin never outlives its portal. On Linux the portal has the kernel
  // kill it; elsewhere, a portal killed outright leaves the plugin to be
  // adopted by another process, and the plugin notices and leaves.
  const portal = process.ppid;
  setInterval(() => {
    if (process.ppid !== portal) {
      process.exit(0);
    }
  }, 1000).unref();
}

// oneTimeCertificate makes a self-signed ECDSA P-256 certificate for
// "localhost", as go-plugin's own servers do for every start.
async function oneTimeCertificate(): Promise<{ certPem: string; keyPem: string; der: Buffer }> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=localhost, O=Atrium plugin",
    notBefore: new Date(now - 30_000),
    notAfter: new Date(now + 365 * 24 * 3600_000),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyCertSign,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "localhost" }]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString("base64").match(/.{1,64}/g)!.join("\n")}\n-----END PRIVATE KEY-----\n`;
  return { certPem: cert.toString("pem"), keyPem, der: Buffer.from(cert.rawData) };
}
