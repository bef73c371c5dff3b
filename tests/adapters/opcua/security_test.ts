import assert from "node:assert/strict";
import { dispatch, parseConfig } from "../../../core/mod.ts";
import "../../../adapters/opcua/mod.ts";
import { OpcuaSource } from "../../../adapters/opcua/source.ts";
import { listCertificates } from "../../../adapters/opcua/trust_store.ts";
import { startOpcuaPlant } from "../../../demo/opcua_plant.ts";
import { config, FAST, recorder, waitFor } from "./_harness.ts";
import type { OpcuaSourceConfig } from "../../../adapters/opcua/schema.ts";

const NODES = [{ name: "temp" }];

/** Runs a CLI command, capturing what it prints. */
async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  console.error = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    const code = await dispatch(argv, { log: console.log, error: console.error } as Console);
    return { code, out: lines.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("SignAndEncrypt: an unknown server certificate is rejected until trusted with `gateway trust accept`", async () => {
  const dir = await Deno.makeTempDir();
  const plant = await startOpcuaPlant({ nodes: NODES, securityModes: ["SignAndEncrypt"] });
  const pki = `${dir}/pki`;
  const rec = recorder(`${dir}/state`);
  const source = new OpcuaSource(config({
    endpoint: plant.endpoint,
    ...FAST,
    reconnect: { initial_ms: 100, max_ms: 300 },
    security: { mode: "SignAndEncrypt", policy: "Basic256Sha256" },
    pki_dir: pki,
    nodes: [{ name: "temp", node_id: plant.nodeId("temp") }],
  }));
  await source.start(rec.ctx);
  try {
    await waitFor(() => source.health().lastError !== undefined, "first rejection");
    const h = source.health();
    assert.equal(h.state, "reconnecting");
    assert.match(h.lastError!, /not trusted; it was saved to .*rejected/);
    assert.match(h.lastError!, /gateway trust accept/);
    const listed = await cli(["trust", "list", "--pki", pki]);
    assert.equal(listed.code, 0);
    assert.match(listed.out, /^rejected /m);
    const [cert] = await listCertificates(pki);
    assert.equal(cert!.status, "rejected");
    const accepted = await cli(["trust", "accept", cert!.thumbprint.slice(0, 10), "--pki", pki]);
    assert.equal(accepted.code, 0, accepted.out);
    assert.match(accepted.out, /^trusted /m);
    // the running source uses the trust on its next attempt: no restart
    plant.set("temp", 42.5);
    await waitFor(() => rec.samples.some((s) => s.value === 42.5), "value over SignAndEncrypt", 15_000);
    assert.equal(source.health().details!.security, "SignAndEncrypt/Basic256Sha256");
    assert.equal((await listCertificates(pki))[0]!.status, "trusted");
    const unknown = await cli(["trust", "accept", "ffffffff", "--pki", pki]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.out, /no certificate matches "ffffffff"/);
  } finally {
    await source.stop();
    await plant.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every security policy connects (Sign and SignAndEncrypt) once trusted", async () => {
  const dir = await Deno.makeTempDir();
  const plant = await startOpcuaPlant({ nodes: NODES, securityModes: ["Sign", "SignAndEncrypt"] });
  try {
    // A mode the server does not offer is reported as such.
    const none = recorder(`${dir}/none`);
    const plain = new OpcuaSource(config({
      endpoint: plant.endpoint,
      ...FAST,
      nodes: [{ name: "temp", node_id: plant.nodeId("temp") }],
    }));
    await plain.start(none.ctx);
    try {
      await waitFor(() => plain.health().lastError !== undefined, "refusal of None");
      assert.match(plain.health().lastError!, /offers no endpoint with security None\/None/);
    } finally {
      await plain.stop();
    }
    for (const mode of ["Sign", "SignAndEncrypt"] as const) {
      for (const policy of ["Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss"] as const) {
        const rec = recorder(`${dir}/${mode}_${policy}`);
        const source = new OpcuaSource(config({
          endpoint: plant.endpoint,
          ...FAST,
          security: { mode, policy },
          auto_accept_unknown_certificates: true,
          backfill: { enabled: false },
          read_metadata: false,
          nodes: [{ name: "temp", node_id: plant.nodeId("temp") }],
        }));
        await source.start(rec.ctx);
        try {
          await waitFor(() => rec.samples.length > 0, `${mode}/${policy}`);
          assert.equal(source.health().state, "connected", `${mode}/${policy}`);
        } finally {
          await source.stop();
        }
      }
    }
  } finally {
    await plant.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("username auth: password from ${VAR}; a wrong one gives a clear error and keeps retrying", async () => {
  const dir = await Deno.makeTempDir();
  const plant = await startOpcuaPlant({
    nodes: NODES,
    securityModes: ["SignAndEncrypt"],
    users: { operator: "s3cret" },
    allowAnonymous: false,
  });
  const yaml = (pw: string) => `
gateway: { id: gw, site: s, data_dir: ${dir} }
sources:
  - name: plc
    type: opcua
    endpoint: ${plant.endpoint}
    security: { mode: SignAndEncrypt, policy: Aes256_Sha256_RsaPss }
    auto_accept_unknown_certificates: true
    auth: { type: username, username: operator, password: "\${${pw}}" }
    publishing_interval_ms: 100
    reconnect: { initial_ms: 50, max_ms: 100 }
    nodes: [{ name: temp, node_id: "${plant.nodeId("temp")}" }]
`;
  const env = (n: string) => ({ GOOD_PW: "s3cret", BAD_PW: "guess" } as Record<string, string>)[n];
  try {
    const bad = parseConfig(yaml("BAD_PW"), { env }).sources[0] as unknown as OpcuaSourceConfig;
    const rec = recorder(`${dir}/bad`);
    const denied = new OpcuaSource(bad);
    await denied.start(rec.ctx);
    try {
      await waitFor(() => rec.logs.filter((l) => l.includes("cannot connect")).length >= 3, "three attempts");
      const h = denied.health();
      assert.equal(h.state, "reconnecting");
      assert.match(h.lastError!, /denied access to user "operator"/);
      assert.ok(!h.lastError!.includes("guess"), "the password is never printed");
    } finally {
      await denied.stop();
    }
    const good = parseConfig(yaml("GOOD_PW"), { env }).sources[0] as unknown as OpcuaSourceConfig;
    const rec2 = recorder(`${dir}/good`);
    const allowed = new OpcuaSource(good);
    await allowed.start(rec2.ctx);
    try {
      plant.set("temp", 7);
      await waitFor(() => rec2.samples.some((s) => s.value === 7), "value as operator");
    } finally {
      await allowed.stop();
    }
  } finally {
    await plant.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("X.509 user identity: the client's certificate and key from files", async () => {
  const dir = await Deno.makeTempDir();
  const plant = await startOpcuaPlant({
    nodes: NODES,
    securityModes: ["SignAndEncrypt"],
    allowAnonymous: false,
  });
  try {
    // First run creates the application certificate in the PKI; reuse it as the user certificate.
    const first = recorder(`${dir}/a`);
    const anon = new OpcuaSource(config({
      endpoint: plant.endpoint,
      ...FAST,
      security: { mode: "SignAndEncrypt", policy: "Basic256Sha256" },
      auto_accept_unknown_certificates: true,
      pki_dir: `${dir}/pki`,
      nodes: [{ name: "temp", node_id: plant.nodeId("temp") }],
    }));
    await anon.start(first.ctx);
    await waitFor(() => anon.health().lastError !== undefined, "anonymous refused");
    await anon.stop();
    const rec = recorder(`${dir}/b`);
    const source = new OpcuaSource(config({
      endpoint: plant.endpoint,
      ...FAST,
      security: { mode: "SignAndEncrypt", policy: "Basic256Sha256" },
      auto_accept_unknown_certificates: true,
      pki_dir: `${dir}/pki`,
      auth: {
        type: "certificate",
        cert_file: `${dir}/pki/own/certs/client_certificate.pem`,
        key_file: `${dir}/pki/own/private/private_key.pem`,
      },
      nodes: [{ name: "temp", node_id: plant.nodeId("temp") }],
    }));
    await source.start(rec.ctx);
    try {
      plant.set("temp", 9);
      await waitFor(() => rec.samples.some((s) => s.value === 9), "value with X.509 identity");
    } finally {
      await source.stop();
    }
  } finally {
    await plant.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
