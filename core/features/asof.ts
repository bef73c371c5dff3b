/**
 * @module ASOF join of a slow tag onto event times: the newest value at or before t, within a tolerance.
 * Out-of-order samples are inserted in time order; samples for times already emitted are dead letters.
 */

/** A time-ordered series that accepts late samples and answers ASOF queries. */
export class AsofSeries {
  #ts: number[] = [];
  #values: number[] = [];
  #quality: number[] = [];

  constructor(private readonly keep: number = 4096) {}

  get length(): number {
    return this.#ts.length;
  }
  /** Newest timestamp held (−∞ when empty): the series is complete up to here. */
  get watermark(): number {
    return this.#ts.length ? this.#ts[this.#ts.length - 1]! : Number.NEGATIVE_INFINITY;
  }

  /** Inserts a sample at its time position (late samples go before newer ones). */
  insert(ts: number, value: number, quality: number): void {
    let i = this.#ts.length;
    while (i > 0 && this.#ts[i - 1]! > ts) i--;
    this.#ts.splice(i, 0, ts);
    this.#values.splice(i, 0, value);
    this.#quality.splice(i, 0, quality);
    if (this.#ts.length > this.keep) {
      const drop = this.#ts.length - this.keep;
      this.#ts.splice(0, drop);
      this.#values.splice(0, drop);
      this.#quality.splice(0, drop);
    }
  }

  /** The newest sample with ts <= t and t − ts <= tolerance, or undefined. */
  at(t: number, tolerance: number): { ts: number; value: number; quality: number } | undefined {
    let lo = 0;
    let hi = this.#ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#ts[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    if (i < 0 || t - this.#ts[i]! > tolerance) return undefined;
    return { ts: this.#ts[i]!, value: this.#values[i]!, quality: this.#quality[i]! };
  }
}

/** ASOF-joins `right` onto each time of `left`: index into right per left time, -1 when none in tolerance. */
export function asofIndex(left: ArrayLike<number>, right: ArrayLike<number>, tolerance: number): Int32Array {
  const out = new Int32Array(left.length);
  let j = -1;
  for (let i = 0; i < left.length; i++) {
    const t = left[i]!;
    if (i > 0 && t < left[i - 1]!) throw new RangeError(`left times must be non-decreasing (index ${i})`);
    while (j + 1 < right.length && right[j + 1]! <= t) j++;
    out[i] = j >= 0 && t - right[j]! <= tolerance ? j : -1;
  }
  return out;
}
