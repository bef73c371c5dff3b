import assert from "node:assert/strict";
import { ExactThenSketch } from "../../../adapters/history/p95.ts";
import { quantile } from "../../../adapters/history/reservoir.ts";
import { SKETCH_ALPHA } from "../../../core/mod.ts";

Deno.test("the long-bucket p95 is exact up to its limit, then within ±0.5 %, in bounded memory", () => {
  const values = Float64Array.from({ length: 36_000 }, (_, i) => 30 + 20 * Math.sin(i / 37) + ((i * 7) % 11));
  const p = new ExactThenSketch(256);
  for (let i = 0; i < 256; i++) p.add(values[i]!);
  assert.ok(p.isExact);
  assert.equal(p.p95(), quantile(values.slice(0, 256), 0.95), "exact at the limit");
  for (let i = 256; i < values.length; i++) p.add(values[i]!);
  assert.ok(!p.isExact);
  assert.equal(p.seen, values.length);
  const sorted = [...values].sort((a, b) => a - b);
  const truth = sorted[Math.floor(0.95 * (values.length - 1))]!;
  assert.ok(Math.abs(p.p95() - truth) <= SKETCH_ALPHA * truth, `${p.p95()} vs ${truth}`);
  assert.ok(p.bytes < 2048, `${p.bytes} bytes for 36,000 values (a reservoir of 8192 holds 65,536)`);
});

Deno.test("ranges and single values give the same long-bucket p95; exact 0 sketches from the first value", () => {
  const values = Float64Array.from({ length: 5000 }, (_, i) => Math.cos(i) * 100);
  const a = new ExactThenSketch(300);
  const b = new ExactThenSketch(300);
  for (const v of values) a.add(v);
  for (let i = 0; i < values.length; i += 123) b.addRange(values, i, Math.min(values.length, i + 123));
  assert.equal(b.p95(), a.p95());
  assert.equal(b.seen, a.seen);
  const z = new ExactThenSketch(0);
  z.addRange(values, 0, 10);
  assert.ok(!z.isExact);
  assert.ok(Number.isNaN(new ExactThenSketch(16).p95()), "empty: NaN");
});
