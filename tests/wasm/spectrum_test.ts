import assert from "node:assert/strict";
import type { WindowKind } from "../../wasm/mod.ts";
import { cores, noise, sine } from "./helpers.ts";

const { simd, scalar, js } = await cores();
const WINDOWS: WindowKind[] = ["rectangular", "hann", "hamming", "blackman-harris", "flattop"];
const fs = 12800, n = 4096; // bin = 3.125 Hz, 100 Hz is bin 32

Deno.test("a 100 Hz sine of amplitude 2 reads 2.00 ± 1% with every window after gain correction", () => {
  const x = sine(n, fs, 100, 2);
  for (const core of [simd, scalar, js]) {
    for (const window of WINDOWS) {
      const s = core.spectrum(x, { fs, window });
      assert.equal(s.binHz, 3.125);
      const a = s.values[32]!;
      assert.ok(Math.abs(a - 2) <= 0.02, `${core.kind} ${window}: ${a}`);
    }
  }
});

Deno.test("flat-top reads 2.00 ± 1% for off-bin frequencies too", () => {
  for (const f of [100.4, 101.5625, 102.9, 250.77]) {
    const x = sine(n, fs, f, 2, 1.1);
    for (const core of [simd, js]) {
      const s = core.spectrum(x, { fs, window: "flattop" });
      const peak = Math.max(...s.values);
      assert.ok(Math.abs(peak - 2) <= 0.02, `${core.kind} ${f} Hz: ${peak}`);
    }
  }
});

Deno.test("Parseval: energy-scaled bins (and rectangular power bins) sum to the mean square", () => {
  const x = noise(n, 42, 3);
  const ms = x.reduce((a, v) => a + v * v, 0) / n;
  for (const core of [simd, scalar, js]) {
    for (const scaling of ["energy", "power"] as const) {
      const s = core.spectrum(x, { fs, window: "rectangular", scaling });
      const sum = s.values.reduce((a, v) => a + v, 0);
      assert.ok(Math.abs(sum / ms - 1) < 1e-5, `${core.kind} ${scaling}: ${sum} vs ${ms}`);
    }
    const psd = core.spectrum(x, { fs, window: "rectangular", scaling: "psd" });
    assert.ok(Math.abs((psd.values.reduce((a, v) => a + v, 0) * psd.binHz) / ms - 1) < 1e-5);
    // With a tapered window the energy correction keeps broadband power right (statistically).
    const hann = core.spectrum(x, { fs, window: "hann", scaling: "energy" });
    assert.ok(Math.abs(hann.values.reduce((a, v) => a + v, 0) / ms - 1) < 0.05);
  }
});

Deno.test("Welch averaging: overlapping segments, flat PSD of white noise, tone amplitude kept", () => {
  const x = noise(65536, 9, 1); // uniform [-1, 1): variance 1/3
  for (const core of [simd, js]) {
    const s = core.welch(x, { fs, segment: 1024, overlap: 0.5, scaling: "psd" });
    assert.equal(s.segments, 127);
    assert.equal(s.values.length, 513);
    const mid = s.values.slice(10, 500);
    const mean = mid.reduce((a, v) => a + v, 0) / mid.length;
    assert.ok(Math.abs(mean / ((2 / 3) / fs) - 1) < 0.05, `${core.kind}: ${mean}`);
    const tone = core.welch(sine(65536, fs, 100, 2), { fs, segment: 4096, overlap: 0.75, window: "hann" });
    assert.equal(tone.segments, 61);
    assert.ok(Math.abs(tone.values[32]! - 2) < 0.02, `${core.kind}: ${tone.values[32]}`);
  }
});

Deno.test("spectrum detrend removes the mean and ring segments give the same spectrum", () => {
  const base = sine(n, fs, 100, 2);
  const x = base.map((v) => v + 5);
  const ring = { first: x.subarray(0, 1000), second: x.subarray(1000) };
  for (const core of [simd, js]) {
    const a = core.spectrum(x, { fs, detrend: true });
    assert.ok(a.values[0]! < 1e-4, `${core.kind} DC ${a.values[0]}`);
    assert.deepEqual(core.spectrum(ring, { fs, detrend: true }).values, a.values);
  }
});
