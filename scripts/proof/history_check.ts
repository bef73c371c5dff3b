/**
 * @module What the history store holds after a run (opened read-only once the gateway stopped): feature vector
 * window ends, alert ids and states, raw sample rows per source.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { featureKey } from "./subscriber.ts";

/** Contents relevant to the verdict. */
export interface HistoryContents {
  readonly features: Set<string>;
  /** Window ends (ms) of every stored feature vector, sorted. */
  readonly windowEnds: number[];
  readonly alerts: Map<string, string>;
  readonly scores: number;
  /** Good-quality raw sample rows per source (first segment of the tag id); Bad rows (device down) excluded. */
  /** Good raw rows per source (the tag's first dotted part). */
  readonly rawRows: Record<string, number>;
  /** Raw rows per source, every quality (what the raw-value ledger balances). */
  readonly rawRowsAll: Record<string, number>;
  readonly events: Record<string, number>;
}

/** Reads the DuckDB file at `path`. */
export async function readHistory(path: string): Promise<HistoryContents> {
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  const conn = await instance.connect();
  try {
    const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();
    const features = new Set<string>();
    const windowEnds: number[] = [];
    for (
      const r of await rows(`SELECT asset, epoch_us(window_end) AS us FROM features ORDER BY window_end`)
    ) {
      const ms = Math.round(Number(r["us"]) / 1000);
      features.add(featureKey(String(r["asset"]), ms));
      windowEnds.push(ms);
    }
    const alerts = new Map<string, string>();
    for (const r of await rows(`SELECT id, state FROM alerts`)) {
      alerts.set(String(r["id"]), String(r["state"]));
    }
    const scores = Number((await rows(`SELECT count(*) AS n FROM scores`))[0]?.["n"] ?? 0);
    const rawRows: Record<string, number> = {};
    const rawRowsAll: Record<string, number> = {};
    for (
      const r of await rows(
        `SELECT split_part(t.tag, '.', 1) AS source, count(*) FILTER (WHERE s.quality = 0) AS good, ` +
          `count(*) AS n FROM samples s JOIN tags t USING (tag_id) GROUP BY 1`,
      )
    ) {
      rawRows[String(r["source"])] = Number(r["good"]);
      rawRowsAll[String(r["source"])] = Number(r["n"]);
    }
    const events: Record<string, number> = {};
    for (const r of await rows(`SELECT type, count(*) AS n FROM events GROUP BY 1`)) {
      events[String(r["type"])] = Number(r["n"]);
    }
    return { features, windowEnds, alerts, scores, rawRows, rawRowsAll, events };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
