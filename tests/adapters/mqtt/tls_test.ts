import assert from "node:assert/strict";
import { MqttSink } from "../../../adapters/mqtt/mod.ts";
import { startBroker } from "./_broker.ts";
import { makeCtx, sinkConfig, subscribe, until } from "./_harness.ts";
import { featuresMsg } from "./_messages.ts";

async function openssl(dir: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(`openssl ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
}

/** A test CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
async function makePki(dir: string): Promise<void> {
  const key = (name: string) =>
    openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", `${name}.key`);
  await key("ca");
  await openssl(
    dir,
    "req",
    "-x509",
    "-new",
    "-key",
    "ca.key",
    "-subj",
    "/CN=test-ca",
    "-days",
    "2",
    "-out",
    "ca.crt",
  );
  for (
    const [name, cn, ext] of [
      ["server", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"],
      ["client", "gw1", "extendedKeyUsage=clientAuth\n"],
    ]
  ) {
    await key(name!);
    await Deno.writeTextFile(`${dir}/${name}.ext`, ext!);
    await openssl(dir, "req", "-new", "-key", `${name}.key`, "-subj", `/CN=${cn}`, "-out", `${name}.csr`);
    await openssl(
      dir,
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      `${name}.ext`,
      "-out",
      `${name}.crt`,
    );
  }
}

Deno.test("mqtt sink connects over TLS with a test CA and a client certificate; without one the broker refuses it", async () => {
  const pki = await Deno.makeTempDir({ prefix: "mqtt_pki_" });
  await makePki(pki);
  const broker = await startBroker({
    listenerLines: [
      `cafile ${pki}/ca.crt`,
      `certfile ${pki}/server.crt`,
      `keyfile ${pki}/server.key`,
      "require_certificate true",
      "use_identity_as_username true",
    ],
  });
  const url = `mqtts://127.0.0.1:${broker.port}`;
  const dir = await Deno.makeTempDir({ prefix: "mqtt_tls_" });
  const tls = { ca: `${pki}/ca.crt`, cert: `${pki}/client.crt`, key: `${pki}/client.key` };
  const sub = await subscribe(url, ["gateway/#"], {
    ca: await Deno.readTextFile(tls.ca),
    cert: await Deno.readTextFile(tls.cert),
    key: await Deno.readTextFile(tls.key),
  });
  const good = new MqttSink(sinkConfig({ brokers: [url], tls }));
  const noCert = new MqttSink(sinkConfig({ brokers: [url], tls: { ca: tls.ca }, client_id: "intruder" }));
  const a = makeCtx(`${dir}/a`);
  const b = makeCtx(`${dir}/b`);
  try {
    await good.start(a.ctx);
    await until(() => good.health().state === "connected", "TLS connection");
    await good.write([featuresMsg("pump-1", 1)]);
    await sub.until(() => sub.json(/features\/pump-1$/).length === 1, "features over TLS");
    await noCert.start(b.ctx);
    await until(() => {
      const brokers = noCert.health().details!.brokers as Record<string, { failures: number }>;
      return brokers[url]!.failures >= 1;
    }, "the broker refusing a client without a certificate");
    assert.notEqual(noCert.health().state, "connected");
    const state = (noCert.health().details!.brokers as Record<string, { lastError?: string }>)[url]!;
    assert.equal(typeof state.lastError, "string", "the refusal is reported per broker");
  } finally {
    await good.stop();
    await noCert.stop();
    await sub.close();
    await broker.stop();
    for (const d of [dir, pki, broker.dir]) await Deno.remove(d, { recursive: true });
  }
});

Deno.test("mqtt sink reports an unreadable TLS file by its config key", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mqtt_tls2_" });
  const { ctx } = makeCtx(dir);
  const sink = new MqttSink(sinkConfig({ tls: { ca: `${dir}/missing.crt` } }));
  try {
    await assert.rejects(sink.start(ctx), /tls\.ca: cannot read .*missing\.crt/);
  } finally {
    await sink.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
