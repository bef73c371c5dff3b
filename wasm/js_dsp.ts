/**
 * @module Windows, gain-corrected spectra, Welch averaging and envelope spectra for the TypeScript
 * fallback — the same definitions as wasm/src/windows.rs, spectrum.rs and ffi_features.rs.
 */
import { complexFft, realFft } from "./js_fft.ts";

const COEFFS: readonly (readonly number[])[] = [
  [1],
  [0.5, 0.5],
  [0.54, 0.46],
  [0.35875, 0.48829, 0.14128, 0.01168],
  [0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368],
];

/** Periodic cosine-sum window `code` of length n with its sums Σw and Σw². */
export function makeWindow(code: number, n: number): { w: Float64Array; sum: number; sumsq: number } {
  const a = COEFFS[code] ?? [1];
  const w = new Float64Array(n);
  let sum = 0, sumsq = 0;
  for (let j = 0; j < n; j++) {
    let v = 0;
    a.forEach((c, k) => v += (k % 2 === 0 ? 1 : -1) * c * Math.cos((2 * Math.PI * k * j) / n));
    w[j] = v;
    sum += v;
    sumsq += v * v;
  }
  return { w, sum, sumsq };
}

/** One-sided scaling of averaged |X|² (see Scaling in types.ts). */
export function scale(
  acc: Float64Array,
  n: number,
  segs: number,
  sum: number,
  sumsq: number,
  fs: number,
  code: number,
) {
  const out = new Float64Array(acc.length);
  for (let k = 0; k < acc.length; k++) {
    const f = k === 0 || (n % 2 === 0 && k === n / 2) ? 1 : 2;
    const p = acc[k]! / segs;
    out[k] = code === 0
      ? (Math.sqrt(p) * f) / sum
      : code === 1
      ? (p * f) / (sum * sum)
      : code === 2
      ? (p * f) / (n * sumsq)
      : (p * f) / (fs * sumsq);
  }
  return out;
}

/** Welch-averaged spectrum of `x` (contiguous); returns values and the segment count. */
export function welch(
  x: Float64Array,
  seg: number,
  step: number,
  fs: number,
  win: number,
  code: number,
  detrend: boolean,
): { values: Float64Array; segments: number } {
  const { w, sum, sumsq } = makeWindow(win, seg);
  const bins = Math.floor(seg / 2) + 1, acc = new Float64Array(bins), buf = new Float64Array(seg);
  const segments = Math.floor((x.length - seg) / step) + 1;
  for (let s = 0; s < segments; s++) {
    const part = x.subarray(s * step, s * step + seg);
    let mean = 0;
    if (detrend) mean = part.reduce((a, b) => a + b, 0) / seg;
    for (let j = 0; j < seg; j++) buf[j] = (part[j]! - mean) * w[j]!;
    const X = realFft(buf, seg);
    for (let k = 0; k < bins; k++) acc[k] = acc[k]! + X[2 * k]! ** 2 + X[2 * k + 1]! ** 2;
  }
  return { values: scale(acc, seg, segments, sum, sumsq, fs, code), segments };
}

/** Amplitude envelope spectrum: band-pass [lo, hi] Hz, Hilbert envelope, windowed spectrum. */
export function envelopeSpectrum(
  x: Float64Array,
  fs: number,
  lo: number,
  hi: number,
  win: number,
): Float64Array {
  const n = x.length, binHz = fs / n, nyq = Math.floor(n / 2);
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const X = realFft(x.map((v) => v - mean), n);
  const h = new Float64Array(2 * n);
  for (let k = Math.max(1, Math.ceil(lo / binHz)); k <= Math.min(nyq, Math.floor(hi / binHz)); k++) {
    const g = n % 2 === 0 && k === nyq ? 1 : 2;
    h[2 * k] = g * X[2 * k]!;
    h[2 * k + 1] = g * X[2 * k + 1]!;
  }
  const z = complexFft(h, n, true), env = new Float64Array(n);
  for (let j = 0; j < n; j++) env[j] = Math.hypot(z[2 * j]!, z[2 * j + 1]!);
  return welch(env, n, n, fs, win, 0, true).values;
}
