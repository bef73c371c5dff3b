import assert from "node:assert/strict";
import { cores, noise, sine } from "./helpers.ts";

const { simd, js } = await cores();
const fs = 12800, n = 4096, bin = fs / n;

function twoTones(): Float64Array {
  const a = sine(n, fs, 100, 2), b = sine(n, fs, 237.4, 0.5, 2.0), r = noise(n, 5, 0.001);
  return a.map((v, i) => v + b[i]! + r[i]!);
}

Deno.test("peaks returns the largest lines first with parabolically interpolated frequency", () => {
  for (const core of [simd, js]) {
    const s = core.spectrum(twoTones(), { fs, window: "hann" });
    const p = core.peaks(s, { count: 2 });
    assert.equal(p.length, 2);
    assert.ok(Math.abs(p[0]!.frequency - 100) < 0.05 * bin, `${core.kind}: ${p[0]!.frequency}`);
    assert.ok(Math.abs(p[1]!.frequency - 237.4) < 0.1 * bin, `${core.kind}: ${p[1]!.frequency}`);
    assert.ok(Math.abs(p[0]!.value - 2) < 0.02);
    assert.ok(Math.abs(p[1]!.value - 0.5) < 0.1, `${core.kind}: ${p[1]!.value}`);
    const limited = core.peaks(s, { count: 3, minHz: 150, maxHz: 400 });
    assert.ok(Math.abs(limited[0]!.frequency - 237.4) < 0.1 * bin);
  }
});

Deno.test("band energies report the power of a tone (A²/2) whatever the scaling, and total power", () => {
  const x = sine(n, fs, 100, 2);
  for (const core of [simd, js]) {
    for (const scaling of ["amplitude", "power", "energy", "psd"] as const) {
      const s = core.spectrum(x, { fs, window: "hann", scaling });
      const [tone, empty] = core.bandEnergies(s, [[80, 120], [1000, 2000]]);
      assert.ok(Math.abs(tone! - 2) < 0.02, `${core.kind} ${scaling}: ${tone}`);
      assert.ok(empty! < 1e-6);
    }
  }
});

Deno.test("spectral shape: centroid between two equal tones, narrow spread for one tone", () => {
  const x = sine(n, fs, 500, 1).map((v, i) => v + Math.sin((2 * Math.PI * 1500 * i) / fs));
  for (const core of [simd, js]) {
    const s = core.spectrum(x, { fs, window: "hann", scaling: "power" });
    const sh = core.spectralShape(s);
    assert.ok(Math.abs(sh.centroid - 1000) < 1, `${core.kind}: ${sh.centroid}`);
    assert.ok(Math.abs(sh.spread - 500) < 2, `${core.kind}: ${sh.spread}`);
    assert.ok(Math.abs(sh.skewness) < 0.01);
    assert.ok(Math.abs(sh.kurtosis - 1) < 0.01, `${core.kind}: ${sh.kurtosis}`);
  }
});

Deno.test("valuesAt finds 1×/2×/3× shaft lines within tolerance and their ratio to the local median", () => {
  const shaft = 29.95, n = 65536;
  const x = sine(n, fs, shaft, 1).map((v, i) =>
    v + 0.4 * Math.sin((2 * Math.PI * 2 * shaft * i) / fs) +
    0.1 * Math.sin((2 * Math.PI * 3 * shaft * i) / fs)
  );
  const r = noise(n, 8, 0.01);
  const y = x.map((v, i) => v + r[i]!);
  for (const core of [simd, js]) {
    const s = core.spectrum(y, { fs, window: "flattop" });
    const v = core.valuesAt(s, [shaft, 2 * shaft, 3 * shaft], 5);
    assert.deepEqual(v.map((l) => l.target), [shaft, 2 * shaft, 3 * shaft]);
    [1, 0.4, 0.1].forEach((amp, i) => {
      assert.ok(Math.abs(v[i]!.value / amp - 1) < 0.02, `${core.kind} ${i + 1}×: ${v[i]!.value}`);
      assert.ok(
        Math.abs(v[i]!.frequency - (i + 1) * shaft) < 0.3 * s.binHz,
        `${core.kind}: ${v[i]!.frequency}`,
      );
      assert.ok(v[i]!.ratioToMedian > 10, `${core.kind}: ratio ${v[i]!.ratioToMedian}`);
    });
  }
});
