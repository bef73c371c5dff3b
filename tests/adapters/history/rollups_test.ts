import assert from "node:assert/strict";
import type { Rollup } from "../../../core/mod.ts";
import { indexAtOrAfter, RollupComputer } from "../../../adapters/history/rollups.ts";

const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);

function viaValues(rc: RollupComputer, tag: string, t0: number, dt: number, v: Float64Array, out: Rollup[]) {
  for (let i = 0; i < v.length; i++) rc.add(tag, t0 + i * dt, v[i]!, false, t0, out);
}

Deno.test("block rollups equal the per-value path across unaligned second boundaries, NaN values and a late prefix", () => {
  const dt = 1000 / 25_600;
  const a = new RollupComputer(512, 2000);
  const b = new RollupComputer(512, 2000);
  const outA: Rollup[] = [];
  const outB: Rollup[] = [];
  // Blocks of 3000 values starting 37.3 ms past a second, with a NaN and an Infinity inside.
  let t0 = T0 + 37.3;
  for (let k = 0; k < 30; k++) {
    const v = new Float64Array(3000);
    for (let i = 0; i < v.length; i++) v[i] = Math.sin((k * 3000 + i) / 50) * 3 + ((i * 31) % 17) / 10;
    if (k === 4) v[100] = Number.NaN;
    if (k === 9) v[2999] = Infinity;
    viaValues(a, "t", t0, dt, v, outA);
    b.addBlock("t", t0, dt, v, false, t0, outB);
    t0 += 3000 * dt;
  }
  // A block reaching back before the open 1 s bucket: its older part is late in both paths.
  const back = new Float64Array(20_000).fill(1);
  viaValues(a, "t", t0 - 15_000 * dt, dt, back, outA);
  b.addBlock("t", t0 - 15_000 * dt, dt, back, false, t0, outB);
  assert.equal(b.late, a.late);
  assert.ok(a.late > 0);
  a.flushDue(0, outA, true);
  b.flushDue(0, outB, true);
  assert.equal(outB.length, outA.length);
  assert.ok(outA.length >= 6, `${outA.length} rollups`);
  for (let i = 0; i < outA.length; i++) {
    const x = outA[i]!;
    const y = outB[i]!;
    const what = `${x.interval} @${x.start}`;
    assert.equal(y.interval, x.interval, what);
    assert.equal(y.start, x.start, what);
    assert.equal(y.count, x.count, `${what} count`);
    assert.equal(y.min, x.min, `${what} min`);
    assert.equal(y.max, x.max, `${what} max`);
    assert.equal(y.last, x.last, `${what} last`);
    assert.ok(Math.abs(y.mean - x.mean) < 1e-12, `${what} mean ${y.mean} vs ${x.mean}`);
    assert.ok(Math.abs(y.std - x.std) < 1e-9, `${what} std ${y.std} vs ${x.std}`);
    assert.equal(y.p95, x.p95, `${what} p95 (same reservoir draws)`);
  }
});

Deno.test("a Bad block counts its values in bad share only", () => {
  const rc = new RollupComputer(64, 0);
  const out: Rollup[] = [];
  rc.addBlock("t", T0, 1, new Float64Array(500).fill(2), false, T0, out);
  rc.addBlock("t", T0 + 500, 1, new Float64Array(500).fill(9), true, T0, out);
  rc.flushDue(0, out, true);
  const s = out.find((r) => r.interval === "1s")!;
  assert.equal(s.count, 1000);
  assert.equal(s.badShare, 0.5);
  assert.equal(s.max, 2);
});

Deno.test("indexAtOrAfter finds the first sample at or after a limit with the per-value arithmetic", () => {
  const dt = 1000 / 25_600;
  for (const t0 of [T0, T0 + 0.1, T0 + 999.99, T0 - 3.7]) {
    for (const limit of [T0 + 1000, T0 + 500.5, T0 - 10, T0 + 1e6]) {
      const i = indexAtOrAfter(t0, dt, limit, 30_000);
      assert.ok(i === 30_000 || t0 + i * dt >= limit);
      assert.ok(i === 0 || t0 + (i - 1) * dt < limit);
    }
  }
});

Deno.test("an hour of 10 Hz tags keeps the p95 memory of 1 min and 1 h buckets near a kilobyte per tag", () => {
  const rc = new RollupComputer(8192, 2000, 256);
  const tags = Array.from({ length: 50 }, (_, i) => `plc.t${i}`);
  const out: Rollup[] = [];
  const exact = new Map<string, number[]>();
  // 20 minutes at 10 Hz: past the point (819 s) where a 8192-value reservoir per 1 h bucket would be full.
  for (let k = 0; k < 12_000; k++) {
    const ts = T0 + k * 100;
    for (let t = 0; t < tags.length; t++) {
      const v = 100 + t + 10 * Math.sin(k / (50 + t)) + ((k * 13) % 7);
      rc.add(tags[t]!, ts, v, false, ts, out);
      if (t === 0) (exact.get("t0") ?? exact.set("t0", []).get("t0")!).push(v);
    }
  }
  const perTag = rc.p95Bytes() / tags.length;
  assert.ok(
    perTag < 4096,
    `${perTag.toFixed(0)} bytes per tag (a full 8192 reservoir per 1 h bucket: 65,536)`,
  );
  rc.flushDue(0, out, true);
  const hour = out.find((r) => r.tag === "plc.t0" && r.interval === "1h")!;
  const sorted = exact.get("t0")!.sort((a, b) => a - b);
  const truth = sorted[Math.floor(0.95 * (sorted.length - 1))]!;
  assert.equal(hour.count, 12_000);
  assert.ok(Math.abs(hour.p95 - truth) <= 0.005 * truth, `1 h p95 ${hour.p95} vs ${truth}`);
  assert.ok(hour.p95 <= hour.max && hour.p95 >= hour.min);
});
