/**
 * @module A fixed-size uniform reservoir for a bucket's p95: exact while it holds every value, beyond that a
 * uniform random sample kept with skip-based reservoir sampling (Li's Algorithm L), so a run of n values costs
 * O(cap · log(n / cap)) random draws instead of one per value.
 */

/** Uniform sample of at most `cap` values out of all values offered. */
export class Reservoir {
  /** Values offered so far. */
  seen = 0;
  #values: Float64Array | undefined;
  #first = Number.NaN;
  #stored = 0;
  #rng: number;
  /** Algorithm L state once full: the 1-based index (in `seen` terms) of the next value taken, and W. */
  #nextPick = 0;
  #w = 0;

  constructor(private readonly cap: number, seed: number) {
    // Mix the seed (buckets use consecutive seeds) so neighbouring reservoirs draw unrelated sequences.
    let x = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    this.#rng = ((x ^ (x >>> 16)) >>> 0) || 0x9e3779b9;
  }

  /** Offers one value. */
  add(value: number): void {
    if (this.#stored < this.cap) {
      this.#append(value);
      this.seen++;
      if (this.#stored === this.cap) this.#startSkipping();
      return;
    }
    this.seen++;
    if (this.seen === this.#nextPick) this.#take(value);
  }

  /** Offers `values[i0 .. i1)` (all finite) in order: O(1) per value while filling, then skips. */
  addRange(values: Float64Array, i0: number, i1: number): void {
    let i = i0;
    if (this.#stored < this.cap) {
      const fill = Math.min(i1 - i, this.cap - this.#stored);
      this.#reserve(this.#stored + fill);
      if (this.#stored === 0 && fill > 0 && this.#values === undefined) {
        this.#first = values[i]!;
      }
      if (this.#values) this.#values.set(values.subarray(i, i + fill), this.#stored);
      this.#stored += fill;
      this.seen += fill;
      i += fill;
      if (this.#stored === this.cap) this.#startSkipping();
    }
    if (i >= i1) return;
    const base = this.seen - i; // value values[k] has 1-based index base + k + 1
    this.seen += i1 - i;
    while (this.#nextPick <= this.seen) this.#take(values[this.#nextPick - base - 1]!);
  }

  /** The stored values (unordered; a view, valid until the next offer). */
  values(): Float64Array {
    if (this.#stored === 0) return new Float64Array(0);
    if (this.#stored === 1 && this.#values === undefined) return Float64Array.of(this.#first);
    return this.#values!.subarray(0, this.#stored);
  }

  /** p95 of the stored values (reorders them); NaN when empty. */
  p95(): number {
    return quantile(this.values(), 0.95);
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#values?.byteLength ?? 0;
  }

  #reserve(need: number): void {
    if (need <= 1 && this.#values === undefined) return;
    const have = this.#values?.length ?? 0;
    if (need <= have) return;
    const grown = new Float64Array(Math.min(this.cap, Math.max(16, need, have * 2)));
    if (this.#values) grown.set(this.#values.subarray(0, this.#stored));
    else if (this.#stored === 1) grown[0] = this.#first;
    this.#values = grown;
  }

  #append(value: number): void {
    if (this.#stored === 0 && this.#values === undefined) {
      this.#first = value;
      this.#stored = 1;
      return;
    }
    this.#reserve(this.#stored + 1);
    this.#values![this.#stored++] = value;
  }

  #startSkipping(): void {
    this.#reserve(this.cap);
    this.#w = Math.exp(Math.log(this.#rand()) / this.cap);
    this.#advance(this.seen);
  }

  #take(value: number): void {
    this.#values![this.#next() % this.cap] = value;
    this.#w *= Math.exp(Math.log(this.#rand()) / this.cap);
    this.#advance(this.#nextPick);
  }

  /** Picks the next value taken after the one with index `from`. */
  #advance(from: number): void {
    const w = this.#w;
    const skip = w >= 1 ? Infinity : Math.floor(Math.log(this.#rand()) / Math.log1p(-w));
    this.#nextPick = from + skip + 1;
  }

  /** Uniform in (0, 1), never 0 or 1. */
  #rand(): number {
    return (this.#next() + 0.5) / 4294967296;
  }

  #next(): number {
    let x = this.#rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#rng = x >>> 0;
    return this.#rng;
  }
}

/**
 * Linear-interpolated quantile (DuckDB's quantile_cont) in O(n) by selection; NaN for no values. Reorders
 * `values` in place.
 */
export function quantile(values: Float64Array, q: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  select(values, lo);
  const a = values[lo]!;
  if (pos === lo) return a;
  let b = Infinity;
  for (let i = lo + 1; i < n; i++) if (values[i]! < b) b = values[i]!;
  return a + (b - a) * (pos - lo);
}

/** Moves the k-th smallest value to index k, smaller ones before, larger ones after (Hoare quickselect). */
function select(a: Float64Array, k: number): void {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    const mid = (left + right) >>> 1;
    // median of three as pivot
    let x = a[left]!, y = a[mid]!, z = a[right]!;
    if (x > y) [x, y] = [y, x];
    if (y > z) [y, z] = [z, y];
    if (x > y) [x, y] = [y, x];
    const pivot = y;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}
