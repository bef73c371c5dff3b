/**
 * @module The timeline of a proof run: every few seconds the gateway's CPU, RSS and threads (/proc) and its memory split (V8 heap, external, DuckDB),
 * metrics (values in per source, history rows, MQTT messages, outbox backlog, drops, event-loop lag).
 */
import { bucketDelta, buckets, has, parseProm, quantile, type Series, sum } from "./prom.ts";
import { cpuPercent, type ProcReading, readProc } from "./proc_stats.ts";

/** One point of the timeline. */
export interface Point {
  /** Seconds since the run's start. */
  readonly t: number;
  readonly cpuPct: number;
  readonly rssMB: number;
  readonly threads: number;
  /** V8 heap in use, ArrayBuffers/addons outside it, DuckDB buffer memory (from /metrics), MB; null if absent. */
  readonly heapMB: number | null;
  readonly heapTotalMB: number | null;
  readonly externalMB: number | null;
  readonly wasmMB: number | null;
  readonly duckdbMB: number | null;
  /** Memory the history store's open rollup buckets hold for their p95, MB; null if absent (older gateways). */
  readonly rollupP95MB?: number | null;
  /** Values waiting in the history sink's bounded queue. */
  readonly historyQueue: number;
  /** Values/s received from sources, total and per source. */
  readonly inPerS: number;
  readonly inPerSource: Record<string, number>;
  /** Rows/s committed to history. */
  readonly historyRowsPerS: number;
  /** Messages/s acknowledged by the broker. */
  readonly mqttPerS: number;
  readonly outboxBacklog: number;
  readonly outboxDiskMB: number;
  /** Values dropped before a sink so far (bounded queues), cumulative. */
  readonly sinkDroppedValues: number;
  readonly lagMaxMs: number | null;
  readonly lagMeanMs: number | null;
  /** Scoring latency over this interval, ms (when the gateway exposes a scoring latency histogram). */
  readonly scoreP50Ms: number | null;
  readonly scoreP99Ms: number | null;
}

/** Names of histograms taken as scoring latency, first present wins. */
export const SCORING_HISTOGRAMS = [
  "gateway_anomaly_scoring_seconds",
  "gateway_scoring_latency_seconds",
  "gateway_anomaly_score_seconds",
];

/** Samples one gateway process and its metrics endpoint. */
export class Sampler {
  readonly points: Point[] = [];
  #prevProc: ProcReading | undefined;
  #prevSeries: Series[] | undefined;
  #prevAt = 0;
  #pid = 0;
  /** Cumulative scoring-latency buckets of the whole run (across gateway restarts). */
  readonly scoring = new Map<number, number>();
  scoringMetric: string | undefined;
  lastSeries: Series[] = [];

  constructor(
    private readonly t0: number,
    private readonly fetchMetrics: () => Promise<string | undefined>,
    /** Reads /proc of a pid (replaceable in tests: Deno asks for --allow-all to read /proc/<pid>). */
    private readonly readProcStats: (pid: number) => Promise<ProcReading | undefined> = readProc,
  ) {}

  /** Takes one point for process `pid` (a new pid resets the deltas: the gateway was restarted). */
  async sample(pid: number): Promise<Point | undefined> {
    if (pid !== this.#pid) {
      this.#pid = pid;
      this.#prevProc = undefined;
      this.#prevSeries = undefined;
    }
    const [proc, text] = await Promise.all([this.readProcStats(pid), this.fetchMetrics()]);
    if (!proc || text === undefined) return undefined;
    const series = parseProm(text);
    this.lastSeries = series;
    const now = Date.now();
    const prevProc = this.#prevProc;
    const prev = this.#prevSeries;
    const dt = (now - this.#prevAt) / 1000;
    this.#prevProc = proc;
    this.#prevSeries = series;
    this.#prevAt = now;
    if (!prevProc || !prev || dt <= 0) return undefined;
    this.scoringMetric ??= SCORING_HISTOGRAMS.find((n) => has(series, `${n}_bucket`));
    let scoringDelta: Map<number, number> | undefined;
    if (this.scoringMetric) {
      scoringDelta = bucketDelta(buckets(series, this.scoringMetric), buckets(prev, this.scoringMetric));
      for (const [le, n] of scoringDelta) this.scoring.set(le, (this.scoring.get(le) ?? 0) + n);
    }
    const p = pointFrom({
      t: Math.round((now - this.t0) / 100) / 10,
      dt,
      prevSeries: prev,
      series,
      prevProc,
      proc,
      scoringDelta,
    });
    this.points.push(p);
    return p;
  }
}

/** What one point is built from: two consecutive scrapes of /metrics and /proc of the same gateway process. */
export interface PointInput {
  /** Seconds since the run's start. */
  readonly t: number;
  /** Seconds between the two scrapes (> 0). */
  readonly dt: number;
  readonly prevSeries: readonly Series[];
  readonly series: readonly Series[];
  readonly prevProc: ProcReading;
  readonly proc: ProcReading;
  /** Scoring-latency bucket counts observed between the scrapes, if the gateway exposes a histogram. */
  readonly scoringDelta?: Map<number, number> | undefined;
}

/** Builds a point from two consecutive scrapes (pure: rates are deltas over `dt`, memory in MB). */
export function pointFrom(i: PointInput): Point {
  const { series, prevSeries: prev, dt } = i;
  const rate = (name: string, filter: Record<string, string> = {}) =>
    Math.max(0, (sum(series, name, filter) - sum(prev, name, filter)) / dt);
  const sources = new Set(
    series.filter((s) => s.name === "gateway_samples_in_total").map((s) => s.labels["source"] ?? "?"),
  );
  const inPerSource: Record<string, number> = {};
  for (const s of sources) inPerSource[s] = Math.round(rate("gateway_samples_in_total", { source: s }));
  const lag = (stat: string) =>
    has(series, "gateway_event_loop_lag_seconds")
      ? sum(series, "gateway_event_loop_lag_seconds", { stat }) * 1000
      : null;
  // Null when no series matches (an older gateway without that gauge or that kind), not 0.
  const mb = (name: string, filter: Record<string, string> = {}) =>
    series.some((s) => s.name === name && Object.entries(filter).every(([k, v]) => s.labels[k] === v))
      ? round1(sum(series, name, filter) / 2 ** 20)
      : null;
  return {
    t: i.t,
    cpuPct: round1(cpuPercent(i.prevProc, i.proc)),
    rssMB: round1(i.proc.rssBytes / 2 ** 20),
    threads: i.proc.threads,
    heapMB: mb("gateway_process_memory_bytes", { kind: "heap_used" }),
    heapTotalMB: mb("gateway_process_memory_bytes", { kind: "heap_total" }),
    externalMB: mb("gateway_process_memory_bytes", { kind: "external" }),
    wasmMB: mb("gateway_process_memory_bytes", { kind: "wasm" }),
    duckdbMB: mb("gateway_history_memory_bytes"),
    rollupP95MB: mb("gateway_history_rollup_p95_bytes"),
    historyQueue: sum(series, "gateway_sink_queue_values", { sink: "history" }),
    inPerS: Math.round(rate("gateway_samples_in_total")),
    inPerSource,
    historyRowsPerS: Math.round(rate("gateway_history_rows_written_total")),
    mqttPerS: Math.round(rate("gateway_mqtt_published_total")),
    outboxBacklog: sum(series, "gateway_outbox_backlog_messages"),
    outboxDiskMB: round1(sum(series, "gateway_outbox_disk_bytes") / 2 ** 20),
    sinkDroppedValues: sum(series, "gateway_sink_dropped_values_total"),
    lagMaxMs: nullable(lag("max")),
    lagMeanMs: nullable(lag("mean")),
    scoreP50Ms: i.scoringDelta ? msOrNull(quantile(i.scoringDelta, 0.5)) : null,
    scoreP99Ms: i.scoringDelta ? msOrNull(quantile(i.scoringDelta, 0.99)) : null,
  };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
function nullable(v: number | null): number | null {
  return v === null ? null : round1(v);
}
function msOrNull(v: number | undefined): number | null {
  return v === undefined ? null : round1(v * 1000);
}

/** One-line view of a point for the console. */
export function formatPoint(p: Point): string {
  const lag = p.lagMaxMs === null ? "n/a" : `${p.lagMaxMs} ms`;
  return `t=${p.t}s cpu=${p.cpuPct}% rss=${p.rssMB} MB (heap ${p.heapMB ?? "?"}/${
    p.heapTotalMB ?? "?"
  }, ext ${p.externalMB ?? "?"}, wasm ${p.wasmMB ?? "?"}, ` +
    `duckdb ${p.duckdbMB ?? "?"}, p95 ${
      p.rollupP95MB ?? "?"
    }) hq=${p.historyQueue} in=${p.inPerS}/s history=${p.historyRowsPerS} rows/s ` +
    `mqtt=${p.mqttPerS}/s outbox=${p.outboxBacklog} lag(max)=${lag} dropped=${p.sinkDroppedValues}`;
}
