/**
 * @module Series queries: picks raw or a rollup table per tag, buckets with time_bucket, enforces maxPoints.
 */
import { type DuckDBConnection, listValue } from "@duckdb/node-api";
import type { Aggregation, Series, SeriesQuery } from "../../core/mod.ts";
import { INTERVAL_MS } from "./rollups.ts";
import { us } from "./time.ts";
import { type CheckedSeries, checkSeries } from "./validate.ts";

type Table = Series["table"];
const ROLLUP_TABLES: readonly { table: Exclude<Table, "raw">; name: string; ms: number }[] = [
  { table: "1h", name: "rollups_1h", ms: INTERVAL_MS["1h"] },
  { table: "1m", name: "rollups_1m", ms: INTERVAL_MS["1m"] },
  { table: "1s", name: "rollups_1s", ms: INTERVAL_MS["1s"] },
];

/** Aggregation over raw samples: statistics cover non-Bad values, count covers every sample. */
const RAW_AGG: Readonly<Record<Aggregation, string>> = {
  avg: "avg(value) FILTER (WHERE quality < 2)",
  min: "min(value) FILTER (WHERE quality < 2)",
  max: "max(value) FILTER (WHERE quality < 2)",
  last: "arg_max(value, ts) FILTER (WHERE quality < 2 AND value IS NOT NULL)",
  count: "count(*)::DOUBLE",
  p95: "quantile_cont(value, 0.95) FILTER (WHERE quality < 2)",
};

/** Combining rollup rows into coarser buckets; p95 takes the largest child p95 (an upper bound). */
const ROLLUP_AGG: Readonly<Record<Aggregation, string>> = {
  avg:
    "sum(mean * count * (1 - bad_share)) / nullif(sum(count * (1 - bad_share)) FILTER (WHERE mean IS NOT NULL), 0)",
  min: "min(min)",
  max: "max(max)",
  last: "arg_max(last, start) FILTER (WHERE last IS NOT NULL)",
  count: "sum(count)::DOUBLE",
  p95: "max(p95)",
};
const ROLLUP_QUALITY = "CASE WHEN min(bad_share) >= 1 THEN 2 WHEN max(bad_share) > 0 THEN 1 ELSE 0 END";

/** Answers a series query. */
export async function querySeries(conn: DuckDBConnection, query: SeriesQuery): Promise<Series[]> {
  const q = checkSeries(query);
  const ids = await resolveTags(conn, q.tags);
  if (q.step !== undefined) {
    const first = Math.floor(q.from / q.step) * q.step;
    const buckets = Math.ceil((q.to - first) / q.step);
    if (buckets > q.maxPoints) throw tooMany(q, buckets, `${q.tags.length > 1 ? "each tag" : q.tags[0]}`);
  }
  const tableOf = await chooseTables(conn, q, [...ids.values()]);
  const out = new Map<string, Series["points"][number][]>(q.tags.map((t) => [t, []]));
  const groups = new Map<Table, number[]>();
  for (const id of ids.values()) {
    const t = tableOf.get(id) ?? "raw";
    groups.set(t, [...(groups.get(t) ?? []), id]);
  }
  const nameOf = new Map([...ids].map(([tag, id]) => [id, tag]));
  for (const [table, tagIds] of groups) {
    if (table === "raw" && q.step === undefined) await checkRawCount(conn, q, tagIds, nameOf);
    const rows = await fetch(conn, q, table, tagIds);
    const [idCol, tsCol, valCol, qCol] = rows;
    if (!idCol) continue;
    for (let i = 0; i < idCol.length; i++) {
      const tag = nameOf.get(Number(idCol[i]))!;
      const v = valCol![i];
      out.get(tag)!.push({
        ts: Number(tsCol![i]),
        value: v === null ? null : Number(v),
        quality: Number(qCol![i]),
      });
    }
  }
  return q.tags.map((tag) => ({ tag, table: tableOf.get(ids.get(tag)!) ?? "raw", points: out.get(tag)! }));
}

/** Tag ids by name; unknown tags are an error that names them. */
async function resolveTags(conn: DuckDBConnection, tags: readonly string[]): Promise<Map<string, number>> {
  const r = await conn.runAndReadAll(
    "SELECT tag, tag_id FROM tags WHERE tag IN (SELECT unnest($1::VARCHAR[]))",
    [listValue([...tags])],
  );
  const ids = new Map<string, number>();
  for (const row of r.getRowObjectsJS()) ids.set(String(row.tag), Number(row.tag_id));
  const unknown = tags.filter((t) => !ids.has(t));
  if (unknown.length > 0) {
    throw new RangeError(
      `unknown tag${unknown.length > 1 ? "s" : ""} ${
        unknown.map((t) => JSON.stringify(t)).join(", ")
      }: the history store has no data for ${unknown.length > 1 ? "them" : "it"}`,
    );
  }
  return new Map(tags.map((t) => [t, ids.get(t)!]));
}

/** Per tag: the coarsest rollup table with interval ≤ step that has data in range; raw otherwise. */
async function chooseTables(
  conn: DuckDBConnection,
  q: CheckedSeries,
  ids: number[],
): Promise<Map<number, Table>> {
  const chosen = new Map<number, Table>();
  if (q.step === undefined) return chosen;
  for (const t of ROLLUP_TABLES) {
    if (t.ms > q.step) continue;
    const pending = ids.filter((id) => !chosen.has(id));
    if (pending.length === 0) break;
    const r = await conn.runAndReadAll(
      `SELECT DISTINCT tag_id FROM ${t.name} WHERE tag_id IN (SELECT unnest($1::INTEGER[]))
         AND start >= make_timestamp($2::BIGINT) AND start < make_timestamp($3::BIGINT)`,
      [listValue(pending), us(q.from), us(q.to)],
    );
    for (const row of r.getRowObjectsJS()) chosen.set(Number(row.tag_id), t.table);
  }
  return chosen;
}

async function checkRawCount(
  conn: DuckDBConnection,
  q: CheckedSeries,
  ids: number[],
  nameOf: Map<number, string>,
): Promise<void> {
  const r = await conn.runAndReadAll(
    `SELECT tag_id, count(*)::BIGINT AS n FROM samples WHERE tag_id IN (SELECT unnest($1::INTEGER[]))
       AND ts >= make_timestamp($2::BIGINT) AND ts < make_timestamp($3::BIGINT) GROUP BY tag_id ORDER BY n DESC LIMIT 1`,
    [listValue(ids), us(q.from), us(q.to)],
  );
  const row = r.getRowObjectsJS()[0];
  const n = Number(row?.n ?? 0);
  if (n > q.maxPoints) throw tooMany(q, n, nameOf.get(Number(row!.tag_id))!);
}

function tooMany(q: CheckedSeries, points: number, what: string): RangeError {
  const minStep = Math.ceil((q.to - q.from) / q.maxPoints);
  return new RangeError(
    `query would return ${points} points for ${what}, more than maxPoints ${q.maxPoints}: ` +
      `use a step of at least ${minStep} ms${q.step === undefined ? " (raw points need no step)" : ""}, ` +
      `a shorter range than ${q.to - q.from} ms, or fewer tags`,
  );
}

/** Columns [tag_id, ts ms, value, quality] for tags answered by one table. */
async function fetch(
  conn: DuckDBConnection,
  q: CheckedSeries,
  table: Table,
  ids: number[],
): Promise<unknown[][]> {
  const params = [listValue(ids), us(q.from), us(q.to)];
  let sql: string;
  if (table === "raw" && q.step === undefined) {
    sql = `SELECT tag_id, epoch_us(ts) / 1000.0 AS t, value, quality FROM samples
      WHERE tag_id IN (SELECT unnest($1::INTEGER[])) AND ts >= make_timestamp($2::BIGINT) AND ts < make_timestamp($3::BIGINT)
      ORDER BY tag_id, ts`;
  } else {
    const bucket = (col: string) =>
      `time_bucket(to_microseconds($4::BIGINT), ${col}, TIMESTAMP '1970-01-01 00:00:00')`;
    params.push(us(q.step!));
    if (table === "raw") {
      sql = `SELECT tag_id, epoch_us(${bucket("ts")}) / 1000.0 AS t, ${
        RAW_AGG[q.agg]
      } AS v, max(quality) AS qual
        FROM samples WHERE tag_id IN (SELECT unnest($1::INTEGER[])) AND ts >= make_timestamp($2::BIGINT)
          AND ts < make_timestamp($3::BIGINT)
        GROUP BY tag_id, t ORDER BY tag_id, t`;
    } else {
      const name = ROLLUP_TABLES.find((t) => t.table === table)!.name;
      sql = `SELECT tag_id, epoch_us(${bucket("start")}) / 1000.0 AS t, ${ROLLUP_AGG[q.agg]} AS v,
          ${ROLLUP_QUALITY} AS qual
        FROM ${name} WHERE tag_id IN (SELECT unnest($1::INTEGER[])) AND start >= make_timestamp($2::BIGINT)
          AND start < make_timestamp($3::BIGINT)
        GROUP BY tag_id, t ORDER BY tag_id, t`;
    }
  }
  const r = await conn.runAndReadAll(sql, params);
  return r.getColumnsJS();
}
