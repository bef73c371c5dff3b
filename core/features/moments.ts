/**
 * @module Moment statistics of a segmented window in two fused passes, for windows that need no
 * percentiles (the signal core's `stats` always sorts for p50/p95/p99, which dominates its cost).
 */
import type { WindowStats } from "../../wasm/mod.ts";

type Seg = { readonly first: Float64Array; readonly second: Float64Array };

/** count, mean, std, variance, min, max, rms, peak, peakToPeak, crestFactor, skewness, kurtosis (no percentiles). */
export function moments(x: Seg): Omit<WindowStats, "p50" | "p95" | "p99"> {
  let n = 0, sum = 0, sq = 0, min = Number.POSITIVE_INFINITY, max = Number.NEGATIVE_INFINITY;
  for (const a of [x.first, x.second]) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      sum += v;
      sq += v * v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    n += a.length;
  }
  const mean = n ? sum / n : Number.NaN;
  let m2 = 0, m3 = 0, m4 = 0;
  for (const a of [x.first, x.second]) {
    for (let i = 0; i < a.length; i++) {
      const d = a[i]! - mean, d2 = d * d;
      m2 += d2;
      m3 += d2 * d;
      m4 += d2 * d2;
    }
  }
  const variance = n ? m2 / n : Number.NaN;
  const std = Math.sqrt(variance);
  const rms = n ? Math.sqrt(sq / n) : Number.NaN;
  const peak = Math.max(Math.abs(min), Math.abs(max));
  return {
    count: n,
    mean,
    std,
    variance,
    min,
    max,
    rms,
    peak,
    peakToPeak: max - min,
    crestFactor: rms > 0 ? peak / rms : Number.NaN,
    skewness: variance > 0 ? m3 / n / variance ** 1.5 : 0,
    kurtosis: variance > 0 ? m4 / n / (variance * variance) : 0,
  };
}
