/**
 * @module The p95 of a long rollup bucket (1 min, 1 h): exact while the bucket holds at most `exact` values,
 * then a {@link QuantileSketch} within ±0.5 % relative, so an hour of a 10 Hz tag costs about a kilobyte, not a
 * reservoir of tens of kilobytes per tag.
 */
import { QuantileSketch } from "../../core/mod.ts";
import { quantile } from "./reservoir.ts";

/** Collects finite values for one p95. */
export class ExactThenSketch {
  #values: Float64Array | undefined;
  #n = 0;
  #sketch: QuantileSketch | undefined;

  constructor(private readonly exact: number) {}

  /** Values offered so far. */
  get seen(): number {
    return this.#sketch ? this.#sketch.count : this.#n;
  }

  /** Bytes held (values kept exactly, or the sketch's bins). */
  get bytes(): number {
    return this.#sketch ? this.#sketch.bytes : this.#values?.byteLength ?? 0;
  }

  /** Whether the p95 is still exact. */
  get isExact(): boolean {
    return this.#sketch === undefined;
  }

  add(value: number): void {
    if (this.#sketch) {
      this.#sketch.add(value);
      return;
    }
    if (this.#n === this.exact) {
      this.#toSketch().add(value);
      return;
    }
    this.#reserve(this.#n + 1);
    this.#values![this.#n++] = value;
  }

  /** Offers `values[i0 .. i1)` (all finite). */
  addRange(values: Float64Array, i0: number, i1: number): void {
    let i = i0;
    if (!this.#sketch) {
      const fill = Math.min(i1 - i, this.exact - this.#n);
      if (fill > 0) {
        this.#reserve(this.#n + fill);
        this.#values!.set(values.subarray(i, i + fill), this.#n);
        this.#n += fill;
        i += fill;
      }
      if (i >= i1) return;
    }
    const sketch = this.#sketch ?? this.#toSketch();
    for (; i < i1; i++) sketch.add(values[i]!);
  }

  /** p95 (linear interpolation while exact, the sketch's order statistic after); NaN when empty. */
  p95(): number {
    if (this.#sketch) return this.#sketch.quantile(0.95);
    return this.#values ? quantile(this.#values.subarray(0, this.#n), 0.95) : Number.NaN;
  }

  #toSketch(): QuantileSketch {
    const sketch = new QuantileSketch();
    for (let i = 0; i < this.#n; i++) sketch.add(this.#values![i]!);
    this.#values = undefined;
    this.#sketch = sketch;
    return sketch;
  }

  #reserve(need: number): void {
    const have = this.#values?.length ?? 0;
    if (need <= have) return;
    const grown = new Float64Array(Math.min(this.exact, Math.max(8, need, have * 2)));
    if (this.#values) grown.set(this.#values.subarray(0, this.#n));
    this.#values = grown;
  }
}
