/**
 * @module Export of raw samples for a time range and tag set to Parquet or CSV (lakehouse bronze landing).
 */
import { type DuckDBInstance, listValue } from "@duckdb/node-api";
import type { ExportRequest } from "../../core/mod.ts";
import { us } from "./time.ts";
import { checkRange, checkTags } from "./validate.ts";

/** Columns of an export file, one row per stored raw value. */
export const EXPORT_COLUMNS = [
  "tag",
  "asset",
  "unit",
  "ts",
  "recv",
  "server_ts",
  "value",
  "text",
  "quality",
  "status",
  "reason",
  "historical",
  "decimated_block",
] as const;

/** Quotes a file path as an SQL string literal (COPY takes no parameter for its target). */
export function sqlPath(path: string): string {
  if (typeof path !== "string" || path.length === 0) throw new TypeError("path must be a non-empty string");
  if (/[\0\n\r]/.test(path)) {
    throw new RangeError(`path ${JSON.stringify(path)} contains a control character`);
  }
  return `'${path.replaceAll("'", "''")}'`;
}

/**
 * Writes the rows to `<path>.partial` and renames it to `path` when complete, so a reader never sees half a
 * file. Progress comes from DuckDB's query progress, polled every 100 ms.
 */
export async function exportRange(
  instance: DuckDBInstance,
  request: ExportRequest,
): Promise<{ rows: number; bytes: number }> {
  if (typeof request !== "object" || request === null) {
    throw new TypeError("export request must be an object");
  }
  const { from, to } = checkRange(request.from, request.to);
  const tags = request.tags === undefined ? undefined : checkTags(request.tags);
  if (tags !== undefined && tags.length === 0) {
    throw new RangeError("tags, when given, must name at least one tag");
  }
  if (request.format !== "parquet" && request.format !== "csv") {
    throw new RangeError(`format must be "parquet" or "csv", got ${JSON.stringify(request.format)}`);
  }
  const partial = `${request.path}.partial`;
  const target = sqlPath(partial);
  const options = request.format === "parquet"
    ? "FORMAT parquet, COMPRESSION zstd"
    : "FORMAT csv, HEADER true";
  const params = tags === undefined ? [us(from), us(to)] : [us(from), us(to), listValue(tags)];
  const sql = `COPY (
      SELECT t.tag, t.asset, t.unit, s.ts, s.recv, s.server_ts, s.value, s.text, s.quality, s.status, s.reason,
        (s.flags & 1) <> 0 AS historical, (s.flags & 2) <> 0 AS decimated_block
      FROM samples s JOIN tags t USING (tag_id)
      WHERE s.ts >= make_timestamp($1::BIGINT) AND s.ts < make_timestamp($2::BIGINT)
        ${tags === undefined ? "" : "AND t.tag IN (SELECT unnest($3::VARCHAR[]))"}
      ORDER BY t.tag, s.ts
    ) TO ${target} (${options})`;
  const conn = await instance.connect();
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    await conn.run("SET enable_progress_bar = true");
    await conn.run("SET enable_progress_bar_print = false");
    const onProgress = request.onProgress;
    if (onProgress) {
      onProgress(0);
      timer = setInterval(() => {
        const pct = conn.progress.percentage;
        if (pct >= 0) onProgress(Math.min(0.99, pct / 100));
      }, 100);
    }
    const result = await conn.run(sql, params);
    const rows = Number(result.rowsChanged);
    await Deno.rename(partial, request.path);
    const bytes = (await Deno.stat(request.path)).size;
    onProgress?.(1);
    return { rows, bytes };
  } catch (error) {
    await Deno.remove(partial).catch(() => {});
    throw new Error(`export to ${request.path} failed`, { cause: error });
  } finally {
    if (timer !== undefined) clearInterval(timer);
    conn.closeSync();
  }
}
