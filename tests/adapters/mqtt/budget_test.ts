import assert from "node:assert/strict";
import { MqttSink } from "../../../adapters/mqtt/mod.ts";
import type { Message } from "../../../core/mod.ts";
import { freePort, startBroker } from "./_broker.ts";
import { makeCtx, sinkConfig, subscribe, until } from "./_harness.ts";
import { alertMsg } from "./_messages.ts";

function block(i: number): Message {
  const values = new Float64Array(1000).map((_, k) => Math.sin(k + i));
  return {
    kind: "block",
    block: { tag: "plant.vib", t0: i * 1000, dt: 1, values, recv: 0, quality: 0, status: 0 },
  };
}

Deno.test("mqtt sink over its disk budget during an outage drops raw data, counts it, and delivers every alert", async () => {
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "mqtt_budget_" });
  const { ctx, events, metrics } = makeCtx(dir);
  const config = sinkConfig({
    brokers: [`mqtt://127.0.0.1:${port}`],
    publish: { raw: true, events: false },
    outbox: { segment_bytes: 16 * 1024, max_bytes: 128 * 1024 },
  });
  let sink = new MqttSink(config);
  let broker;
  try {
    await sink.start(ctx);
    for (let i = 0; i < 60; i++) await sink.write([block(i), alertMsg("pump-1", i)]);
    const h = sink.health();
    assert.equal(h.state, "reconnecting");
    const dropped = (h.details!.dropped as Record<string, number>).raw ?? 0;
    assert.ok(dropped > 0, "raw blocks dropped");
    assert.ok((h.details!.disk_bytes as number) <= 128 * 1024 + 16 * 1024);
    assert.match(metrics.render(), /gateway_outbox_dropped_total\{class="raw",sink="uplink"\} \d+/);
    assert.ok(events.some((e) => e.type === "outbox.dropped"));
    // The gateway restarts before the broker comes back: the outbox on disk carries the backlog over.
    await sink.stop();
    broker = await startBroker({ port });
    const sub = await subscribe(broker.url, ["gateway/#"]);
    sink = new MqttSink(config);
    await sink.start(ctx);
    try {
      await sub.until(() => sub.json(/alerts/).length >= 60, "all 60 alerts", 15_000);
      const ids = new Set(sub.json(/alerts/).map((m) => (m.data as { id: string }).id));
      assert.equal(ids.size, 60);
      await until(() => sink.health().details!.backlog_messages === 0, "drained");
      const blocks = sub.json(/raw/).length;
      assert.equal(
        blocks + dropped,
        60,
        `every block delivered (${blocks}) or counted as dropped (${dropped})`,
      );
    } finally {
      await sub.close();
    }
  } finally {
    await sink.stop();
    await broker?.stop();
    await Deno.remove(dir, { recursive: true });
    if (broker) await Deno.remove(broker.dir, { recursive: true });
  }
});
