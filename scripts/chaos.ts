/**
 * @module `deno task chaos [--scale F] [--minutes-load N]`: the soak's load with scripted faults — broker down
 * 10 minutes, OPC UA server restarted twice, a Modbus device disconnected and back, the gateway killed with
 * SIGKILL three times (restarted each time), the outbox's small disk budget exceeded once — then compares what
 * the sources produced with what history holds and what a persistent upstream subscriber received, and prints
 * a verdict table. `--scale 0.1` shrinks every wait tenfold. Results go to docs/proof/chaos_latest.json (or --out).
 */
import { parseArgs } from "./proof/args.ts";
import { rawSourcesOf, WINDOW } from "./proof/config.ts";
import { readHistory } from "./proof/history_check.ts";
import { machine } from "./proof/machine.ts";
import { parseProm, sum } from "./proof/prom.ts";
import { type LifetimeRaw, lifetimeRaw, rawLedger, storedRaw } from "./proof/raw_ledger.ts";
import { extraGatewayFlags, Rig } from "./proof/rig.ts";
import { formatPoint, Sampler } from "./proof/sampler.ts";
import { type FaultRecord, runSchedule, type Step } from "./proof/schedule.ts";
import { formatVerdict, verdictRows } from "./proof/verdict.ts";

const ROOT = new URL("../", import.meta.url).pathname;

async function main(): Promise<number> {
  const parsed = parseArgs(Deno.args, {
    minutes: 0,
    // Gateway lifetimes are short between kills: learn fast and fault early so alerts are raised in each.
    plan: { uplinkRaw: true, learnVectors: 30, faultEveryS: 25 },
  });
  // The outbox budget must hold what may not be lost (features, scores, alerts, events) for the whole broker
  // outage, while the raw values uplinked beside them overflow it: 64 MiB for the 10-minute outage (the 16-channel
  // asset's features and scores alone outgrew 8 MiB in it), scaled with the outage, never below 8 MiB.
  const budgetGiven = Deno.args.some((a) => a.startsWith("--outbox-max-bytes"));
  const opts = budgetGiven ? parsed : {
    ...parsed,
    plan: { ...parsed.plan, outboxMaxBytes: Math.max(8 * 2 ** 20, Math.round(64 * 2 ** 20 * parsed.scale)) },
  };
  const host = await machine();
  const rig = await Rig.create(opts.plan);
  rig.procs.installSignalHandlers(async () => {
    await rig.close();
    if (!opts.keep) await Deno.remove(rig.dir, { recursive: true }).catch(() => {});
  });
  const counters: Record<string, number> = {};
  const log = (l: string) => console.log(l);
  let sampler: Sampler | undefined;
  let sampling: ReturnType<typeof setInterval> | undefined;
  const t0 = Date.now();
  const rawSources = rawSourcesOf(opts.plan);
  const rawLifetimes: LifetimeRaw[] = [];
  /** Raw values per second lately (the highest of the last three samples), to bound what a kill races. */
  const rawRate = () =>
    Math.max(
      0,
      ...(sampler?.points.slice(-3) ?? []).map((p) =>
        rawSources.reduce((a, s) => a + (p.inPerSource[s] ?? 0), 0)
      ),
    );
  /** Start and end of the latest scrape: history rows received after it are not in its counters. */
  const lastScrape = { start: 0, end: 0 };
  /** Adds the counters of the gateway lifetime that is about to end (`killedAt`: when the kill was sent). */
  const closeLifetime = async (): Promise<(killedAt: number | undefined) => void> => {
    const scrapedAt = Date.now();
    const text = await rig.metrics(10_000);
    lastScrape.start = scrapedAt;
    lastScrape.end = Date.now();
    if (text === undefined) {
      log(
        "chaos: the gateway did not answer its last metrics scrape; its counters since the last sample are lost",
      );
    }
    const series = text !== undefined ? parseProm(text) : sampler?.lastSeries ?? [];
    const add = (k: string, v: number) => (counters[k] = (counters[k] ?? 0) + v);
    add("history_dropped_values", sum(series, "gateway_sink_dropped_values_total", { sink: "history" }));
    add("uplink_dropped_values", sum(series, "gateway_sink_dropped_values_total", { sink: "uplink" }));
    for (const src of rawSources) {
      add(`received:${src}`, sum(series, "gateway_samples_in_total", { source: src }));
    }
    add("opcua_repeats_dropped", sum(series, "gateway_opcua_repeats_dropped_total"));
    for (const cls of ["raw", "rollups", "scores", "features", "alerts", "events"]) {
      add(`outbox_dropped:${cls}`, sum(series, "gateway_outbox_dropped_total", { class: cls }));
      add(`outbox_refused:${cls}`, sum(series, "gateway_outbox_refused_total", { class: cls }));
    }
    const rate = rawRate();
    return (killedAt) => {
      const race = killedAt === undefined ? 0 : (rate * (killedAt - scrapedAt)) / 1000;
      // An unanswered scrape leaves the lifetime's counters unknown: the ledger then cannot pass.
      if (text === undefined) {
        rawLifetimes.push({ ...lifetimeRaw([], rawSources, true), received: Number.NaN });
      } else rawLifetimes.push(lifetimeRaw(series, rawSources, killedAt !== undefined, race));
    };
  };
  const startGateway = async () => {
    const gw = await rig.startGateway();
    log(`chaos: gateway started (pid ${gw.pid}, start #${rig.gatewayStarts})`);
  };
  const killGateway = async () => {
    const close = await closeLifetime();
    close(Date.now());
    await rig.killGateway();
    await startGateway();
  };
  const restartOpcua = async () => {
    await rig.stopOpcua();
    await new Promise((r) => setTimeout(r, 5_000));
    await rig.startOpcua();
  };
  let outageStart = 0;
  const steps: Step[] = [
    { name: "OPC UA server restart 1/2", waitS: 60, action: restartOpcua },
    { name: "Modbus device 1 disconnected", waitS: 30, action: () => rig.stopModbus(0) },
    { name: "Modbus device 1 back", waitS: 30, action: () => rig.startModbus(0) },
    { name: "gateway kill -9 1/3", waitS: 30, action: killGateway },
    {
      name: "broker down",
      waitS: 30,
      action: async () => {
        outageStart = Date.now();
        await rig.broker.stop();
      },
    },
    { name: "gateway kill -9 2/3 (broker still down)", waitS: 120, action: killGateway },
    { name: "OPC UA server restart 2/2 (broker still down)", waitS: 120, action: restartOpcua },
    {
      name: "broker back",
      waitS: 360,
      action: async () => {
        await rig.broker.start();
        log(`chaos: broker was down ${Math.round((Date.now() - outageStart) / 1000)} s`);
      },
    },
    { name: "gateway kill -9 3/3", waitS: 60, action: killGateway },
    { name: "settle (replay drains)", waitS: 120, action: () => Promise.resolve() },
  ];
  let faults: FaultRecord[] = [];
  try {
    await rig.startPeers();
    await startGateway();
    sampler = new Sampler(t0, () => rig.metrics());
    const s = sampler;
    let busy = false;
    sampling = setInterval(() => {
      if (busy || !rig.gateway) return;
      busy = true;
      s.sample(rig.gateway.pid).then((p) => p && log(formatPoint(p))).finally(() => (busy = false));
    }, opts.sampleS * 1000);
    faults = await runSchedule(steps, opts.scale, t0, log);
    clearInterval(sampling);
    sampling = undefined;
    // What is still in the outbox is durable, not lost: let it drain before judging what arrived upstream.
    const drainUntil = Date.now() + Math.max(60_000, 600_000 * opts.scale);
    let backlog = Number.NaN;
    while (Date.now() < drainUntil) {
      const text = await rig.metrics(10_000);
      backlog = text === undefined ? Number.NaN : sum(parseProm(text), "gateway_outbox_backlog_messages");
      if (backlog === 0) break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    log(`chaos: outbox backlog at the end: ${backlog} messages`);
    counters["outbox_backlog_at_end"] = backlog;
    // Stop the raw sources first, so that no value arrives after the gateway's last scrape.
    await rig.stopRawSources();
    (await closeLifetime())(undefined);
    const served = rig.served();
    await rig.stopGateway();
    await new Promise((r) => setTimeout(r, 2_000));
    const history = await readHistory(`${rig.ep.dataDir}/state/history/history.duckdb`, lastScrape);
    const upstream = rig.subscriber!.received;
    const overBudget = (history.events["outbox.dropped"] ?? 0) + (history.events["outbox.full"] ?? 0);
    const rows = verdictRows({
      history,
      upstream,
      windowMs: (WINDOW / opts.plan.vibrationRateHz) * 1000,
      gatewayStarts: rig.gatewayStarts,
      served,
      counters,
      outboxOverBudget: overBudget,
      faults: faults.length,
      rawLedger: rawLedger(rawLifetimes, storedRaw(history, rawSources)),
    });
    const table = formatVerdict(rows);
    const result = {
      kind: "chaos",
      started: new Date(t0).toISOString(),
      durationS: Math.round((Date.now() - t0) / 1000),
      scale: opts.scale,
      plan: opts.plan,
      ...(extraGatewayFlags().length > 0 ? { gatewayFlags: extraGatewayFlags() } : {}),
      machine: host,
      faults,
      counters,
      rawLifetimes,
      history: {
        features: history.features.size,
        alerts: Object.fromEntries(history.alerts),
        scores: history.scores,
        rawRows: history.rawRows,
        rawRowsAll: history.rawRowsAll,
        events: history.events,
      },
      upstream: {
        perClass: upstream.perClass,
        features: upstream.features.size,
        alerts: [...upstream.alerts],
        duplicates: upstream.duplicates,
      },
      served,
      verdict: rows,
      pass: rows.every((r) => r.pass),
      timeline: sampler.points,
    };
    const out = opts.out ?? `${ROOT}docs/proof/chaos_latest.json`;
    await Deno.writeTextFile(out, JSON.stringify(result, null, 1) + "\n");
    console.log(`\n${table}\n\n${result.pass ? "PASS" : "FAIL"}: chaos verdict; results: ${out}`);
    return result.pass ? 0 : 1;
  } finally {
    if (sampling !== undefined) clearInterval(sampling);
    await rig.close();
    rig.procs.removeSignalHandlers();
    if (!opts.keep) await Deno.remove(rig.dir, { recursive: true }).catch(() => {});
    else console.log(`chaos: run directory kept: ${rig.dir}`);
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (e) {
    console.error(`chaos: ${e instanceof Error ? e.message : String(e)}`);
    Deno.exit(1);
  }
}
