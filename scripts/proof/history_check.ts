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
  /** Raw rows per source received after the start / the end of the last scrape (when one was given). */
  readonly rawRowsAfterScrapeStart: Record<string, number>;
  readonly rawRowsAfterScrapeEnd: Record<string, number>;
  readonly events: Record<string, number>;
}

/** Reads the DuckDB file at `path`. */
/**
 * Reads what a run left in history. `lastScrape` (ms, start and end of the gateway's last metrics scrape): raw
 * rows received after it are counted apart (the stopped peers' Bad samples, recorded until the gateway stops).
 */
export async function readHistory(
  path: string,
  lastScrape?: { readonly start: number; readonly end: number },
): Promise<HistoryContents> {
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
    const rawRowsAfterScrapeStart: Record<string, number> = {};
    const rawRowsAfterScrapeEnd: Record<string, number> = {};
    const us = (ms: number | undefined) => Math.round((ms ?? Number.MAX_SAFE_INTEGER / 1000) * 1000);
    for (
      const r of await rows(
        `SELECT split_part(t.tag, '.', 1) AS source, count(*) FILTER (WHERE s.quality = 0) AS good, ` +
          `count(*) AS n, count(*) FILTER (WHERE epoch_us(s.recv) > ${
            us(lastScrape?.start)
          }) AS after_start, ` +
          `count(*) FILTER (WHERE epoch_us(s.recv) > ${us(lastScrape?.end)}) AS after_end ` +
          `FROM samples s JOIN tags t USING (tag_id) GROUP BY 1`,
      )
    ) {
      const src = String(r["source"]);
      rawRows[src] = Number(r["good"]);
      rawRowsAll[src] = Number(r["n"]);
      rawRowsAfterScrapeStart[src] = Number(r["after_start"]);
      rawRowsAfterScrapeEnd[src] = Number(r["after_end"]);
    }
    const events: Record<string, number> = {};
    for (const r of await rows(`SELECT type, count(*) AS n FROM events GROUP BY 1`)) {
      events[String(r["type"])] = Number(r["n"]);
    }
    return {
      features,
      windowEnds,
      alerts,
      scores,
      rawRows,
      rawRowsAll,
      rawRowsAfterScrapeStart,
      rawRowsAfterScrapeEnd,
      events,
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
