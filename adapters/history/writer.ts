/**
 * @module Commits one prepared batch in a single DuckDB transaction (appender for samples and rollups).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Rollup, RollupInterval, TagMeta } from "../../core/mod.ts";
import { appendRollups, appendSamples } from "./appender.ts";
import type { CompactionMarks, RollupTable } from "./compaction.ts";
import type { PreparedBatch } from "./prepare.ts";
import {
  insertEvent,
  insertFeatures,
  insertScore,
  ORIGIN_MESSAGE,
  ORIGIN_STORE,
  upsertAlert,
} from "./records.ts";
import type { TagIds } from "./tag_ids.ts";

/** Rows written per table by one commit. */
export type WriteCounts = Record<string, number>;

const TABLE_OF: Readonly<Record<RollupInterval, RollupTable>> = {
  "1s": "rollups_1s",
  "1m": "rollups_1m",
  "1h": "rollups_1h",
};

/**
 * Writes `batch` plus `extraRollups` (closed by the timer) atomically: either everything is durable when this
 * resolves (DuckDB fsyncs its WAL at COMMIT) or nothing was written and the in-memory tag dictionary and
 * compaction marks are reloaded.
 */
export async function commitBatch(
  conn: DuckDBConnection,
  tagIds: TagIds,
  marks: CompactionMarks,
  batch: PreparedBatch,
  extraRollups: readonly Rollup[],
  metaOf: (tag: string) => TagMeta | undefined,
  chunkRows: number,
  now: number,
): Promise<WriteCounts> {
  const counts: WriteCounts = {};
  const rollups: [Rollup, number][] = [
    ...batch.computed.map((r) => [r, ORIGIN_STORE] as [Rollup, number]),
    ...extraRollups.map((r) => [r, ORIGIN_STORE] as [Rollup, number]),
    ...batch.received.map((r) => [r, ORIGIN_MESSAGE] as [Rollup, number]),
  ];
  const tags = new Set<string>(batch.samples.tags);
  for (const [r] of rollups) tags.add(r.tag);
  await conn.run("BEGIN TRANSACTION");
  try {
    await tagIds.ensure(conn, tags, metaOf, now);
    if (batch.samples.length > 0) {
      const ids = batch.samples.tags.map((t) => tagIds.get(t)!);
      const a = await conn.createAppender("samples");
      try {
        appendSamples(a, batch.samples, ids, chunkRows);
        a.flushSync();
      } finally {
        a.closeSync();
      }
      counts.samples = batch.samples.length;
    }
    for (const interval of ["1s", "1m", "1h"] as const) {
      const rows = rollups.filter(([r]) => r.interval === interval);
      if (rows.length === 0) continue;
      const table = TABLE_OF[interval];
      const a = await conn.createAppender(table);
      try {
        appendRollups(a, rows, (tag) => tagIds.get(tag)!, chunkRows);
        a.flushSync();
      } finally {
        a.closeSync();
      }
      let from = Infinity;
      for (const [r] of rows) if (r.start < from) from = r.start;
      await marks.lower(conn, table, from);
      counts[table] = rows.length;
    }
    for (const f of batch.features) await insertFeatures(conn, f);
    for (const s of batch.scores) await insertScore(conn, s);
    for (const e of batch.events) await insertEvent(conn, e);
    for (const e of batch.rejected) await insertEvent(conn, e);
    for (const al of batch.alerts) await upsertAlert(conn, al, now);
    if (batch.features.length) counts.features = batch.features.length;
    if (batch.scores.length) counts.scores = batch.scores.length;
    if (batch.events.length + batch.rejected.length) {
      counts.events = batch.events.length + batch.rejected.length;
    }
    if (batch.alerts.length) counts.alerts = batch.alerts.length;
    await conn.run("COMMIT");
    return counts;
  } catch (error) {
    await conn.run("ROLLBACK").catch(() => {});
    await tagIds.load(conn).catch(() => {});
    await marks.load(conn).catch(() => {});
    throw error;
  }
}
