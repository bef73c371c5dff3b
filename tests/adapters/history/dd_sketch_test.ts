import assert from "node:assert/strict";
import { DenseSketch, MAX_BINS, SKETCH_ALPHA } from "../../../adapters/history/dd_sketch.ts";

/** Deterministic uniform in [0, 1). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function check(values: number[], what: string): void {
  const s = new DenseSketch();
  for (const v of values) s.add(v);
  const sorted = [...values].sort((a, b) => a - b);
  for (const q of [0, 0.05, 0.5, 0.9, 0.95, 0.99, 1]) {
    const truth = sorted[Math.floor(q * (sorted.length - 1))]!;
    const got = s.quantile(q);
    const tol = SKETCH_ALPHA * Math.abs(truth) * (1 + 1e-9);
    assert.ok(Math.abs(got - truth) <= tol, `${what} q=${q}: ${got} vs ${truth}`);
  }
  assert.equal(s.count, values.length);
}

Deno.test("every quantile of the dense sketch is within ±0.5 % of the true order statistic", () => {
  const r = rng(3);
  check(Array.from({ length: 20_000 }, () => 20 + 60 * r()), "uniform 20..80");
  check(
    Array.from({ length: 20_000 }, () => Math.sin(r() * 100) * 5 - 1),
    "sine through zero, mostly negative",
  );
  check(Array.from({ length: 20_000 }, () => Math.exp(r() * 9.5 - 5)), "log-uniform over 4.1 decades");
  check(Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? 0 : i)), "a third exact zeros");
  check([42], "one value");
  check(Array.from({ length: 1000 }, () => -7.25), "constant negative");
});

Deno.test("beyond its range the dense sketch folds the smallest magnitudes and stays within MAX_BINS", () => {
  const s = new DenseSketch();
  const values: number[] = [];
  for (let e = -200; e <= 10; e += 0.01) values.push(10 ** e); // 210 decades
  for (const v of values) s.add(v);
  assert.ok(s.bytes <= MAX_BINS * 4, `${s.bytes} bytes`);
  const top = values[values.length - 1]!;
  for (const q of [0.999, 0.9999]) {
    const truth = values[Math.floor(q * (values.length - 1))]!;
    const got = s.quantile(q);
    assert.ok(
      Math.abs(got - truth) <= SKETCH_ALPHA * truth * 1.000001,
      `q=${q}: ${got} vs ${truth} (kept range)`,
    );
  }
  const folded = s.quantile(0.5); // 10^-95, far below the kept 4.4 decades: off by at most 4e-5 × the top
  assert.ok(folded <= 4e-5 * top, `folded median ${folded}`);
  assert.ok(Number.isNaN(new DenseSketch().quantile(0.95)), "empty: NaN");
  const small = new DenseSketch();
  for (let i = 0; i < 36_000; i++) small.add(50 + 10 * Math.sin(i / 100)); // an hour of a 10 Hz tag
  assert.ok(small.bytes <= 1024, `an hour of a 40..60 signal holds ${small.bytes} bytes`);
});
