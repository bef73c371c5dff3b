import assert from "node:assert/strict";
import { cores, fftjsReal, noise, relErr } from "./helpers.ts";

const { simd, scalar, js } = await cores();
const SIZES = Array.from({ length: 13 }, (_, i) => 16 << i); // 16 .. 65536

function signals(n: number): [string, Float32Array][] {
  const alt = Float32Array.from({ length: n }, (_, j) => (j % 2 === 0 ? 1 : -1));
  const impulse = new Float32Array(n);
  impulse[0] = 1;
  const late = new Float32Array(n);
  late[(n * 7) >> 3] = -3.5;
  return [
    ["white noise", noise(n, n)],
    ["DC", new Float32Array(n).fill(0.75)],
    ["Nyquist", alt],
    ["impulse at 0", impulse],
    ["impulse late", late],
    ["large amplitude", noise(n, n + 1, 1e30)],
    ["small amplitude", noise(n, n + 2, 1e-30)],
  ];
}

for (const [name, core] of [["simd", simd], ["scalar module", scalar], ["js fallback", js]] as const) {
  Deno.test(`fft (${name}) matches fft.js within 1e-5 of the spectrum peak for every power of two 16..65536`, () => {
    for (const n of SIZES) {
      for (const [sig, x] of signals(n)) {
        const err = relErr(core.fft(x), fftjsReal(x));
        assert.ok(err <= 1e-5, `n=${n} ${sig}: relative error ${err}`);
      }
    }
  });
}

Deno.test("fft (simd module, scalar twin switched on) matches fft.js for every power of two 16..65536", () => {
  simd.setSimd(false);
  try {
    for (const n of SIZES) {
      for (const [sig, x] of signals(n)) {
        const err = relErr(simd.fft(x), fftjsReal(x));
        assert.ok(err <= 1e-5, `n=${n} ${sig}: relative error ${err}`);
      }
    }
  } finally {
    assert.equal(simd.setSimd(true), true);
  }
});

Deno.test("inverse(forward(x)) returns x for every power of two 16..65536", () => {
  for (const core of [simd, scalar, js]) {
    for (const n of SIZES) {
      const x = noise(n, 7 * n);
      const back = core.ifft(core.fft(x), n);
      assert.ok(relErr(back, x) < 1e-5, `${core.kind} n=${n}: ${relErr(back, x)}`);
    }
  }
});
