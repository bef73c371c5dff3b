/**
 * @module Shared helpers of the wasm tests: loaded cores, a seeded RNG, error norms, references.
 */
import FFT from "fft.js";
import { loadSignalCore, type SignalCore } from "../../wasm/mod.ts";

/** The three implementations, loaded once per test file. */
export async function cores(): Promise<{ simd: SignalCore; scalar: SignalCore; js: SignalCore }> {
  const [simd, scalar, js] = await Promise.all([
    loadSignalCore(),
    loadSignalCore({ prefer: "scalar" }),
    loadSignalCore({ prefer: "js" }),
  ]);
  return { simd, scalar, js };
}

/** Deterministic uniform [-1, 1) generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  };
}

/** White noise of length n (float32-rounded). */
export function noise(n: number, seed: number, scale = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => r() * scale);
}

/** max|a-b| / max|b| over the first `len` values. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>, len = b.length): number {
  let e = 0, m = 0;
  for (let i = 0; i < len; i++) {
    e = Math.max(e, Math.abs(a[i]! - b[i]!));
    m = Math.max(m, Math.abs(b[i]!));
  }
  return m === 0 ? e : e / m;
}

/** Reference real FFT by fft.js (float64), bins 0..n/2 interleaved. */
export function fftjsReal(x: ArrayLike<number>): Float64Array {
  const n = x.length, f = new FFT(n), out = f.createComplexArray() as number[];
  f.realTransform(out, Array.from(x));
  f.completeSpectrum(out);
  return Float64Array.from(out.slice(0, n + 2));
}

/** Naive float64 DFT of a real signal: bins 0..n/2 interleaved. */
export function dft(x: ArrayLike<number>): Float64Array {
  const n = x.length, bins = Math.floor(n / 2) + 1, out = new Float64Array(2 * bins);
  for (let k = 0; k < bins; k++) {
    let re = 0, im = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((k * j) % n)) / n;
      re += x[j]! * Math.cos(a);
      im += x[j]! * Math.sin(a);
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

/** A sine of amplitude `amp` at `f` Hz sampled at `fs`, n samples. */
export function sine(n: number, fs: number, f: number, amp: number, phase = 0.3): Float64Array {
  return Float64Array.from({ length: n }, (_, j) => amp * Math.sin((2 * Math.PI * f * j) / fs + phase));
}
