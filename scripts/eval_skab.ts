/**
 * @module SKAB outlier-detection evaluation with the gateway's own detector classes, following the published
 * protocol: per file the first 400 rows train (the learning period), the rest is scored; F1/FAR/MAR pooled.
 *
 * `deno task eval:skab [--data <dir with valve1/ valve2/ other/>]`; exits 0 with a message when absent.
 */
import "../core/anomaly/builtin.ts";
import { updateSync } from "../core/anomaly/detector.ts";
import { createDetector, type DetectorCommon } from "../core/anomaly/registry.ts";
import { detectorSchemas } from "../core/anomaly/registry.ts";
import { binaryScores, type Confusion, confusion } from "../core/anomaly/eval/binary_metrics.ts";
import { silentLogger } from "../core/log/mod.ts";
import { formatIssues } from "../core/schema/mod.ts";
import { isDir, parseArgs } from "./lib/args.ts";
import { loadSkab, SKAB_COLUMNS, type SkabFile } from "./lib/skab_data.ts";

const TRAIN_ROWS = 400;
/** Temperatures drift slowly over each experiment regardless of the valve; the edge config leaves them out. */
const NO_TEMPS = SKAB_COLUMNS.filter((c) => c !== "Temperature" && c !== "Thermocouple");

/** Detector configs evaluated (the same for every file; nothing is tuned per file). */
export const SKAB_CONFIGS: readonly Record<string, unknown>[] = [
  { name: "t2q_edge", type: "pca_t2q", features: NO_TEMPS, smoothing: 0.1, variance: 0.9, threshold: 2.5 },
  { name: "t2q_all", type: "pca_t2q", features: [], smoothing: 0.1, variance: 0.9, threshold: 2.5 },
  { name: "t2q_raw", type: "pca_t2q", features: [], smoothing: 1, variance: 0.85, threshold: 1 },
  { name: "ewma", type: "ewma", features: NO_TEMPS, lambda: 0.1, threshold: 6 },
  { name: "robust_z", type: "robust_z", features: NO_TEMPS, smoothing: 0.1, threshold: 8 },
];

const PUBLISHED = [
  ["Conv-AE", 0.78, 13.55, 28.02],
  ["MSET", 0.78, 39.73, 14.13],
  ["T-squared+Q (PCA-based)", 0.76, 26.62, 24.92],
  ["LSTM-AE", 0.74, 29.96, 25.92],
  ["T-squared", 0.66, 19.21, 42.6],
  ["Isolation forest", 0.29, 2.56, 82.89],
] as const;

/** Scores one detector config over every file; returns pooled confusion counts. */
export function evaluate(files: readonly SkabFile[], raw: Record<string, unknown>): Confusion {
  const schema = detectorSchemas().get(String(raw.type))!;
  const parsed = schema.parse({ learn_vectors: TRAIN_ROWS, ...raw });
  if (!parsed.ok) throw new TypeError(`detector config: ${formatIssues(parsed.issues)}`);
  const config = parsed.value as DetectorCommon;
  const env = { asset: "skab", logger: silentLogger, now: Date.now, event: () => {} };
  const total: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const f of files) {
    const det = createDetector(config, env);
    const pred: boolean[] = [];
    f.rows.forEach((row, i) => {
      const features: Record<string, number> = {};
      f.columns.forEach((c, j) => (features[c] = row[j]!));
      const d = updateSync(det, features, f.ts[i]!);
      if (i >= TRAIN_ROWS) pred.push(d?.anomalous ?? false);
    });
    confusion(pred, f.anomaly.subarray(TRAIN_ROWS), total);
  }
  return total;
}

if (import.meta.main) {
  const args = parseArgs(Deno.args);
  const root = args.get("data") ?? new URL("../../shared/data/skab/data", import.meta.url).pathname;
  if (!(await isDir(root))) {
    console.log(`SKAB data not found at ${root}: skipping (pass --data <dir>)`);
    Deno.exit(0);
  }
  const files = await loadSkab(root);
  if (files.length === 0) {
    console.log(`no SKAB files under ${root}: skipping`);
    Deno.exit(0);
  }
  const t0 = performance.now();
  console.log(`SKAB outlier detection: ${files.length} files, first ${TRAIN_ROWS} rows learn, rest scored\n`);
  console.log("| detector (this gateway / published) | F1 | FAR, % | MAR, % |");
  console.log("|---|---:|---:|---:|");
  for (const c of SKAB_CONFIGS) {
    const s = binaryScores(evaluate(files, c));
    console.log(
      `| **${c.name}** (${c.type}) | ${s.f1.toFixed(3)} | ${s.far.toFixed(2)} | ${s.mar.toFixed(2)} |`,
    );
  }
  for (const [n, f1, far, mar] of PUBLISHED) console.log(`| ${n} (published) | ${f1} | ${far} | ${mar} |`);
  console.log(`\n(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
