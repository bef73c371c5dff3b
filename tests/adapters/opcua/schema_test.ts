import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../../../core/mod.ts";
import "../../../adapters/opcua/mod.ts";
import { itemRetryMs } from "../../../adapters/opcua/schema.ts";

function problems(yaml: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(yaml, { env: (n) => env[n] });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

const head = "gateway: { id: gw, site: s }\nsources:\n";

Deno.test("opcua config: defaults are applied to a minimal source", () => {
  const config = parseConfig(
    `${head}  - { name: plc, type: opcua, endpoint: "opc.tcp://10.0.0.5:4840", nodes: [{ name: t, node_id: "ns=2;s=T" }] }`,
    { env: () => undefined },
  );
  const src = config.sources[0] as unknown as Record<string, unknown>;
  assert.deepEqual(src.security, { mode: "None", policy: "None" });
  assert.deepEqual(src.auth, { type: "anonymous" });
  assert.equal(src.auto_accept_unknown_certificates, false);
  assert.equal(src.max_items_per_subscription, 1000);
  assert.equal(src.mode, "subscribe");
  assert.equal((src.backfill as { enabled: boolean }).enabled, true);
});

Deno.test("opcua config: every problem is reported with its path", () => {
  const found = problems(`${head}  - name: plc
    type: opcua
    endpoint: http://10.0.0.5
    security: { mode: SignAndEncrypt, policy: None }
    auth: { type: username, username: op }
    mode: stream
    max_items_per_subscription: 0
    reconnect: { initial_ms: 5000, max_ms: 1000 }
    nodes:
      - { name: a, node_id: "ns=2;s=A", deadband: { type: percent, value: 150 } }
      - { name: a, node_id: "ns=2;x=B" }
      - { name: c, node_id: "ns=2;s=A", queue_size: 0 }
`);
  const expect = [
    /^sources\[0\]\.endpoint \(line \d+\): .*opc\.tcp:\/\/host:port\/path/,
    /^sources\[0\]\.auth\.password/,
    /^sources\[0\]\.mode .*subscribe, poll/,
    /^sources\[0\]\.max_items_per_subscription/,
    /^sources\[0\]\.nodes\[1\]\.node_id .*OPC UA node id/,
    /^sources\[0\]\.nodes\[2\]\.queue_size/,
  ];
  for (const re of expect) assert.ok(found.some((p) => re.test(p)), `${re} in\n${found.join("\n")}`);
});

Deno.test("opcua config: cross-field checks name the offending key", () => {
  const found = problems(`${head}  - name: plc
    type: opcua
    endpoint: opc.tcp://10.0.0.5:4840
    security: { mode: SignAndEncrypt, policy: None }
    reconnect: { initial_ms: 5000, max_ms: 1000 }
    nodes:
      - { name: a, node_id: "ns=2;s=A", deadband: { type: percent, value: 150 } }
`);
  const expect = [
    /^sources\[0\]\.security\.policy.*choose a policy for mode SignAndEncrypt/,
    /^sources\[0\]\.reconnect\.max_ms.*>= reconnect\.initial_ms/,
    /^sources\[0\]\.nodes\[0\]\.deadband\.value.*0\.\.100/,
  ];
  for (const re of expect) assert.ok(found.some((p) => re.test(p)), `${re} in\n${found.join("\n")}`);
});

Deno.test("opcua config: duplicate tag names and node ids point at both entries", () => {
  const found = problems(`${head}  - name: plc
    type: opcua
    endpoint: opc.tcp://10.0.0.5:4840
    nodes:
      - { name: a, node_id: "ns=2;s=A" }
      - { name: a, node_id: "ns=2;s=B" }
      - { name: c, node_id: "ns=2;s=A" }
`);
  assert.equal(found.length, 2, found.join("\n"));
  assert.match(found[0]!, /^sources\[0\]\.nodes\[1\]\.name.*"a" is already used by sources\[0\]\.nodes\[0\]/);
  assert.match(found[1]!, /^sources\[0\]\.nodes\[2\]\.node_id.*already read by sources\[0\]\.nodes\[0\]/);
});

Deno.test("opcua config: a password from an unset variable is reported, never echoed", () => {
  const yaml = `${head}  - name: plc
    type: opcua
    endpoint: opc.tcp://10.0.0.5:4840
    auth: { type: username, username: op, password: "\${PLC_PASSWORD}" }
    nodes: [{ name: a, node_id: "i=2258" }]
`;
  const found = problems(yaml);
  assert.equal(found.length, 1);
  assert.match(found[0]!, /sources\[0\]\.auth\.password.*PLC_PASSWORD is not set/);
  const ok = parseConfig(yaml, { env: (n) => (n === "PLC_PASSWORD" ? "pa$$word" : undefined) });
  assert.equal((ok.sources[0] as unknown as { auth: { password: string } }).auth.password, "pa$$word");
});

Deno.test("opcua config: item_retry_s defaults to 30 s, 0 turns the retry off, the old item_retry_ms still wins", () => {
  const source = (extra: string) =>
    parseConfig(
      `${head}  - { name: plc, type: opcua, endpoint: "opc.tcp://10.0.0.5:4840", ${extra}nodes: [{ name: t, node_id: "i=2258" }] }`,
      { env: () => undefined },
    ).sources[0] as unknown as Parameters<typeof itemRetryMs>[0];
  assert.equal(itemRetryMs(source("")), 30_000);
  assert.equal(itemRetryMs(source("item_retry_s: 0, ")), 0);
  assert.equal(itemRetryMs(source("item_retry_s: 5, ")), 5000);
  assert.equal(itemRetryMs(source("item_retry_ms: 1500, ")), 1500);
  const found = problems(
    `${head}  - { name: plc, type: opcua, endpoint: "opc.tcp://10.0.0.5:4840", item_retry_s: -1, nodes: [{ name: t, node_id: "i=2258" }] }`,
  );
  assert.equal(found.length, 1, found.join("\n"));
  assert.match(found[0]!, /^sources\[0\]\.item_retry_s/);
});
