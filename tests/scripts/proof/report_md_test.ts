import assert from "node:assert/strict";
import type { Anchor } from "../../../scripts/proof/anchors.ts";
import type { LoadPlan } from "../../../scripts/proof/config.ts";
import type { Machine } from "../../../scripts/proof/machine.ts";
import { type ChaosResult, renderReport, type SoakResult } from "../../../scripts/proof/report_md.ts";
import type { Dist, LoadSummary } from "../../../scripts/proof/summary.ts";
import { rawLedger } from "../../../scripts/proof/raw_ledger.ts";
import { point } from "./_points.ts";

const machine: Machine = {
  cpuModel: "Test CPU 9000",
  cores: 4,
  ramGiB: 15.6,
  kernel: "6.1.0-test",
  deno: "2.9.6",
  v8: "15.0.1",
  loadAvgAtStart: "0.10 0.20 0.30",
};
const plan: LoadPlan = {
  opcuaItems: 10_000,
  opcuaIntervalMs: 100,
  modbusDevices: 2,
  modbusRegisters: 500,
  modbusPollMs: 100,
  vibrationChannels: 16,
  vibrationRateHz: 25_600,
  outboxMaxBytes: 32 * 2 ** 20,
  uplinkRaw: true,
  history: true,
  learnVectors: 30,
  faultEveryS: 25,
};
const d = (mean: number, p50: number, max: number): Dist => ({ mean, p50, p95: max, max });
const summary: LoadSummary = {
  inPerS: d(32_500, 32_000, 40_000),
  historyRowsPerS: d(1000, 1000, 1000),
  mqttPerS: d(10, 10, 11),
  cpuPct: d(50, 48.5, 90.2),
  rssMB: d(210.4, 205.3, 230),
  lagMaxMs: null,
  outboxBacklog: d(0, 0, 6),
  sinkDroppedValues: 1234,
  scoring: null,
  rss: {
    warmupS: 30,
    startMB: 200,
    endMB: 204,
    measuredPct: 2,
    measuredOverS: 90,
    per30minPct: 40,
    verdictPct: 2,
    pass: true,
    verdict: "PASS: RSS growth 2% (limit 5%) over 1.5 min after a 30 s warm-up",
  },
};
// Warm-up point (t < 30) with absurd rates; after it: ua 2000/s, mb1 500/s, vib 30000/s on average.
const timeline = [
  point(0, { inPerSource: { ua: 9999, mb1: 9999, vib: 9999 } }),
  point(30, { inPerSource: { ua: 1000, mb1: 500, vib: 20_000 }, rollupP95MB: 12.5, duckdbMB: 40 }),
  point(40, { inPerSource: { ua: 3000, mb1: 500, vib: 40_000 }, rollupP95MB: null, inPerS: 43_500 }),
];
const soak: SoakResult = {
  started: "2026-01-02T03:04:05.000Z",
  durationS: 1800,
  plan,
  machine,
  summary,
  peers: {},
  upstream: {
    perClass: { features: 6562, scores: 13004 },
    distinctFeatures: 6562,
    duplicates: 0,
    latencyMs: { scores: { p50: 81, p99: 401, n: 13004 } },
  },
  timeline,
};
const anchors: Anchor[] = [
  { product: "PeerA", figure: "1k/s", valuesPerS: 1000, conditions: "1 core", source: "PeerA's site" },
  { product: "PeerB", figure: "10k/s", valuesPerS: 10_000, conditions: "8 cores", source: "PeerB's paper" },
];
const chaos: ChaosResult = {
  started: "2026-01-03T00:00:00.000Z",
  durationS: 821,
  scale: 0.5,
  plan,
  machine: { ...machine, loadAvgAtStart: "1.00 2.00 3.00" },
  faults: [{ name: "broker down", atS: 107, tookS: 0.1 }],
  verdict: [
    {
      check: "feature vectors",
      produced: 3,
      history: 3,
      upstream: 2,
      counted: "0 cadence gaps at 0 restarts",
      unexplained: 1,
      pass: false,
      note: "1 missing upstream",
      examples: ["not upstream: pump@2000"],
    },
    {
      check: "outbox disk budget",
      produced: "2 over-budget events",
      history: "-",
      upstream: "-",
      counted: 0,
      unexplained: 0,
      pass: true,
      note: "ok",
    },
  ],
  pass: false,
  counters: { outbox_backlog_at_end: 17 },
};

const cells = (line: string) => line.split("|").slice(1, -1).map((c) => c.trim());
const timelineRows = (md: string) => {
  const lines = md.split("\n");
  const at = lines.findIndex((l) => l.startsWith("| t (s) |"));
  assert.ok(at >= 0, "no timeline table");
  const rows: string[] = [];
  for (let i = at + 2; lines[i]?.startsWith("|"); i++) rows.push(lines[i]!);
  return { head: cells(lines[at]!), sep: cells(lines[at + 1]!), rows: rows.map(cells) };
};

Deno.test("the timeline shows rollup p95 MB in its own column, n/a when a point has none", () => {
  const t = timelineRows(renderReport(soak, undefined, anchors));
  const col = t.head.indexOf("rollup p95 MB");
  assert.equal(t.head[col - 1], "DuckDB MB");
  assert.equal(t.sep.length, t.head.length);
  assert.equal(t.rows.length, 3);
  for (const r of t.rows) assert.equal(r.length, t.head.length);
  assert.deepEqual(t.rows.map((r) => r[col]), ["n/a", "12.5", "n/a"]); // omitted, 12.5, null
  assert.deepEqual(t.rows.map((r) => r[col - 1]), ["n/a", "40", "n/a"]);
  assert.equal(t.rows[2]![t.head.indexOf("values in/s")], "43,500");
});

Deno.test("a long timeline is thinned to about 30 rows, keeping the last point", () => {
  const long = Array.from({ length: 62 }, (_, i) => point(i * 10));
  const t = timelineRows(renderReport({ ...soak, timeline: long }, undefined, anchors));
  // Every 3rd point (ceil(62 / 30)): t = 0, 30, ..., 600, then the last one at 610.
  assert.equal(t.rows.length, 22);
  assert.equal(t.rows[1]![0], "30");
  assert.equal(t.rows.at(-2)![0], "600");
  assert.equal(t.rows.at(-1)![0], "610");
});

Deno.test("peers' figures are labelled as published elsewhere, with the ratio of our tag values to theirs", () => {
  const md = renderReport(soak, undefined, anchors);
  assert.ok(md.includes("### Beside the peers (published elsewhere, not measured here)"));
  // Tag values = OPC UA + Modbus after warm-up: 2000 + 500 = 2500/s; vibration 30000/s; 32500 / 0.5 core.
  assert.ok(md.includes(
    "| this gateway (measured above) | 2,500 tag values/s + 30,000 vibration samples/s | 50% of one core " +
      "(65,000 values/s per core, all kinds) | 205 MB | 1.00x |",
  ));
  assert.ok(md.includes("| PeerA — *published elsewhere* | 1k/s | 1 core | | 2.5x |"));
  assert.ok(md.includes("| PeerB — *published elsewhere* | 10k/s | 8 cores | | 0.25x |"));
  assert.ok(md.includes("- PeerA: PeerA's site."));
  assert.ok(md.includes("- Values in per source (mean /s): ua 2,000, mb1 500, vib 30,000 "));
  assert.match(md, /Peers' numbers are their own published figures, measured elsewhere/);
});

Deno.test("the soak section gives the figures after warm-up, the RSS verdict in bold and what is missing", () => {
  const md = renderReport(soak, undefined, anchors);
  assert.ok(md.includes("## Load and soak (`deno task soak --minutes 30`, run 2026-01-02T03:04:05.000Z)"));
  assert.ok(md.includes("- Duration 1,800 s, warm-up excluded from the figures: 30 s"));
  assert.ok(md.includes("| values in, /s (all sources) | 32,500 | 32,000 | 40,000 |"));
  assert.ok(md.includes("| gateway CPU, % of one core | 50% | 48.5% | 90.2% |"));
  assert.ok(md.includes("| event-loop lag (worst per 10 s) | not exposed | |  |"));
  assert.ok(md.includes("(policy: oldest raw first, counted): 1,234"));
  assert.ok(md.includes("- Scoring latency from /metrics: not exposed by the gateway yet"));
  assert.ok(md.includes("p50 81 ms, p99 401 ms over 13,004 scores"));
  assert.ok(md.includes("\n**PASS: RSS growth 2% (limit 5%) over 1.5 min after a 30 s warm-up**\n"));
  const noScores = renderReport(
    { ...soak, upstream: { ...soak.upstream, latencyMs: {} } },
    undefined,
    anchors,
  );
  assert.ok(
    noScores.includes("(end to end, includes the features grace and the uplink): no scores received"),
  );
});

Deno.test("the soak section shows the raw-value ledger with its verdict when the run recorded one", () => {
  assert.ok(!renderReport(soak, undefined, anchors).includes("Raw-value ledger"), "older results: no line");
  const ledger = rawLedger([{
    received: 900,
    written: 890,
    dropped: 6,
    policy: 4,
    killed: false,
    afterScrape: 0,
  }], 890);
  const md = renderReport({ ...soak, rawLedger: ledger }, undefined, anchors);
  assert.match(
    md,
    /- Raw-value ledger .*: raw values received 900: stored 890 \(\+ 0 Bad after the last scrape\), dropped by the history queue 6, .*\*\*PASS\*\*/,
  );
  const short = rawLedger([{
    received: 900,
    written: 880,
    dropped: 6,
    policy: 4,
    killed: false,
    afterScrape: 0,
  }], 880);
  assert.match(
    renderReport({ ...soak, rawLedger: short }, undefined, anchors),
    /unexplained 10, .*\*\*FAIL\*\*/,
  );
});

Deno.test("each section describes the machine it ran on", () => {
  const md = renderReport(soak, chaos, anchors);
  const cpu = "- CPU: Test CPU 9000, 4 cores; RAM 15.6 GiB; Linux 6.1.0-test; Deno 2.9.6 (V8 15.0.1)";
  assert.equal(md.split(cpu).length - 1, 2);
  const soakPart = md.slice(0, md.indexOf("## Fault injection"));
  const chaosPart = md.slice(md.indexOf("## Fault injection"));
  assert.ok(soakPart.includes("- Load average when the run started: 0.10 0.20 0.30 (the machine is shared"));
  assert.ok(chaosPart.includes("- Load average when the run started: 1.00 2.00 3.00 (the machine is shared"));
});

Deno.test("the chaos section lists faults, the verdict table with FAIL in bold, lost items and the backlog", () => {
  const md = renderReport(undefined, chaos, anchors);
  assert.ok(md.includes("## Load and soak\n\nNo soak results saved yet."));
  assert.ok(md.includes("## Fault injection (`deno task chaos --scale 0.5`, run 2026-01-03T00:00:00.000Z)"));
  // Outage 600 s x 0.5; budget 32 MiB.
  assert.ok(md.includes("(the 10-minute broker outage lasted 300 s); outbox budget 32 MiB with raw values"));
  assert.ok(md.includes("| broker down | 107 | 0.1 |"));
  assert.ok(md.includes("| feature vectors | 3 | 3 | 2 | 0 cadence gaps at 0 restarts | 1 | **FAIL** |"));
  assert.ok(md.includes("| outbox disk budget | 2 over-budget events | - | - | 0 | 0 | PASS |"));
  assert.ok(md.includes("- feature vectors, lost items: not upstream: pump@2000"));
  assert.ok(!md.includes("- outbox disk budget, lost items"));
  assert.ok(md.includes("above as missing upstream): 17 messages"));
  assert.ok(md.includes("**Chaos verdict: FAIL**"));
  const noCounters = renderReport(undefined, { ...chaos, counters: {}, pass: true }, anchors);
  assert.ok(noCounters.includes("missing upstream): not recorded\n"));
  assert.ok(noCounters.includes("**Chaos verdict: PASS**"));
  // A backlog the run could not read is saved as NaN, i.e. null in JSON.
  const unread = { ...chaos, counters: JSON.parse('{"outbox_backlog_at_end": null}') };
  assert.ok(renderReport(undefined, unread, anchors).includes("missing upstream): not recorded\n"));
});

Deno.test("without results the report says none are saved yet", () => {
  const md = renderReport(undefined, undefined, anchors);
  assert.ok(md.includes("No soak results saved yet."));
  assert.ok(md.includes("No chaos results saved yet."));
  assert.ok(!md.includes("### Timeline"));
});
