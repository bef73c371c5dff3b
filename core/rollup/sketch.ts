/**
 * @module A mergeable quantile sketch with relative-error guarantee (DDSketch, Masson et al. 2019):
 * every quantile is within ±α relative of a true order statistic, in O(log range) memory, so 1 s rollups
 * merge into exact-guarantee 1 min and 1 h p95 values.
 */

/** DDSketch with logarithmic buckets. */
export class QuantileSketch {
  readonly #gamma: number;
  readonly #logGamma: number;
  #pos = new Map<number, number>();
  #neg = new Map<number, number>();
  #zero = 0;
  #count = 0;

  constructor(readonly alpha = 0.005) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new RangeError(`sketch accuracy must be within (0, 1), got ${alpha}`);
    }
    this.#gamma = (1 + alpha) / (1 - alpha);
    this.#logGamma = Math.log(this.#gamma);
  }

  get count(): number {
    return this.#count;
  }

  add(x: number): void {
    if (!Number.isFinite(x)) return;
    this.#count++;
    const a = Math.abs(x);
    if (a < 1e-300) {
      this.#zero++;
      return;
    }
    const k = Math.ceil(Math.log(a) / this.#logGamma);
    const m = x > 0 ? this.#pos : this.#neg;
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  merge(other: QuantileSketch): void {
    if (other.alpha !== this.alpha) throw new RangeError("cannot merge sketches of different accuracy");
    for (const [k, c] of other.#pos) this.#pos.set(k, (this.#pos.get(k) ?? 0) + c);
    for (const [k, c] of other.#neg) this.#neg.set(k, (this.#neg.get(k) ?? 0) + c);
    this.#zero += other.#zero;
    this.#count += other.#count;
  }

  /** The q-quantile (0..1) by lower rank ⌊q·(n−1)⌋, NaN when empty. */
  quantile(q: number): number {
    if (this.#count === 0) return Number.NaN;
    const rank = Math.floor(q * (this.#count - 1));
    let seen = 0;
    const value = (k: number) => (2 * this.#gamma ** k) / (this.#gamma + 1);
    for (const k of [...this.#neg.keys()].sort((a, b) => b - a)) {
      seen += this.#neg.get(k)!;
      if (seen > rank) return -value(k);
    }
    seen += this.#zero;
    if (seen > rank) return 0;
    for (const k of [...this.#pos.keys()].sort((a, b) => a - b)) {
      seen += this.#pos.get(k)!;
      if (seen > rank) return value(k);
    }
    return value(Math.max(...this.#pos.keys()));
  }
}
