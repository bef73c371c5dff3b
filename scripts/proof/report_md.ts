/**
 * @module Markdown of docs/performance.md from soak and chaos results.
 */
import { formatLedger, type RawLedger } from "./raw_ledger.ts";
import type { Anchor } from "./anchors.ts";
import type { LoadPlan } from "./config.ts";
import type { Machine } from "./machine.ts";
import type { Point } from "./sampler.ts";
import type { Dist, LoadSummary } from "./summary.ts";
import type { VerdictRow } from "./verdict.ts";

/** Saved soak results (scripts/soak.ts). */
export interface SoakResult {
  readonly started: string;
  readonly durationS: number;
  readonly plan: LoadPlan;
  readonly machine: Machine;
  readonly summary: LoadSummary;
  readonly peers: Record<string, unknown>;
  readonly upstream: {
    perClass: Record<string, number>;
    distinctFeatures: number;
    duplicates: number;
    latencyMs: Record<string, { p50: number; p99: number; n: number } | null>;
  };
  readonly timeline: readonly Point[];
  /** Raw values received against history and counters (absent in older results; null without history). */
  readonly rawLedger?: RawLedger | null;
}

/** Saved chaos results (scripts/chaos.ts). */
export interface ChaosResult {
  readonly started: string;
  readonly durationS: number;
  readonly scale: number;
  readonly plan: LoadPlan;
  readonly machine: Machine;
  readonly faults: readonly { name: string; atS: number; tookS: number }[];
  readonly verdict: readonly VerdictRow[];
  readonly pass: boolean;
  readonly counters?: Record<string, number>;
}

const f = (v: number, digits = 0) => v.toLocaleString("en-US", { maximumFractionDigits: digits });
const dist = (d: Dist | null, unit = "", digits = 0) =>
  d
    ? `${f(d.mean, digits)}${unit} | ${f(d.p50, digits)}${unit} | ${f(d.max, digits)}${unit}`
    : "not exposed | | ";

function machineLines(m: Machine): string[] {
  return [
    `- CPU: ${m.cpuModel}, ${m.cores} cores; RAM ${m.ramGiB} GiB; Linux ${m.kernel}; Deno ${m.deno} (V8 ${m.v8})`,
    `- Load average when the run started: ${m.loadAvgAtStart} (the machine is shared with other work: ` +
    "figures are what the gateway got, not what it needs)",
  ];
}

function soakSection(s: SoakResult, anchors: readonly Anchor[]): string[] {
  const m = s.summary;
  const p = s.plan;
  const perCore = m.cpuPct.mean > 0 ? m.inPerS.mean / (m.cpuPct.mean / 100) : 0;
  // Mean values/s per source after warm-up; discrete tag values (OPC UA + Modbus) are what the peers count.
  const after = s.timeline.filter((pt) => pt.t >= m.rss.warmupS);
  const perSource: Record<string, number> = {};
  for (const pt of after) {
    for (const [k, v] of Object.entries(pt.inPerSource)) {
      perSource[k] = (perSource[k] ?? 0) + v / after.length;
    }
  }
  const tagValues = Object.entries(perSource).filter(([k]) => k === "ua" || k.startsWith("mb"))
    .reduce((a, [, v]) => a + v, 0);
  const score = s.upstream.latencyMs["scores"];
  const L = [
    `## Load and soak (\`deno task soak --minutes ${Math.round(s.durationS / 60)}\`, run ${s.started})`,
    "",
    `Load: ${f(p.opcuaItems)} OPC UA items at ${p.opcuaIntervalMs} ms (node-opcua server, own process), ` +
    `${p.modbusDevices} Modbus TCP devices x ${p.modbusRegisters} registers polled every ${p.modbusPollMs} ms ` +
    `(pymodbus), ${p.vibrationChannels} vibration channels at ${
      f(p.vibrationRateHz)
    } Hz (simulator) with features ` +
    "and anomaly scoring, DuckDB history of everything, MQTT uplink to mosquitto with a persistent QoS 1 " +
    "subscriber. All peers run on the same machine as the gateway.",
    "",
    ...machineLines(s.machine),
    `- Duration ${f(s.durationS)} s, warm-up excluded from the figures: ${m.rss.warmupS} s`,
    "",
    "| figure (after warm-up) | mean | p50 | max |",
    "|---|---:|---:|---:|",
    `| values in, /s (all sources) | ${dist(m.inPerS)} |`,
    `| history rows committed, /s | ${dist(m.historyRowsPerS)} |`,
    `| MQTT messages acknowledged, /s | ${dist(m.mqttPerS)} |`,
    `| gateway CPU, % of one core | ${dist(m.cpuPct, "%", 1)} |`,
    `| gateway RSS | ${dist(m.rssMB, " MB", 1)} |`,
    `| event-loop lag (worst per 10 s) | ${dist(m.lagMaxMs, " ms", 1)} |`,
    `| outbox backlog, messages | ${dist(m.outboxBacklog)} |`,
    "",
    `- Values in per source (mean /s): ${
      Object.entries(perSource).map(([k, v]) => `${k} ${f(v)}`).join(", ")
    } (ua = OPC UA, mb* = Modbus, vib = vibration block samples)`,
    `- Values dropped by bounded sink queues (policy: oldest raw first, counted): ${f(m.sinkDroppedValues)}`,
    `- Scoring latency from /metrics: ${
      m.scoring
        ? `p50 ${m.scoring.p50Ms} ms, p99 ${m.scoring.p99Ms} ms (${m.scoring.metric})`
        : "not exposed by the gateway yet"
    }`,
    `- Window end to score received upstream (end to end, includes the features grace and the uplink): ${
      score
        ? `p50 ${f(score.p50)} ms, p99 ${f(score.p99)} ms over ${f(score.n)} scores`
        : "no scores received"
    }`,
    `- Upstream received: ${
      Object.entries(s.upstream.perClass).map(([k, v]) => `${k} ${f(v)}`).join(", ")
    } (${f(s.upstream.distinctFeatures)} distinct feature vectors, ${f(s.upstream.duplicates)} duplicates)`,
    ...(s.rawLedger
      ? [
        `- Raw-value ledger (OPC UA + Modbus, sources stopped before the last scrape, graceful stop): ${
          formatLedger(s.rawLedger)
        }: **${s.rawLedger.pass ? "PASS" : "FAIL"}**`,
      ]
      : []),
    "",
    `**${m.rss.verdict}**`,
    "",
    "### Beside the peers (published elsewhere, not measured here)",
    "",
    "Peers count discrete tag values (points, messages); most of our values are vibration block samples, so the",
    "ratio column uses only the OPC UA + Modbus tag values.",
    "",
    "| | throughput | CPU | memory | ratio of our tag values/s to theirs |",
    "|---|---:|---:|---:|---:|",
    `| this gateway (measured above) | ${f(tagValues)} tag values/s + ${
      f(perSource["vib"] ?? 0)
    } vibration ` +
    `samples/s | ${f(m.cpuPct.mean, 1)}% of one core (${f(perCore)} values/s per core, all kinds) | ` +
    `${f(m.rssMB.p50)} MB | 1.00x |`,
    ...anchors.map((a) =>
      `| ${a.product} — *published elsewhere* | ${a.figure} | ${a.conditions} | | ${
        f(tagValues / a.valuesPerS, 2)
      }x |`
    ),
    "",
    ...anchors.map((a) => `- ${a.product}: ${a.source}.`),
    "- NeuronEX's published figure is 100k points/s on 60% of 4 cores, i.e. about 41.7k points/s per core.",
    "",
    "### Timeline",
    "",
    "| t (s) | CPU % | RSS MB | V8 heap MB | external MB | DuckDB MB | rollup p95 MB | values in/s | history rows/s | MQTT/s | outbox | lag max ms | dropped (cum.) |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const step = Math.max(1, Math.ceil(s.timeline.length / 30));
  s.timeline.filter((_, i) => i % step === 0 || i === s.timeline.length - 1).forEach((pt) =>
    L.push(
      `| ${pt.t} | ${pt.cpuPct} | ${pt.rssMB} | ${pt.heapMB ?? "n/a"} | ${pt.externalMB ?? "n/a"} | ${
        pt.duckdbMB ?? "n/a"
      } | ${pt.rollupP95MB ?? "n/a"} | ${f(pt.inPerS)} | ${f(pt.historyRowsPerS)} | ${pt.mqttPerS} | ` +
        `${pt.outboxBacklog} | ${pt.lagMaxMs ?? "n/a"} | ${f(pt.sinkDroppedValues)} |`,
    )
  );
  return L;
}

function chaosSection(c: ChaosResult): string[] {
  // null when the run could not read it (NaN saved as JSON).
  const backlog: number | null | undefined = c.counters?.["outbox_backlog_at_end"];
  return [
    `## Fault injection (\`deno task chaos --scale ${c.scale}\`, run ${c.started})`,
    "",
    ...machineLines(c.machine),
    `- Duration ${
      f(c.durationS)
    } s; every scripted wait multiplied by ${c.scale} (the 10-minute broker outage lasted ` +
    `${f(600 * c.scale)} s); outbox budget ${
      f(c.plan.outboxMaxBytes / 2 ** 20, 1)
    } MiB with raw values uplinked`,
    "",
    "| fault | at (s) | took (s) |",
    "|---|---:|---:|",
    ...c.faults.map((x) => `| ${x.name} | ${x.atS} | ${x.tookS} |`),
    "",
    "| check | produced | history | upstream | counted by policy | unexplained | verdict |",
    "|---|---:|---:|---:|---|---:|---|",
    ...c.verdict.map((r) =>
      `| ${r.check} | ${r.produced} | ${r.history} | ${r.upstream} | ${r.counted} | ${r.unexplained} | ${
        r.pass ? "PASS" : "**FAIL**"
      } |`
    ),
    "",
    ...c.verdict.map((r) => `- ${r.check}: ${r.note}`),
    ...c.verdict.flatMap((
      r,
    ) => (r.examples?.length ? [`- ${r.check}, lost items: ${r.examples.join("; ")}`] : [])),
    `- Outbox backlog when the gateway was stopped (durable, sent on the next start; items still in it are counted ` +
    `above as missing upstream): ${
      backlog === undefined || backlog === null ? "not recorded" : `${backlog} messages`
    }`,
    "",
    `**Chaos verdict: ${c.pass ? "PASS" : "FAIL"}**`,
  ];
}

/** The whole document. */
export function renderReport(
  soak: SoakResult | undefined,
  chaos: ChaosResult | undefined,
  anchors: readonly Anchor[],
): string {
  const L = [
    "# Performance and production proof",
    "",
    "Generated by `deno task report` from the results saved in `docs/proof/` by `deno task soak` and",
    "`deno task chaos`; do not edit by hand. Peers' numbers are their own published figures, measured elsewhere on",
    "other hardware: they are context, not a like-for-like comparison.",
    "",
    ...(soak ? soakSection(soak, anchors) : ["## Load and soak", "", "No soak results saved yet."]),
    "",
    ...(chaos ? chaosSection(chaos) : ["## Fault injection", "", "No chaos results saved yet."]),
    "",
    "## What the proof runs do",
    "",
    "- `scripts/soak.ts` starts, each as its own child process on 127.0.0.1 at free ports: mosquitto (persistence,",
    "  `max_queued_messages 0`), a persistent upstream subscriber (mqtt.js, clean=false, QoS 1, started before any",
    "  data), the OPC UA plant (`scripts/proof/opcua_server.ts` on `demo/opcua_plant.ts`), the Modbus devices",
    "  (`scripts/proof/modbus_server.py`, pymodbus) and the gateway (`scripts/proof/gateway_entry.ts run --config`,",
    "  which is `main.ts` plus modules not yet wired into it: features, anomaly, HTTP API, event-loop lag). It samples",
    "  `/proc/<pid>/stat` and `/proc/<pid>/status` of the gateway and its `/api/v1/metrics` every few seconds.",
    "- `scripts/chaos.ts` runs the same rig with raw values uplinked into a small outbox budget and scripted faults;",
    "  afterwards it opens the gateway's DuckDB file read-only and compares it with what the subscriber received and",
    "  what the OPC UA and Modbus servers report having served (they print their counters).",
    "- Event-loop lag comes from `gateway_event_loop_lag_seconds{stat=max|mean}` (service in",
    "  `core/app/event_loop_lag.ts`). Scoring latency is read from a `gateway_anomaly_scoring_seconds` histogram when",
    "  the gateway exposes one; until then the end-to-end delay from window end to score received upstream is shown.",
    "- Every child is stopped at the end, on failure and on Ctrl-C; `--keep` keeps the run directory and logs.",
    "",
    "## Reproduce",
    "",
    "```sh",
    "deno task soak --minutes 30          # full soak (the RSS verdict needs 30 min); --minutes 2 for a smoke run",
    "deno task chaos --scale 0.1          # every fault, waits shrunk tenfold; --scale 1 for the 10-minute outage",
    "deno task report                     # rewrite this file from docs/proof/*_latest.json",
    "```",
    "",
    "Options of both: `--opcua-items N`, `--opcua-interval-ms N`, `--modbus-devices N`, `--modbus-registers N`,",
    "`--vibration-channels N`, `--outbox-max-bytes N`, `--uplink-raw`, `--sample-s N`, `--out FILE`, `--keep` (keep",
    "the run directory with every process's log).",
    "",
  ];
  return L.join("\n");
}
