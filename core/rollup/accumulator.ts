/**
 * @module One rollup bucket: count, mean/std (Welford, mergeable by Chan's formula), min, max, last,
 * p95 (sketch) and the share of Bad samples. Statistics use non-Bad finite values; `count` counts all.
 */
import type { Rollup, RollupInterval } from "../model/records.ts";
import { QuantileSketch } from "../util/quantile_sketch.ts";

/** Accumulates one tag over one interval. */
export class Bucket {
  count = 0;
  bad = 0;
  n = 0;
  mean = 0;
  m2 = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  last = Number.NaN;
  lastTs = Number.NEGATIVE_INFINITY;
  readonly sketch = new QuantileSketch();

  constructor(readonly start: number) {}

  add(value: number, ts: number, quality: number): void {
    this.count++;
    if (quality === 2) {
      this.bad++;
      return;
    }
    if (!Number.isFinite(value)) return;
    this.n++;
    const d = value - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (ts >= this.lastTs) {
      this.last = value;
      this.lastTs = ts;
    }
    this.sketch.add(value);
  }

  /** Folds a finer bucket into this one. */
  merge(o: Bucket): void {
    this.count += o.count;
    this.bad += o.bad;
    if (o.n > 0) {
      const n = this.n + o.n;
      const d = o.mean - this.mean;
      this.mean += (d * o.n) / n;
      this.m2 += o.m2 + (d * d * this.n * o.n) / n;
      this.n = n;
      this.min = Math.min(this.min, o.min);
      this.max = Math.max(this.max, o.max);
      if (o.lastTs >= this.lastTs) {
        this.last = o.last;
        this.lastTs = o.lastTs;
      }
      this.sketch.merge(o.sketch);
    }
  }

  toRollup(tag: string, asset: string | undefined, interval: RollupInterval): Rollup {
    const none = this.n === 0;
    return {
      tag,
      ...(asset === undefined ? {} : { asset }),
      interval,
      start: this.start,
      count: this.count,
      mean: none ? Number.NaN : this.mean,
      std: this.n > 1 ? Math.sqrt(this.m2 / this.n) : none ? Number.NaN : 0,
      min: none ? Number.NaN : this.min,
      max: none ? Number.NaN : this.max,
      p95: this.sketch.quantile(0.95),
      last: this.last,
      badShare: this.count ? this.bad / this.count : 0,
    };
  }
}
