import assert from "node:assert/strict";
import { EwmaDetector, PcaT2QDetector, RobustZDetector } from "../../../core/anomaly/mod.ts";
import { cleanVector, firstAlarm, normal } from "./_synthetic.ts";

const learning = { features: [], learn_vectors: 300, learn_seconds: 0, smoothing: 1, top: 3 };
const robust = () => new RobustZDetector({ ...learning, threshold: 5, adapt_window: 0, adapt_every: 50 });
const ewma = () => new EwmaDetector({ ...learning, threshold: 4, lambda: 0.2 });
const pca = () => new PcaT2QDetector({ ...learning, threshold: 2.5, variance: 0.9, ucl_quantile: 0.99 });

/** 300 learning vectors, then `n` test vectors produced by `mutate(i, clean)`. */
function stream(seed: number, n: number, mutate: (i: number, v: Record<string, number>) => void) {
  const rnd = normal(seed);
  const out: Record<string, number>[] = [];
  for (let i = 0; i < 300; i++) out.push(cleanVector(rnd));
  for (let i = 0; i < n; i++) {
    const v = cleanVector(rnd);
    mutate(i, v);
    out.push(v);
  }
  return out;
}

Deno.test("every detector stays quiet on clean data (under 1 % false alarms over 2,000 vectors)", () => {
  for (const make of [robust, ewma, pca]) {
    const det = make();
    let alarms = 0;
    stream(1, 2000, () => {}).forEach((v, i) => (det.update(v, i * 1000)?.anomalous ? alarms++ : 0));
    assert.ok(alarms <= 20, `${det.type}: ${alarms} false alarms`);
  }
});

Deno.test("a spike of 10σ on one feature is flagged on the same vector by robust z and T²+Q, naming the feature", () => {
  const data = stream(2, 100, (i, v) => (i === 50 ? (v.f2! += 10) : 0));
  for (const make of [robust, pca]) {
    const det = make();
    assert.equal(firstAlarm(det, data, 300), 50, det.type);
  }
  const det = robust();
  data.forEach((v, i) => {
    const d = det.update(v, i * 1000);
    if (i === 350) assert.equal(d!.contributions[0]!.feature, "f2");
  });
});

Deno.test("a step of 2σ is caught by the EWMA chart within 10 vectors; an 8σ step by T²+Q within 2", () => {
  const small = stream(3, 200, (i, v) => (i >= 20 ? (v.f3! += 2) : 0));
  const e = firstAlarm(ewma(), small, 320);
  assert.ok(e >= 0 && e <= 10, `ewma delay ${e}`);
  const large = stream(3, 200, (i, v) => (i >= 20 ? (v.f3! += 8) : 0));
  const p = firstAlarm(pca(), large, 320);
  assert.ok(p >= 0 && p <= 2, `pca delay ${p}`);
});

Deno.test("a slow drift (0 → 3σ over 200 vectors) is caught by the EWMA chart within 120 vectors", () => {
  const data = stream(4, 300, (i, v) => (v.f1! += Math.min(3, (3 * i) / 200)));
  const e = firstAlarm(ewma(), data, 300);
  assert.ok(e >= 0 && e <= 120, `ewma drift delay ${e}`);
});

Deno.test("a variance change (σ ×4 on one feature) is caught by T²+Q within 20 vectors", () => {
  const rnd = normal(99);
  const data = stream(5, 200, (i, v) => (i >= 10 ? (v.f0! += 3 * rnd()) : 0));
  const p = firstAlarm(pca(), data, 310);
  assert.ok(p >= 0 && p <= 20, `pca variance delay ${p}`);
});

Deno.test("a broken correlation with unchanged marginals is seen by T²+Q (Q) but not by per-feature robust z", () => {
  const rnd = normal(6);
  // f4 stops following f0 but keeps its N(10, 1) marginal.
  const data = stream(7, 200, (i, v) => (i >= 10 ? (v.f4 = 10 + rnd()) : 0));
  const p = firstAlarm(pca(), data, 310);
  assert.ok(p >= 0 && p <= 10, `pca delay ${p}`);
  assert.equal(firstAlarm(robust(), data, 310), -1);
});

Deno.test("detectors learn for learn_vectors before scoring and report progress", () => {
  const det = pca();
  const rnd = normal(8);
  for (let i = 0; i < 299; i++) assert.equal(det.update(cleanVector(rnd), i), undefined);
  assert.ok(Math.abs(det.progress - 299 / 300) < 1e-9);
  assert.equal(det.ready, false);
  assert.equal(det.update(cleanVector(rnd), 299), undefined);
  assert.equal(det.ready, true);
  assert.ok(det.update(cleanVector(rnd), 300));
  assert.match(det.version, /^pca_t2q:[0-9a-f]{8}:b299$/);
});

Deno.test("a vector missing a learned feature is skipped and counted, not scored as zero", () => {
  const det = robust();
  const rnd = normal(9);
  for (let i = 0; i < 300; i++) det.update(cleanVector(rnd), i);
  const v = cleanVector(rnd);
  delete v.f3;
  assert.equal(det.update(v, 301), undefined);
  assert.equal(det.skipped, 1);
});

Deno.test("a saved baseline restores identical scores; a baseline of another configuration is refused", () => {
  const a = pca();
  const rnd = normal(10);
  for (let i = 0; i < 300; i++) a.update(cleanVector(rnd), i);
  const state = JSON.parse(JSON.stringify(a.save()));
  const b = pca();
  b.load(state);
  const v = cleanVector(rnd);
  assert.deepEqual(b.update(v, 400), a.update(v, 400));
  const other = new PcaT2QDetector({ ...learning, threshold: 3, variance: 0.9, ucl_quantile: 0.99 });
  assert.throws(() => other.load(state), /another configuration/);
  assert.throws(() => robust().load(state), /not "robust_z"/);
  assert.throws(() => b.load({ ...state, data: { ...state.data, mean: [1] } }), /"mean" has 1 values/);
});
