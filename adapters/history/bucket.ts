/**
 * @module One rollup bucket being filled: mean/variance (Welford per value, Chan's merge per run of block
 * values), min/max, last, bad share, and the p95 (a uniform reservoir for 1 s buckets; exact-then-sketch for
 * longer ones, whose memory a reservoir would multiply by every tag for up to an hour).
 */
import { ExactThenSketch } from "./p95.ts";
import { Reservoir } from "./reservoir.ts";

export { quantile } from "./reservoir.ts";

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
  readonly #reservoir: Reservoir | ExactThenSketch;
  /** Wall-clock time of the latest sample and its source timestamp: estimates the device clock. */
  lastArrival = 0;
  lastSourceTs = 0;

  /**
   * `cap` and `seed` size the uniform reservoir; with `exact` the p95 is exact up to that many values and comes
   * from a {@link ExactThenSketch} (±0.5 % relative) beyond it.
   */
  constructor(readonly start: number, readonly end: number, cap: number, seed: number, exact?: number) {
    this.#reservoir = exact === undefined ? new Reservoir(cap, seed) : new ExactThenSketch(exact);
  }

  /** Bytes held for the p95. */
  get p95Bytes(): number {
    return this.#reservoir.bytes;
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
    this.#reservoir.add(value);
  }

  /**
   * Adds the uniformly sampled values `values[i0 .. i1)` (value i at `t0 + i * dt`) whose statistics `run`
   * were computed by {@link runStats}: merged exactly (Chan et al.), the finite values fed to the reservoir.
   */
  addRun(
    run: RunStats,
    values: Float64Array,
    i0: number,
    i1: number,
    t0: number,
    dt: number,
    bad: boolean,
    arrival: number,
  ): void {
    const len = i1 - i0;
    if (len <= 0) return;
    this.count += len;
    this.lastArrival = arrival;
    this.lastSourceTs = t0 + (i1 - 1) * dt;
    if (bad) {
      this.bad += len;
      return;
    }
    const k = run.k;
    if (k === 0) return;
    const n = this.#n + k;
    const delta = run.mean - this.#mean;
    this.#mean += delta * (k / n);
    this.#m2 += run.m2 + delta * delta * (this.#n * k / n);
    this.#n = n;
    if (run.min < this.#min) this.#min = run.min;
    if (run.max > this.#max) this.#max = run.max;
    const lastTs = t0 + run.lastIdx * dt;
    if (lastTs >= this.#lastTs) {
      this.#lastTs = lastTs;
      this.#last = values[run.lastIdx]!;
    }
    if (k === len) this.#reservoir.addRange(values, i0, i1);
    else {
      for (let i = i0; i < i1; i++) {
        const v = values[i]!;
        if (v - v === 0) this.#reservoir.add(v);
      }
    }
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
      std: n > 0 ? Math.sqrt(Math.max(0, this.#m2) / n) : Number.NaN,
      min: n > 0 ? this.#min : Number.NaN,
      max: n > 0 ? this.#max : Number.NaN,
      p95: n > 0 ? Math.min(this.#max, Math.max(this.#min, this.#reservoir.p95())) : Number.NaN,
      last: this.#last,
      badShare: this.count > 0 ? this.bad / this.count : 0,
    };
  }
}

/** Statistics of a run of values (finite ones only). */
export interface RunStats {
  /** Finite values. */
  k: number;
  mean: number;
  /** Sum of squared deviations from `mean`. */
  m2: number;
  min: number;
  max: number;
  /** Index of the last finite value, -1 if none. */
  lastIdx: number;
}

/** A reusable {@link RunStats}. */
export function newRunStats(): RunStats {
  return { k: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity, lastIdx: -1 };
}

/** Fills `out` with the statistics of `values[i0 .. i1)` in two typed-array passes, without allocating. */
export function runStats(values: Float64Array, i0: number, i1: number, out: RunStats): RunStats {
  let k = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let lastIdx = -1;
  for (let i = i0; i < i1; i++) {
    const v = values[i]!;
    if (v - v !== 0) continue; // NaN or ±Infinity
    k++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    lastIdx = i;
  }
  const mean = k > 0 ? sum / k : 0;
  let m2 = 0;
  if (k > 0) {
    for (let i = i0; i < i1; i++) {
      const d = values[i]! - mean;
      if (d - d === 0) m2 += d * d;
    }
  }
  out.k = k;
  out.mean = mean;
  out.m2 = m2;
  out.min = min;
  out.max = max;
  out.lastIdx = lastIdx;
  return out;
}
