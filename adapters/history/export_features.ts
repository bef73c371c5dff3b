/**
 * @module Flattening stored feature vectors (a JSON object per row) into one DOUBLE column per feature name,
 * in a stable sorted order, for exports.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { CheckedExport } from "./export_check.ts";
import { assetClauses, Params } from "./export_params.ts";

/** Columns of a features export before the feature columns (or the `features` JSON column). */
export const FEATURE_COLUMNS = [
  "asset",
  "window_start",
  "window_end",
  "computed_at",
  "schema_version",
  "quality_worst",
  "good_share",
] as const;

/** The WHERE condition of a features export (also used to find the feature names). */
export function featureWhere(e: CheckedExport, p: Params): string {
  return [p.range("window_start", e.from, e.to), ...assetClauses(e, p)].join(" AND ");
}

/** Most feature columns a flattened export writes; beyond it the JSON layout is the way. */
export const MAX_FEATURE_COLUMNS = 10_000;

/** Quotes an SQL identifier; control characters (not allowed in column names) become `_`. */
export function sqlIdent(name: string): string {
  // deno-lint-ignore no-control-regex
  return `"${name.replace(/[\u0000-\u001f]/g, "_").replaceAll('"', '""')}"`;
}

/** JSON Pointer (RFC 6901) of a top-level key: `~` → `~0`, `/` → `~1`. */
export function jsonPointer(key: string): string {
  return `/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

/**
 * Column names for the feature names, sorted by code point: the name itself, unless it clashes
 * (case-insensitively, as DuckDB compares names) with a fixed column or an earlier one; then `feature:<name>`
 * and, if need be, a numeric suffix.
 */
export function featureColumnNames(names: readonly string[]): { key: string; column: string }[] {
  const taken = new Set<string>(FEATURE_COLUMNS.map((c) => c.toLowerCase()));
  const out: { key: string; column: string }[] = [];
  for (const key of [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    // deno-lint-ignore no-control-regex
    const clean = key.replace(/[\u0000-\u001f]/g, "_");
    let column = taken.has(clean.toLowerCase()) ? `feature:${clean}` : clean;
    for (let i = 2; taken.has(column.toLowerCase()); i++) column = `feature:${clean}_${i}`;
    taken.add(column.toLowerCase());
    out.push({ key, column });
  }
  return out;
}

/** Distinct feature names of the vectors the export covers. */
export async function featureNames(conn: DuckDBConnection, e: CheckedExport): Promise<string[]> {
  const p = new Params();
  const r = await conn.runAndReadAll(
    `SELECT DISTINCT k FROM (SELECT unnest(json_keys(features)) AS k FROM features WHERE ${
      featureWhere(e, p)
    })
     LIMIT ${MAX_FEATURE_COLUMNS + 1}`,
    p.values,
  );
  const names = r.getRowObjectsJS().map((row) => String(row.k));
  if (names.length > MAX_FEATURE_COLUMNS) {
    throw new RangeError(
      `the feature vectors in this range have more than ${MAX_FEATURE_COLUMNS} distinct feature names: ` +
        'export them with layout "json", or a shorter range or fewer assets',
    );
  }
  return names;
}

/**
 * The select-list part with one DOUBLE column per feature name (NULL where a vector lacks the feature or
 * stored it as null, e.g. NaN), or undefined when there are no feature names.
 */
export async function featureColumns(
  conn: DuckDBConnection,
  e: CheckedExport,
  p: Params,
): Promise<string | undefined> {
  const names = featureColumnNames(await featureNames(conn, e));
  if (names.length === 0) return undefined;
  return names.map(({ key, column }) =>
    `TRY_CAST(json_extract_string(features, ${p.add(jsonPointer(key))}) AS DOUBLE) AS ${sqlIdent(column)}`
  ).join(",\n        ");
}
