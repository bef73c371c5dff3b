import assert from "node:assert/strict";
import { MqttSink } from "../../../adapters/mqtt/mod.ts";
import { type Broker, freePort, startBroker } from "./_broker.ts";
import { makeCtx, sinkConfig, subscribe, type Subscriber, until } from "./_harness.ts";
import { featuresMsg } from "./_messages.ts";

const DATA = "gateway/plant-a/gw1/features/#";
const STATUS = "gateway/plant-a/gw1/status";

/** Sequence numbers of the data messages a subscriber received. */
function seqs(sub: Subscriber): Set<number> {
  return new Set(sub.json(/\/features\//).map((m) => m.seq as number));
}

Deno.test("mqtt sink fails back to the primary broker once it has answered probes for the stable time, losing nothing", async () => {
  const primaryPort = freePort(); // down at start: nothing listens here yet
  const secondary = await startBroker();
  const dir = await Deno.makeTempDir({ prefix: "mqtt_failback_" });
  const { ctx, events, metrics } = makeCtx(dir);
  const primaryUrl = `mqtt://127.0.0.1:${primaryPort}`;
  const sink = new MqttSink(sinkConfig({
    brokers: [primaryUrl, secondary.url],
    connect_timeout_ms: 5000, // also bounds the drain before the switch
    failback: { probe_interval_s: 0.25, stable_s: 1 },
    publish: { events: false },
  }));
  let primary: Broker | undefined;
  let onPrimary: Subscriber | undefined;
  const onSecondary = await subscribe(secondary.url, [DATA, STATUS]);
  let written = 0;
  let writing = true;
  let writer: Promise<void> = Promise.resolve();
  try {
    await sink.start(ctx);
    writer = (async () => {
      for (let i = 0; writing; i++) {
        await sink.write([featuresMsg("pump-1", i), featuresMsg("pump-2", i)]);
        written += 2;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await until(() => sink.health().details!.broker === secondary.url, "the sink on the secondary", 15_000);
    await onSecondary.until(() => seqs(onSecondary).size > 100, "data through the secondary");
    const details = () => sink.health().details!;
    const brokerState = (url: string) => (details().brokers as Record<string, Record<string, unknown>>)[url]!;
    assert.ok((brokerState(primaryUrl).failures as number) >= 1, "the primary was tried and failed");

    primary = await startBroker({ port: primaryPort });
    onPrimary = await subscribe(primary.url, [DATA]);
    assert.equal(details().failbacks, 0, "the subscriber on the primary is in place before the failback");
    const startedAt = Date.now();
    await until(() => details().broker === primaryUrl, "the sink back on the primary", 20_000);
    const tookMs = Date.now() - startedAt;
    assert.ok(tookMs >= 900, `not before the stable time (${tookMs} ms)`);
    assert.equal(details().failbacks, 1);
    assert.equal(details().reconnects, 0, "a failback is not counted as a reconnect");
    assert.ok((brokerState(primaryUrl).probes as number) >= 2, "several successful probes before switching");
    assert.equal(brokerState(secondary.url).state, "disconnected");
    assert.match(metrics.render(), /gateway_mqtt_failbacks_total\{sink="uplink"\} 1/);
    const failback = events.find((e) => e.type === "mqtt.failback");
    assert.deepEqual(failback?.data, { from: secondary.url, to: primaryUrl });

    // New data flows through the primary.
    const atSwitch = written;
    await until(() => written > atSwitch + 200, "writes after the failback");
    writing = false;
    await writer;
    const total = written;
    await until(() => details().backlog_messages === 0, "backlog drained", 20_000);
    const lastSeq = details().last_seq as number;
    assert.equal(lastSeq, total);
    await onPrimary.until(() => seqs(onPrimary!).has(lastSeq), "the last message at the primary subscriber");
    assert.ok(seqs(onPrimary).size >= 200, "messages written after the failback arrive at the primary");

    // At least once across the two brokers: every sequence number arrived somewhere.
    const all = new Set([...seqs(onSecondary), ...seqs(onPrimary)]);
    const missing = [];
    for (let s = 1; s <= lastSeq; s++) if (!all.has(s)) missing.push(s);
    assert.deepEqual(missing, [], `all ${lastSeq} messages received`);
    const received = onSecondary.json(/\/features\//).length + onPrimary.json(/\/features\//).length;
    assert.equal(
      received - lastSeq,
      0,
      "in-flight messages were acknowledged before the switch: none re-sent",
    );
    const last = onSecondary.received.at(-1)!;
    assert.equal(last.topic, STATUS, "publishing paused while draining: no data after the goodbye");

    // The secondary was left with a goodbye (retained status offline, reason failback), not a last will.
    const statuses = onSecondary.json(/\/status$/);
    assert.deepEqual(
      statuses.map((m) => [m.state, m.reason]).slice(-2),
      [["online", "connected"], ["offline", "failback"]],
    );
    console.log(
      `failback after ${tookMs} ms: ${lastSeq} messages, ${received - lastSeq} duplicates, ` +
        `${seqs(onSecondary).size} via the secondary, ${seqs(onPrimary).size} via the primary`,
    );
  } finally {
    writing = false;
    await writer;
    await sink.stop();
    await onSecondary.close();
    await onPrimary?.close();
    await secondary.stop();
    await primary?.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(secondary.dir, { recursive: true });
    if (primary) await Deno.remove(primary.dir, { recursive: true });
  }
});

Deno.test("mqtt sink stays on the failover broker while the primary accepts TCP but refuses the MQTT CONNECT", async () => {
  const primary = await startBroker({ allowAnonymous: false });
  const secondary = await startBroker();
  const dir = await Deno.makeTempDir({ prefix: "mqtt_failback_refused_" });
  const { ctx } = makeCtx(dir);
  const sink = new MqttSink(sinkConfig({
    brokers: [primary.url, secondary.url],
    failback: { probe_interval_s: 0.1, stable_s: 0 },
    publish: { events: false },
  }));
  try {
    await sink.start(ctx);
    await until(() => sink.health().details!.broker === secondary.url, "the sink on the secondary");
    const primaryState = () =>
      (sink.health().details!.brokers as Record<string, Record<string, unknown>>)[primary.url]!;
    await until(() => (primaryState().probeFailures as number) >= 5, "five refused probes", 15_000);
    assert.equal(sink.health().details!.broker, secondary.url);
    assert.equal(sink.health().details!.failbacks, 0);
    assert.equal(primaryState().probes, 0);
    assert.match(primaryState().lastProbeError as string, /not authori[sz]ed|Bad User Name or Password/i);
  } finally {
    await sink.stop();
    await primary.stop();
    await secondary.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(primary.dir, { recursive: true });
    await Deno.remove(secondary.dir, { recursive: true });
  }
});

Deno.test("mqtt sink with failback disabled stays on the failover broker after the primary returns", async () => {
  const primaryPort = freePort();
  const secondary = await startBroker();
  const dir = await Deno.makeTempDir({ prefix: "mqtt_failback_off_" });
  const { ctx } = makeCtx(dir);
  const sink = new MqttSink(sinkConfig({
    brokers: [`mqtt://127.0.0.1:${primaryPort}`, secondary.url],
    failback: { enabled: false, probe_interval_s: 0.1, stable_s: 0 },
    publish: { events: false },
  }));
  let primary: Broker | undefined;
  try {
    await sink.start(ctx);
    await until(() => sink.health().details!.broker === secondary.url, "the sink on the secondary");
    primary = await startBroker({ port: primaryPort });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(sink.health().details!.broker, secondary.url);
    assert.equal(sink.health().details!.failbacks, 0);
  } finally {
    await sink.stop();
    await secondary.stop();
    await primary?.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(secondary.dir, { recursive: true });
    if (primary) await Deno.remove(primary.dir, { recursive: true });
  }
});

Deno.test("a failback away from a frozen failover broker waits drain_timeout_s, not connect_timeout_ms, and re-sends the unacknowledged", async () => {
  const primaryPort = freePort();
  const secondary = await startBroker();
  const dir = await Deno.makeTempDir({ prefix: "mqtt_failback_frozen_" });
  const { ctx } = makeCtx(dir);
  const primaryUrl = `mqtt://127.0.0.1:${primaryPort}`;
  const sink = new MqttSink(sinkConfig({
    brokers: [primaryUrl, secondary.url],
    connect_timeout_ms: 60_000,
    keepalive_s: 0,
    failback: { probe_interval_s: 0.2, stable_s: 0.5, drain_timeout_s: 1 },
    publish: { events: false },
  }));
  let primary: Broker | undefined;
  let onPrimary: Subscriber | undefined;
  const details = () => sink.health().details!;
  try {
    await sink.start(ctx);
    await until(() => details().broker === secondary.url, "the sink on the secondary", 15_000);
    for (let i = 0; i < 20; i++) await sink.write([featuresMsg("pump-1", i)]);
    await until(() => details().backlog_messages === 0, "the first 20 acknowledged by the secondary");
    // Frozen: the connection stays open, nothing is acknowledged. The next 30 stay in flight.
    secondary.freeze(true);
    for (let i = 20; i < 50; i++) await sink.write([featuresMsg("pump-1", i)]);
    await new Promise((r) => setTimeout(r, 300));
    primary = await startBroker({ port: primaryPort });
    onPrimary = await subscribe(primary.url, [DATA]);
    const startedAt = Date.now();
    await until(() => details().broker === primaryUrl, "the sink back on the primary", 20_000);
    const tookMs = Date.now() - startedAt;
    // Stable time 0.5 s + drain 1 s + goodbye 1 s + DISCONNECT 1 s, plus probe rounds: far below 60 s.
    assert.ok(tookMs < 8000, `failback took ${tookMs} ms with a frozen failover broker`);
    await until(() => details().backlog_messages === 0, "backlog drained on the primary", 20_000);
    const got = seqs(onPrimary);
    const missing = [];
    for (let s = 21; s <= 50; s++) if (!got.has(s)) missing.push(s);
    assert.deepEqual(
      missing,
      [],
      "the messages left unacknowledged by the frozen broker arrive at the primary",
    );
  } finally {
    secondary.freeze(false);
    await sink.stop();
    await onPrimary?.close();
    await secondary.stop();
    await primary?.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(secondary.dir, { recursive: true });
    if (primary) await Deno.remove(primary.dir, { recursive: true });
  }
});
