import assert from "node:assert/strict";
import { parseProm } from "../../../scripts/proof/prom.ts";
import {
  formatLedger,
  type LifetimeRaw,
  lifetimeRaw,
  rawLedger,
  storedRaw,
} from "../../../scripts/proof/raw_ledger.ts";

const life = (over: Partial<LifetimeRaw> = {}): LifetimeRaw => ({
  received: 1000,
  written: 1000,
  dropped: 0,
  policy: 0,
  killed: false,
  afterScrape: 0,
  ...over,
});

Deno.test("a graceful lifetime balances exactly: stored plus queue drops plus policy equals received", () => {
  const l = rawLedger([life({ written: 970, dropped: 20, policy: 10 })], 970);
  assert.equal(l.pass, true);
  assert.equal(l.unexplained, 0);
  assert.equal(l.inFlightAtKills, 0, "nothing is lost in memory at a graceful stop");
  const one = rawLedger([life({ written: 970, dropped: 20, policy: 10 })], 969);
  assert.equal(one.pass, false);
  assert.equal(one.unexplained, 1, "a single missing value fails the ledger");
});

Deno.test("values in memory at a kill -9 are explained up to what was uncommitted plus what raced the kill", () => {
  // Killed: 1000 received, 900 committed at the scrape, up to 50 more could arrive before SIGKILL: ≤ 150 lost.
  const killed = life({ written: 900, killed: true, afterScrape: 50 });
  const second = life({ received: 500, written: 500 });
  assert.equal(rawLedger([killed, second], 900 + 500).pass, true, "lost exactly the uncommitted 100");
  assert.equal(rawLedger([killed, second], 850 + 500).pass, true, "lost the bound, 150");
  const over = rawLedger([killed, second], 840 + 500);
  assert.equal(over.pass, false);
  assert.equal(over.unexplained, 10);
  assert.equal(over.inFlightAtKills, 150);
});

Deno.test("history holding more raw values than were received fails as a surplus", () => {
  const l = rawLedger([life({ killed: true, afterScrape: 20 })], 1030);
  assert.equal(l.surplus, 10, "20 may have raced the kill; 30 extra is 10 too many");
  assert.equal(l.pass, false);
  assert.equal(rawLedger([life({ killed: true, afterScrape: 20 })], 1020).pass, true);
});

Deno.test("a lifetime without counters, no lifetimes or nothing received cannot pass", () => {
  assert.equal(rawLedger([life({ received: Number.NaN })], 1000).pass, false);
  assert.equal(rawLedger([], 0).pass, false);
  assert.equal(rawLedger([life({ received: 0, written: 0 })], 0).pass, false);
});

Deno.test("lifetime counters come from the raw sources' samples_in and the samples table only", () => {
  const series = parseProm([
    'gateway_samples_in_total{source="ua"} 600',
    'gateway_samples_in_total{source="mb1"} 300',
    'gateway_samples_in_total{source="vib"} 409600',
    'gateway_history_rows_written_total{sink="history",table="samples"} 880',
    'gateway_history_rows_written_total{sink="history",table="rollups"} 99',
    'gateway_sink_dropped_values_total{sink="history"} 4',
    'gateway_sink_dropped_values_total{sink="uplink"} 1000',
    'gateway_history_values_decimated_total{sink="history",kind="sample"} 3',
    'gateway_history_values_decimated_total{sink="history",kind="block"} 409600',
    'gateway_history_rejected_total{sink="history"} 2',
    "",
  ].join("\n"));
  const l = lifetimeRaw(series, ["ua", "mb1"], true, 7);
  assert.deepEqual(l, { received: 900, written: 880, dropped: 4, policy: 5, killed: true, afterScrape: 7 });
  assert.equal(lifetimeRaw(series, ["ua"], false, 7).afterScrape, 0, "no race without a kill");
  assert.match(formatLedger(rawLedger([l], 880)), /received 900: stored 880.*kill -9 ≤ 18.*unexplained 0/);
});

Deno.test("rows received after the last scrape are left out; rows during it may fall on either side", () => {
  // The peers stopped: the gateway keeps recording their Bad samples (30 rows) after its last scrape.
  const after = rawLedger([life()], { total: 1030, afterScrapeStart: 30, afterScrapeEnd: 30 });
  assert.equal(after.pass, true);
  assert.equal(after.stored, 1000);
  assert.equal(after.afterLastScrape, 30);
  // 10 rows received while the scrape was answered may be missing from its counters: not extra.
  const window = { total: 1030, afterScrapeStart: 40, afterScrapeEnd: 30 };
  assert.equal(
    rawLedger([life({ received: 990 })], window).pass,
    true,
    "stored, not in the scrape's counters",
  );
  assert.equal(
    rawLedger([life({ received: 985 })], window).surplus,
    5,
    "15 extra, only 10 can be the scrape's",
  );
  const duringCounted = rawLedger([life()], { total: 1030, afterScrapeStart: 40, afterScrapeEnd: 30 });
  assert.equal(duringCounted.pass, true, "counted by the scrape: balanced");
  const missing = rawLedger([life()], { total: 1025, afterScrapeStart: 40, afterScrapeEnd: 30 });
  assert.equal(missing.pass, true, "5 missing but 10 arrived during the scrape: cannot tell, not failed");
  const lost = rawLedger([life()], { total: 1015, afterScrapeStart: 40, afterScrapeEnd: 30 });
  assert.equal(lost.unexplained, 5, "15 missing, only 10 could be the scrape's");
  const h = {
    rawRowsAll: { ua: 600, mb1: 430, vib: 7 },
    rawRowsAfterScrapeStart: { mb1: 40, vib: 7 },
    rawRowsAfterScrapeEnd: { mb1: 30 },
  };
  assert.deepEqual(storedRaw(h, ["ua", "mb1"]), { total: 1030, afterScrapeStart: 40, afterScrapeEnd: 30 });
});
