import assert from "node:assert/strict";
import { cores, rng } from "./helpers.ts";

const { simd, scalar, js } = await cores();

/** Straightforward two-pass reference (the mean pass is shifted by x[0] so 1e9 offsets do not round it). */
function reference(x: Float64Array) {
  const n = x.length, mean = x[0]! + x.reduce((a, v) => a + (v - x[0]!), 0) / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (const v of x) {
    const d = v - mean;
    m2 += d * d;
    m3 += d ** 3;
    m4 += d ** 4;
  }
  const variance = m2 / n, sorted = Float64Array.from(x).sort();
  const pct = (q: number) => {
    const h = q * (n - 1), k = Math.floor(h);
    return sorted[k]! + (h - k) * (sorted[Math.min(k + 1, n - 1)]! - sorted[k]!);
  };
  const min = sorted[0]!, max = sorted[n - 1]!, rms = Math.sqrt(x.reduce((a, v) => a + v * v, 0) / n);
  const peak = Math.max(Math.abs(min), Math.abs(max));
  return {
    count: n,
    mean,
    std: Math.sqrt(variance),
    variance,
    min,
    max,
    rms,
    peak,
    peakToPeak: max - min,
    crestFactor: peak / rms,
    skewness: m3 / n / variance ** 1.5,
    kurtosis: m4 / n / (variance * variance),
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
  };
}

function close(a: number, b: number, tol: number, what: string) {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

Deno.test("window statistics match a straightforward two-pass implementation, including at a 1e9 offset", () => {
  for (const [offset, seed] of [[0, 1], [1e9, 2], [-3e9, 3]] as const) {
    const r = rng(seed);
    const x = Float64Array.from({ length: 10007 }, () => offset + r() * 2 + (r() > 0.99 ? 15 * r() : 0));
    const ref = reference(x);
    for (const core of [simd, scalar, js]) {
      const s = core.stats(x);
      for (const [k, v] of Object.entries(ref)) {
        const tol = k === "skewness" || k === "kurtosis" || k === "std" || k === "variance" ? 1e-6 : 1e-12;
        close(s[k as keyof typeof s], v, tol, `${core.kind} offset ${offset} ${k}`);
      }
    }
  }
});

Deno.test("stats of a constant window: zero spread, crest factor 1, percentiles equal the value", () => {
  for (const core of [simd, js]) {
    const s = core.stats(new Float64Array(100).fill(-4));
    assert.equal(s.std, 0);
    assert.equal(s.crestFactor, 1);
    assert.equal(s.p99, -4);
    assert.equal(s.kurtosis, 0);
  }
});

Deno.test("stats accepts two ring segments and Float32Array input", () => {
  const x = Float64Array.from({ length: 999 }, (_, i) => Math.sin(i));
  for (const core of [simd, js]) {
    assert.deepEqual(core.stats({ first: x.subarray(0, 400), second: x.subarray(400) }), core.stats(x));
    assert.ok(Math.abs(core.stats(Float32Array.from(x)).mean - core.stats(x).mean) < 1e-7);
  }
});

Deno.test("EwStats streams an exponentially weighted mean and variance like the textbook recurrence", () => {
  const r = rng(77), xs = Float64Array.from({ length: 5000 }, () => 1e9 + r());
  for (const core of [simd, js]) {
    const ew = core.createEwStats({ alpha: 0.01 });
    let mean = 0, v = 0;
    xs.forEach((x, i) => {
      if (i === 0) mean = x;
      else {
        const d = x - mean;
        mean += 0.01 * d;
        v = 0.99 * (v + 0.01 * d * d);
      }
    });
    ew.pushMany(xs.subarray(0, 2500));
    for (const x of xs.subarray(2500)) ew.push(x);
    assert.equal(ew.count, 5000);
    close(ew.mean, mean, 1e-15, "mean");
    close(ew.variance, v, 1e-9, "variance");
    assert.ok(Math.abs(ew.std - Math.sqrt(1 / 3)) < 0.1);
    ew.free();
    assert.throws(() => ew.mean, TypeError);
    const half = core.createEwStats({ halfLife: 10 });
    assert.ok(Math.abs(half.alpha - (1 - 0.5 ** 0.1)) < 1e-15);
    half.free();
  }
});

Deno.test("exact percentiles match a sorted reference for small windows and ties", () => {
  const r = rng(5);
  for (const n of [1, 2, 3, 4, 5, 10, 17, 100, 1001]) {
    for (const ties of [false, true]) {
      const x = Float64Array.from({ length: n }, () => (ties ? Math.round(r() * 3) : r()));
      const ref = reference(x);
      for (const core of [simd, scalar, js]) {
        const s = core.stats(x);
        for (const k of ["p50", "p95", "p99", "min", "max"] as const) {
          close(s[k], ref[k], 1e-15, `${core.kind} n=${n} ${k}`);
        }
      }
    }
  }
});
