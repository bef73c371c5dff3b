/**
 * @module Writes derived records inside the writer's transaction: rollups (appender), features, scores,
 * events (inserts) and alerts (upsert by id, keeping an acknowledgement made through the store).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Alert, AnomalyScore, FeatureVector, GatewayEvent } from "../../core/mod.ts";
import { us } from "./time.ts";

/** Rollup rows produced by the store itself vs received as `rollup` messages. */
export const ORIGIN_STORE = 0;
export const ORIGIN_MESSAGE = 1;

const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);

/** Inserts a feature vector. */
export async function insertFeatures(conn: DuckDBConnection, f: FeatureVector): Promise<void> {
  await conn.run(
    `INSERT INTO features (asset, window_start, window_end, computed_at, schema_version, features,
       quality_worst, good_share)
     VALUES ($1, make_timestamp($2::BIGINT), make_timestamp($3::BIGINT), make_timestamp($4::BIGINT), $5, $6::JSON, $7, $8)`,
    [
      f.asset,
      us(f.windowStart),
      us(f.windowEnd),
      us(f.computedAt),
      f.schemaVersion,
      JSON.stringify(f.features),
      f.quality.worst,
      num(f.quality.goodShare),
    ],
  );
}

/** Inserts an anomaly score. */
export async function insertScore(conn: DuckDBConnection, s: AnomalyScore): Promise<void> {
  await conn.run(
    `INSERT INTO scores (asset, detector, version, ts, score, threshold, anomalous, contributions)
     VALUES ($1, $2, $3, make_timestamp($4::BIGINT), $5, $6, $7, $8::JSON)`,
    [
      s.asset,
      s.detector,
      s.version,
      us(s.ts),
      num(s.score),
      num(s.threshold),
      s.anomalous,
      JSON.stringify(
        s.contributions,
      ),
    ],
  );
}

/** Inserts a gateway event. */
export async function insertEvent(conn: DuckDBConnection, e: GatewayEvent): Promise<void> {
  await conn.run(
    `INSERT INTO events (ts, type, component, level, message, data)
     VALUES (make_timestamp($1::BIGINT), $2, $3, $4, $5, $6::JSON)`,
    [us(e.ts), e.type, e.component, e.level, e.message, e.data === undefined ? null : JSON.stringify(e.data)],
  );
}

/**
 * Inserts or updates an alert by id. State, severity, message and score follow the latest message; an
 * acknowledgement is never undone by a later message that does not carry it.
 */
export async function upsertAlert(conn: DuckDBConnection, a: Alert, now: number): Promise<void> {
  await conn.run(
    `INSERT INTO alerts (id, asset, kind, severity, state, acknowledged, raised_at, cleared_at, message, detector,
       score, contributions, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, make_timestamp($7::BIGINT), make_timestamp($8::BIGINT), $9, $10, $11, $12::JSON,
       make_timestamp($13::BIGINT))
     ON CONFLICT (id) DO UPDATE SET asset = excluded.asset, kind = excluded.kind, severity = excluded.severity,
       state = excluded.state, acknowledged = alerts.acknowledged OR excluded.acknowledged,
       raised_at = excluded.raised_at, cleared_at = excluded.cleared_at, message = excluded.message,
       detector = excluded.detector, score = excluded.score, contributions = excluded.contributions,
       updated_at = excluded.updated_at`,
    [
      a.id,
      a.asset,
      a.kind,
      a.severity,
      a.state,
      a.acknowledged,
      us(a.raisedAt),
      a.clearedAt === undefined ? null : us(a.clearedAt),
      a.message,
      a.detector ?? null,
      num(a.score),
      JSON.stringify(a.contributions),
      us(now),
    ],
  );
}
