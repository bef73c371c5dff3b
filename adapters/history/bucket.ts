/**
 * @module One rollup bucket being filled: Welford mean/variance, min/max, last, bad share, p95 reservoir.
 */

/** Fills one interval of one tag. Statistics cover non-Bad finite values; `count` covers every sample. */
export class Bucket {
  count = 0;
  bad = 0;
  #n = 0;
  #mean = 0;
  #m2 = 0;
  #min = Infinity;
  #max = -Infinity;
  #last = Number.NaN;
  #lastTs = -Infinity;
  #values: Float64Array | undefined;
  #first = Number.NaN;
  #stored = 0;
  #rng: number;
  /** Wall-clock time of the latest sample and its source timestamp: estimates the device clock. */
  lastArrival = 0;
  lastSourceTs = 0;

  constructor(readonly start: number, readonly end: number, private readonly cap: number, seed: number) {
    this.#rng = (seed >>> 0) || 0x9e3779b9;
  }

  add(ts: number, value: number, bad: boolean, arrival: number): void {
    this.count++;
    this.lastArrival = arrival;
    this.lastSourceTs = ts;
    if (bad) {
      this.bad++;
      return;
    }
    if (!Number.isFinite(value)) return;
    this.#n++;
    const d = value - this.#mean;
    this.#mean += d / this.#n;
    this.#m2 += d * (value - this.#mean);
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    if (ts >= this.#lastTs) {
      this.#lastTs = ts;
      this.#last = value;
    }
    this.#sample(value);
  }

  /** Reservoir sampling (Algorithm R): exact while the bucket holds at most `cap` values. */
  #sample(value: number): void {
    if (this.#stored === 0) {
      this.#first = value;
      this.#stored = 1;
      return;
    }
    if (this.#stored < this.cap) {
      if (!this.#values) {
        this.#values = new Float64Array(Math.min(this.cap, 16));
        this.#values[0] = this.#first;
      } else if (this.#stored === this.#values.length) {
        const grown = new Float64Array(Math.min(this.cap, this.#values.length * 2));
        grown.set(this.#values);
        this.#values = grown;
      }
      this.#values[this.#stored++] = value;
      return;
    }
    const j = this.#next() % this.#n;
    if (j < this.cap) this.#values![j] = value;
  }

  #next(): number {
    let x = this.#rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#rng = x >>> 0;
    return this.#rng;
  }

  /** Final statistics; NaN where no good value was seen. */
  result(): {
    mean: number;
    std: number;
    min: number;
    max: number;
    p95: number;
    last: number;
    badShare: number;
  } {
    const n = this.#n;
    return {
      mean: n > 0 ? this.#mean : Number.NaN,
      std: n > 0 ? Math.sqrt(this.#m2 / n) : Number.NaN,
      min: n > 0 ? this.#min : Number.NaN,
      max: n > 0 ? this.#max : Number.NaN,
      p95: this.#stored === 1
        ? this.#first
        : quantile((this.#values ?? new Float64Array(0)).subarray(0, this.#stored), 0.95),
      last: this.#last,
      badShare: this.count > 0 ? this.bad / this.count : 0,
    };
  }
}

/** Linear-interpolated quantile (DuckDB's quantile_cont); NaN for no values. Sorts `values` in place. */
export function quantile(values: Float64Array, q: number): number {
  if (values.length === 0) return Number.NaN;
  values.sort();
  const pos = (values.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = values[lo]!;
  return a + (values[hi]! - a) * (pos - lo);
}
