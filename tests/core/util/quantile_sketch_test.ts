import assert from "node:assert/strict";
import { normal } from "../anomaly/_synthetic.ts";
import { MAX_BINS, QuantileSketch, SKETCH_ALPHA } from "../../../core/util/quantile_sketch.ts";

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
  const s = new QuantileSketch();
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

Deno.test("every quantile of the quantile sketch is within ±0.5 % of the true order statistic", () => {
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

Deno.test("beyond its range the quantile sketch folds the smallest magnitudes and stays within MAX_BINS", () => {
  const s = new QuantileSketch();
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
  assert.ok(Number.isNaN(new QuantileSketch().quantile(0.95)), "empty: NaN");
  const small = new QuantileSketch();
  for (let i = 0; i < 36_000; i++) small.add(50 + 10 * Math.sin(i / 100)); // an hour of a 10 Hz tag
  assert.ok(small.bytes <= 1024, `an hour of a 40..60 signal holds ${small.bytes} bytes`);
});

Deno.test("the quantile sketch stays within its relative accuracy and merges exactly", () => {
  const rnd = normal(11);
  const a = new QuantileSketch(0.01), b = new QuantileSketch(0.01), all: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const v = Math.exp(rnd()) - 1.2;
    all.push(v);
    (i % 2 ? a : b).add(v);
  }
  a.merge(b);
  all.sort((x, y) => x - y);
  for (const q of [0.05, 0.5, 0.95, 0.99]) {
    const truth = all[Math.floor(q * (all.length - 1))]!;
    assert.ok(
      Math.abs(a.quantile(q) - truth) <= 0.01 * Math.abs(truth) + 1e-12,
      `q${q}: ${a.quantile(q)} vs ${truth}`,
    );
  }
});

Deno.test("merging sketches equals adding every value to one, including into an empty sketch", () => {
  const r = rng(9);
  const parts = [
    Array.from({ length: 3000 }, () => 1e-6 + 1e-5 * r()), // keys far below zero (about -1150 .. -1380)
    Array.from({ length: 3000 }, () => -40 * r()),
    Array.from({ length: 3000 }, () => (r() < 0.1 ? 0 : 2e-6 + 1e-5 * r())),
  ];
  const merged = new QuantileSketch();
  const direct = new QuantileSketch();
  for (const p of parts) {
    const s = new QuantileSketch();
    for (const v of p) {
      s.add(v);
      direct.add(v);
    }
    merged.merge(s);
  }
  merged.merge(new QuantileSketch()); // merging an empty sketch changes nothing
  assert.equal(merged.count, direct.count);
  for (const q of [0, 0.01, 0.3, 0.5, 0.7, 0.95, 1]) {
    assert.equal(merged.quantile(q), direct.quantile(q), `q=${q}`);
  }
});

Deno.test("merging sketches wider than MAX_BINS keeps the top of the range and folds the bottom", () => {
  const low = new QuantileSketch(), high = new QuantileSketch();
  for (let i = 0; i < 1000; i++) low.add(1e-6 * (1 + i / 1000));
  for (let i = 0; i < 1000; i++) high.add(1e3 * (1 + i / 1000));
  low.merge(high);
  assert.ok(low.bytes <= MAX_BINS * 4, `${low.bytes} bytes`);
  assert.equal(low.count, 2000);
  const p95 = low.quantile(0.95);
  assert.ok(Math.abs(p95 - 1900) <= 1900 * SKETCH_ALPHA * 1.000001, `p95 ${p95}`);
  assert.ok(low.quantile(0.25) <= 4e-5 * 2000, `folded low quantile ${low.quantile(0.25)}`);
  assert.throws(() => low.merge(new QuantileSketch(0.01)), RangeError);
  assert.throws(() => new QuantileSketch(0), /accuracy must be within \(0, 1\)/);
});
