import assert from "node:assert/strict";
import { PROBE_CLIENT_SUFFIX, probeBroker, probeOptions } from "../../../adapters/mqtt/probe.ts";
import { freePort, startBroker } from "./_broker.ts";

Deno.test("failback probe options keep credentials and TLS but use a suffixed client id, a clean session and no will", () => {
  const o = probeOptions({
    protocolVersion: 5,
    clientId: "gw1-uplink",
    clean: false,
    username: "gw",
    password: "secret",
    ca: "PEM",
    rejectUnauthorized: true,
    properties: { sessionExpiryInterval: 86_400 },
    will: { topic: "t", payload: "offline", qos: 1, retain: true },
  }, 1234);
  assert.equal(o.clientId, `gw1-uplink${PROBE_CLIENT_SUFFIX}`);
  assert.notEqual(o.clientId, "gw1-uplink");
  assert.equal(o.clean, true);
  assert.equal(o.will, undefined);
  assert.deepEqual(o.properties, { sessionExpiryInterval: 0 });
  assert.equal(o.username, "gw");
  assert.equal(o.password, "secret");
  assert.equal(o.ca, "PEM");
  assert.equal(o.reconnectPeriod, 0);
  assert.equal(o.connectTimeout, 1234);
});

Deno.test("failback probe completes a real MQTT CONNECT and a clean DISCONNECT under the probe client id", async () => {
  const broker = await startBroker({ lines: ["log_type notice", "log_dest stderr"] });
  try {
    await probeBroker(broker.url, { protocolVersion: 5, clientId: "gw1-uplink", clean: false }, 2000);
    await new Promise((r) => setTimeout(r, 200)); // mosquitto logs the disconnect after the socket closes
    const log = broker.output();
    assert.match(log, /New client connected from 127\.0\.0\.1:\d+ as gw1-uplink-probe /, log);
    assert.match(log, /Client gw1-uplink-probe disconnected\./, `a clean DISCONNECT: ${log}`);
    assert.doesNotMatch(log, / as gw1-uplink /, "the main session's client id is never used");
  } finally {
    await broker.stop();
    await Deno.remove(broker.dir, { recursive: true });
  }
});

Deno.test("failback probe fails on a broker that refuses the CONNECT even though its port accepts TCP", async () => {
  const broker = await startBroker({ allowAnonymous: false });
  try {
    await assert.rejects(
      () => probeBroker(broker.url, { protocolVersion: 5, clientId: "gw1-uplink" }, 2000),
      /not authori[sz]ed|Bad User Name or Password|Connection refused/i,
    );
    await assert.rejects(
      () =>
        probeBroker(`mqtt://127.0.0.1:${freePort()}`, { protocolVersion: 5, clientId: "gw1-uplink" }, 2000),
      /ECONNREFUSED|refused|closed/i,
    );
  } finally {
    await broker.stop();
    await Deno.remove(broker.dir, { recursive: true });
  }
});
