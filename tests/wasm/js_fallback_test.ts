import assert from "node:assert/strict";
import { cores, noise, relErr, sine } from "./helpers.ts";

const { simd, js } = await cores();
const fs = 12000;
const x = Float64Array.from(noise(8192, 21)).map((v, i) => v + sine(8192, fs, 440, 1)[i]!);

Deno.test("the JS fallback gives the same spectra, Welch and envelope spectra as WASM", () => {
  for (const window of ["hann", "flattop", "rectangular"] as const) {
    for (const scaling of ["amplitude", "power", "energy", "psd"] as const) {
      const a = simd.spectrum(x, { fs, window, scaling }), b = js.spectrum(x, { fs, window, scaling });
      assert.ok(relErr(a.values, b.values) < 1e-5, `${window} ${scaling}`);
    }
  }
  const w = [simd, js].map((c) => c.welch(x, { fs, segment: 1000, overlap: 0.3 }));
  assert.equal(w[0]!.segments, w[1]!.segments);
  assert.ok(relErr(w[0]!.values, w[1]!.values) < 1e-5);
  const e = [simd, js].map((c) => c.envelopeSpectrum(x, { fs, band: [300, 600] }));
  assert.ok(relErr(e[0]!.values, e[1]!.values) < 1e-4, `${relErr(e[0]!.values, e[1]!.values)}`);
});

Deno.test("the JS fallback gives the same features, stats and decimation as WASM", () => {
  const s = simd.spectrum(x, { fs });
  assert.deepEqual(js.peaks(s, { count: 4 }), simd.peaks(s, { count: 4 }));
  assert.deepEqual(
    js.bandEnergies(s, [[0, 500], [400, 480]]).map((v) => v.toPrecision(10)),
    simd.bandEnergies(s, [[0, 500], [400, 480]]).map((v) => v.toPrecision(10)),
  );
  const sa = js.spectralShape(s), sb = simd.spectralShape(s);
  assert.ok(Math.abs(sa.centroid - sb.centroid) < 1e-9 && Math.abs(sa.kurtosis - sb.kurtosis) < 1e-9);
  assert.deepEqual(js.valuesAt(s, [440, 880], 3), simd.valuesAt(s, [440, 880], 3));
  const ta = js.stats(x), tb = simd.stats(x);
  for (const k of Object.keys(ta) as (keyof typeof ta)[]) {
    assert.ok(Math.abs(ta[k] - tb[k]) <= 1e-12 * Math.max(1, Math.abs(tb[k])), k);
  }
  assert.ok(relErr(js.decimate(x, 3), simd.decimate(x, 3)) < 1e-12);
  assert.ok(relErr(js.complexFft(Float32Array.from(x)), simd.complexFft(Float32Array.from(x))) < 1e-5);
});
