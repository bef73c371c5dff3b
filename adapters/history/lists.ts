/**
 * @module List queries (features, scores, alerts, events): filters, newest first, paged by opaque cursor.
 */
import { type DuckDBConnection, type DuckDBValue, listValue } from "@duckdb/node-api";
import type { Alert, AnomalyScore, FeatureVector, GatewayEvent, ListQuery, Page } from "../../core/mod.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { us } from "./time.ts";
import { checkLimit, checkTags, checkTime } from "./validate.ts";

type Row = Record<string, unknown>;

interface ListSpec<T> {
  readonly table: string;
  /** Timestamp column used for the time filter and the order. */
  readonly time: string;
  /** Tie-breaker column (unique). */
  readonly id: string;
  /** SQL expression of the asset (default column `asset`). */
  readonly asset?: string;
  /** Extra filters: SQL whose every `?` is the value. */
  readonly where: { sql: string; value: DuckDBValue }[];
  map(row: Row): T;
}

/** Runs a list query. */
export async function list<T>(conn: DuckDBConnection, q: ListQuery, spec: ListSpec<T>): Promise<Page<T>> {
  if (typeof q !== "object" || q === null) throw new TypeError("list query must be an object");
  const limit = checkLimit(q.limit);
  const clauses: string[] = [];
  const params: DuckDBValue[] = [];
  const p = (v: DuckDBValue) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (q.from !== undefined) {
    clauses.push(`${spec.time} >= make_timestamp(${p(us(checkTime("from", q.from)))}::BIGINT)`);
  }
  if (q.to !== undefined) {
    clauses.push(`${spec.time} < make_timestamp(${p(us(checkTime("to", q.to)))}::BIGINT)`);
  }
  if (q.assets !== undefined) {
    const assets = checkTags(q.assets, "assets");
    clauses.push(`${spec.asset ?? "asset"} IN (SELECT unnest(${p(listValue(assets))}::VARCHAR[]))`);
  }
  for (const w of spec.where) {
    const ph = p(w.value);
    clauses.push(w.sql.replaceAll("?", ph));
  }
  if (q.cursor !== undefined) {
    if (typeof q.cursor !== "string") throw new TypeError("cursor must be a string");
    const c = decodeCursor(q.cursor);
    const t = p(BigInt(c.t));
    const i = p(c.i);
    clauses.push(
      `(epoch_us(${spec.time}) < ${t}::BIGINT OR (epoch_us(${spec.time}) = ${t}::BIGINT AND ${spec.id} < ${i}))`,
    );
  }
  const sql = `SELECT *, epoch_us(${spec.time})::VARCHAR AS __t FROM ${spec.table}
    ${clauses.length ? `WHERE ${clauses.join(" AND ")}` : ""}
    ORDER BY ${spec.time} DESC, ${spec.id} DESC LIMIT ${p(limit + 1)}`;
  const rows = (await conn.runAndReadAll(sql, params)).getRowObjectsJS() as Row[];
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const items = page.map((r) => spec.map(r));
  if (!more || !last) return { items };
  const id = last[spec.id];
  return {
    items,
    next: encodeCursor({ t: String(last.__t), i: typeof id === "bigint" ? Number(id) : String(id) }),
  };
}

const ms = (v: unknown) => (v instanceof Date ? v.getTime() : Number(v));
const json = <T>(v: unknown, fallback: T): T => {
  if (v === null || v === undefined) return fallback;
  return (typeof v === "string" ? JSON.parse(v) : v) as T;
};

/** Feature vectors, newest window first. */
export function listFeatures(conn: DuckDBConnection, q: ListQuery): Promise<Page<FeatureVector>> {
  return list(conn, q, {
    table: "features",
    time: "window_start",
    id: "id",
    where: [],
    map: (r) => ({
      asset: String(r.asset),
      windowStart: ms(r.window_start),
      windowEnd: ms(r.window_end),
      computedAt: ms(r.computed_at),
      schemaVersion: Number(r.schema_version),
      features: json(r.features, {}),
      quality: {
        worst: String(r.quality_worst) as FeatureVector["quality"]["worst"],
        goodShare: Number(r.good_share ?? 0),
      },
    }),
  });
}

/** Anomaly scores, newest first. */
export function listScores(
  conn: DuckDBConnection,
  q: ListQuery & { readonly detector?: string },
): Promise<Page<AnomalyScore>> {
  const where = q.detector === undefined ? [] : [{ sql: "detector = ?", value: String(q.detector) }];
  return list(conn, q, {
    table: "scores",
    time: "ts",
    id: "id",
    where,
    map: (r) => ({
      asset: String(r.asset),
      detector: String(r.detector),
      version: String(r.version),
      ts: ms(r.ts),
      score: r.score === null ? Number.NaN : Number(r.score),
      threshold: r.threshold === null ? Number.NaN : Number(r.threshold),
      anomalous: Boolean(r.anomalous),
      contributions: json(r.contributions, []),
    }),
  });
}

/** Maps an alerts row. */
export function alertOf(r: Row): Alert & { ackedBy?: string; ackedAt?: number } {
  const a: Record<string, unknown> = {
    id: String(r.id),
    asset: String(r.asset),
    kind: String(r.kind),
    severity: String(r.severity),
    state: String(r.state),
    acknowledged: Boolean(r.acknowledged),
    raisedAt: ms(r.raised_at),
    message: String(r.message),
    contributions: json(r.contributions, []),
  };
  if (r.cleared_at !== null && r.cleared_at !== undefined) a.clearedAt = ms(r.cleared_at);
  if (r.detector !== null && r.detector !== undefined) a.detector = String(r.detector);
  if (r.score !== null && r.score !== undefined) a.score = Number(r.score);
  if (r.acked_by !== null && r.acked_by !== undefined) a.ackedBy = String(r.acked_by);
  if (r.acked_at !== null && r.acked_at !== undefined) a.ackedAt = ms(r.acked_at);
  return a as unknown as Alert;
}

/** Alerts, most recently raised first. */
export function listAlerts(
  conn: DuckDBConnection,
  q: ListQuery & { readonly state?: Alert["state"] },
): Promise<Page<Alert>> {
  if (q.state !== undefined && q.state !== "active" && q.state !== "cleared") {
    throw new RangeError(`state must be "active" or "cleared", got ${JSON.stringify(q.state)}`);
  }
  const where = q.state === undefined ? [] : [{ sql: "state = ?", value: q.state }];
  return list(conn, q, { table: "alerts", time: "raised_at", id: "id", where, map: alertOf });
}

/** Gateway events, newest first; `type` matches exactly or as a dotted prefix (`source` matches `source.*`). */
export function listEvents(
  conn: DuckDBConnection,
  q: ListQuery & { readonly type?: string },
): Promise<Page<GatewayEvent>> {
  const where = q.type === undefined ? [] : [{
    sql: "(type = ? OR starts_with(type, concat(?, '.')))",
    value: String(q.type),
  }];
  return list(conn, q, {
    table: "events",
    time: "ts",
    id: "id",
    asset: "json_extract_string(data, '$.asset')",
    where,
    map: (r) => {
      const e: Record<string, unknown> = {
        ts: ms(r.ts),
        type: String(r.type),
        component: String(r.component),
        level: String(r.level),
        message: String(r.message),
      };
      if (r.data !== null && r.data !== undefined) e.data = json(r.data, {});
      return e as unknown as GatewayEvent;
    },
  });
}
