/**
 * @module Versioned, forward-only schema migrations recorded in `schema_version`, applied at start.
 */
import type { DuckDBConnection } from "@duckdb/node-api";

/** One schema step. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: readonly string[];
}

const rollupTable = (name: string) =>
  `CREATE TABLE ${name} (tag_id INTEGER NOT NULL, start TIMESTAMP NOT NULL, count BIGINT NOT NULL,
    mean DOUBLE, std DOUBLE, min DOUBLE, max DOUBLE, p95 DOUBLE, last DOUBLE, bad_share DOUBLE NOT NULL,
    origin UTINYINT NOT NULL)`;

/** Every migration, in order. Never edit a released step: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "tags, samples, rollups, features, scores, alerts, events",
    sql: [
      `CREATE TABLE tags (tag_id INTEGER PRIMARY KEY, tag VARCHAR NOT NULL UNIQUE, source VARCHAR,
        data_type VARCHAR, unit VARCHAR, description VARCHAR, asset VARCHAR, meta JSON,
        first_seen TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE samples (tag_id INTEGER NOT NULL, ts TIMESTAMP NOT NULL, recv TIMESTAMP NOT NULL,
        value DOUBLE, text VARCHAR, quality UTINYINT NOT NULL, status UINTEGER NOT NULL,
        server_ts TIMESTAMP, reason VARCHAR)`,
      rollupTable("rollups_1s"),
      rollupTable("rollups_1m"),
      rollupTable("rollups_1h"),
      `CREATE SEQUENCE record_seq START 1`,
      `CREATE TABLE features (id BIGINT NOT NULL DEFAULT nextval('record_seq'), asset VARCHAR NOT NULL,
        window_start TIMESTAMP NOT NULL, window_end TIMESTAMP NOT NULL, computed_at TIMESTAMP NOT NULL,
        schema_version INTEGER NOT NULL, features JSON NOT NULL, quality_worst VARCHAR, good_share DOUBLE)`,
      `CREATE TABLE scores (id BIGINT NOT NULL DEFAULT nextval('record_seq'), asset VARCHAR NOT NULL,
        detector VARCHAR NOT NULL, version VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, score DOUBLE,
        threshold DOUBLE, anomalous BOOLEAN NOT NULL, contributions JSON)`,
      `CREATE TABLE alerts (id VARCHAR PRIMARY KEY, asset VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        severity VARCHAR NOT NULL, state VARCHAR NOT NULL, acknowledged BOOLEAN NOT NULL,
        raised_at TIMESTAMP NOT NULL, cleared_at TIMESTAMP, message VARCHAR NOT NULL, detector VARCHAR,
        score DOUBLE, contributions JSON, updated_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE events (id BIGINT NOT NULL DEFAULT nextval('record_seq'), ts TIMESTAMP NOT NULL,
        type VARCHAR NOT NULL, component VARCHAR NOT NULL, level VARCHAR NOT NULL, message VARCHAR NOT NULL,
        data JSON)`,
    ],
  },
  {
    version: 2,
    description: "alert acknowledgement audit (who, when) and sample flags (historical, decimated block)",
    sql: [
      `ALTER TABLE alerts ADD COLUMN acked_by VARCHAR`,
      `ALTER TABLE alerts ADD COLUMN acked_at TIMESTAMP`,
      `ALTER TABLE samples ADD COLUMN flags UTINYINT DEFAULT 0`,
    ],
  },
];

/** Latest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Sample flags (bit set). */
export const FLAG_HISTORICAL = 1;
export const FLAG_BLOCK = 2;

/** The version a database is at (0 for an empty one). */
export async function currentVersion(conn: DuckDBConnection): Promise<number> {
  const t = await conn.runAndReadAll(
    "SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'schema_version' AND schema_name = 'main'",
  );
  if (Number(t.getRowObjectsJS()[0]?.n ?? 0) === 0) return 0;
  const r = await conn.runAndReadAll("SELECT coalesce(max(version), 0)::INTEGER AS v FROM schema_version");
  return Number(r.getRowObjectsJS()[0]?.v ?? 0);
}

/**
 * Applies the missing migrations up to `target` (default: latest), each in its own transaction.
 * Refuses a database written by a newer build (forward only: no downgrades). Returns the versions applied.
 */
export async function migrate(
  conn: DuckDBConnection,
  target = SCHEMA_VERSION,
  now = Date.now(),
): Promise<number[]> {
  await conn.run(
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL, description VARCHAR NOT NULL)",
  );
  const at = await currentVersion(conn);
  if (at > SCHEMA_VERSION) {
    throw new RangeError(
      `database schema version ${at} is newer than this gateway supports (${SCHEMA_VERSION}); ` +
        "upgrade the gateway or point history.path at another file",
    );
  }
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= at || m.version > target) continue;
    await conn.run("BEGIN TRANSACTION");
    try {
      for (const sql of m.sql) await conn.run(sql);
      await conn.run("INSERT INTO schema_version VALUES ($1, make_timestamp($2::BIGINT), $3)", [
        m.version,
        BigInt(Math.round(now * 1000)),
        m.description,
      ]);
      await conn.run("COMMIT");
      applied.push(m.version);
    } catch (error) {
      await conn.run("ROLLBACK").catch(() => {});
      throw new Error(`schema migration to version ${m.version} (${m.description}) failed`, { cause: error });
    }
  }
  return applied;
}
