import assert from "node:assert/strict";
import { cores, noise, relErr } from "./helpers.ts";

const { simd, scalar } = await cores();

Deno.test("the SIMD kernels and their scalar twin give bit-identical spectra (same module, switched at run time)", () => {
  for (let n = 16; n <= 65536; n *= 2) {
    const x = noise(n, n ^ 0x5a5a);
    const a = simd.fft(x);
    simd.setSimd(false);
    const b = simd.fft(x);
    const inv = simd.ifft(a, n);
    simd.setSimd(true);
    assert.deepEqual(a, b, `n=${n}: ${relErr(a, b)}`);
    assert.deepEqual(simd.ifft(a, n), inv, `inverse n=${n}`);
  }
});

Deno.test("the SIMD module and the scalar module give bit-identical spectra", () => {
  for (let n = 16; n <= 65536; n *= 4) {
    const x = noise(n, 3 * n);
    assert.deepEqual(simd.fft(x), scalar.fft(x), `n=${n}`);
  }
});

Deno.test("the loaded modules report their kind and the scalar module cannot enable SIMD", () => {
  assert.equal(simd.kind, "simd");
  assert.equal(scalar.kind, "scalar");
  assert.equal(scalar.setSimd(true), false);
});

Deno.test("fftBuffer transforms in place in WASM memory and matches fft()", () => {
  const raw = simd.fftBuffer(4096);
  const x = noise(4096, 11);
  raw.input().set(x);
  raw.forward();
  assert.deepEqual(raw.output(), simd.fft(x));
});

Deno.test("views stay valid when WASM memory grows between calls (large transform in between)", () => {
  const raw = simd.fftBuffer(1024);
  const x = noise(1024, 12);
  raw.input().set(x);
  const before = simd.fft(x);
  const big = noise(1 << 21, 13);
  assert.ok(relErr(simd.fft(big).subarray(0, 64), scalar.fft(big).subarray(0, 64)) <= 1e-6);
  raw.forward();
  assert.deepEqual(raw.output(), before);
  assert.deepEqual(simd.fft(x), before);
  assert.equal(simd.stats(x).count, 1024);
});
