/**
 * @module Figures of a load run from its timeline: rates, CPU, RSS growth after warm-up (the soak verdict),
 * event-loop lag, outbox depth, scoring latency.
 */
import type { Point } from "./sampler.ts";
import { quantile } from "./prom.ts";

/** Distribution of one figure over the measured part of the run. */
export interface Dist {
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/** RSS growth after warm-up. */
export interface RssGrowth {
  readonly warmupS: number;
  /** Median RSS of the first and last minute (or sixth) after warm-up, MB. */
  readonly startMB: number;
  readonly endMB: number;
  /** Growth between them over the measured window, %. */
  readonly measuredPct: number;
  readonly measuredOverS: number;
  /** Least-squares slope over the measured window, extrapolated to 30 minutes, % of the start. */
  readonly per30minPct: number;
  /** The figure the verdict uses: the growth measured over the window after warm-up. */
  readonly verdictPct: number;
  readonly pass: boolean;
  readonly verdict: string;
}

/** Summary of a run. */
export interface LoadSummary {
  readonly inPerS: Dist;
  readonly historyRowsPerS: Dist;
  readonly mqttPerS: Dist;
  readonly cpuPct: Dist;
  readonly rssMB: Dist;
  readonly lagMaxMs: Dist | null;
  readonly outboxBacklog: Dist;
  readonly sinkDroppedValues: number;
  readonly scoring:
    | { readonly metric: string; readonly p50Ms: number | null; readonly p99Ms: number | null }
    | null;
  readonly rss: RssGrowth;
}

const LIMIT_PCT = 5;

function dist(values: readonly number[]): Dist {
  if (values.length === 0) return { mean: 0, p50: 0, p95: 0, max: 0 };
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))]!;
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    mean: r(s.reduce((a, b) => a + b, 0) / s.length),
    p50: r(at(0.5)),
    p95: r(at(0.95)),
    max: r(s.at(-1)!),
  };
}

function median(values: readonly number[]): number {
  return dist(values).p50;
}

/** Warm-up excluded from the figures: a quarter of the run, at most 5 minutes. */
export function warmupSeconds(durationS: number): number {
  return Math.min(300, Math.round(durationS / 4));
}

/** RSS growth over the part of `points` after `warmupS`. */
export function rssGrowth(points: readonly Point[], warmupS: number): RssGrowth {
  const after = points.filter((p) => p.t >= warmupS);
  if (after.length < 3) {
    return {
      warmupS,
      startMB: 0,
      endMB: 0,
      measuredPct: 0,
      measuredOverS: 0,
      per30minPct: 0,
      verdictPct: 0,
      pass: false,
      verdict: `FAIL: too few samples after the ${warmupS} s warm-up to judge RSS growth`,
    };
  }
  const span = after.at(-1)!.t - after[0]!.t;
  const edge = Math.max(span / 6, Math.min(60, span / 3));
  const first = after.filter((p) => p.t <= after[0]!.t + edge).map((p) => p.rssMB);
  const last = after.filter((p) => p.t >= after.at(-1)!.t - edge).map((p) => p.rssMB);
  const startMB = median(first);
  const endMB = median(last);
  const measuredPct = ((endMB - startMB) / startMB) * 100;
  const n = after.length;
  const mt = after.reduce((a, p) => a + p.t, 0) / n;
  const mr = after.reduce((a, p) => a + p.rssMB, 0) / n;
  const cov = after.reduce((a, p) => a + (p.t - mt) * (p.rssMB - mr), 0);
  const vt = after.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  const slopeMBperS = vt > 0 ? cov / vt : 0;
  const per30minPct = ((slopeMBperS * 1800) / startMB) * 100;
  const verdictPct = measuredPct;
  const pass = verdictPct < LIMIT_PCT;
  const r2 = (v: number) => Math.round(v * 100) / 100;
  const how = `over ${r2(span / 60)} min after a ${Math.round(warmupS)} s warm-up` +
    (span >= 1790
      ? ""
      : ` (requirement: 30 min; this run is shorter; linear trend ${
        r2(per30minPct)
      }% per 30 min, informative only)`);
  return {
    warmupS,
    startMB,
    endMB,
    measuredPct: r2(measuredPct),
    measuredOverS: Math.round(span),
    per30minPct: r2(per30minPct),
    verdictPct: r2(verdictPct),
    pass,
    verdict: `${pass ? "PASS" : "FAIL"}: RSS growth ${r2(verdictPct)}% (limit ${LIMIT_PCT}%) ${how}; ` +
      `${startMB} MB -> ${endMB} MB`,
  };
}

/** Figures of a run. */
export function summarize(
  points: readonly Point[],
  durationS: number,
  scoring: { metric: string | undefined; buckets: Map<number, number> },
): LoadSummary {
  const warmupS = warmupSeconds(durationS);
  const m = points.filter((p) => p.t >= warmupS);
  const lag = m.map((p) => p.lagMaxMs).filter((v): v is number => v !== null);
  const ms = (v: number | undefined) => (v === undefined ? null : Math.round(v * 10_000) / 10);
  return {
    inPerS: dist(m.map((p) => p.inPerS)),
    historyRowsPerS: dist(m.map((p) => p.historyRowsPerS)),
    mqttPerS: dist(m.map((p) => p.mqttPerS)),
    cpuPct: dist(m.map((p) => p.cpuPct)),
    rssMB: dist(m.map((p) => p.rssMB)),
    lagMaxMs: lag.length > 0 ? dist(lag) : null,
    outboxBacklog: dist(m.map((p) => p.outboxBacklog)),
    sinkDroppedValues: points.at(-1)?.sinkDroppedValues ?? 0,
    scoring: scoring.metric
      ? {
        metric: scoring.metric,
        p50Ms: ms(quantile(scoring.buckets, 0.5)),
        p99Ms: ms(quantile(scoring.buckets, 0.99)),
      }
      : null,
    rss: rssGrowth(points, warmupS),
  };
}
