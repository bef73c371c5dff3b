/**
 * @module Configuration of the history store: file, raw-sample policies, rollups, retention, checkpoints.
 */
import { type InferShape, s } from "../../core/mod.ts";

const RAW_MODES = ["all", "every_nth", "rollups_only"] as const;
export type RawMode = typeof RAW_MODES[number];

const rule = (defaultMode: RawMode) =>
  s.object({
    tags: s.array(s.string({ minLength: 1 }), { minItems: 1 }).default(["*"]).describe(
      'Tag ids or glob patterns ("*" any run of characters, "?" one character) this rule applies to.',
    ),
    mode: s.enum(RAW_MODES).default(defaultMode).describe(
      "all: keep every value; every_nth: keep one value in n; rollups_only: keep no raw values (rollups only).",
    ),
    n: s.int({ min: 2, max: 1_000_000 }).default(10).describe("For every_nth: keep one value in n."),
  });

const days = (d: number, what: string) =>
  s.number({ min: 0 }).default(d).describe(
    `Keep ${what} this many days (0 keeps them until the disk budget).`,
  );

export const retentionSchema = s.object({
  raw_days: days(7, "raw samples"),
  rollups_1s_days: days(14, "1-second rollups"),
  rollups_1m_days: days(180, "1-minute rollups"),
  rollups_1h_days: days(1825, "1-hour rollups"),
  features_days: days(90, "feature vectors"),
  scores_days: days(90, "anomaly scores"),
  events_days: days(365, "gateway events"),
  alerts_days: days(365, "cleared alerts (active alerts are never deleted by age)"),
  max_db_mb: s.number({ min: 0 }).default(8192).describe(
    "Disk budget of the database (used blocks + WAL), MiB; beyond it the oldest data goes first " +
      "(raw, then 1 s rollups, scores, features, 1 min rollups, events, cleared alerts, 1 h rollups). 0 = no budget.",
  ),
  interval_s: s.number({ gt: 0 }).default(60).describe("How often retention and compaction run, s."),
});

export const historySchema = s.object({
  path: s.string({ minLength: 1 }).opt().describe(
    "Database file; defaults to history.duckdb in the component's state directory.",
  ),
  raw: s.array(rule("all")).default([{ tags: ["*"], mode: "all", n: 10 }]).describe(
    "Raw sample policy per tag for single samples; the first rule whose pattern matches a tag applies, " +
      "tags matching no rule keep every value.",
  ),
  blocks: s.array(rule("rollups_only")).default([{ tags: ["*"], mode: "rollups_only", n: 10 }]).describe(
    "Raw value policy per tag for uniformly sampled blocks (vibration): raw 25.6 kHz fills any disk, so the " +
      "default keeps rollups only; every_nth keeps a plain decimated trace (no anti-alias filter).",
  ),
  compute_rollups: s.boolean().default(true).describe(
    "Compute 1 s / 1 min / 1 h rollups inside the store from the full raw stream (before raw downsampling). " +
      "For a tag that receives rollup messages from a rollup transform, the store stops computing its own.",
  ),
  rollup_reservoir: s.int({ min: 64, max: 1_000_000 }).default(8192).describe(
    "p95 of a 1 s rollup bucket is exact up to this many values; beyond it a uniform reservoir of this size " +
      "estimates it.",
  ),
  rollup_exact_values: s.int({ min: 0, max: 1_000_000 }).default(256).describe(
    "p95 of a 1 min or 1 h bucket is exact up to this many values; beyond it a DDSketch gives it within " +
      "±0.5 % (relative), in about 1 KiB per tag and interval, whatever the sample rate.",
  ),
  rollup_grace_ms: s.int({ min: 0 }).default(2000).describe(
    "An open rollup bucket is written this long after its end even if no newer sample arrived.",
  ),
  retention: retentionSchema.default(defaultsOf()).describe(
    "Retention per table by age and by disk budget, enforced periodically.",
  ),
  checkpoint: s.object({
    interval_s: s.number({ gt: 0 }).default(300).describe("CHECKPOINT at least this often, s."),
    wal_mb: s.number({ gt: 0 }).default(64).describe(
      "CHECKPOINT automatically when the WAL exceeds this, MiB.",
    ),
  }).default({ interval_s: 300, wal_mb: 64 }).describe("When the write-ahead log is folded into the file."),
  memory_limit_mb: s.int({ min: 16 }).default(512).describe("DuckDB memory limit, MiB."),
  threads: s.int({ min: 1, max: 64 }).default(2).describe("DuckDB worker threads."),
  max_chunk_rows: s.int({ min: 64, max: 2048 }).default(2048).describe(
    "Rows per appended data chunk (DuckDB's vector size is 2048).",
  ),
  quarantine: s.object({
    max_mb: s.number({ gt: 0 }).default(64).describe(
      "Disk cap of all quarantine files together, MiB; beyond it the oldest file is removed (counted).",
    ),
  }).default({ max_mb: 64 }).describe(
    "Records the database refuses while it otherwise works (the rest of their batch is stored) are kept whole " +
      "as JSON lines with the error in quarantine/<date>.jsonl next to the database file.",
  ),
}).withCheck((c, path, ctx) => {
  const p = path ? `${path}.` : "";
  // DuckDB 1.5 holds data appended since the last checkpoint in its buffer pool, and with a WAL threshold
  // near the memory limit it also keeps table blocks pinned across checkpoints (2.2 MB per million rows at
  // 64 of 128 MiB, never released: commits fail after ~50 million rows). At an eighth it levels off as cache.
  if (c.checkpoint.wal_mb > c.memory_limit_mb / 8) {
    ctx.fail(
      `${p}checkpoint.wal_mb`,
      `must be at most an eighth of memory_limit_mb (${c.memory_limit_mb}, so ${c.memory_limit_mb / 8}): ` +
        "DuckDB holds the data appended since the last checkpoint in memory",
    );
  }
});

function defaultsOf(): InferShape<typeof retentionSchema.shape> {
  const r = retentionSchema.parse({});
  if (!r.ok) throw new TypeError("retention defaults do not validate");
  return r.value;
}

export type HistoryConfig = InferShape<typeof historySchema.shape>;
export type RetentionConfig = InferShape<typeof retentionSchema.shape>;
export type RawRule = HistoryConfig["raw"][number];
