/**
 * @module Export of a stored kind (raw samples, rollups, features, scores, alerts, events) for a time range
 * and tag or asset set to Parquet or CSV (lakehouse bronze landing).
 */
import type { DuckDBInstance } from "@duckdb/node-api";
import type { ExportRequest } from "../../core/mod.ts";
import { checkExport } from "./export_check.ts";
import { exportQuery, SAMPLE_COLUMNS } from "./export_sql.ts";

/** Columns of a samples export, one row per stored raw value. */
export const EXPORT_COLUMNS = SAMPLE_COLUMNS;

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
  const checked = checkExport(request);
  const partial = `${request.path}.partial`;
  const target = sqlPath(partial);
  const options = checked.format === "parquet"
    ? "FORMAT parquet, COMPRESSION zstd"
    : "FORMAT csv, HEADER true";
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
    const { sql, params } = await exportQuery(conn, checked);
    const result = await conn.run(`COPY (${sql}) TO ${target} (${options})`, params);
    const rows = Number(result.rowsChanged);
    await Deno.rename(partial, request.path);
    const bytes = (await Deno.stat(request.path)).size;
    onProgress?.(1);
    return { rows, bytes };
  } catch (error) {
    await Deno.remove(partial).catch(() => {});
    // A request the data cannot satisfy (too many feature names) is the caller's to change.
    if (error instanceof RangeError) throw error;
    throw new Error(`export to ${request.path} failed`, { cause: error });
  } finally {
    if (timer !== undefined) clearInterval(timer);
    conn.closeSync();
  }
}
