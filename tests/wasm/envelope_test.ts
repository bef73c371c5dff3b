import assert from "node:assert/strict";
import { cores, noise } from "./helpers.ts";

const { simd, scalar, js } = await cores();
const fs = 12000;

Deno.test("envelope spectrum of an amplitude-modulated carrier shows the modulation frequency", () => {
  const n = 1 << 15, fm = 37, r = noise(n, 3, 0.05);
  const x = Float64Array.from(
    { length: n },
    (_, j) =>
      (1 + 0.5 * Math.cos((2 * Math.PI * fm * j) / fs)) * Math.sin((2 * Math.PI * 3000 * j) / fs) + r[j]!,
  );
  for (const core of [simd, scalar, js]) {
    const env = core.envelopeSpectrum(x, { fs, band: [2000, 4000] });
    const [top] = core.peaks(env, { count: 1, minHz: 5 });
    assert.ok(Math.abs(top!.frequency - fm) < env.binHz, `${core.kind}: ${top!.frequency}`);
    assert.ok(Math.abs(top!.value - 0.5) < 0.03, `${core.kind}: amplitude ${top!.value}`);
  }
});

Deno.test("bearing frequencies of the SKF 6205 match the hand-computed values", () => {
  const g = { balls: 9, ballDiameter: 0.3126, pitchDiameter: 1.537, contactAngleDeg: 0 };
  const fr = 1797 / 60;
  const r = 0.3126 / 1.537; // hand: 0.2033832
  for (const core of [simd, js]) {
    const f = core.bearingFrequencies(g, fr);
    assert.ok(Math.abs(f.bpfi / fr - 5.4152) < 1e-4, `${f.bpfi / fr}`);
    assert.ok(Math.abs(f.bpfo / fr - 3.5848) < 1e-4, `${f.bpfo / fr}`);
    assert.ok(Math.abs(f.ftf / fr - 0.39828) < 1e-4, `${f.ftf / fr}`); // table value is rounded
    assert.ok(Math.abs(f.ftf - 0.5 * fr * (1 - r)) < 1e-12);
    assert.ok(Math.abs((2 * f.bsf) / fr - 4.7135) < 1e-3, `${(2 * f.bsf) / fr}`);
    assert.ok(Math.abs(f.bpfi - 4.5 * fr * (1 + r)) < 1e-9);
    const tilted = core.bearingFrequencies({ ...g, contactAngleDeg: 60 }, fr);
    assert.ok(Math.abs(tilted.bpfo - 4.5 * fr * (1 - r * 0.5)) < 1e-9);
  }
});

Deno.test("bearing report: a synthetic outer-race fault stands out at BPFO, not at BPFI", () => {
  const n = 1 << 16, fr = 29.93;
  const f = simd.bearingFrequencies({ balls: 9, ballDiameter: 0.3126, pitchDiameter: 1.537 }, fr);
  const x = Float64Array.from(noise(n, 17, 0.2));
  for (let t = 0.01; t < n / fs; t += 1 / f.bpfo) {
    const j0 = Math.round(t * fs);
    for (let j = j0; j < Math.min(n, j0 + 200); j++) {
      x[j] = x[j]! + Math.exp(-(j - j0) / 30) * Math.sin((2 * Math.PI * 3500 * (j - j0)) / fs);
    }
  }
  for (const core of [simd, js]) {
    const env = core.envelopeSpectrum(x, { fs, band: [2500, 4500] });
    const rep = core.bearingReport(env, f, { harmonics: 2 });
    const bpfo = rep.find((l) => l.name === "bpfo" && l.harmonic === 1)!;
    const bpfi = rep.find((l) => l.name === "bpfi" && l.harmonic === 1)!;
    assert.equal(rep.length, 8);
    assert.ok(Math.abs(bpfo.frequency / f.bpfo - 1) < 0.01, `${core.kind}: ${bpfo.frequency}`);
    assert.ok(bpfo.ratioToMedian > 20, `${core.kind}: bpfo ratio ${bpfo.ratioToMedian}`);
    assert.ok(bpfi.ratioToMedian < 5, `${core.kind}: bpfi ratio ${bpfi.ratioToMedian}`);
  }
});
