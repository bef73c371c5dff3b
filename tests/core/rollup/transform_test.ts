import assert from "node:assert/strict";
import { rollupSchema, RollupTransform } from "../../../core/rollup/mod.ts";
import type { Rollup } from "../../../core/mod.ts";
import { harness } from "../features/_ctx.ts";
import { normal } from "../anomaly/_synthetic.ts";

function exact(values: number[]) {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const sorted = [...values].sort((a, b) => a - b);
  return { n, mean, std, min: sorted[0]!, max: sorted[n - 1]!, p95: sorted[Math.floor(0.95 * (n - 1))]! };
}

Deno.test("rollups equal a direct computation: 1 s and 1 min buckets, p95 within 0.5 %, Bad share, last", async () => {
  const h = harness(0);
  const parsed = rollupSchema.parse({ tags: ["plant.*"], grace_ms: 500, max_wait_ms: 60_000 });
  assert.ok(parsed.ok);
  const t = new RollupTransform(parsed.value);
  await t.start(h.ctx("rollup"));
  try {
    const rnd = normal(5);
    const all: { ts: number; v: number; q: 0 | 2 }[] = [];
    // 10 Hz for 125 s; every 17th sample Bad.
    for (let i = 0; i < 1250; i++) {
      const ts = i * 100;
      const v = 20 + 3 * rnd();
      const q = i % 17 === 0 ? 2 : 0;
      all.push({ ts, v, q });
      h.push("plant.temp", [[ts, v]], q);
      if (i % 50 === 0) {
        h.clock.now = ts;
        t.run();
      }
    }
    h.clock.now = 125_000;
    t.run();
    const rollups = h.emitted.flatMap((m) => (m.kind === "rollup" ? [m.rollup] : []));
    const check = (r: Rollup, from: number, to: number) => {
      const inside = all.filter((s) => s.ts >= from && s.ts < to);
      const good = inside.filter((s) => s.q === 0).map((s) => s.v);
      const e = exact(good);
      assert.equal(r.count, inside.length);
      assert.ok(Math.abs(r.mean - e.mean) < 1e-9);
      assert.ok(Math.abs(r.std - e.std) < 1e-9);
      assert.equal(r.min, e.min);
      assert.equal(r.max, e.max);
      assert.ok(Math.abs(r.p95 - e.p95) <= 0.005 * Math.abs(e.p95), `p95 ${r.p95} vs ${e.p95}`);
      assert.equal(r.last, good.at(-1));
      assert.ok(Math.abs(r.badShare - (inside.length - good.length) / inside.length) < 1e-12);
    };
    const secs = rollups.filter((r) => r.interval === "1s");
    const mins = rollups.filter((r) => r.interval === "1m");
    assert.equal(secs.length, 124); // 0..123 closed (watermark 124.4 s)
    assert.deepEqual(secs.map((r) => r.start), Array.from({ length: 124 }, (_, i) => i * 1000));
    for (const r of secs) check(r, r.start, r.start + 1000);
    assert.equal(mins.length, 2);
    for (const r of mins) check(r, r.start, r.start + 60_000);
  } finally {
    await t.stop();
  }
});

Deno.test("a sample for an already closed second is dead-lettered: counted, reported, not mixed into rollups", async () => {
  const h = harness(0);
  const parsed = rollupSchema.parse({ tags: ["*"], intervals: ["1s"], grace_ms: 0 });
  assert.ok(parsed.ok);
  const t = new RollupTransform(parsed.value);
  await t.start(h.ctx("rollup"));
  try {
    h.push("a", [[100, 1], [900, 2], [1100, 3], [2100, 4]]);
    h.clock.now = 2100;
    t.run();
    h.push("a", [[950, 100]]); // second 0 already closed
    t.run();
    const r = h.emitted.flatMap((m) => (m.kind === "rollup" ? [m.rollup] : []));
    assert.equal(r[0]!.count, 2);
    assert.equal(r[0]!.max, 2);
    assert.equal(
      h.metrics.gauge("gateway_rollup_late_samples_total", "").render().some((l) => l.endsWith(" 1")),
      true,
    );
    assert.ok(h.events.some((e) => e.type === "rollup.late_samples"));
  } finally {
    await t.stop();
  }
});
