/**
 * @module A dense DDSketch (Masson et al. 2019) for the p95 of long rollup buckets: every quantile is within
 * ±0.5 % (relative) of a true order statistic, in a bounded array of 32-bit bin counts (at most
 * {@link MAX_BINS} per sign, 4 KiB). A signal spanning more than 4.4 decades of magnitude (one crossing zero)
 * has its smallest magnitudes folded into the lowest bin: a quantile that lands there is off by at most
 * 4e-5 × the largest magnitude instead. Counts are 32-bit: up to 4.29e9 values per bin, far beyond an hour of
 * any input this gateway takes.
 */

/** Relative accuracy of every quantile. */
export const SKETCH_ALPHA = 0.005;
const GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
const INV_LOG_GAMMA = 1 / Math.log(GAMMA);
const LOG_GAMMA = Math.log(GAMMA);
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
    let c = this.counts;
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
    c = this.counts;
    c[k - this.lo]! += w;
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

/** Representative value of key `k` (the midpoint of its bin in relative terms). */
const valueOf = (k: number) => (2 * Math.exp(k * LOG_GAMMA)) / (GAMMA + 1);

/** Quantiles of finite values with relative accuracy {@link SKETCH_ALPHA}. */
export class DenseSketch {
  readonly #pos = new Bins();
  readonly #neg = new Bins();
  #zero = 0;

  get count(): number {
    return this.#pos.total + this.#neg.total + this.#zero;
  }

  /** Bytes held by the bin arrays. */
  get bytes(): number {
    return this.#pos.counts.byteLength + this.#neg.counts.byteLength;
  }

  /** Adds one finite value (callers filter NaN and ±Infinity). */
  add(x: number): void {
    const a = x < 0 ? -x : x;
    if (a < TINY) {
      this.#zero++;
      return;
    }
    const k = Math.ceil(Math.log(a) * INV_LOG_GAMMA);
    (x > 0 ? this.#pos : this.#neg).add(k, 1);
  }

  /** The value at rank `q · (count − 1)` (lower order statistic), NaN when empty. */
  quantile(q: number): number {
    const n = this.count;
    if (n === 0) return Number.NaN;
    const rank = Math.floor(q * (n - 1));
    let seen = 0;
    const neg = this.#neg.counts;
    for (let i = neg.length - 1; i >= 0; i--) {
      seen += neg[i]!;
      if (seen > rank) return -valueOf(this.#neg.lo + i);
    }
    seen += this.#zero;
    if (seen > rank) return 0;
    const pos = this.#pos.counts;
    for (let i = 0; i < pos.length; i++) {
      seen += pos[i]!;
      if (seen > rank) return valueOf(this.#pos.lo + i);
    }
    return valueOf(this.#pos.lo + pos.length - 1);
  }
}
