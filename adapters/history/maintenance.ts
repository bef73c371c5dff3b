/**
 * @module Periodic jobs of the store: retention by age and budget, compaction, CHECKPOINT, size figures.
 */
import type { OpenDb } from "./db.ts";
import { type CompactionMarks, compactRollups } from "./compaction.ts";
import { enforceAge, enforceBudget } from "./retention.ts";
import type { HistoryConfig } from "./schema.ts";
import { type DbSize, dbSize, rowCounts } from "./size.ts";

/** What the last maintenance run found and did. */
export interface MaintenanceReport {
  readonly size: DbSize;
  readonly rows: Record<string, number>;
  readonly deleted: Record<string, number>;
  /** Part of `deleted` removed to stay within the disk budget (before the age limits). */
  readonly overBudget: Record<string, number>;
  readonly merged: number;
}

/** Runs retention (age, then budget) and compaction, then checkpoints when anything changed. */
export async function runRetention(
  db: OpenDb,
  config: HistoryConfig,
  marks: CompactionMarks,
  now: number,
): Promise<MaintenanceReport> {
  const conn = db.write;
  const deleted = await enforceAge(conn, config.retention, now);
  const budget = await enforceBudget(conn, db.path, config.retention.max_db_mb * 1024 * 1024);
  for (const [t, n] of Object.entries(budget)) deleted[t] = (deleted[t] ?? 0) + n;
  const merged = await compactRollups(conn, marks);
  if (Object.keys(deleted).length > 0 || merged > 0) await conn.run("CHECKPOINT");
  return {
    size: await dbSize(conn, db.path),
    rows: await rowCounts(conn),
    deleted,
    overBudget: budget,
    merged,
  };
}

/** Folds the WAL into the database file. */
export async function checkpoint(db: OpenDb): Promise<void> {
  await db.write.run("CHECKPOINT");
}
