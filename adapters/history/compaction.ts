/**
 * @module Compaction of duplicate rollup rows, bounded to the buckets written since the last pass. A small table,
 * `rollup_compaction`, records per rollup table the earliest bucket start written since then; every write lowers
 * it in its own transaction, so a pass never scans more than what could hold a new duplicate.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { us } from "./time.ts";

/** The rollup tables, in the order compaction visits them. */
export const ROLLUP_TABLES = ["rollups_1s", "rollups_1m", "rollups_1h"] as const;
export type RollupTable = typeof ROLLUP_TABLES[number];

/** Bucket starts a pass must look at: from this ms timestamp on, or "all" (rows written by an untracked build). */
export type Pending = number | "all";

/**
 * The per-table marks. Kept outside the versioned schema on purpose: an older build ignores the table, so a
 * rollback still opens the database. A database without the table gets "all" once (a full pass).
 */
export class CompactionMarks {
  readonly #pending = new Map<RollupTable, Pending>();

  /** Creates the table when missing (marking every table "all") and loads the marks. */
  async load(conn: DuckDBConnection): Promise<void> {
    const t = await conn.runAndReadAll(
      "SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'rollup_compaction' AND schema_name = 'main'",
    );
    if (Number(t.getRowObjectsJS()[0]?.n ?? 0) === 0) {
      await conn.run("CREATE TABLE rollup_compaction (table_name VARCHAR NOT NULL, pending_from TIMESTAMP)");
      for (const table of ROLLUP_TABLES) {
        await conn.run("INSERT INTO rollup_compaction VALUES ($1, NULL)", [table]);
      }
    }
    const r = await conn.runAndReadAll(
      "SELECT table_name, epoch_us(pending_from) AS us FROM rollup_compaction",
    );
    this.#pending.clear();
    for (const row of r.getRowObjectsJS()) {
      const table = ROLLUP_TABLES.find((x) => x === row.table_name);
      if (!table) continue;
      const from: Pending = row.us === null ? "all" : Number(row.us) / 1000;
      const cur = this.#pending.get(table);
      this.#pending.set(table, cur === undefined ? from : lowest(cur, from));
    }
  }

  /** What the next pass over `table` must look at; undefined when nothing was written since the last pass. */
  pending(table: RollupTable): Pending | undefined {
    return this.#pending.get(table);
  }

  /**
   * Records, inside the caller's transaction, that buckets from `fromMs` on were written to `table`. Writes
   * only when the mark moves down. After a rollback the caller reloads the marks ({@link load}).
   */
  async lower(conn: DuckDBConnection, table: RollupTable, fromMs: number): Promise<void> {
    const cur = this.#pending.get(table);
    if (cur === "all" || (cur !== undefined && cur <= fromMs)) return;
    if (cur === undefined) {
      await conn.run("INSERT INTO rollup_compaction VALUES ($1, make_timestamp($2::BIGINT))", [
        table,
        us(fromMs),
      ]);
    } else {
      await conn.run(
        "UPDATE rollup_compaction SET pending_from = make_timestamp($2::BIGINT) WHERE table_name = $1",
        [table, us(fromMs)],
      );
    }
    this.#pending.set(table, fromMs);
  }

  /** Forgets the mark of `table`, inside the caller's transaction (a pass covered everything it marked). */
  async clear(conn: DuckDBConnection, table: RollupTable): Promise<void> {
    await conn.run("DELETE FROM rollup_compaction WHERE table_name = $1", [table]);
    this.#pending.delete(table);
  }
}

function lowest(a: Pending, b: Pending): Pending {
  return a === "all" || b === "all" ? "all" : Math.min(a, b);
}

/** The merge of one table's duplicates among buckets matching `where` (a condition on column `start`). */
function mergeSql(table: string, where: (alias: string) => string): string {
  return `CREATE TEMP TABLE merged AS
    WITH d AS (SELECT tag_id, start, origin FROM ${table} WHERE ${
    where("")
  } GROUP BY ALL HAVING count(*) > 1),
    r AS (SELECT x.*, x.rowid AS rid, x.count * (1 - x.bad_share) AS w FROM ${table} x JOIN d USING (tag_id, start, origin)
      WHERE ${where("x.")})
    SELECT tag_id, start, sum(count)::BIGINT AS count,
      sum(mean * w) / nullif(sum(w) FILTER (WHERE mean IS NOT NULL), 0) AS mean,
      sqrt(greatest(0, sum(w * (std * std + mean * mean)) / nullif(sum(w) FILTER (WHERE mean IS NOT NULL), 0)
        - pow(sum(mean * w) / nullif(sum(w) FILTER (WHERE mean IS NOT NULL), 0), 2))) AS std,
      min(min) AS min, max(max) AS max, max(p95) AS p95, arg_max(last, rid) FILTER (WHERE last IS NOT NULL) AS last,
      sum(count * bad_share) / nullif(sum(count), 0) AS bad_share, origin
    FROM r GROUP BY tag_id, start, origin`;
}

/**
 * Merges rollup rows of the same tag and bucket start (a bucket flushed at shutdown and continued after a
 * restart): counts add, mean and std pool exactly, min/max/last combine, p95 takes the larger. Looks only at
 * buckets from each table's mark on: both rows of a duplicate share a start, and one of them was written since
 * the last pass. Returns the rows merged away.
 */
export async function compactRollups(conn: DuckDBConnection, marks: CompactionMarks): Promise<number> {
  let merged = 0;
  for (const table of ROLLUP_TABLES) {
    const from = marks.pending(table);
    if (from === undefined) continue;
    const where = (alias: string) =>
      from === "all" ? "true" : `${alias}start >= make_timestamp(${us(from)}::BIGINT)`;
    await conn.run("BEGIN TRANSACTION");
    try {
      const dup = await conn.runAndReadAll(
        `SELECT count(*) AS n FROM (SELECT 1 FROM ${table} WHERE ${
          where("")
        } GROUP BY tag_id, start, origin HAVING count(*) > 1)`,
      );
      if (Number(dup.getRowObjectsJS()[0]?.n ?? 0) > 0) {
        await conn.run(mergeSql(table, where));
        const n = await conn.run(`DELETE FROM ${table} x USING merged m
          WHERE x.tag_id = m.tag_id AND x.start = m.start AND x.origin = m.origin AND ${where("x.")}`);
        await conn.run(`INSERT INTO ${table} SELECT tag_id, start, count, mean, std, min, max, p95, last,
          coalesce(bad_share, 0), origin FROM merged`);
        await conn.run("DROP TABLE merged");
        merged += Number(n.rowsChanged);
      }
      await marks.clear(conn, table);
      await conn.run("COMMIT");
    } catch (error) {
      await conn.run("ROLLBACK").catch(() => {});
      await marks.load(conn).catch(() => {});
      throw error;
    }
  }
  return merged;
}
