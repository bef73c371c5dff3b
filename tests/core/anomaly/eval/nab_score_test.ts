import assert from "node:assert/strict";
import {
  bestScore,
  NAB_PROFILES,
  normalise,
  probationaryLength,
  referenceScores,
  scaledSigmoid,
  scoreAt,
  sweep,
} from "../../../../core/anomaly/eval/nab_score.ts";

const std = NAB_PROFILES.standard;
// 40 rows, one window rows 20..29 (width 10), probation = floor(0.15·40) = 6 rows.
const ts = Float64Array.from({ length: 40 }, (_, i) => i * 60_000);
const windows = [[20 * 60_000, 29 * 60_000]] as const;

function detections(rows: number[]): Float64Array {
  const d = new Float64Array(40);
  for (const r of rows) d[r] = 1;
  return d;
}

Deno.test("NAB scaled sigmoid: +1 deep before, 0 at the window end, -1 far after", () => {
  assert.ok(Math.abs(scaledSigmoid(-1) - 0.9866142981514303) < 1e-12);
  assert.equal(scaledSigmoid(0), 0);
  assert.equal(scaledSigmoid(3.5), -1);
  assert.equal(probationaryLength(40), 6);
  assert.equal(probationaryLength(22695), 750);
});

Deno.test("NAB scorer: a detection at the window start scores tpWeight exactly (perfect detector)", () => {
  const s = scoreAt(sweep(ts, detections([20]), windows, std), std, 1);
  assert.ok(Math.abs(s.score - 1) < 1e-12);
  assert.deepEqual(referenceScores(1, std), { null: -1, perfect: 1 });
  assert.equal(normalise(s.score, -1, 1), 100);
});

Deno.test("NAB scorer: hand-computed mid-window detection, an FP before the window and one after it", () => {
  // Row 25: position −(29−25+1)/10 = −0.5 → sigmoid 2/(1+e^{−2.5})−1 scaled by 1/maxTP.
  const tp = (2 / (1 + Math.exp(-2.5)) - 1) / scaledSigmoid(-1);
  // Row 10: before any window → −1 × 0.11. Row 33: (33−29)/(10−1) → scaledSigmoid(0.444…) × 0.11.
  const fpBefore = -0.11;
  const fpAfter = scaledSigmoid(4 / 9) * 0.11;
  const s = scoreAt(sweep(ts, detections([10, 25, 27, 33]), windows, std), std, 1);
  assert.ok(Math.abs(s.score - (tp + fpBefore + fpAfter)) < 1e-12, `score ${s.score}`);
  assert.equal(s.tp, 2); // both in-window detections are TP rows; only the earliest counts in the score
  assert.equal(s.fp, 2);
  // Detections inside the probationary period are ignored.
  const p = scoreAt(sweep(ts, detections([2, 25]), windows, std), std, 1);
  assert.ok(Math.abs(p.score - tp) < 1e-12);
});

Deno.test("NAB scorer: a missed window costs fnWeight; low-FN doubles it; the threshold sweep finds the best", () => {
  const none = scoreAt(sweep(ts, new Float64Array(40), windows, std), std, 0.5);
  assert.equal(none.score, -1);
  const fn = NAB_PROFILES.reward_low_FN_rate;
  assert.equal(scoreAt(sweep(ts, new Float64Array(40), windows, fn), fn, 0.5).score, -2);
  // Graded scores: 0.9 at row 22 (in window), 0.7 at row 35 (FP): best threshold keeps only row 22.
  const graded = new Float64Array(40);
  graded[22] = 0.9;
  graded[35] = 0.7;
  const best = bestScore(sweep(ts, graded, windows, std), std);
  assert.equal(best.threshold, 0.9);
  assert.equal(best.fp, 0);
});
