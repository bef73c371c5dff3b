/**
 * @module Rollups computed inside the store from the full raw stream (before raw downsampling).
 */
import type { Rollup, RollupInterval } from "../../core/mod.ts";
import { Bucket, newRunStats, runStats } from "./bucket.ts";

/** Interval lengths in ms. */
export const INTERVAL_MS: Readonly<Record<RollupInterval, number>> = {
  "1s": 1000,
  "1m": 60_000,
  "1h": 3_600_000,
};
export const INTERVALS: readonly RollupInterval[] = ["1s", "1m", "1h"];

interface Slots {
  /** Open bucket per interval (1s, 1m, 1h). */
  readonly open: (Bucket | undefined)[];
  /** End of the last bucket the timer closed, per interval: older samples cannot reopen it. */
  readonly closedEnd: number[];
}

/**
 * Keeps one open bucket per tag and interval. A bucket is closed when a sample of a later bucket arrives, or
 * by {@link flushDue} once the device clock (estimated from the last arrival) is `graceMs` past its end.
 * Samples older than the open bucket are late: counted, left out of rollups (the raw table still has them).
 */
export class RollupComputer {
  readonly #open = new Map<string, Slots>();
  readonly #assets = new Map<string, string>();
  late = 0;
  #seed = 1;
  readonly #run = newRunStats();

  /**
   * `reservoir`: p95 reservoir size of 1 s buckets; `exact`: 1 min and 1 h buckets keep this many values for an
   * exact p95, then fold them into a ±0.5 % sketch (bounded memory per tag, whatever the rate).
   */
  constructor(
    private readonly reservoir: number,
    private readonly graceMs: number,
    private readonly exact = 256,
  ) {}

  /** Bytes the open buckets hold for their p95 (O(open buckets): for metrics, not the hot path). */
  p95Bytes(): number {
    let bytes = 0;
    for (const slots of this.#open.values()) {
      for (const b of slots.open) if (b) bytes += b.p95Bytes;
    }
    return bytes;
  }

  /** Tags tracked. */
  get tags(): number {
    return this.#open.size;
  }

  setAsset(tag: string, asset: string | undefined): void {
    if (asset) this.#assets.set(tag, asset);
  }

  /** Adds one value; closed buckets are pushed to `out`. */
  add(tag: string, ts: number, value: number, bad: boolean, arrival: number, out: Rollup[]): void {
    const slots = this.#slots(tag);
    const first = slots.open[0];
    if (ts < (first ? first.start : slots.closedEnd[0]!)) {
      this.late++;
      return;
    }
    for (let l = 0; l < 3; l++) this.#bucketFor(tag, slots, l, ts, out)?.add(ts, value, bad, arrival);
  }

  #slots(tag: string): Slots {
    let slots = this.#open.get(tag);
    if (!slots) {
      this.#open.set(
        tag,
        slots = { open: [undefined, undefined, undefined], closedEnd: [-Infinity, -Infinity, -Infinity] },
      );
    }
    return slots;
  }

  /** The open bucket of level `l` that takes a value at `ts` (closing the previous one), if any. */
  #bucketFor(tag: string, slots: Slots, l: number, ts: number, out: Rollup[]): Bucket | undefined {
    const interval = INTERVALS[l]!;
    const ms = INTERVAL_MS[interval];
    let b = slots.open[l];
    if (b === undefined && ts < slots.closedEnd[l]!) return undefined;
    if (b === undefined || ts >= b.end) {
      if (b) out.push(this.#rollup(tag, interval, b));
      const start = Math.floor(ts / ms) * ms;
      b = slots.open[l] = new Bucket(
        start,
        start + ms,
        this.reservoir,
        this.#seed++,
        l > 0 ? this.exact : undefined,
      );
    } else if (ts < b.start) return undefined;
    return b;
  }

  /**
   * Adds a uniformly sampled block (value i at `t0 + i * dt`): the block is cut at 1 s boundaries and each run
   * is folded into the open 1 s / 1 min / 1 h buckets with typed-array loops (O(n), no per-value allocation).
   * Same semantics as {@link add} per value: a leading part older than the open 1 s bucket is late.
   */
  addBlock(
    tag: string,
    t0: number,
    dt: number,
    values: Float64Array,
    bad: boolean,
    arrival: number,
    out: Rollup[],
  ): void {
    const slots = this.#slots(tag);
    const n = values.length;
    const first = slots.open[0];
    let i = indexAtOrAfter(t0, dt, first ? first.start : slots.closedEnd[0]!, n);
    this.late += i;
    while (i < n) {
      const ts = t0 + i * dt;
      const end1 = Math.floor(ts / 1000) * 1000 + 1000;
      const j = Math.max(i + 1, indexAtOrAfter(t0, dt, end1, n));
      if (!bad) runStats(values, i, j, this.#run);
      for (let l = 0; l < 3; l++) {
        const b = this.#bucketFor(tag, slots, l, ts, out);
        b?.addRun(this.#run, values, i, j, t0, dt, bad, arrival);
      }
      i = j;
    }
  }

  /** Closes buckets whose end (on the device clock) is `graceMs` past; `all` closes every open bucket. */
  flushDue(now: number, out: Rollup[], all = false): void {
    for (const [tag, slots] of this.#open) {
      for (let i = 0; i < 3; i++) {
        const b = slots.open[i];
        if (!b) continue;
        const deviceNow = now + (b.lastSourceTs - b.lastArrival);
        if (all || deviceNow >= b.end + this.graceMs) {
          out.push(this.#rollup(tag, INTERVALS[i]!, b));
          slots.open[i] = undefined;
          slots.closedEnd[i] = b.end;
        }
      }
    }
  }

  /** Forgets a tag (its rollups now come from a rollup transform). */
  drop(tag: string): void {
    this.#open.delete(tag);
  }

  #rollup(tag: string, interval: RollupInterval, b: Bucket): Rollup {
    const r = b.result();
    const out: Rollup = {
      tag,
      interval,
      start: b.start,
      count: b.count,
      mean: r.mean,
      std: r.std,
      min: r.min,
      max: r.max,
      p95: r.p95,
      last: r.last,
      badShare: r.badShare,
    };
    const asset = this.#assets.get(tag);
    return asset ? { ...out, asset } : out;
  }
}

/** The first index i in [0, n] with `t0 + i * dt >= limit` (the same arithmetic as per-value timestamps). */
export function indexAtOrAfter(t0: number, dt: number, limit: number, n: number): number {
  if (t0 >= limit) return 0;
  let i = Math.min(n, Math.max(0, Math.ceil((limit - t0) / dt)));
  while (i > 0 && t0 + (i - 1) * dt >= limit) i--;
  while (i < n && t0 + i * dt < limit) i++;
  return i;
}
