import assert from "node:assert/strict";
import { MqttSink } from "../../../adapters/mqtt/mod.ts";
import { startBroker } from "./_broker.ts";
import { makeCtx, sinkConfig, subscribe, until } from "./_harness.ts";
import { everyKind } from "./_messages.ts";

Deno.test("mqtt sink publishes every message class on its topic with the versioned JSON envelope and a retained status", async () => {
  const broker = await startBroker();
  const dir = await Deno.makeTempDir({ prefix: "mqtt_sink_" });
  const sub = await subscribe(broker.url, ["gateway/#"]);
  const { ctx, tags } = makeCtx(dir);
  tags.define({ id: "plant.temp", source: "plant", dataType: "float", unit: "degC", asset: "pump-1" });
  const sink = new MqttSink(sinkConfig({
    brokers: [broker.url],
    publish: { raw: true, scores: true },
    qos: { raw: 1 },
  }));
  try {
    await sink.start(ctx);
    await until(() => sink.health().state === "connected", "connection");
    await sink.write(everyKind());
    const base = "gateway/plant-a/gw1";
    const topics = [
      `${base}/features/pump-1`,
      `${base}/alerts/pump-1`,
      `${base}/rollups/pump-1`,
      `${base}/scores/pump-1`,
      `${base}/raw/plant.temp`,
      `${base}/raw/plant.flow`,
      `${base}/raw/plant.vib`,
      `${base}/events`,
    ];
    await sub.until(() => topics.every((t) => sub.received.some((r) => r.topic === t)), "every topic class");
    const seqs: number[] = [];
    for (const t of topics) {
      const [m] = sub.json(new RegExp(`^${t.replace(/\./g, "\\.")}$`));
      assert.ok(m, t);
      assert.equal(m.schema, 1);
      assert.equal(m.gateway, "gw1");
      assert.equal(typeof m.seq, "number");
      assert.equal(m.id, `gw1-${m.seq}`);
      assert.equal(typeof m.ts, "number");
      assert.ok(
        typeof m.sent === "number" && m.sent >= Date.now() - 60_000,
        "send timestamp is the publish time",
      );
      assert.ok(["good", "uncertain", "bad"].includes(m.quality as string));
      assert.equal(m.replayed, false);
      assert.equal(typeof m.data, "object");
      seqs.push(m.seq as number);
    }
    assert.equal(new Set(seqs).size, seqs.length, "message ids are unique");
    const [temp] = sub.json(/raw\/plant\.temp$/);
    const data = temp!.data as { unit: string; asset: string; samples: { v: number; ts: number }[] };
    assert.equal(data.unit, "degC");
    assert.equal(data.asset, "pump-1");
    assert.deepEqual(data.samples.map((s) => s.v), [48.2, 48.3]);
    const [flow] = sub.json(/raw\/plant\.flow$/);
    assert.equal(flow!.quality, "bad");
    assert.equal((flow!.data as { samples: { v: unknown }[] }).samples[0]!.v, null, "NaN is sent as null");
    const [vib] = sub.json(/raw\/plant\.vib$/);
    assert.deepEqual((vib!.data as { values: number[] }).values, [0.1, -0.2, 0.3]);
    const [feat] = sub.json(/features\/pump-1$/);
    assert.equal((feat!.data as { features: Record<string, number> }).features["vib_x.kurtosis"], 3.1);
    assert.equal(feat!.type, "features");
    const [alert] = sub.json(/alerts\/pump-1$/);
    assert.equal((alert!.data as { id: string }).id, "al-pump-1-0");

    // A late subscriber gets the retained birth.
    const late = await subscribe(broker.url, [`${base}/status`]);
    try {
      await late.until(() => late.received.length > 0, "retained status");
      assert.equal(late.received[0]!.retain, true);
      const status = late.json(/status$/)[0]!;
      assert.equal(status.state, "online");
      assert.equal(status.version, "9.9.9-test");
    } finally {
      await late.close();
    }
    const h = sink.health();
    assert.equal(h.details?.backlog_messages, 0);
    assert.equal(h.details?.broker, broker.url);
    await sink.stop();
    await sub.until(
      () => sub.json(/status$/).some((s) => s.state === "offline" && s.reason === "stopped"),
      "offline status",
    );
  } finally {
    await sink.stop();
    await sub.close();
    await broker.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(broker.dir, { recursive: true });
  }
});
