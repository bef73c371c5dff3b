/**
 * @module Rollups of one tag: 1 s buckets filled per sample, closed by the event-time watermark, merged into
 * 1 min and 1 h buckets. Samples for an already closed second are dead letters (counted).
 */
import type { Rollup, RollupInterval } from "../model/records.ts";
import type { RingBuffer } from "../ring/ring_buffer.ts";
import { Bucket } from "./accumulator.ts";

const LEN: Record<RollupInterval, number> = { "1s": 1000, "1m": 60_000, "1h": 3_600_000 };

/** Rolls up one tag. */
export class TagRollup {
  readonly #open: Record<RollupInterval, Map<number, Bucket>> = {
    "1s": new Map(),
    "1m": new Map(),
    "1h": new Map(),
  };
  #closedUntil = Number.NEGATIVE_INFINITY;
  #newest = Number.NEGATIVE_INFINITY;
  late = 0;
  lost = 0;

  constructor(
    readonly tag: string,
    readonly asset: string | undefined,
    private nextSeq: number,
    private readonly emitIntervals: ReadonlySet<RollupInterval>,
  ) {}

  /** Reads new samples from the ring. */
  read(ring: RingBuffer): number {
    if (this.nextSeq < ring.oldestSeq) {
      this.lost += ring.oldestSeq - this.nextSeq;
      this.nextSeq = ring.oldestSeq;
    }
    const count = ring.seq - this.nextSeq;
    if (count <= 0) return 0;
    const view = ring.bySeq(this.nextSeq, count);
    const lateBefore = this.late;
    for (
      const [v, t, q] of [
        [view.values.first, view.timestamps.first, view.quality.first],
        [view.values.second, view.timestamps.second, view.quality.second],
      ] as const
    ) {
      let bucket: Bucket | undefined;
      for (let i = 0; i < v.length; i++) {
        const ts = t[i]!;
        if (ts < this.#closedUntil) {
          this.late++;
          continue;
        }
        const start = Math.floor(ts / 1000) * 1000;
        if (bucket === undefined || bucket.start !== start) {
          bucket = this.#open["1s"].get(start);
          if (!bucket) this.#open["1s"].set(start, bucket = new Bucket(start));
        }
        bucket.add(v[i]!, ts, q[i]!);
        if (ts > this.#newest) this.#newest = ts;
      }
    }
    this.nextSeq = ring.seq;
    return this.late - lateBefore;
  }

  /** Closes buckets behind the watermark and returns their rollups (finest first). */
  close(now: number, graceMs: number, maxWaitMs: number): Rollup[] {
    const watermark = Math.max(this.#newest - graceMs, now - maxWaitMs);
    if (!Number.isFinite(watermark)) return [];
    const closedUntil = Math.floor(watermark / 1000) * 1000;
    if (closedUntil <= this.#closedUntil) return [];
    this.#closedUntil = closedUntil;
    const out: Rollup[] = [];
    this.#closeLevel("1s", "1m", out);
    this.#closeLevel("1m", "1h", out);
    this.#closeLevel("1h", undefined, out);
    return out;
  }

  #closeLevel(level: RollupInterval, parent: RollupInterval | undefined, out: Rollup[]): void {
    const open = this.#open[level];
    const starts = [...open.keys()].sort((a, b) => a - b);
    for (const start of starts) {
      if (start + LEN[level] > this.#closedUntil) break;
      const b = open.get(start)!;
      open.delete(start);
      if (this.emitIntervals.has(level)) out.push(b.toRollup(this.tag, this.asset, level));
      if (parent) {
        const ps = Math.floor(start / LEN[parent]) * LEN[parent];
        let p = this.#open[parent].get(ps);
        if (!p) this.#open[parent].set(ps, p = new Bucket(ps));
        p.merge(b);
      }
    }
  }
}
