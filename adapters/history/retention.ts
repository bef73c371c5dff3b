/**
 * @module Retention by age per table and by disk budget (oldest first, in a fixed order of expendability).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { dbSize } from "./size.ts";
import type { RetentionConfig } from "./schema.ts";
import { us } from "./time.ts";

interface Aged {
  readonly table: string;
  readonly time: string;
  readonly key: keyof RetentionConfig;
  /** Extra condition rows must meet to be deletable. */
  readonly only?: string;
}

/** Tables in the order the disk budget sacrifices them. */
export const BUDGET_ORDER: readonly Aged[] = [
  { table: "samples", time: "ts", key: "raw_days" },
  { table: "rollups_1s", time: "start", key: "rollups_1s_days" },
  { table: "scores", time: "ts", key: "scores_days" },
  { table: "features", time: "window_start", key: "features_days" },
  { table: "rollups_1m", time: "start", key: "rollups_1m_days" },
  { table: "events", time: "ts", key: "events_days" },
  { table: "alerts", time: "raised_at", key: "alerts_days", only: "state = 'cleared'" },
  { table: "rollups_1h", time: "start", key: "rollups_1h_days" },
];

const DAY_MS = 86_400_000;

/** Deletes rows older than each table's age limit; returns rows deleted per table. */
export async function enforceAge(
  conn: DuckDBConnection,
  cfg: RetentionConfig,
  now: number,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of BUDGET_ORDER) {
    const daysKeep = cfg[t.key] as number;
    if (daysKeep <= 0) continue;
    const r = await conn.run(
      `DELETE FROM ${t.table} WHERE ${t.time} < make_timestamp($1::BIGINT)${t.only ? ` AND ${t.only}` : ""}`,
      [us(now - daysKeep * DAY_MS)],
    );
    const n = Number(r.rowsChanged);
    if (n > 0) out[t.table] = n;
  }
  return out;
}

/**
 * While used bytes + WAL exceed the budget, deletes the oldest tenth (by time span) of the first table in
 * {@link BUDGET_ORDER} that still has rows, then checkpoints so the blocks are freed. Gives up after
 * `maxRounds` (the next run continues). Returns rows deleted per table.
 */
export async function enforceBudget(
  conn: DuckDBConnection,
  path: string,
  budgetBytes: number,
  maxRounds = 40,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (budgetBytes <= 0) return out;
  for (let round = 0; round < maxRounds; round++) {
    const size = await dbSize(conn, path);
    if (size.used + size.wal <= budgetBytes) break;
    let deleted = 0;
    for (const t of BUDGET_ORDER) {
      const only = t.only ? ` WHERE ${t.only}` : "";
      const span = (await conn.runAndReadAll(
        `SELECT epoch_us(min(${t.time})) AS lo, epoch_us(max(${t.time})) AS hi, count(*) AS n FROM ${t.table}${only}`,
      )).getRowObjectsJS()[0];
      if (!span || Number(span.n) === 0) continue;
      const lo = BigInt(span.lo as bigint);
      const hi = BigInt(span.hi as bigint);
      const cut = lo + (hi - lo) / 10n + 1n;
      const r = await conn.run(
        `DELETE FROM ${t.table} WHERE ${t.time} < make_timestamp($1::BIGINT)${
          t.only ? ` AND ${t.only}` : ""
        }`,
        [cut],
      );
      deleted = Number(r.rowsChanged);
      out[t.table] = (out[t.table] ?? 0) + deleted;
      break;
    }
    if (deleted === 0) break;
    await conn.run("CHECKPOINT");
  }
  return out;
}
