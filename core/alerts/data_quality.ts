/**
 * @module Data-quality checks on live tags: stale (stopped updating), stuck values, completeness below a
 * threshold, and drift of mean/variance against a learned baseline. Each check is a score ≥ 1 when violated.
 */
import { s } from "../schema/mod.ts";
import type { InferShape } from "../schema/mod.ts";
import type { TagEntry } from "../ring/tag_store.ts";
import { featureMatches } from "../anomaly/detector.ts";

export const dataQualitySchema = s.object({
  tags: s.array(s.string({ minLength: 1 })).default([]).describe(
    'Tag ids or patterns ("plant.*") to watch; empty disables data-quality checks.',
  ),
  stale_after_s: s.number({ min: 0 }).default(30).describe(
    "Alert when a tag has not updated for this long, s (0 = off).",
  ),
  stuck_after_s: s.number({ min: 0 }).default(600).describe(
    "Alert when a tag's value has not changed for this long, s (0 = off).",
  ),
  stuck_min_samples: s.int({ min: 2 }).default(20).describe("…and over at least this many samples."),
  completeness_window_s: s.number({ min: 0 }).default(60).describe(
    "Window over which completeness is measured, s (0 = off).",
  ),
  min_completeness: s.number({ min: 0, max: 1 }).default(0.9).describe(
    "Alert when received / expected samples in the window falls below this (expected from the sample rate).",
  ),
  drift_baseline_s: s.number({ min: 0 }).default(3600).describe(
    "Mean and variance learned over this much data first, s (0 = drift check off).",
  ),
  drift_window_s: s.number({ gt: 0 }).default(600).describe("Recent window compared with the baseline, s."),
  drift_sigmas: s.number({ gt: 0 }).default(4).describe(
    "Alert when the window mean moves this many baseline standard deviations.",
  ),
  drift_variance_ratio: s.number({ gt: 1 }).default(4).describe(
    "Alert when the window variance is this many times larger or smaller than the baseline's.",
  ),
}).describe("Data-quality alerts on live tags.");
export type DataQualityConfig = InferShape<typeof dataQualitySchema.shape>;

/** One evaluated check: kind, score (≥ 1 = violated) and a message. */
export interface QualityFinding {
  readonly tag: string;
  readonly kind: "stale_tag" | "stuck_value" | "incomplete" | "drift";
  readonly score: number;
  readonly message: string;
  /**
   * Set on a score below 1 that does not yet show the condition is gone: no sample of the tag since the
   * checker started (stale) or no change of its value seen yet (stuck). Such a finding must not clear an
   * alert restored from before a restart; once the check has observed enough, the score says either way.
   */
  readonly inconclusive?: true;
}

interface TagState {
  lastValue: number;
  unchangedSince: number;
  unchangedCount: number;
  nextSeq: number;
  baseline: { n: number; mean: number; m2: number; start: number; done: boolean };
  /** Median sample interval seen, ms (when the tag has no nominal rate). */
  interval: number | undefined;
  lastTs: number | undefined;
  intervals?: number;
  /** Value changes seen since the checker started. */
  changes: number;
}

/** Evaluates the configured checks on each call. */
export class DataQualityChecker {
  readonly #state = new Map<string, TagState>();
  constructor(private readonly config: DataQualityConfig) {}

  /** True when `id` is watched. */
  watches(id: string): boolean {
    return this.config.tags.some((p) => featureMatches(p, id));
  }

  /** Runs every check on every watched tag at wall time `now`. */
  check(entries: Iterable<TagEntry>, now: number): QualityFinding[] {
    const out: QualityFinding[] = [];
    const c = this.config;
    for (const e of entries) {
      const id = e.meta.id;
      if (!this.watches(id) || e.meta.dataType === "string") continue;
      const ring = e.ring;
      let st = this.#state.get(id);
      if (!st) {
        st = {
          lastValue: Number.NaN,
          unchangedSince: now,
          unchangedCount: 0,
          nextSeq: ring.oldestSeq,
          baseline: { n: 0, mean: 0, m2: 0, start: Number.NaN, done: false },
          interval: undefined,
          lastTs: undefined,
          changes: 0,
        };
        this.#state.set(id, st);
      }
      this.#consume(st, e);
      const latest = e.latest?.ts;
      if (c.stale_after_s > 0) {
        const age = latest === undefined ? now - st.unchangedSince : now - latest;
        const score = age / (c.stale_after_s * 1000);
        out.push({
          tag: id,
          kind: "stale_tag",
          score,
          message: `${id} has not updated for ${(age / 1000).toFixed(0)} s (limit ${c.stale_after_s} s)`,
          ...(latest === undefined && score < 1 ? { inconclusive: true } : {}),
        });
      }
      if (c.stuck_after_s > 0 && latest !== undefined) {
        const dur = latest - st.unchangedSince;
        const enough = st.unchangedCount >= c.stuck_min_samples;
        const score = enough ? dur / (c.stuck_after_s * 1000) : 0;
        out.push({
          tag: id,
          kind: "stuck_value",
          score,
          message: `${id} stuck at ${st.lastValue} for ${
            (dur / 1000).toFixed(0)
          } s (${st.unchangedCount} samples)`,
          ...(st.changes === 0 && score < 1 ? { inconclusive: true } : {}),
        });
      }
      if (c.completeness_window_s > 0 && latest !== undefined) {
        const period = e.meta.sampleRateHz ? 1000 / e.meta.sampleRateHz : st.interval;
        const win = c.completeness_window_s * 1000;
        if (
          period !== undefined && period > 0 && !Number.isNaN(st.baseline.start) &&
          now - st.baseline.start >= win
        ) {
          const got = ring.range(now - win, now + 1).length;
          const share = Math.min(1, got / (win / period));
          out.push({
            tag: id,
            kind: "incomplete",
            score: share < c.min_completeness
              ? c.min_completeness / Math.max(share, 1e-9)
              : share < 1
              ? 0.99
              : 0,
            message: `${id} delivered ${
              (share * 100).toFixed(1)
            } % of expected samples over ${c.completeness_window_s} s`,
          });
        }
      }
      if (c.drift_baseline_s > 0 && st.baseline.done && latest !== undefined) {
        const w = ring.range(latest - c.drift_window_s * 1000, latest + 1);
        if (w.length >= 10) {
          let n = 0, mean = 0, m2 = 0;
          for (const seg of [w.values.first, w.values.second]) {
            for (const v of seg) {
              if (!Number.isFinite(v)) continue;
              n++;
              const d = v - mean;
              mean += d / n;
              m2 += d * (v - mean);
            }
          }
          const b = st.baseline;
          const bVar = Math.max(b.m2 / Math.max(1, b.n - 1), 1e-12);
          const wVar = Math.max(m2 / Math.max(1, n - 1), 1e-12);
          const shift = Math.abs(mean - b.mean) / Math.sqrt(bVar) / c.drift_sigmas;
          const ratio = Math.max(wVar / bVar, bVar / wVar) / c.drift_variance_ratio;
          out.push({
            tag: id,
            kind: "drift",
            score: Math.max(shift, ratio),
            message: `${id} drifted: mean ${mean.toPrecision(4)} vs baseline ${b.mean.toPrecision(4)} ` +
              `(${(shift * c.drift_sigmas).toFixed(1)} σ), variance ×${(wVar / bVar).toPrecision(3)}`,
          });
        }
      }
    }
    return out;
  }

  #consume(st: TagState, e: TagEntry): void {
    const ring = e.ring;
    if (st.nextSeq < ring.oldestSeq) st.nextSeq = ring.oldestSeq;
    const b = st.baseline;
    for (let seq = st.nextSeq; seq < ring.seq; seq++) {
      const smp = ring.at(seq)!;
      if (smp.value === st.lastValue) st.unchangedCount++;
      else {
        if (!Number.isNaN(st.lastValue)) st.changes++;
        st.lastValue = smp.value;
        st.unchangedSince = smp.ts;
        st.unchangedCount = 1;
      }
      // The nominal interval is learned during the baseline period only, so later gaps do not redefine it.
      const learning = this.config.drift_baseline_s > 0 ? !b.done : (st.intervals ?? 0) < 100;
      if (learning && st.lastTs !== undefined && smp.ts > st.lastTs) {
        st.intervals = (st.intervals ?? 0) + 1;
        const d = smp.ts - st.lastTs;
        st.interval = st.interval === undefined ? d : st.interval + 0.05 * (d - st.interval);
      }
      st.lastTs = smp.ts;
      if (!b.done && Number.isFinite(smp.value) && smp.quality !== 2) {
        if (Number.isNaN(b.start)) b.start = smp.ts;
        b.n++;
        const d = smp.value - b.mean;
        b.mean += d / b.n;
        b.m2 += d * (smp.value - b.mean);
        if (smp.ts - b.start >= this.config.drift_baseline_s * 1000 && b.n >= 10) b.done = true;
      }
    }
    st.nextSeq = ring.seq;
  }
}
