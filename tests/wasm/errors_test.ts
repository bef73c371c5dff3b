import assert from "node:assert/strict";
import type { SignalCore } from "../../wasm/mod.ts";
import { cores, fftjsReal, noise, relErr } from "./helpers.ts";

const { simd, scalar, js } = await cores();
const x = noise(1024, 1);
const fs = 1000;

/** Bad calls and the error type each must raise. */
const BAD: [string, ErrorConstructor, (c: SignalCore) => unknown][] = [
  ["fft of a plain array", TypeError, (c) => c.fft([1, 2, 3] as unknown as Float32Array)],
  ["fft of n = 0", RangeError, (c) => c.fft(new Float32Array(0))],
  ["fft of n = 1", RangeError, (c) => c.fft(new Float32Array(1))],
  ["ifft longer than 2^24", RangeError, (c) => c.ifft(new Float32Array(10), 2 ** 24 + 2)],
  ["fft into a too short output", RangeError, (c) => c.fft(x, new Float32Array(10))],
  ["ifft with mismatched length", RangeError, (c) => c.ifft(new Float32Array(10), 1024)],
  ["ifft with NaN length", RangeError, (c) => c.ifft(new Float32Array(10), NaN)],
  ["complexFft of odd length", RangeError, (c) => c.complexFft(new Float32Array(7))],
  ["spectrum without options", TypeError, (c) => c.spectrum(x, undefined as never)],
  ["spectrum with fs = 0", RangeError, (c) => c.spectrum(x, { fs: 0 })],
  ["spectrum with fs < 0", RangeError, (c) => c.spectrum(x, { fs: -5 })],
  ["spectrum with fs NaN", RangeError, (c) => c.spectrum(x, { fs: NaN })],
  ["spectrum with fs as a string", TypeError, (c) => c.spectrum(x, { fs: "1000" as never })],
  ["spectrum with an unknown window", RangeError, (c) => c.spectrum(x, { fs, window: "kaiser" as never })],
  ["spectrum with an unknown scaling", RangeError, (c) => c.spectrum(x, { fs, scaling: "db" as never })],
  ["welch with a segment longer than the input", RangeError, (c) => c.welch(x, { fs, segment: 2048 })],
  ["welch with overlap 1", RangeError, (c) => c.welch(x, { fs, segment: 256, overlap: 1 })],
  ["welch with a fractional segment", RangeError, (c) => c.welch(x, { fs, segment: 100.5 })],
  ["envelope band above Nyquist", RangeError, (c) => c.envelopeSpectrum(x, { fs, band: [100, 600] })],
  ["envelope band reversed", RangeError, (c) => c.envelopeSpectrum(x, { fs, band: [300, 100] })],
  ["envelope band missing", TypeError, (c) => c.envelopeSpectrum(x, { fs } as never)],
  ["peaks with NaN count", RangeError, (c) => c.peaks(c.spectrum(x, { fs }), { count: NaN })],
  ["peaks of a non-spectrum", TypeError, (c) => c.peaks({} as never)],
  ["band with lo > hi", RangeError, (c) => c.bandEnergies(c.spectrum(x, { fs }), [[10, 5]])],
  ["valuesAt with negative tolerance", RangeError, (c) => c.valuesAt(c.spectrum(x, { fs }), [10], -1)],
  [
    "bearing with 0 balls",
    RangeError,
    (c) => c.bearingFrequencies({ balls: 0, ballDiameter: 1, pitchDiameter: 5 }, 30),
  ],
  [
    "bearing ball larger than pitch",
    RangeError,
    (c) => c.bearingFrequencies({ balls: 9, ballDiameter: 6, pitchDiameter: 5 }, 30),
  ],
  [
    "bearing with shaft 0 Hz",
    RangeError,
    (c) => c.bearingFrequencies({ balls: 9, ballDiameter: 1, pitchDiameter: 5 }, 0),
  ],
  ["stats of an empty window", RangeError, (c) => c.stats(new Float64Array(0))],
  ["stats of a string", TypeError, (c) => c.stats("abc" as never)],
  ["decimate by 1", RangeError, (c) => c.decimate(x, 1)],
  ["decimate by 2.5", RangeError, (c) => c.decimate(x, 2.5)],
  ["EwStats alpha 0", RangeError, (c) => c.createEwStats({ alpha: 0 })],
  ["EwStats alpha 2", RangeError, (c) => c.createEwStats({ alpha: 2 })],
  ["EwStats push NaN", RangeError, (c) => c.createEwStats({ alpha: 0.5 }).push(NaN)],
  ["Decimator factor NaN", RangeError, (c) => c.createDecimator(NaN)],
];

for (const core of [simd, scalar, js]) {
  Deno.test(`bad arguments raise TypeError/RangeError with a message and the ${core.kind} core keeps working`, () => {
    for (const [what, type, call] of BAD) {
      assert.throws(() => call(core), (e: unknown) => {
        assert.ok(e instanceof type, `${what}: expected ${type.name}, got ${e}`);
        assert.ok((e as Error).message.length > 10, what);
        return true;
      }, what);
    }
    assert.ok(relErr(core.fft(x), fftjsReal(x)) <= 1e-5);
    assert.equal(core.stats(x).count, 1024);
  });
}

Deno.test("freed streaming objects throw TypeError instead of touching released WASM state", () => {
  const d = simd.createDecimator(3);
  d.free();
  assert.throws(() => d.process(x), TypeError);
  d.free();
  const e = simd.createEwStats({ alpha: 0.1 });
  e.free();
  assert.throws(() => e.push(1), TypeError);
});
