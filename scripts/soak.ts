/**
 * @module `deno task soak [--minutes N]`: the assembled gateway under a plant's load for N minutes (default 30):
 * 10,000 OPC UA items at 100 ms, 2 Modbus devices x 500 registers, a 16-channel 25.6 kHz vibration asset, features
 * and scoring, DuckDB history, MQTT uplink to mosquitto with a persistent upstream subscriber. Prints a timeline and
 * the RSS-growth verdict; writes the results as JSON to docs/proof/soak_latest.json (or --out).
 * Everything it starts is stopped at the end, on failure and on Ctrl-C.
 */
import { parseArgs } from "./proof/args.ts";
import { ANCHORS } from "./proof/anchors.ts";
import { rawSourcesOf } from "./proof/config.ts";
import { machine } from "./proof/machine.ts";
import { extraGatewayFlags, Rig } from "./proof/rig.ts";
import { readHistory } from "./proof/history_check.ts";
import { parseProm } from "./proof/prom.ts";
import { formatLedger, lifetimeRaw, rawLedger, storedRaw } from "./proof/raw_ledger.ts";
import { latencyOf } from "./proof/subscriber.ts";
import { formatPoint, Sampler } from "./proof/sampler.ts";
import { summarize } from "./proof/summary.ts";

const ROOT = new URL("../", import.meta.url).pathname;

async function main(): Promise<number> {
  const opts = parseArgs(Deno.args, { minutes: 30 });
  const host = await machine();
  const rig = await Rig.create(opts.plan);
  rig.procs.installSignalHandlers(async () => {
    await rig.close();
    if (!opts.keep) await Deno.remove(rig.dir, { recursive: true }).catch(() => {});
  });
  const started = new Date();
  console.log(`soak: ${opts.minutes} min, run directory ${rig.dir}`);
  console.log(`soak: plan ${JSON.stringify(opts.plan)}`);
  if (extraGatewayFlags().length > 0) {
    console.log(`soak: diagnostic gateway flags ${extraGatewayFlags().join(" ")}`);
  }
  try {
    await rig.startPeers();
    console.log(
      `soak: peers up (mosquitto :${rig.broker.port}, OPC UA :${rig.ep.opcuaPort}, ` +
        `Modbus :${rig.ep.modbusPorts.join(",")})`,
    );
    const gw = await rig.startGateway();
    const t0 = Date.now();
    console.log(`soak: gateway pid ${gw.pid} up, API ${rig.httpBase}`);
    const sampler = new Sampler(t0, () => rig.metrics());
    const end = t0 + opts.minutes * 60_000;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, Math.min(opts.sampleS * 1000, Math.max(0, end - Date.now()))));
      if (gw.exited) throw new Error(`gateway exited during the soak (see ${gw.log})`);
      const p = await sampler.sample(gw.pid);
      if (p) console.log(formatPoint(p));
    }
    const durationS = (Date.now() - t0) / 1000;
    // The raw-value ledger: stop the raw sources, let the gateway take what is on the wire, scrape its counters,
    // stop it gracefully (queues drained) and balance what it received against what history holds.
    await rig.stopRawSources();
    const lastScrape = { start: Date.now(), end: 0 };
    const lastText = await rig.metrics(10_000);
    lastScrape.end = Date.now();
    // The gateway's counters after the sources stopped (the last sample's when it did not answer).
    const finalSeries = lastText !== undefined ? parseProm(lastText) : sampler.lastSeries;
    const served = rig.served();
    const stopStatus = await rig.stopGateway();
    const rawSources = rawSourcesOf(opts.plan);
    const history = opts.plan.history
      ? await readHistory(`${rig.ep.dataDir}/state/history/history.duckdb`, lastScrape)
      : undefined;
    const ledger = history && lastText !== undefined
      ? rawLedger(
        [lifetimeRaw(finalSeries, rawSources, false)],
        storedRaw(history, rawSources),
      )
      : null;
    if (ledger) console.log(`soak: ${formatLedger(ledger)}: ${ledger.pass ? "PASS" : "FAIL"}`);
    await new Promise((r) => setTimeout(r, 1000));
    const received = rig.subscriber!.received;
    const summary = summarize(sampler.points, durationS, {
      metric: sampler.scoringMetric,
      buckets: sampler.scoring,
    });
    const result = {
      kind: "soak",
      started: started.toISOString(),
      durationS: Math.round(durationS),
      plan: opts.plan,
      ...(extraGatewayFlags().length > 0 ? { gatewayFlags: extraGatewayFlags() } : {}),
      machine: host,
      summary,
      rawLedger: ledger,
      peers: {
        opcuaValuesServed: served.opcua,
        opcuaNotificationsSent: served.opcuaSent,
        opcuaQueueOverflows: served.opcuaOverflows,
        modbusValuesServed: served.modbus,
        vibrationValuesGenerated: Math.round(
          opts.plan.vibrationChannels * opts.plan.vibrationRateHz * durationS,
        ),
      },
      upstream: {
        perClass: received.perClass,
        distinctFeatures: received.features.size,
        distinctScores: received.scores.size,
        alertTransitions: received.alerts.size,
        duplicates: received.duplicates,
        /** Event time (window end for features/scores) to arrival at the upstream subscriber, ms. */
        latencyMs: Object.fromEntries(Object.entries(received.latency).map(([k, v]) => [k, latencyOf(v)])),
      },
      gatewayExit: stopStatus?.code ?? null,
      finalMetrics: Object.fromEntries(
        finalSeries.filter((s) =>
          /^gateway_(sink_dropped|outbox_dropped|history_rejected|samples_in|opcua_repeats_dropped)/.test(
            s.name,
          )
        )
          .map((s) => [`${s.name}${JSON.stringify(s.labels)}`, s.value]),
      ),
      anchors: ANCHORS,
      timeline: sampler.points,
    };
    const out = opts.out ?? `${ROOT}docs/proof/soak_latest.json`;
    await Deno.mkdir(out.slice(0, out.lastIndexOf("/")) || ".", { recursive: true });
    await Deno.writeTextFile(out, JSON.stringify(result, null, 1) + "\n");
    printSummary(summary, result.upstream, out);
    return summary.rss.pass && (ledger?.pass ?? true) ? 0 : 1;
  } finally {
    await rig.close();
    rig.procs.removeSignalHandlers();
    if (!opts.keep) await Deno.remove(rig.dir, { recursive: true }).catch(() => {});
    else console.log(`soak: run directory kept: ${rig.dir}`);
  }
}

function printSummary(
  s: ReturnType<typeof summarize>,
  up: {
    perClass: Record<string, number>;
    distinctFeatures: number;
    latencyMs: Record<string, ReturnType<typeof latencyOf>>;
  },
  out: string,
): void {
  const d = (x: { mean: number; p50: number; max: number } | null, unit: string) =>
    x ? `mean ${x.mean}${unit}, p50 ${x.p50}${unit}, max ${x.max}${unit}` : "not exposed";
  console.log("\nsoak results (after warm-up)");
  console.log(`  values in         ${d(s.inPerS, "/s")}`);
  console.log(`  history rows      ${d(s.historyRowsPerS, "/s")}`);
  console.log(`  MQTT published    ${d(s.mqttPerS, "/s")}`);
  console.log(`  CPU (1 core=100%) ${d(s.cpuPct, "%")}`);
  console.log(`  RSS               ${d(s.rssMB, " MB")}`);
  console.log(`  event-loop lag    ${d(s.lagMaxMs, " ms")}`);
  console.log(`  outbox backlog    ${d(s.outboxBacklog, "")}`);
  console.log(`  dropped values    ${s.sinkDroppedValues} (bounded sink queues)`);
  console.log(
    `  scoring latency   ${
      s.scoring ? `p50 ${s.scoring.p50Ms} ms, p99 ${s.scoring.p99Ms} ms` : "not exposed"
    }`,
  );
  const sc = up.latencyMs["scores"];
  if (sc) {
    console.log(
      `  window end -> score upstream  p50 ${sc.p50} ms, p99 ${sc.p99} ms (end to end: features grace + uplink)`,
    );
  }
  console.log(
    `  upstream received ${JSON.stringify(up.perClass)} (${up.distinctFeatures} distinct feature vectors)`,
  );
  for (const a of ANCHORS) console.log(`  published elsewhere: ${a.product}: ${a.figure}`);
  console.log(`\n${s.rss.verdict}`);
  console.log(`results: ${out}`);
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (e) {
    console.error(`soak: ${e instanceof Error ? e.message : String(e)}`);
    Deno.exit(1);
  }
}
