import assert from "node:assert/strict";
import { cores, dft, noise, relErr } from "./helpers.ts";

const { simd, scalar, js } = await cores();
const SIZES = [2, 3, 4, 5, 8, 12, 15, 16, 20, 30, 32, 64, 97, 100, 128, 210, 256, 1000, 1024, 6000];

Deno.test("fft matches a float64 naive DFT for small and non-power-of-two sizes (12, 15, 20, 30, 100, 1000, 6000, 97 prime)", () => {
  for (const n of SIZES) {
    const x = noise(n, 31 * n), ref = dft(x);
    for (const core of [simd, scalar, js]) {
      const err = relErr(core.fft(x), ref);
      assert.ok(err <= 1e-5, `${core.kind} n=${n}: relative error ${err}`);
    }
  }
});

Deno.test("fft handles large prime and mixed sizes via Bluestein and mixed radix (4099, 3·5·7·11, 2·9973)", () => {
  for (const n of [4099, 1155, 19946]) {
    const x = noise(n, n);
    const ref = js.fft(x);
    for (const core of [simd, scalar]) assert.ok(relErr(core.fft(x), ref) <= 1e-5, `${core.kind} n=${n}`);
  }
});

Deno.test("inverse(forward(x)) returns x for non-power-of-two sizes", () => {
  for (const core of [simd, scalar, js]) {
    for (const n of SIZES) {
      const x = noise(n, 5 * n + 1);
      const err = relErr(core.ifft(core.fft(x), n), x);
      assert.ok(err < 2e-5, `${core.kind} n=${n}: ${err}`);
    }
  }
});

Deno.test("complexFft matches a naive complex DFT and its inverse restores the input", () => {
  for (const core of [simd, scalar, js]) {
    for (const n of [1, 2, 7, 16, 30, 64, 97, 256]) {
      const z = noise(2 * n, 99 + n);
      const ref = new Float64Array(2 * n);
      for (let k = 0; k < n; k++) {
        for (let j = 0; j < n; j++) {
          const a = (-2 * Math.PI * ((k * j) % n)) / n, c = Math.cos(a), s = Math.sin(a);
          ref[2 * k] = ref[2 * k]! + z[2 * j]! * c - z[2 * j + 1]! * s;
          ref[2 * k + 1] = ref[2 * k + 1]! + z[2 * j]! * s + z[2 * j + 1]! * c;
        }
      }
      const f = core.complexFft(z);
      assert.ok(relErr(f, ref) <= 1e-5, `${core.kind} n=${n}: ${relErr(f, ref)}`);
      assert.ok(relErr(core.complexFft(f, true), z) <= 1e-5, `${core.kind} inverse n=${n}`);
    }
  }
});

Deno.test("fft accepts a ring-buffer window given as two segments", () => {
  const x = Float64Array.from(noise(1024, 3));
  const ring = { first: x.subarray(0, 300), second: x.subarray(300) };
  for (const core of [simd, js]) assert.deepEqual(core.fft(ring), core.fft(x));
});
