/**
 * @module The chaos verdict: what the sources produced against what history holds and what the persistent
 * upstream subscriber received; zero lost features/alerts, raw losses only where the policy says, counted.
 */
import type { HistoryContents } from "./history_check.ts";
import type { RawLedger } from "./raw_ledger.ts";
import type { Received } from "./subscriber.ts";

/** One row of the verdict table. */
export interface VerdictRow {
  readonly check: string;
  readonly produced: number | string;
  readonly history: number | string;
  readonly upstream: number | string;
  /** Losses the configured policy explains (counted by the gateway), and those it does not. */
  readonly counted: number | string;
  readonly unexplained: number;
  readonly pass: boolean;
  readonly note: string;
  /** Up to 20 of the lost items (keys), for investigation. */
  readonly examples?: readonly string[];
}

/** Inputs of the verdict. */
export interface VerdictInput {
  readonly history: HistoryContents;
  readonly upstream: Received;
  /** Feature window period, ms. */
  readonly windowMs: number;
  /** Gateway (re)starts (each may leave one gap in the feature cadence: the process was not running). */
  readonly gatewayStarts: number;
  readonly served: {
    readonly opcua: number;
    /** Data-change notifications the OPC UA server sent, and monitored-item queue overflows (absent: older). */
    readonly opcuaSent?: number;
    readonly opcuaOverflows?: number;
    readonly modbus: readonly number[];
  };
  /** Counters summed over every gateway lifetime (last scrape before each stop or kill). */
  readonly counters: Readonly<Record<string, number>>;
  readonly outboxOverBudget: number;
  readonly faults: number;
  /** Raw values the gateway received against history and its counters (absent in older runs). */
  readonly rawLedger?: RawLedger;
}

/** Feature-cadence gaps: consecutive stored window ends further apart than 1.5 windows. */
export function cadenceGaps(windowEnds: readonly number[], windowMs: number): number {
  let gaps = 0;
  for (let i = 1; i < windowEnds.length; i++) {
    if (windowEnds[i]! - windowEnds[i - 1]! > 1.5 * windowMs) gaps++;
  }
  return gaps;
}

/** Builds the table. */
export function verdictRows(v: VerdictInput): VerdictRow[] {
  const rows: VerdictRow[] = [];
  const union = new Set([...v.history.features, ...v.upstream.features]);
  const missingHistory = [...union].filter((k) => !v.history.features.has(k));
  const missingUpstream = [...union].filter((k) => !v.upstream.features.has(k));
  const notInHistory = missingHistory.length;
  const notUpstream = missingUpstream.length;
  const ends = [...union].map((k) => Number(k.slice(k.lastIndexOf("@") + 1))).sort((a, b) => a - b);
  const gaps = cadenceGaps(ends, v.windowMs);
  const extraGaps = Math.max(0, gaps - (v.gatewayStarts - 1));
  rows.push({
    check: "feature vectors",
    produced: union.size,
    history: v.history.features.size,
    upstream: v.upstream.features.size,
    counted: `${gaps} cadence gaps at ${v.gatewayStarts - 1} restarts`,
    unexplained: notInHistory + notUpstream + extraGaps,
    pass: notInHistory + notUpstream + extraGaps === 0,
    note:
      `${notInHistory} missing in history, ${notUpstream} missing upstream, ${extraGaps} gaps not at a restart; ` +
      `${v.upstream.duplicates} duplicates upstream (at-least-once after kill -9)`,
    examples: [
      ...missingHistory.map((k) => `not in history: ${k}`),
      ...missingUpstream.map((k) => `not upstream: ${k}`),
    ]
      .slice(0, 20),
  });
  const upAlerts = new Map<string, Set<string>>();
  for (const k of v.upstream.alerts) {
    const i = k.lastIndexOf(":");
    const id = k.slice(0, i);
    if (!upAlerts.has(id)) upAlerts.set(id, new Set());
    upAlerts.get(id)!.add(k.slice(i + 1));
  }
  const ids = new Set([...v.history.alerts.keys(), ...upAlerts.keys()]);
  let alertLost = 0;
  for (const id of ids) {
    const h = v.history.alerts.get(id);
    const u = upAlerts.get(id);
    if (h === undefined || u === undefined || !u.has(h)) alertLost++;
  }
  rows.push({
    check: "alerts (id + final state)",
    produced: ids.size,
    history: v.history.alerts.size,
    upstream: upAlerts.size,
    counted: 0,
    unexplained: alertLost,
    pass: alertLost === 0 && ids.size > 0,
    note: ids.size === 0
      ? "no alert was raised: the scripted fault did not trigger one"
      : `${alertLost} missing or stale`,
  });
  const c = (name: string) => v.counters[name] ?? 0;
  /** Informational per-source rows: what the peer produced against Good rows stored (the ledger judges). */
  const rawRow = (check: string, source: string, served: number): VerdictRow => {
    const stored = v.history.rawRows[source] ?? 0;
    const missing = Math.max(0, served - stored);
    return {
      check,
      produced: served,
      history: stored,
      upstream: "-",
      counted: "-",
      unexplained: 0,
      pass: true,
      note: `${missing} of the values the peer produced are not stored as Good samples: produced while the ` +
        "gateway was down or the peer restarting (backfill off), or discarded by the peer, or stored Bad; " +
        "informational — the ledger row balances what the gateway received " +
        `(history queue drops, all sources: ${c("history_dropped_values")})`,
    };
  };
  if (v.rawLedger) {
    const l = v.rawLedger;
    rows.push({
      check: "raw values received (OPC UA + Modbus)",
      produced: l.received,
      history: l.stored,
      upstream: "-",
      counted: `queue ${l.dropped}, policy ${l.policy}, at kill -9 ≤ ${Math.round(l.inFlightAtKills)}`,
      unexplained: Math.round(l.unexplained + l.surplus),
      pass: l.pass,
      note: `every received raw value is stored or counted: dropped by the history queue ${l.dropped}, ` +
        `decimated or rejected by policy ${l.policy}, in memory when the gateway was killed ≤ ` +
        `${Math.round(l.inFlightAtKills)} (raw values are not journaled); unexplained ${
          Math.round(l.unexplained)
        }, stored beyond received ${Math.round(l.surplus)}`,
    });
  }
  const ua = rawRow("raw OPC UA values", "ua", v.served.opcua);
  rows.push(
    v.served.opcuaSent === undefined ? ua : {
      ...ua,
      note: `server: ${v.served.opcua} values set, ${v.served.opcuaSent} data-change notifications sent, ` +
        `${v.served.opcuaOverflows ?? 0} discarded by its monitored-item queues; gateway: ${
          c("received:ua")
        } ` +
        `taken, ${c("opcua_repeats_dropped")} exact repeats not taken (counted); ${ua.note}`,
    },
  );
  v.served.modbus.forEach((n, d) =>
    rows.push(rawRow(`raw Modbus values (device ${d + 1})`, `mb${d + 1}`, n))
  );
  const featDropped = c("outbox_dropped:features") + c("outbox_dropped:alerts") + c("outbox_dropped:events");
  rows.push({
    check: "outbox disk budget",
    produced: `${v.outboxOverBudget} over-budget events`,
    history: "-",
    upstream: "-",
    counted: `raw ${c("outbox_dropped:raw")}, scores ${c("outbox_dropped:scores")}, rollups ${
      c("outbox_dropped:rollups")
    }`,
    unexplained: featDropped,
    pass: v.outboxOverBudget > 0 && featDropped === 0,
    note: v.outboxOverBudget > 0
      ? `budget exceeded; features/alerts/events dropped: ${featDropped}`
      : "budget was never exceeded (raise the load or lower --outbox-max-bytes)",
  });
  return rows;
}

/** The table as text. */
export function formatVerdict(rows: readonly VerdictRow[]): string {
  const head = ["check", "produced", "history", "upstream", "counted by policy", "unexplained", "verdict"];
  const body = rows.map((r) => [
    r.check,
    String(r.produced),
    String(r.history),
    String(r.upstream),
    String(r.counted),
    String(r.unexplained),
    r.pass ? "PASS" : "FAIL",
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(w[i]!)).join("  ");
  return [
    line(head),
    line(w.map((n) => "-".repeat(n))),
    ...body.map(line),
    "",
    ...rows.map((r) => `${r.check}: ${r.note}`),
  ]
    .join("\n");
}
