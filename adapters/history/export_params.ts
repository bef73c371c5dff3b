/**
 * @module Parameters of export queries: placeholders, list membership and time ranges, so no caller value is
 * spliced into SQL.
 */
import { type DuckDBValue, listValue } from "@duckdb/node-api";
import type { CheckedExport } from "./export_check.ts";
import { us } from "./time.ts";

/** A parameterised query. */
export interface Query {
  readonly sql: string;
  readonly params: DuckDBValue[];
}

/** Collects parameters and hands out their placeholders. */
export class Params {
  readonly values: DuckDBValue[] = [];

  /** The placeholder of a new parameter. */
  add(v: DuckDBValue): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }

  /** `expr IN list`; an empty list matches nothing (DuckDB cannot bind an untyped empty list). */
  in(expr: string, list: readonly string[]): string {
    if (list.length === 0) return "false";
    return `${expr} IN (SELECT unnest(${this.add(listValue([...list]))}::VARCHAR[]))`;
  }

  /** `time >= from AND time < to`. */
  range(time: string, from: number, to: number): string {
    return `${time} >= make_timestamp(${this.add(us(from))}::BIGINT) AND ` +
      `${time} < make_timestamp(${this.add(us(to))}::BIGINT)`;
  }
}

/** The asset filter and the visible assets of an export of per-asset rows (column `asset`). */
export function assetClauses(e: CheckedExport, p: Params): string[] {
  const c: string[] = [];
  if (e.assets) c.push(p.in("asset", e.assets));
  if (e.visible) c.push(p.in("asset", e.visible.assets));
  return c;
}
