/**
 * @module Order statistics: median, MAD, quantiles (linear interpolation, as numpy's default).
 */

/** The q-quantile (0..1) of values with linear interpolation between order statistics; NaN when empty. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within 0..1, got ${q}`);
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Median of values; NaN when empty. */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** Consistency factor making the MAD an estimate of the standard deviation for normal data. */
export const MAD_TO_SIGMA = 1.4826;

/** Median absolute deviation around `center`, scaled to a standard deviation. */
export function madSigma(values: ArrayLike<number>, center = median(values)): number {
  const dev = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) dev[i] = Math.abs(values[i]! - center);
  return MAD_TO_SIGMA * median(dev);
}

/** A scale that is never zero: falls back to the standard deviation, then to a tiny share of |center|. */
export function safeScale(robust: number, std: number, center: number): number {
  if (robust > 1e-12) return robust;
  if (std > 1e-12) return std;
  return Math.max(1e-9, 1e-6 * Math.abs(center));
}
