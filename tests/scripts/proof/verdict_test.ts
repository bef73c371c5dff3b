import assert from "node:assert/strict";
import {
  cadenceGaps,
  formatVerdict,
  type VerdictInput,
  type VerdictRow,
  verdictRows,
} from "../../../scripts/proof/verdict.ts";
import { rawLedger } from "../../../scripts/proof/raw_ledger.ts";

/** A run where nothing was lost: 3 feature windows of 1 s, one alert raised then cleared, raw values all stored. */
function input(over: Partial<VerdictInput> = {}): VerdictInput {
  const features = ["pump@1000", "pump@2000", "pump@3000"];
  return {
    history: {
      features: new Set(features),
      windowEnds: [1000, 2000, 3000],
      alerts: new Map([["a1", "cleared"]]),
      scores: 3,
      rawRows: { ua: 100, mb1: 50, mb2: 40 },
      rawRowsAll: { ua: 100, mb1: 50, mb2: 40 },
      rawRowsAfterScrapeStart: {},
      rawRowsAfterScrapeEnd: {},
      events: {},
    },
    upstream: {
      perClass: {},
      features: new Set(features),
      alerts: new Set(["a1:active", "a1:cleared"]),
      scores: new Set(),
      duplicates: 0,
      latency: {},
    },
    windowMs: 1000,
    gatewayStarts: 1,
    served: { opcua: 100, modbus: [50, 40] },
    counters: {},
    outboxOverBudget: 2,
    faults: 5,
    ...over,
  };
}

const row = (rows: VerdictRow[], check: string) => {
  const r = rows.find((x) => x.check === check);
  assert.ok(r, `no row ${check}`);
  return r;
};

Deno.test("a run with nothing lost passes every row", () => {
  const rows = verdictRows(input());
  assert.deepEqual(rows.map((r) => r.check), [
    "feature vectors",
    "alerts (id + final state)",
    "raw OPC UA values",
    "raw Modbus values (device 1)",
    "raw Modbus values (device 2)",
    "outbox disk budget",
  ]);
  for (const r of rows) assert.equal(r.pass, true, r.check);
  assert.deepEqual(rows.map((r) => r.unexplained), [0, 0, 0, 0, 0, 0]);
  const f = row(rows, "feature vectors");
  assert.equal(f.produced, 3);
  assert.deepEqual(f.examples, []);
});

Deno.test("a feature vector missing upstream is a FAIL naming it", () => {
  const v = input();
  const rows = verdictRows({
    ...v,
    upstream: { ...v.upstream, features: new Set(["pump@1000", "pump@3000"]) },
  });
  const f = row(rows, "feature vectors");
  assert.equal(f.pass, false);
  assert.equal(f.unexplained, 1);
  assert.equal(f.produced, 3);
  assert.equal(f.upstream, 2);
  assert.match(String(f.note), /^0 missing in history, 1 missing upstream, 0 gaps not at a restart/);
  assert.deepEqual(f.examples, ["not upstream: pump@2000"]);
});

Deno.test("a feature vector only upstream counts as missing in history", () => {
  const v = input();
  const up = new Set([...v.upstream.features, "pump@4000"]);
  const f = row(verdictRows({ ...v, upstream: { ...v.upstream, features: up } }), "feature vectors");
  assert.equal(f.pass, false);
  assert.equal(f.produced, 4);
  assert.deepEqual(f.examples, ["not in history: pump@4000"]);
});

Deno.test("lost-item examples are capped at 20", () => {
  const v = input();
  const many = new Set(Array.from({ length: 30 }, (_, i) => `pump@${(i + 4) * 1000}`));
  const f = row(verdictRows({ ...v, history: { ...v.history, features: many } }), "feature vectors");
  assert.equal(f.unexplained, 33); // 30 not upstream, 3 not in history
  assert.equal(f.examples?.length, 20);
});

Deno.test("a cadence gap more than 1.5 windows wide is a gap; exactly 1.5 is not", () => {
  assert.equal(cadenceGaps([0, 1500, 3001], 1000), 1);
  assert.equal(cadenceGaps([0, 1000, 2000], 1000), 0);
  assert.equal(cadenceGaps([], 1000), 0);
});

Deno.test("a cadence gap fails unless a gateway restart explains it", () => {
  const keys = new Set(["pump@1000", "pump@2000", "pump@5000"]);
  const v = input();
  const gapped = {
    ...v,
    history: { ...v.history, features: keys },
    upstream: { ...v.upstream, features: new Set(keys) },
  };
  const once = row(verdictRows({ ...gapped, gatewayStarts: 1 }), "feature vectors");
  assert.equal(once.pass, false);
  assert.equal(once.unexplained, 1);
  assert.equal(once.counted, "1 cadence gaps at 0 restarts");
  const restarted = row(verdictRows({ ...gapped, gatewayStarts: 2 }), "feature vectors");
  assert.equal(restarted.pass, true);
  assert.equal(restarted.counted, "1 cadence gaps at 1 restarts");
});

Deno.test("an alert whose final state never reached upstream is a FAIL", () => {
  const v = input();
  const rows = verdictRows({ ...v, upstream: { ...v.upstream, alerts: new Set(["a1:active"]) } });
  const a = row(rows, "alerts (id + final state)");
  assert.equal(a.pass, false);
  assert.equal(a.unexplained, 1);
  assert.equal(a.note, "1 missing or stale");
});

Deno.test("an alert only upstream or only in history is lost; ids with ':' split at the last one", () => {
  const v = input();
  const a = row(
    verdictRows({
      ...v,
      history: { ...v.history, alerts: new Map([["a1", "cleared"], ["x:1", "active"]]) },
      upstream: { ...v.upstream, alerts: new Set(["a1:cleared", "x:1:active", "b2:active"]) },
    }),
    "alerts (id + final state)",
  );
  assert.equal(a.produced, 3); // a1, x:1, b2
  assert.equal(a.unexplained, 1); // b2 is not in history
  assert.equal(a.pass, false);
});

Deno.test("no alert at all is a FAIL: the scripted fault did not raise one", () => {
  const v = input();
  const a = row(
    verdictRows({
      ...v,
      history: { ...v.history, alerts: new Map() },
      upstream: { ...v.upstream, alerts: new Set() },
    }),
    "alerts (id + final state)",
  );
  assert.equal(a.pass, false);
  assert.equal(a.unexplained, 0);
  assert.match(a.note, /no alert was raised/);
});

Deno.test("per-source raw rows report values not stored as Good, informationally, with the queue drops", () => {
  const v = input();
  const rows = verdictRows({
    ...v,
    history: { ...v.history, rawRows: { ua: 70, mb1: 50 } },
    counters: { history_dropped_values: 20 },
  });
  const ua = row(rows, "raw OPC UA values");
  assert.equal(ua.produced, 100);
  assert.equal(ua.history, 70);
  assert.equal(ua.counted, "-");
  assert.equal(ua.pass, true);
  assert.match(ua.note, /^30 of the values .*\(history queue drops, all sources: 20\)/);
  const mb2 = row(rows, "raw Modbus values (device 2)");
  assert.equal(mb2.history, 0);
  assert.match(mb2.note, /^40 of the values/);
  // More stored than served (served counter read before the last poll) is not a negative loss.
  const over = verdictRows({ ...v, history: { ...v.history, rawRows: { ua: 130, mb1: 50, mb2: 40 } } });
  assert.match(row(over, "raw OPC UA values").note, /^0 of the values/);
});

Deno.test("outbox drops of raw values, scores and rollups are counted by policy and pass", () => {
  const counters = { "outbox_dropped:raw": 7000, "outbox_dropped:scores": 3, "outbox_dropped:rollups": 2 };
  const o = row(verdictRows(input({ counters })), "outbox disk budget");
  assert.equal(o.pass, true);
  assert.equal(o.counted, "raw 7000, scores 3, rollups 2");
  assert.equal(o.unexplained, 0);
  assert.equal(o.produced, "2 over-budget events");
});

Deno.test("an outbox drop of a feature, alert or event is a FAIL", () => {
  for (const cls of ["features", "alerts", "events"]) {
    const o = row(verdictRows(input({ counters: { [`outbox_dropped:${cls}`]: 1 } })), "outbox disk budget");
    assert.equal(o.pass, false, cls);
    assert.equal(o.unexplained, 1, cls);
    assert.match(o.note, /features\/alerts\/events dropped: 1$/);
  }
});

Deno.test("an outbox budget that was never exceeded is a FAIL: the drop policy was not exercised", () => {
  const o = row(verdictRows(input({ outboxOverBudget: 0 })), "outbox disk budget");
  assert.equal(o.pass, false);
  assert.match(o.note, /budget was never exceeded/);
});

Deno.test("the verdict table aligns its columns and lists each row's note", () => {
  const v = input();
  const rows = verdictRows({ ...v, upstream: { ...v.upstream, alerts: new Set(["a1:active"]) } });
  const lines = formatVerdict(rows).split("\n");
  const head = lines[0]!;
  assert.match(head, /^check +produced +history +upstream +counted by policy +unexplained +verdict$/);
  assert.match(lines[1]!, /^-+( +-+){6}$/);
  const col = head.indexOf("verdict");
  const body = lines.slice(2, 2 + rows.length);
  assert.deepEqual(body.map((l) => l.slice(col).trimEnd()), ["PASS", "FAIL", "PASS", "PASS", "PASS", "PASS"]);
  assert.ok(body[1]!.startsWith("alerts (id + final state) "));
  assert.equal(lines[2 + rows.length], "");
  assert.ok(lines.includes("alerts (id + final state): 1 missing or stale"));
});

Deno.test("the raw-value ledger row passes when every received value is stored or counted, and fails otherwise", () => {
  const life = { received: 200, written: 190, dropped: 5, policy: 5, killed: false, afterScrape: 0 };
  const ledgerRow = (stored: number) =>
    verdictRows(input({ rawLedger: rawLedger([life], stored) })).find((r) =>
      r.check.startsWith("raw values received")
    )!;
  const ok = ledgerRow(190);
  assert.equal(ok.pass, true);
  assert.equal(ok.produced, 200);
  assert.equal(ok.history, 190);
  assert.match(ok.counted as string, /queue 5, policy 5, at kill -9 ≤ 0/);
  const bad = ledgerRow(187);
  assert.equal(bad.pass, false);
  assert.equal(bad.unexplained, 3);
  assert.equal(
    verdictRows(input()).some((r) => r.check.startsWith("raw values received")),
    false,
    "absent: no row",
  );
});

Deno.test("the OPC UA row names what the server set, sent and discarded when the run recorded it", () => {
  const rows = verdictRows(
    input({ served: { opcua: 120, opcuaSent: 110, opcuaOverflows: 7, modbus: [50, 40] } }),
  );
  const ua = rows.find((r) => r.check === "raw OPC UA values")!;
  assert.match(ua.note, /^server: 120 values set, 110 data-change notifications sent, 7 discarded/);
});
