/**
 * @module The raw-value ledger of a proof run: every raw value the gateway received from OPC UA and Modbus is
 * either in history or explained by a counter — dropped by a sink queue, decimated or rejected by the raw
 * policy, or in memory when the gateway was killed (raw values are not journaled: only features, alerts and
 * events are). Built from the gateway's own counters at the last scrape of each lifetime; the sources are
 * stopped before the final scrape so nothing arrives after it.
 */
import { type Series, sum } from "./prom.ts";

/** The raw-value counters of one gateway lifetime, at its last scrape. */
export interface LifetimeRaw {
  /** Raw values received from the raw sources (`gateway_samples_in_total`). */
  readonly received: number;
  /** Raw rows committed to history (`gateway_history_rows_written_total{table="samples"}`). */
  readonly written: number;
  /** Values the history sink's queue dropped (`gateway_sink_dropped_values_total{sink="history"}`). */
  readonly dropped: number;
  /** Values the raw policy did not store (decimated) or validation rejected. */
  readonly policy: number;
  /** The lifetime ended with SIGKILL (what was in memory is lost, by design), not a graceful stop. */
  readonly killed: boolean;
  /** Raw values that could arrive between the scrape and the kill (rate × time), an upper bound. */
  readonly afterScrape: number;
}

/** The counters of `sources` in one scrape. */
export function lifetimeRaw(
  series: readonly Series[],
  sources: readonly string[],
  killed: boolean,
  afterScrape = 0,
): LifetimeRaw {
  return {
    received: sources.reduce((a, s) => a + sum(series, "gateway_samples_in_total", { source: s }), 0),
    written: sum(series, "gateway_history_rows_written_total", { table: "samples" }),
    dropped: sum(series, "gateway_sink_dropped_values_total", { sink: "history" }),
    // Single samples only: the vibration blocks' values, rolled up and not kept raw, count as kind="block".
    policy: sum(series, "gateway_history_values_decimated_total", { kind: "sample" }) +
      sum(series, "gateway_history_rejected_total"),
    killed,
    afterScrape: killed ? afterScrape : 0,
  };
}

/** The ledger over all lifetimes against what history holds. */
export interface RawLedger {
  readonly received: number;
  /** Raw rows stored up to the last scrape (all qualities). */
  readonly stored: number;
  /** Raw rows stored after the last scrape (the stopped peers' Bad samples), not balanced. */
  readonly afterLastScrape: number;
  readonly dropped: number;
  readonly policy: number;
  /** Received but not yet committed when a kill came (upper bound, includes `afterScrape`). */
  readonly inFlightAtKills: number;
  /** Received values neither stored nor explained; > 0 fails. */
  readonly unexplained: number;
  /** Stored values beyond what was received (values counted twice or written twice). */
  readonly surplus: number;
  readonly pass: boolean;
}

/** Raw rows in history for the ledger (all qualities), split around the gateway's last scrape. */
export interface StoredRaw {
  readonly total: number;
  /** Rows received after the start, and after the end, of the last scrape. */
  readonly afterScrapeStart: number;
  readonly afterScrapeEnd: number;
}

/** Raw rows of `sources` in what history holds, around the last scrape. */
export function storedRaw(
  h: {
    rawRowsAll: Record<string, number>;
    rawRowsAfterScrapeStart: Record<string, number>;
    rawRowsAfterScrapeEnd: Record<string, number>;
  },
  sources: readonly string[],
): StoredRaw {
  const total = (m: Record<string, number>) => sources.reduce((a, s) => a + (m[s] ?? 0), 0);
  return {
    total: total(h.rawRowsAll),
    afterScrapeStart: total(h.rawRowsAfterScrapeStart),
    afterScrapeEnd: total(h.rawRowsAfterScrapeEnd),
  };
}

/**
 * Balances the lifetimes' counters against the raw rows history holds. Rows received after the last scrape
 * (the stopped peers' Bad samples, which the gateway records until it stops) are not in its counters: they are
 * left out, and rows received while the scrape was answered may fall on either side.
 */
export function rawLedger(lifetimes: readonly LifetimeRaw[], rows: number | StoredRaw): RawLedger {
  const r: StoredRaw = typeof rows === "number"
    ? { total: rows, afterScrapeStart: 0, afterScrapeEnd: 0 }
    : rows;
  const stored = r.total - r.afterScrapeEnd;
  const during = r.afterScrapeStart - r.afterScrapeEnd;
  let received = 0, dropped = 0, policy = 0, inFlight = 0;
  for (const l of lifetimes) {
    received += l.received;
    dropped += l.dropped;
    policy += l.policy;
    if (l.killed) inFlight += Math.max(0, l.received - l.written - l.dropped - l.policy) + l.afterScrape;
  }
  const explained = stored + dropped + policy;
  const unexplained = Math.max(0, received - explained - inFlight - during);
  const afterScrape = lifetimes.reduce((a, l) => a + l.afterScrape, 0);
  const surplus = Math.max(0, stored - received - afterScrape - during);
  return {
    received,
    stored,
    afterLastScrape: r.afterScrapeEnd,
    dropped,
    policy,
    inFlightAtKills: inFlight,
    unexplained,
    surplus,
    pass: lifetimes.length > 0 && received > 0 && unexplained === 0 && surplus === 0,
  };
}

/** One line for logs and the report. */
export function formatLedger(l: RawLedger): string {
  return `raw values received ${l.received}: stored ${l.stored} (+ ${
    l.afterLastScrape ?? 0
  } Bad after the last ` +
    `scrape), dropped by the history queue ${l.dropped}, ` +
    `not stored by policy ${l.policy}, in memory at kill -9 ≤ ${Math.round(l.inFlightAtKills)}, ` +
    `unexplained ${Math.round(l.unexplained)}, stored beyond received ${Math.round(l.surplus)}`;
}
