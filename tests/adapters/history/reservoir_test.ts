import assert from "node:assert/strict";
import { quantile, Reservoir } from "../../../adapters/history/reservoir.ts";

Deno.test("the skip-based reservoir is a uniform sample: p95 rank error matches sqrt(p(1-p)/k) over many seeds", () => {
  const n = 50_000;
  const cap = 1024;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = (i * 7919) % n; // a permutation of 0..n-1
  const errors: number[] = [];
  for (let seed = 1; seed <= 120; seed++) {
    const r = new Reservoir(cap, seed);
    for (let i = 0; i < n; i += 2560) r.addRange(values, i, Math.min(n, i + 2560));
    assert.equal(r.seen, n);
    assert.equal(r.values().length, cap);
    errors.push(quantile(r.values(), 0.95) / (n - 1) - 0.95);
  }
  const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
  const sd = Math.sqrt(errors.reduce((a, b) => a + (b - mean) ** 2, 0) / errors.length);
  const theory = Math.sqrt(0.95 * 0.05 / cap);
  assert.ok(Math.abs(mean) < 0.003, `bias ${mean}`);
  assert.ok(sd > theory * 0.7 && sd < theory * 1.3, `sd ${sd} vs ${theory}`);
});

Deno.test("ranges and single values draw the same sample for the same seed; exact while below the size", () => {
  const values = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 100);
  const a = new Reservoir(256, 9);
  const b = new Reservoir(256, 9);
  for (const v of values) a.add(v);
  for (let i = 0; i < values.length; i += 333) b.addRange(values, i, Math.min(values.length, i + 333));
  assert.deepEqual([...b.values()], [...a.values()]);
  const small = new Reservoir(256, 1);
  small.addRange(values, 0, 200);
  const sorted = [...values.subarray(0, 200)].sort((x, y) => x - y);
  const pos = 199 * 0.95;
  const expected = sorted[189]! + (sorted[190]! - sorted[189]!) * (pos - 189);
  assert.ok(Math.abs(quantile(small.values(), 0.95) - expected) < 1e-12);
  assert.ok(Number.isNaN(quantile(new Float64Array(0), 0.95)));
  const one = new Reservoir(16, 1);
  one.add(4);
  assert.equal(quantile(one.values(), 0.95), 4);
});
