import assert from "node:assert/strict";
import { rssGrowth, summarize, warmupSeconds } from "../../../scripts/proof/summary.ts";
import { point, series } from "./_points.ts";

Deno.test("warm-up is a quarter of the run, capped at 5 minutes", () => {
  assert.equal(warmupSeconds(0), 0);
  assert.equal(warmupSeconds(120), 30);
  assert.equal(warmupSeconds(1000), 250);
  assert.equal(warmupSeconds(1200), 300);
  assert.equal(warmupSeconds(2100), 300);
});

Deno.test("RSS growth above 5 % after the warm-up is a FAIL naming both figures", () => {
  // 30 min after a 300 s warm-up: 100 MB in the first sixth, 110 MB in the last, more in between.
  const pts = series(300, 2100, 10, (t) => (t <= 600 ? 100 : t >= 1800 ? 110 : 150));
  const r = rssGrowth(pts, 300);
  assert.equal(r.pass, false);
  assert.equal(r.startMB, 100);
  assert.equal(r.endMB, 110);
  assert.equal(r.measuredPct, 10);
  assert.equal(r.verdictPct, 10);
  assert.equal(r.measuredOverS, 1800);
  assert.equal(
    r.verdict,
    "FAIL: RSS growth 10% (limit 5%) over 30 min after a 300 s warm-up; 100 MB -> 110 MB",
  );
});

Deno.test("points inside the warm-up are left out of the RSS growth", () => {
  // RSS climbs from 20 MB during the warm-up, then stays flat at 200 MB.
  const pts = series(0, 2100, 10, (t) => (t < 300 ? 20 : 200));
  const r = rssGrowth(pts, 300);
  assert.equal(r.pass, true);
  assert.equal(r.startMB, 200);
  assert.equal(r.measuredOverS, 1800);
  assert.equal(
    r.verdict,
    "PASS: RSS growth 0% (limit 5%) over 30 min after a 300 s warm-up; 200 MB -> 200 MB",
  );
});

Deno.test("start and end RSS are medians over the first and last sixth of a long window, not its edge minutes", () => {
  // First minute 130 MB, rest of the first sixth 100 MB; last sixth 110 MB except its last minute at 90 MB.
  const rss = (t: number) => t <= 360 ? 130 : t <= 600 ? 100 : t < 1800 ? 150 : t < 2040 ? 110 : 90;
  const r = rssGrowth(series(300, 2100, 10, rss), 300);
  assert.equal(r.startMB, 100);
  assert.equal(r.endMB, 110);
  assert.equal(r.measuredPct, 10);
});

Deno.test("RSS growth of exactly 5 % is a FAIL; 4.9 % and shrinking are PASS", () => {
  const run = (endMB: number) => rssGrowth(series(0, 1800, 10, (t) => (t <= 900 ? 100 : endMB)), 0);
  const at5 = run(105);
  assert.equal(at5.pass, false);
  assert.match(
    at5.verdict,
    /^FAIL: RSS growth 5% \(limit 5%\) over 30 min after a 0 s warm-up; 100 MB -> 105 MB$/,
  );
  const below = run(104.9);
  assert.equal(below.pass, true);
  assert.equal(below.verdictPct, 4.9);
  assert.match(below.verdict, /^PASS: RSS growth 4\.9% /);
  const shrinking = run(90);
  assert.equal(shrinking.pass, true);
  assert.equal(shrinking.verdictPct, -10);
});

Deno.test("fewer than 3 samples after the warm-up is a FAIL saying so; 3 are judged", () => {
  const pts = series(0, 100, 10, () => 100);
  const two = rssGrowth(pts, 90);
  assert.equal(two.pass, false);
  assert.equal(two.verdict, "FAIL: too few samples after the 90 s warm-up to judge RSS growth");
  assert.equal(two.startMB, 0);
  assert.equal(two.measuredOverS, 0);
  const three = rssGrowth(pts, 80);
  assert.equal(three.pass, true);
  assert.equal(three.measuredOverS, 20);
});

Deno.test("a run shorter than 30 min says so and gives the linear trend per 30 min as informative only", () => {
  // 2 min after a 30 s warm-up, RSS rising 0.1 MB/s from 100 MB. Edge window 40 s (a third of the span):
  // start = median of t 30..70 = RSS at 50 s = 102; end = median of t 110..150 = 110.
  // Growth 8/102 = 7.84 %; trend 0.1 MB/s * 1800 s / 102 MB = 176.47 % per 30 min.
  const r = rssGrowth(series(30, 150, 10, (t) => 100 + 0.1 * (t - 30)), 30);
  assert.equal(r.startMB, 102);
  assert.equal(r.endMB, 110);
  assert.equal(r.measuredPct, 7.84);
  assert.equal(r.per30minPct, 176.47);
  assert.equal(r.pass, false);
  assert.equal(
    r.verdict,
    "FAIL: RSS growth 7.84% (limit 5%) over 2 min after a 30 s warm-up (requirement: 30 min; this run is " +
      "shorter; linear trend 176.47% per 30 min, informative only); 102 MB -> 110 MB",
  );
});

Deno.test("a run measured over at least 1790 s has no shorter-run remark; 1780 s has one", () => {
  const flat = () => 100;
  assert.doesNotMatch(rssGrowth(series(0, 1790, 10, flat), 0).verdict, /shorter/);
  assert.match(
    rssGrowth(series(0, 1780, 10, flat), 0).verdict,
    /this run is shorter; linear trend 0% per 30 min/,
  );
});

Deno.test("summarize takes figures after the warm-up, lag only where exposed, drops from the last point", () => {
  // 120 s run: warm-up 30 s. Warm-up points carry absurd figures that must not show.
  const pts = [0, 10, 20].map((t) => point(t, { inPerS: 1e6, cpuPct: 400, lagMaxMs: 9999 }));
  for (let t = 30; t <= 120; t += 10) {
    pts.push(point(t, {
      inPerS: (t - 20) * 10, // 100 .. 1000
      cpuPct: 50,
      lagMaxMs: t >= 100 ? (t - 100) + 5 : null, // 5, 15, 25
      sinkDroppedValues: t / 10, // cumulative: 12 at the end
    }));
  }
  const s = summarize(pts, 120, { metric: undefined, buckets: new Map() });
  // Nearest rank on 10 sorted values: p50 -> index 5, p95 -> index 9.
  assert.deepEqual(s.inPerS, { mean: 550, p50: 600, p95: 1000, max: 1000 });
  assert.deepEqual(s.cpuPct, { mean: 50, p50: 50, p95: 50, max: 50 });
  assert.deepEqual(s.lagMaxMs, { mean: 15, p50: 15, p95: 25, max: 25 });
  assert.equal(s.sinkDroppedValues, 12);
  assert.equal(s.scoring, null);
  assert.equal(s.rss.warmupS, 30);
  assert.equal(s.rss.measuredOverS, 90);
});

Deno.test("summarize gives no lag distribution when no point exposes lag", () => {
  const pts = series(0, 120, 10, () => 100);
  assert.equal(summarize(pts, 120, { metric: undefined, buckets: new Map() }).lagMaxMs, null);
});

Deno.test("summarize reports scoring latency quantiles from the run's buckets, in ms", () => {
  // 50 observations <= 10 ms, 50 more <= 100 ms. p50 = 10 ms; p99 = 10 + 90 * 49/50 = 98.2 ms.
  const buckets = new Map([[0.01, 50], [0.1, 100], [Infinity, 100]]);
  const s = summarize(series(0, 120, 10, () => 100), 120, {
    metric: "gateway_anomaly_scoring_seconds",
    buckets,
  });
  assert.deepEqual(s.scoring, { metric: "gateway_anomaly_scoring_seconds", p50Ms: 10, p99Ms: 98.2 });
});
