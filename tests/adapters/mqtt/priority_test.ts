import assert from "node:assert/strict";
import { MqttSink } from "../../../adapters/mqtt/mod.ts";
import { startBroker } from "./_broker.ts";
import { arrivals, backlog, firsts, outOfOrderLanes, rawBeforeLast } from "./_backlog.ts";
import { makeCtx, sinkConfig, subscribe, until } from "./_harness.ts";
import { alertMsg, featuresMsg } from "./_messages.ts";

Deno.test("after an outage the subscriber gets every alert, feature vector and rollup before the bulk of a raw backlog; order per lane kept, nothing lost; an alert written mid-replay overtakes the raw backlog", async () => {
  const broker = await startBroker();
  const dir = await Deno.makeTempDir({ prefix: "mqtt_prio_" });
  const sub = await subscribe(broker.url, ["gateway/plant-a/gw1/+/#"], {
    clientId: "upstream-prio",
    clean: false,
    properties: { sessionExpiryInterval: 600 },
  });
  const { ctx } = makeCtx(dir);
  const sink = new MqttSink(sinkConfig({
    brokers: [broker.url],
    publish: { raw: true, events: false },
    qos: { raw: 1 },
    replay: { max_messages_per_s: 2000 },
    commands: { enabled: false },
  }));
  await sink.start(ctx);
  try {
    await until(() => sink.health().state === "connected", "connection");
    await broker.stop();
    // 80 rounds x 50 tags = 4000 raw records; 20 alerts, 40 feature vectors, 10 rollups in between.
    for (const batch of backlog({ rounds: 80, tags: 50 })) await sink.write(batch);
    const lanes = sink.outbox!.stats().lanes;
    assert.deepEqual(
      Object.fromEntries(Object.entries(lanes).map(([k, v]) => [k, v.count])),
      { critical: 20, features: 40, rollups: 10, raw: 4000 },
    );
    const lastSeq = sink.outbox!.lastSeq;
    await broker.restart();
    const got = () => arrivals(sub.received);
    const highCount = () => firsts(got()).filter((a) => a.type === "alerts" || a.type === "features").length;
    await sub.until(() => highCount() === 60, "the 20 alerts and 40 feature vectors", 20_000);
    // Mid-replay: a new alert and feature vector go ahead of the raw still queued.
    const [late] = await Promise.all([
      sink.outbox!.lastSeq + 1,
      sink.write([alertMsg("press-3", 999), featuresMsg("press-3", 999)]),
    ]);
    await sub.until(() => firsts(got()).length === lastSeq + 2, `all ${lastSeq + 2} messages`, 30_000);
    const list = got();
    const f = firsts(list);
    assert.deepEqual(
      f.map((a) => a.seq).sort((a, b) => a - b),
      Array.from({ length: lastSeq + 2 }, (_, i) => i + 1),
    );
    assert.deepEqual(outOfOrderLanes(list), [], "sequence order within every lane");
    const rawBeforeHigh = rawBeforeLast(list.filter((a) => a.seq <= lastSeq), ["alerts", "features"]);
    const rawBeforeRollups = rawBeforeLast(list.filter((a) => a.seq <= lastSeq), ["rollups"]);
    assert.ok(
      rawBeforeHigh <= 10,
      `${rawBeforeHigh} of 4000 raw records arrived before the last alert/feature`,
    );
    assert.ok(rawBeforeRollups <= 20, `${rawBeforeRollups} raw records arrived before the last rollup`);
    const lateAt = f.findIndex((a) => a.seq === late);
    const rawAfterLate = f.slice(lateAt).filter((a) => a.type === "raw").length;
    assert.ok(rawAfterLate >= 1000, `the late alert overtook the raw backlog (${rawAfterLate} raw after it)`);
    const duplicates = list.length - f.length;
    assert.ok(duplicates <= 500, `duplicates (${duplicates}) within the in-flight window`);
    console.log(
      `priority: raw before last alert/feature ${rawBeforeHigh}, before last rollup ${rawBeforeRollups}, ` +
        `raw after the late alert ${rawAfterLate}, duplicates ${duplicates}`,
    );
  } finally {
    await sink.stop();
    await sub.close();
    await broker.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(broker.dir, { recursive: true });
  }
});
