import assert from "node:assert/strict";
import { cores, sine } from "./helpers.ts";

const { simd, scalar, js } = await cores();
const fs = 48000, factor = 4; // new Nyquist 6000 Hz

/** RMS-based amplitude of the steady part (edges trimmed). */
function amplitude(y: Float64Array): number {
  const mid = y.subarray(200, y.length - 200);
  return Math.sqrt(2 * mid.reduce((a, v) => a + v * v, 0) / mid.length);
}

Deno.test("decimate attenuates a tone above the new Nyquist by at least 60 dB", () => {
  for (const core of [simd, scalar, js]) {
    for (const f of [6000, 6500, 9000, 17000]) {
      const y = core.decimate(sine(48000, fs, f, 1), factor);
      const db = 20 * Math.log10(amplitude(y));
      assert.ok(db <= -60, `${core.kind} ${f} Hz: ${db.toFixed(1)} dB`);
    }
  }
});

Deno.test("decimate keeps pass-band tones within 0.1 dB and returns ceil(n/factor) samples", () => {
  for (const core of [simd, scalar, js]) {
    for (const f of [50, 1000, 3000, 4500]) {
      const y = core.decimate(sine(48001, fs, f, 1), factor);
      assert.equal(y.length, 12001);
      const db = 20 * Math.log10(amplitude(y));
      assert.ok(Math.abs(db) <= 0.1, `${core.kind} ${f} Hz: ${db.toFixed(3)} dB`);
    }
  }
});

Deno.test("decimate is zero-phase: the output lines up with the input samples it replaces", () => {
  const x = sine(4800, fs, 300, 1);
  for (const core of [simd, js]) {
    const y = core.decimate(x, factor);
    for (let k = 100; k < 1100; k += 97) {
      assert.ok(Math.abs(y[k]! - x[k * factor]!) < 1e-3, `${core.kind} k=${k}`);
    }
  }
});

Deno.test("a streaming Decimator fed in uneven chunks equals one pass over the whole signal", () => {
  const x = sine(20000, fs, 700, 1);
  for (const core of [simd, js]) {
    const whole = core.createDecimator(5).process(x);
    const d = core.createDecimator(5);
    const parts: number[] = [];
    for (const [a, b] of [[0, 1], [1, 333], [333, 334], [334, 9000], [9000, 20000]]) {
      parts.push(...d.process(x.subarray(a, b)));
    }
    assert.equal(parts.length, whole.length);
    parts.forEach((v, i) => assert.ok(Math.abs(v - whole[i]!) < 1e-12));
    assert.equal(whole.length, 4000);
    assert.ok(d.taps > 100 && d.taps % 2 === 1);
    d.reset();
    assert.deepEqual(d.process(x), whole);
    d.free();
  }
});
