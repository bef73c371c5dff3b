/**
 * @module The SELECT behind an export, one per stored kind, with the time range, filters and visibility as
 * parameters (the feature columns come from export_features.ts).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { CheckedExport } from "./export_check.ts";
import { FEATURE_COLUMNS, featureColumns, featureWhere } from "./export_features.ts";
import { assetClauses, Params, type Query } from "./export_params.ts";

/** Columns of a samples export, one row per stored raw value. */
export const SAMPLE_COLUMNS = [
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

/** Columns of a rollups export, one row per stored bucket. */
export const ROLLUP_COLUMNS = [
  "tag",
  "asset",
  "unit",
  "start",
  "count",
  "mean",
  "std",
  "min",
  "max",
  "p95",
  "last",
  "bad_share",
  "origin",
] as const;

/** Columns of a scores export. */
export const SCORE_COLUMNS = [
  "asset",
  "detector",
  "version",
  "ts",
  "score",
  "threshold",
  "anomalous",
  "contributions",
] as const;

/** Columns of an alerts export (the stored state of each alert raised in the range). */
export const ALERT_COLUMNS = [
  "id",
  "asset",
  "kind",
  "severity",
  "state",
  "raised_at",
  "cleared_at",
  "updated_at",
  "acknowledged",
  "acked_by",
  "acked_at",
  "message",
  "detector",
  "score",
  "contributions",
] as const;

/** Columns of an events export; `asset` and `tag` are taken from the event's data. */
export const EVENT_COLUMNS = ["ts", "type", "component", "level", "message", "asset", "tag", "data"] as const;

const where = (clauses: readonly string[]) => clauses.map((c) => `AND ${c}`).join(" ");

function tagRows(e: CheckedExport, p: Params, table: string, time: string, select: string): string {
  const c: string[] = [];
  if (e.tags) c.push(p.in("t.tag", e.tags));
  if (e.assets) c.push(p.in("t.asset", e.assets));
  if (e.visible) c.push(p.in("t.tag", e.visible.tags));
  return `SELECT ${select}
    FROM ${table} x JOIN tags t USING (tag_id)
    WHERE ${p.range(`x.${time}`, e.from, e.to)} ${where(c)}
    ORDER BY t.tag, x.${time}`;
}

function events(e: CheckedExport, p: Params): string {
  const c: string[] = [];
  if (e.tags) c.push(p.in("tag", e.tags));
  if (e.assets) c.push(p.in("asset", e.assets));
  if (e.visible) {
    c.push(
      `(CASE WHEN tag IS NOT NULL THEN ${p.in("tag", e.visible.tags)} ` +
        `ELSE coalesce(${p.in("asset", e.visible.assets)}, false) END)`,
    );
  }
  return `SELECT ${EVENT_COLUMNS.join(", ")} FROM (
      SELECT id, ts, type, component, level, message, json_extract_string(data, '$.asset') AS asset,
        json_extract_string(data, '$.tag') AS tag, data
      FROM events WHERE ${p.range("ts", e.from, e.to)})
    WHERE true ${where(c)}
    ORDER BY ts, id`;
}

/** The query whose rows an export writes. */
export async function exportQuery(conn: DuckDBConnection, e: CheckedExport): Promise<Query> {
  const p = new Params();
  let sql: string;
  switch (e.kind) {
    case "samples":
      sql = tagRows(
        e,
        p,
        "samples",
        "ts",
        `t.tag, t.asset, t.unit, x.ts, x.recv, x.server_ts, x.value, x.text, x.quality, x.status, x.reason,
        (x.flags & 1) <> 0 AS historical, (x.flags & 2) <> 0 AS decimated_block`,
      );
      break;
    case "rollups":
      sql = tagRows(
        e,
        p,
        `rollups_${e.interval}`,
        "start",
        `t.tag, t.asset, t.unit, x.start, x.count, x.mean, x.std, x.min, x.max, x.p95, x.last, x.bad_share,
        CASE x.origin WHEN 0 THEN 'store' ELSE 'message' END AS origin`,
      );
      break;
    case "features": {
      const columns = e.layout === "json" ? "features" : await featureColumns(conn, e, p);
      sql = `SELECT ${[...FEATURE_COLUMNS, ...(columns ? [columns] : [])].join(", ")}
        FROM features WHERE ${featureWhere(e, p)}
        ORDER BY asset, window_start, id`;
      break;
    }
    case "scores":
      sql = `SELECT ${SCORE_COLUMNS.join(", ")} FROM scores
        WHERE ${p.range("ts", e.from, e.to)} ${where(assetClauses(e, p))}
        ORDER BY asset, ts, detector, id`;
      break;
    case "alerts":
      sql = `SELECT ${ALERT_COLUMNS.join(", ")} FROM alerts
        WHERE ${p.range("raised_at", e.from, e.to)} ${where(assetClauses(e, p))}
        ORDER BY asset, raised_at, id`;
      break;
    case "events":
      sql = events(e, p);
      break;
  }
  return { sql, params: p.values };
}
