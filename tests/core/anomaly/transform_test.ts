import assert from "node:assert/strict";
import { anomalySchema, AnomalyTransform } from "../../../core/anomaly/mod.ts";
import type { AlertControl, FeatureVector } from "../../../core/mod.ts";
import { harness } from "../features/_ctx.ts";
import { cleanVector, normal } from "./_synthetic.ts";

function transform(extra: Record<string, unknown> = {}) {
  const parsed = anomalySchema.parse({
    detectors: [{ name: "pca", type: "pca_t2q", learn_vectors: 100 }, {
      name: "z",
      type: "robust_z",
      learn_vectors: 100,
    }],
    alerts: { raise_after_s: 2, clear_after_s: 2, cooldown_s: 0 },
    ...extra,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return new AnomalyTransform(parsed.value);
}

const vec = (i: number, features: Record<string, number>): FeatureVector => ({
  asset: "pump-1",
  windowStart: i * 1000 - 1000,
  windowEnd: i * 1000,
  computedAt: i * 1000,
  schemaVersion: 1,
  features,
  quality: { worst: "good", goodShare: 1 },
});

Deno.test("anomaly transform: scores carry detector + version, anomalies raise an alert with contributions, API can acknowledge", async () => {
  const h = harness();
  const dir = await Deno.makeTempDir();
  try {
    const t = transform();
    await t.start(h.ctx("scoring", dir));
    const rnd = normal(1);
    for (let i = 0; i < 150; i++) t.process([{ kind: "features", features: vec(i, cleanVector(rnd)) }]);
    for (let i = 150; i < 160; i++) {
      const v = cleanVector(rnd);
      v.f2! += 15;
      t.process([{ kind: "features", features: vec(i, v) }]);
    }
    const scores = h.emitted.flatMap((m) => (m.kind === "score" ? [m.score] : []));
    assert.equal(scores.length, 2 * 60);
    assert.match(scores[0]!.version, /^pca_t2q:[0-9a-f]{8}:b99000$/);
    const alerts = h.emitted.flatMap((m) => (m.kind === "alert" ? [m.alert] : []));
    assert.ok(alerts.length >= 1);
    assert.equal(alerts[0]!.raisedAt, 152_000); // anomalous from 150 s, raise_after 2 s
    assert.equal(alerts[0]!.contributions[0]!.feature, "f2");
    const control = h.capabilities.lookup<AlertControl>("alerts")!;
    assert.equal(control.active().length, alerts.filter((a) => a.state === "active").length);
    assert.equal(control.acknowledge(alerts[0]!.id, "api")!.acknowledged, true);
    await t.stop();
    assert.ok(h.events.some((e) => e.type === "anomaly.baseline_learned"));
    // Every score is timed from its window end: one observation per score and detector.
    const text = h.metrics.render();
    assert.match(text, /gateway_anomaly_scoring_seconds_count\{asset="pump-1",detector="pca"\} 60/);
    assert.match(text, /gateway_anomaly_scoring_seconds_count\{asset="pump-1",detector="z"\} 60/);
  } finally {
    h.abort.abort();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a learned baseline survives a restart: the new instance scores at once, no relearning", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rnd = normal(2);
    const data = Array.from({ length: 110 }, () => cleanVector(rnd));
    const h1 = harness();
    const t1 = transform();
    await t1.start(h1.ctx("scoring", dir));
    data.forEach((v, i) => t1.process([{ kind: "features", features: vec(i, v) }]));
    await t1.stop();
    const before = h1.emitted.flatMap((m) => (m.kind === "score" ? [m.score] : []));
    const h2 = harness();
    const t2 = transform();
    await t2.start(h2.ctx("scoring", dir));
    t2.process([{ kind: "features", features: vec(105, data[105]!) }]);
    const after = h2.emitted.flatMap((m) => (m.kind === "score" ? [m.score] : []));
    assert.equal(after.length, 2, "scored immediately after restart");
    const same = before.find((s) => s.ts === 105_000 && s.detector === "pca")!;
    const again = after.find((s) => s.detector === "pca")!;
    assert.equal(again.score, same.score);
    assert.equal(again.version, same.version);
    assert.ok(h2.events.some((e) => e.type === "anomaly.baseline_restored"));
    await t2.stop();
    // A changed detector configuration refuses the stored baseline and learns again.
    const h3 = harness();
    const t3 = transform({
      detectors: [{ name: "pca", type: "pca_t2q", learn_vectors: 100, variance: 0.8 }],
    });
    await t3.start(h3.ctx("scoring", dir));
    t3.process([{ kind: "features", features: vec(105, data[105]!) }]);
    assert.equal(h3.emitted.filter((m) => m.kind === "score").length, 0);
    assert.ok(
      h3.events.some((e) =>
        e.type === "anomaly.baseline_discarded" && /another configuration/.test(e.message)
      ),
    );
    await t3.stop();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("data quality: a stale tag, a stuck value and low completeness raise alerts; drift of the mean too", async () => {
  const h = harness(0);
  const t = transform({
    detectors: [],
    data_quality: {
      tags: ["plant.*"],
      stale_after_s: 10,
      stuck_after_s: 20,
      stuck_min_samples: 5,
      completeness_window_s: 30,
      min_completeness: 0.8,
      drift_baseline_s: 60,
      drift_window_s: 20,
    },
  });
  const dir = await Deno.makeTempDir();
  await t.start(h.ctx("scoring", dir));
  try {
    const rnd = normal(3);
    // 1 Hz for 120 s: temp normal, then its mean shifts by 6σ; flow goes stuck at 60 s; press stops at 90 s.
    for (let s = 0; s < 120; s++) {
      h.clock.now = s * 1000;
      h.push("plant.temp", [[s * 1000, 50 + rnd() + (s >= 90 ? 6 : 0)]]);
      h.push("plant.flow", [[s * 1000, s < 60 ? 10 + rnd() : 12.5]]);
      if (s < 90) h.push("plant.press", [[s * 1000, 3 + 0.1 * rnd()]]);
      // Every other sample of plant.gappy is missing from 60 s on.
      if (s < 60 || s % 2 === 0) h.push("plant.gappy", [[s * 1000, 1 + rnd()]]);
      t.checkQuality();
    }
    const alerts = h.emitted.flatMap((m) => (m.kind === "alert" ? [m.alert] : []));
    const raised = (kind: string, tag: string) =>
      alerts.find((a) => a.kind === kind && a.detector === tag && a.state === "active");
    assert.ok(raised("stale_tag", "plant.press"), "stale");
    assert.ok(raised("stuck_value", "plant.flow"), "stuck");
    assert.ok(raised("incomplete", "plant.gappy"), "incomplete");
    assert.ok(raised("drift", "plant.temp"), "drift");
    assert.equal(raised("stale_tag", "plant.temp"), undefined);
    assert.equal(raised("drift", "plant.press"), undefined);
  } finally {
    await t.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
