import assert from "node:assert/strict";
import type { Alert, GatewayEvent } from "../../../core/mod.ts";
import { type AlertControl, ALERTS_CAPABILITY } from "../../../core/mod.ts";
import { startSink } from "./_helpers.ts";

const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);

const alert = (id: string, patch: Partial<Alert> = {}): Alert => ({
  id,
  asset: "pump-1",
  kind: "anomaly",
  severity: "warning",
  state: "active",
  acknowledged: false,
  raisedAt: T0,
  message: "vibration high",
  detector: "iforest",
  score: 0.8,
  contributions: [{ feature: "vib_x.rms", value: 0.6 }],
  ...patch,
});

Deno.test("alerts are upserted by id and an acknowledgement survives later updates", async () => {
  const h = await startSink();
  const acks: string[] = [];
  const control: AlertControl = {
    active: () => [],
    acknowledge: (id, by) => (acks.push(`${id}/${by}`), undefined),
  };
  h.ctx.capabilities.provide(ALERTS_CAPABILITY, control, "scoring");
  try {
    await h.sink.write([{ kind: "alert", alert: alert("a1") }, {
      kind: "alert",
      alert: alert("a2", { raisedAt: T0 + 5 }),
    }]);
    const acked = await h.sink.reader.acknowledgeAlert("a1", "maria", T0 + 100);
    assert.equal(acked?.acknowledged, true);
    assert.deepEqual(acks, ["a1/maria"], "the live alert manager hears about it");
    assert.equal(await h.sink.reader.acknowledgeAlert("missing", "maria", T0), undefined);
    await h.sink.write([{
      kind: "alert",
      alert: alert("a1", { state: "cleared", clearedAt: T0 + 500, severity: "critical", score: 0.95 }),
    }]);
    const all = await h.sink.reader.alerts({ limit: 10 });
    assert.deepEqual(all.items.map((a) => a.id), ["a2", "a1"]);
    const a1 = all.items[1]!;
    assert.equal(a1.state, "cleared");
    assert.equal(a1.severity, "critical");
    assert.equal(a1.clearedAt, T0 + 500);
    assert.equal(a1.acknowledged, true);
    assert.deepEqual(a1.contributions, [{ feature: "vib_x.rms", value: 0.6 }]);
    assert.deepEqual((await h.sink.reader.alerts({ limit: 10, state: "active" })).items.map((a) => a.id), [
      "a2",
    ]);
    await assert.rejects(() => h.sink.reader.alerts({ limit: 10, state: "open" as never }), /state must be/);
  } finally {
    await h.close();
  }
});

Deno.test("events page newest first by opaque cursor, filtered by type prefix and time, without gaps or repeats", async () => {
  const h = await startSink();
  try {
    const events: GatewayEvent[] = Array.from({ length: 25 }, (_, i) => ({
      ts: T0 + Math.floor(i / 2) * 1000, // pairs share a timestamp: the cursor must break ties
      type: i % 3 === 0 ? "source.connected" : i % 3 === 1 ? "source.disconnected" : "config.reloaded",
      component: "plc1",
      level: "info",
      message: `event ${i}`,
      data: { i },
    }));
    await h.sink.write(events.map((event) => ({ kind: "event", event })));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await h.sink.reader.events({ limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((e) => e.message));
      cursor = page.next;
      pages++;
    } while (cursor);
    assert.equal(pages, 4);
    assert.equal(new Set(seen).size, 25);
    assert.deepEqual(seen, [...events].reverse().map((e) => e.message));
    const src = await h.sink.reader.events({ limit: 100, type: "source" });
    assert.equal(src.items.length, 17);
    assert.ok(src.items.every((e) => e.type.startsWith("source.")));
    const ranged = await h.sink.reader.events({ limit: 100, from: T0 + 3000, to: T0 + 5000 });
    assert.deepEqual(ranged.items.map((e) => e.data?.i), [9, 8, 7, 6]);
    await assert.rejects(
      () => h.sink.reader.events({ limit: 5, cursor: "garbage!" }),
      /cursor .* is not valid/,
    );
    await assert.rejects(() => h.sink.reader.events({ limit: 0 }), RangeError);
  } finally {
    await h.close();
  }
});

Deno.test("features and scores are stored and listed by asset and detector", async () => {
  const h = await startSink();
  try {
    await h.sink.write([
      {
        kind: "features",
        features: {
          asset: "pump-1",
          windowStart: T0,
          windowEnd: T0 + 1000,
          computedAt: T0 + 1100,
          schemaVersion: 3,
          features: { "vib_x.rms": 0.42 },
          quality: { worst: "good", goodShare: 1 },
        },
      },
      {
        kind: "features",
        features: {
          asset: "press-2",
          windowStart: T0,
          windowEnd: T0 + 1000,
          computedAt: T0 + 1100,
          schemaVersion: 3,
          features: { "f": 1 },
          quality: { worst: "bad", goodShare: 0.5 },
        },
      },
      {
        kind: "score",
        score: {
          asset: "pump-1",
          detector: "iforest",
          version: "m-7",
          ts: T0,
          score: 0.3,
          threshold: 0.7,
          anomalous: false,
          contributions: [],
        },
      },
      {
        kind: "score",
        score: {
          asset: "pump-1",
          detector: "zscore",
          version: "1",
          ts: T0 + 1,
          score: 4,
          threshold: 3,
          anomalous: true,
          contributions: [{ feature: "t", value: 4 }],
        },
      },
    ]);
    const f = await h.sink.reader.features({ limit: 10, assets: ["pump-1"] });
    assert.deepEqual(f.items, [{
      asset: "pump-1",
      windowStart: T0,
      windowEnd: T0 + 1000,
      computedAt: T0 + 1100,
      schemaVersion: 3,
      features: { "vib_x.rms": 0.42 },
      quality: { worst: "good", goodShare: 1 },
    }]);
    const s = await h.sink.reader.scores({ limit: 10, detector: "zscore" });
    assert.deepEqual(s.items, [{
      asset: "pump-1",
      detector: "zscore",
      version: "1",
      ts: T0 + 1,
      score: 4,
      threshold: 3,
      anomalous: true,
      contributions: [{ feature: "t", value: 4 }],
    }]);
  } finally {
    await h.close();
  }
});

Deno.test("an alert raised, cleared and acknowledged within one batch ends in its last state", async () => {
  const h = await startSink();
  try {
    await h.sink.write([
      { kind: "alert", alert: alert("z") },
      { kind: "alert", alert: alert("z", { state: "cleared", clearedAt: T0 + 5 }) },
      { kind: "alert", alert: alert("z", { state: "cleared", clearedAt: T0 + 6, acknowledged: true }) },
    ]);
    const [z] = (await h.sink.reader.alerts({ limit: 5 })).items;
    assert.equal(z!.state, "cleared");
    assert.equal(z!.clearedAt, T0 + 6);
    assert.equal(z!.acknowledged, true);
  } finally {
    await h.close();
  }
});
