/**
 * @module A dense, mergeable DDSketch (Masson et al. 2019): every quantile is within ±α (relative) of a true
 * order statistic, in a bounded array of 32-bit bin counts per sign (at most {@link MAX_BINS}, 4 KiB). With the
 * default α = 0.5 % the bins cover 4.4 decades of magnitude; a signal spanning more (one crossing zero) has its
 * smallest magnitudes folded into the lowest bin, so a quantile that lands there is off by at most
 * 4e-5 × the largest magnitude instead. Counts are 32-bit: up to 4.29e9 values per bin.
 */

/** Default relative accuracy of every quantile. */
export const SKETCH_ALPHA = 0.005;
/** Bins per sign: with α = 0.5 % they cover 4.4 decades of magnitude before folding. */
export const MAX_BINS = 1024;
/** Magnitudes below this count as zero. */
const TINY = 1e-300;
/** Extra bins allocated past a new key, so a slowly drifting signal does not reallocate on every value. */
const SLACK = 8;

/** Dense counts over consecutive keys `lo .. lo + counts.length - 1`. */
class Bins {
  counts = new Uint32Array(0);
  lo = 0;
  total = 0;

  add(k: number, w: number): void {
    this.total += w;
    const c = this.counts;
    if (c.length === 0) {
      this.#resize(k - SLACK, k + SLACK);
    } else if (k < this.lo) {
      const hi = this.lo + c.length - 1;
      const lo = Math.max(k - SLACK, hi - MAX_BINS + 1);
      if (lo < this.lo) this.#resize(lo, hi);
      if (k < this.lo) k = this.lo; // folded into the lowest bin
    } else if (k >= this.lo + c.length) {
      const hi = k + SLACK;
      this.#resize(Math.max(this.lo, hi - MAX_BINS + 1), hi);
    }
    this.counts[k - this.lo]! += w;
  }

  /** Adds the counts of `o`, re-homing once on the union of both ranges (its top MAX_BINS keys). */
  merge(o: Bins): void {
    if (o.total === 0) return;
    const c = o.counts;
    const empty = this.counts.length === 0;
    const myHi = this.lo + this.counts.length - 1;
    const hi = empty ? o.lo + c.length - 1 : Math.max(o.lo + c.length - 1, myHi);
    const lo = Math.max(empty ? o.lo : Math.min(this.lo, o.lo), hi - MAX_BINS + 1);
    if (empty || lo !== this.lo || hi !== myHi) this.#resize(lo, hi);
    const mine = this.counts;
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (v === 0) continue;
      const key = o.lo + i;
      mine[key < lo ? 0 : key - lo]! += v;
    }
    this.total += o.total;
  }

  /** Re-homes the counts on keys `lo .. hi`; counts below `lo` fold into its bin. */
  #resize(lo: number, hi: number): void {
    const old = this.counts;
    const next = new Uint32Array(hi - lo + 1);
    for (let i = 0; i < old.length; i++) {
      const v = old[i]!;
      if (v === 0) continue;
      const key = this.lo + i;
      next[key < lo ? 0 : key - lo]! += v;
    }
    this.counts = next;
    this.lo = lo;
  }
}

/** Quantiles of finite values with relative accuracy `alpha`; mergeable with a sketch of the same accuracy. */
export class QuantileSketch {
  readonly #gamma: number;
  readonly #logGamma: number;
  readonly #invLogGamma: number;
  readonly #pos = new Bins();
  readonly #neg = new Bins();
  #zero = 0;

  constructor(readonly alpha: number = SKETCH_ALPHA) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new RangeError(`sketch accuracy must be within (0, 1), got ${alpha}`);
    }
    this.#gamma = (1 + alpha) / (1 - alpha);
    this.#logGamma = Math.log(this.#gamma);
    this.#invLogGamma = 1 / this.#logGamma;
  }

  get count(): number {
    return this.#pos.total + this.#neg.total + this.#zero;
  }

  /** Bytes held by the bin arrays. */
  get bytes(): number {
    return this.#pos.counts.byteLength + this.#neg.counts.byteLength;
  }

  /** Adds one value; NaN and ±Infinity are ignored. */
  add(x: number): void {
    const a = x < 0 ? -x : x;
    if (!(a < Infinity)) return;
    if (a < TINY) {
      this.#zero++;
      return;
    }
    const k = Math.ceil(Math.log(a) * this.#invLogGamma);
    (x > 0 ? this.#pos : this.#neg).add(k, 1);
  }

  /** Adds every value of `other` (same accuracy) to this sketch. */
  merge(other: QuantileSketch): void {
    if (other.alpha !== this.alpha) {
      throw new RangeError(`cannot merge a sketch of accuracy ${other.alpha} into one of ${this.alpha}`);
    }
    this.#pos.merge(other.#pos);
    this.#neg.merge(other.#neg);
    this.#zero += other.#zero;
  }

  /** The value at rank ⌊q · (count − 1)⌋ (lower order statistic), NaN when empty. */
  quantile(q: number): number {
    const n = this.count;
    if (n === 0) return Number.NaN;
    const rank = Math.floor(q * (n - 1));
    let seen = 0;
    const neg = this.#neg.counts;
    for (let i = neg.length - 1; i >= 0; i--) {
      seen += neg[i]!;
      if (seen > rank) return -this.#value(this.#neg.lo + i);
    }
    seen += this.#zero;
    if (seen > rank) return 0;
    const pos = this.#pos.counts;
    for (let i = 0; i < pos.length; i++) {
      seen += pos[i]!;
      if (seen > rank) return this.#value(this.#pos.lo + i);
    }
    return this.#value(this.#pos.lo + pos.length - 1);
  }

  /** Representative value of key `k` (the midpoint of its bin in relative terms). */
  #value(k: number): number {
    return (2 * Math.exp(k * this.#logGamma)) / (this.#gamma + 1);
  }
}
