import assert from "node:assert/strict";
import { parseProm } from "../../../scripts/proof/prom.ts";
import { formatLedger, type LifetimeRaw, lifetimeRaw, rawLedger } from "../../../scripts/proof/raw_ledger.ts";

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
