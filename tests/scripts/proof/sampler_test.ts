import assert from "node:assert/strict";
import { bucketDelta, buckets, parseProm } from "../../../scripts/proof/prom.ts";
import type { ProcReading } from "../../../scripts/proof/proc_stats.ts";
import { formatPoint, pointFrom, Sampler } from "../../../scripts/proof/sampler.ts";

const MB = 2 ** 20;
const prevProc: ProcReading = { at: 10_000, cpuSeconds: 10, rssBytes: 100 * MB, threads: 9 };
// 1.5 s of CPU over 2 s of wall clock; 1234567890 B = 1177.38 MB.
const proc: ProcReading = { at: 12_000, cpuSeconds: 11.5, rssBytes: 1_234_567_890, threads: 12 };

const PREV = `# HELP gateway_samples_in_total Values in
# TYPE gateway_samples_in_total counter
gateway_samples_in_total{source="ua"} 1000
gateway_samples_in_total{source="mb1"} 500
gateway_history_rows_written_total{sink="history"} 100
gateway_mqtt_published_total 10
gateway_anomaly_scoring_seconds_bucket{le="0.01"} 10
gateway_anomaly_scoring_seconds_bucket{le="0.1"} 20
gateway_anomaly_scoring_seconds_bucket{le="+Inf"} 20
`;

const NOW = `gateway_samples_in_total{source="ua"} 3000
gateway_samples_in_total{source="mb1"} 1500
gateway_samples_in_total{source="vib"} 51200
gateway_history_rows_written_total{sink="history"} 300
gateway_mqtt_published_total 30
gateway_process_memory_bytes{kind="heap_used"} ${50 * MB}
gateway_process_memory_bytes{kind="heap_total"} ${100 * MB}
gateway_process_memory_bytes{kind="external"} ${1.5 * MB}
gateway_history_memory_bytes{sink="history",tag="base_table"} ${2 * MB}
gateway_history_memory_bytes{sink="history",tag="art"} ${1 * MB}
gateway_history_rollup_p95_bytes{sink="history"} ${12.5 * MB}
gateway_sink_queue_values{sink="history"} 7
gateway_sink_queue_values{sink="uplink"} 99
gateway_outbox_backlog_messages 4
gateway_outbox_disk_bytes ${5 * MB}
gateway_sink_dropped_values_total{sink="history"} 3
gateway_sink_dropped_values_total{sink="uplink"} 2
gateway_event_loop_lag_seconds{stat="max"} 0.0123
gateway_event_loop_lag_seconds{stat="mean"} 0.00204
gateway_anomaly_scoring_seconds_bucket{le="0.01"} 60
gateway_anomaly_scoring_seconds_bucket{le="0.1"} 120
gateway_anomaly_scoring_seconds_bucket{le="+Inf"} 120
`;

const build = (prevText: string, nowText: string, scoring = false) => {
  const prevSeries = parseProm(prevText);
  const series = parseProm(nowText);
  const h = "gateway_anomaly_scoring_seconds";
  const scoringDelta = scoring ? bucketDelta(buckets(series, h), buckets(prevSeries, h)) : undefined;
  return pointFrom({ t: 42.5, dt: 2, prevSeries, series, prevProc, proc, scoringDelta });
};

Deno.test("a point's rates are counter deltas over the interval, per source and in total", () => {
  const p = build(PREV, NOW);
  assert.equal(p.t, 42.5);
  // ua (3000-1000)/2, mb1 (1500-500)/2, vib new since the last scrape: 51200/2.
  assert.deepEqual(p.inPerSource, { ua: 1000, mb1: 500, vib: 25600 });
  assert.equal(p.inPerS, 27100);
  assert.equal(p.historyRowsPerS, 100);
  assert.equal(p.mqttPerS, 10);
});

Deno.test("a point takes CPU, RSS and threads from the two /proc readings", () => {
  const p = build(PREV, NOW);
  assert.equal(p.cpuPct, 75);
  assert.equal(p.rssMB, 1177.4);
  assert.equal(p.threads, 12);
});

Deno.test("a point's memory split is in MB, DuckDB summed over tags, rollup p95 from its gauge", () => {
  const p = build(PREV, NOW);
  assert.equal(p.heapMB, 50);
  assert.equal(p.heapTotalMB, 100);
  assert.equal(p.externalMB, 1.5);
  assert.equal(p.duckdbMB, 3);
  assert.equal(p.rollupP95MB, 12.5);
  assert.equal(p.outboxDiskMB, 5);
});

Deno.test("memory figures are null when the gateway does not expose them, including a missing kind", () => {
  const p = build(PREV, NOW);
  // The process gauge is there, but without kind="wasm" (a gateway from before WASM memory was reported).
  assert.equal(p.wasmMB, null);
  const bare = build(PREV, `gateway_samples_in_total{source="ua"} 3000\n`);
  assert.equal(bare.rollupP95MB, null);
  assert.equal(bare.duckdbMB, null);
  assert.equal(bare.heapMB, null);
  assert.equal(bare.lagMaxMs, null);
  assert.equal(bare.lagMeanMs, null);
  assert.equal(bare.outboxDiskMB, 0);
});

Deno.test("a point's queue, backlog, drops and lag are read as gauges: history queue only, drops of every sink", () => {
  const p = build(PREV, NOW);
  assert.equal(p.historyQueue, 7);
  assert.equal(p.outboxBacklog, 4);
  assert.equal(p.sinkDroppedValues, 5);
  assert.equal(p.lagMaxMs, 12.3);
  assert.equal(p.lagMeanMs, 2);
});

Deno.test("a counter that went backwards gives a rate of 0, not a negative one", () => {
  const p = build(NOW, PREV);
  assert.equal(p.historyRowsPerS, 0);
  assert.equal(p.inPerS, 0);
});

Deno.test("scoring latency of a point comes from the buckets observed in its interval", () => {
  // Between the scrapes: 50 observations <= 10 ms, 50 more <= 100 ms: p50 10 ms, p99 10 + 90 * 49/50 ms.
  const p = build(PREV, NOW, true);
  assert.equal(p.scoreP50Ms, 10);
  assert.equal(p.scoreP99Ms, 98.2);
  const none = build(PREV, NOW);
  assert.equal(none.scoreP50Ms, null);
  const idle = build(NOW, NOW, true); // histogram exposed, nothing observed in the interval
  assert.equal(idle.scoreP50Ms, null);
  assert.equal(idle.scoreP99Ms, null);
});

Deno.test("the console line shows the rollup p95 memory, or ? when absent", () => {
  assert.match(formatPoint(build(PREV, NOW)), /duckdb 3, p95 12\.5\)/);
  assert.match(formatPoint(build(PREV, "")), /duckdb \?, p95 \?\)/);
});

/** A fake /proc: pids 1 and 2 exist, each reading 1 s of CPU later than the previous one. */
function fakeProc(): (pid: number) => Promise<ProcReading | undefined> {
  let cpu = 0;
  return (pid) =>
    Promise.resolve(pid === 1 || pid === 2 ? { ...proc, at: Date.now(), cpuSeconds: cpu++ } : undefined);
}
const tick = () => new Promise((r) => setTimeout(r, 5));

Deno.test("the sampler needs two scrapes of one pid, restarts on a new pid and accumulates scoring buckets", async () => {
  const texts = [PREV, NOW, PREV, NOW];
  const s = new Sampler(Date.now(), () => Promise.resolve(texts.shift()), fakeProc());
  assert.equal(await s.sample(1), undefined);
  await tick();
  const p = await s.sample(1);
  assert.ok(p);
  assert.equal(p.rssMB, 1177.4);
  assert.equal(p.rollupP95MB, 12.5);
  assert.equal(p.scoreP50Ms, 10);
  assert.equal(s.scoringMetric, "gateway_anomaly_scoring_seconds");
  // A new pid (the gateway restarted): its first scrape is not compared with the old process's last one.
  await tick();
  assert.equal(await s.sample(2), undefined);
  await tick();
  assert.ok(await s.sample(2));
  assert.equal(s.points.length, 2);
  // Whole-run scoring buckets: the interval deltas of both lifetimes summed.
  assert.deepEqual([...s.scoring], [[0.01, 100], [0.1, 200], [Infinity, 200]]);
});

Deno.test("the sampler skips a scrape the endpoint did not answer, keeping the last good one as base", async () => {
  const texts: (string | undefined)[] = [PREV, undefined, NOW];
  const s = new Sampler(Date.now(), () => Promise.resolve(texts.shift()), fakeProc());
  assert.equal(await s.sample(1), undefined);
  await tick();
  assert.equal(await s.sample(1), undefined);
  await tick();
  const p = await s.sample(1);
  assert.ok(p);
  assert.deepEqual(Object.keys(p.inPerSource), ["ua", "mb1", "vib"]);
  assert.ok(p.inPerS > 0);
});

Deno.test("the sampler takes no point of a process that is gone", async () => {
  const s = new Sampler(Date.now(), () => Promise.resolve(NOW), fakeProc());
  assert.equal(await s.sample(3), undefined);
  await tick();
  assert.equal(await s.sample(3), undefined);
  assert.equal(s.points.length, 0);
});
