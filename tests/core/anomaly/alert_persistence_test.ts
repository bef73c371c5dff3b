import assert from "node:assert/strict";
import { anomalySchema, AnomalyTransform } from "../../../core/anomaly/mod.ts";
import type { Alert, AlertControl, FeatureVector } from "../../../core/mod.ts";
import { type Harness, harness } from "../features/_ctx.ts";
import { cleanVector, normal } from "./_synthetic.ts";

function transform(extra: Record<string, unknown> = {}) {
  const parsed = anomalySchema.parse({
    detectors: [{ name: "z", type: "robust_z", learn_vectors: 100 }],
    alerts: { raise_after_s: 2, clear_after_s: 2, cooldown_s: 0 },
    ...extra,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return new AnomalyTransform(parsed.value);
}

const rnd = normal(7);
const vec = (i: number, anomalous: boolean, asset = "pump-1"): FeatureVector => {
  const features = cleanVector(rnd);
  if (anomalous) features.f2! += 15;
  return {
    asset,
    windowStart: i * 1000 - 1000,
    windowEnd: i * 1000,
    computedAt: i * 1000,
    schemaVersion: 1,
    features,
    quality: { worst: "good", goodShare: 1 },
  };
};

const alertsOf = (h: Harness): Alert[] => h.emitted.flatMap((m) => (m.kind === "alert" ? [m.alert] : []));

/** First run: learns, raises one anomaly alert on pump-1, acknowledges it, stops. Returns the alert. */
async function firstRun(dir: string): Promise<Alert> {
  const h = harness();
  const t = transform();
  await t.start(h.ctx("scoring", dir));
  for (let i = 0; i < 110; i++) t.process([{ kind: "features", features: vec(i, false) }]);
  for (let i = 110; i < 120; i++) t.process([{ kind: "features", features: vec(i, true) }]);
  const raised = alertsOf(h).filter((a) => a.state === "active");
  assert.equal(raised.length, 1, "one alert raised in the first run");
  h.capabilities.lookup<AlertControl>("alerts")!.acknowledge(raised[0]!.id, "op");
  await t.stop();
  assert.ok(t.alertWriter!.writes <= 2, `${t.alertWriter!.writes} writes for raise + ack + stop`);
  return raised[0]!;
}

Deno.test("after a restart the same alert id continues, its acknowledgement is kept and no second alert is raised", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = await firstRun(dir);
    const stored = JSON.parse(await Deno.readTextFile(`${dir}/alerts.json`));
    assert.deepEqual(stored.alerts.map((x: Alert) => [x.id, x.acknowledged]), [[a.id, true]]);
    const h = harness();
    const t = transform();
    await t.start(h.ctx("scoring", dir));
    try {
      assert.ok(
        h.events.some((e) => e.type === "anomaly.alerts_restored" && /1 active alert/.test(e.message)),
      );
      const control = h.capabilities.lookup<AlertControl>("alerts")!;
      assert.deepEqual(control.active().map((x) => [x.id, x.state, x.acknowledged]), [[
        a.id,
        "active",
        true,
      ]]);
      for (let i = 120; i < 140; i++) t.process([{ kind: "features", features: vec(i, true) }]);
      assert.ok(h.emitted.some((m) => m.kind === "score"), "scored with the restored baseline");
      const emitted = alertsOf(h);
      assert.ok(emitted.every((x) => x.id === a.id), `only the old id: ${emitted.map((x) => x.id)}`);
      assert.equal(emitted.filter((x) => x.state === "active" && x.severity === a.severity).length, 0);
      assert.equal(control.active().length, 1);
    } finally {
      await t.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a condition gone after the restart clears through hysteresis with the old alert id", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = await firstRun(dir);
    const h = harness();
    const t = transform();
    await t.start(h.ctx("scoring", dir));
    try {
      t.process([{ kind: "features", features: vec(500, false) }]);
      t.process([{ kind: "features", features: vec(501, false) }]);
      assert.equal(alertsOf(h).length, 0, "clear_after_s is measured after the restart");
      for (let i = 502; i < 506; i++) t.process([{ kind: "features", features: vec(i, false) }]);
      const emitted = alertsOf(h);
      assert.equal(emitted.length, 1);
      assert.equal(emitted[0]!.id, a.id);
      assert.equal(emitted[0]!.state, "cleared");
      assert.equal(emitted[0]!.acknowledged, true);
      assert.equal(emitted[0]!.clearedAt, 502_000);
    } finally {
      await t.stop();
    }
    const stored = JSON.parse(await Deno.readTextFile(`${dir}/alerts.json`));
    assert.deepEqual(stored.alerts, [], "an acknowledged cleared alert is not stored any more");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corrupt alert state file is reported with its path and reason, moved aside, and the transform starts empty", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/alerts.json`, '{"format":1,"seq":3,"alerts":[{"id":');
    const h = harness();
    const t = transform();
    await t.start(h.ctx("scoring", dir));
    try {
      const ev = h.events.find((e) => e.type === "anomaly.alert_state_discarded");
      assert.ok(ev, "event recorded");
      assert.equal(ev.level, "warn");
      assert.ok(ev.message.includes(`${dir}/alerts.json`), ev.message);
      assert.match(ev.message, /not valid JSON/);
      const aside = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) =>
        n.startsWith("alerts.json.corrupt-")
      );
      assert.deepEqual(aside, [`alerts.json.corrupt-${h.clock.now}`]);
      assert.equal(h.capabilities.lookup<AlertControl>("alerts")!.active().length, 0);
      // It works normally afterwards: learns, raises, stores a fresh state file.
      for (let i = 0; i < 110; i++) t.process([{ kind: "features", features: vec(i, false) }]);
      for (let i = 110; i < 115; i++) t.process([{ kind: "features", features: vec(i, true) }]);
      assert.equal(alertsOf(h).length, 1);
    } finally {
      await t.stop();
    }
    const stored = JSON.parse(await Deno.readTextFile(`${dir}/alerts.json`));
    assert.equal(stored.alerts.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("restored alerts of a removed detector or an asset no longer scored are cleared with the reason", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = await firstRun(dir);
    // The detector is renamed: the old one's alert must not stay active forever.
    const h = harness();
    const t = transform({ detectors: [{ name: "z2", type: "robust_z", learn_vectors: 100 }] });
    await t.start(h.ctx("scoring", dir));
    try {
      assert.equal(
        h.capabilities.lookup<AlertControl>("alerts")!.active().length,
        0,
        "acknowledged and cleared",
      );
      t.process([{ kind: "features", features: vec(600, false) }]); // delivers the records held since start
      const emitted = alertsOf(h);
      assert.equal(emitted.length, 1);
      assert.equal(emitted[0]!.id, a.id);
      assert.equal(emitted[0]!.state, "cleared");
      assert.match(emitted[0]!.message, /\(cleared: detector z was removed from the configuration\)$/);
    } finally {
      await t.stop();
    }
    // An asset that is no longer scored: same, with its own reason.
    const dir2 = await Deno.makeTempDir();
    try {
      await firstRun(dir2);
      const h2 = harness();
      const t2 = transform({ assets: ["press-*"] });
      await t2.start(h2.ctx("scoring", dir2));
      t2.process([{ kind: "features", features: vec(600, false, "press-1") }]);
      await t2.stop();
      assert.match(alertsOf(h2)[0]!.message, /asset pump-1 is no longer scored/);
    } finally {
      await Deno.remove(dir2, { recursive: true });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a restored stale-tag alert survives the restart until the check can tell, then keeps or clears its id", async () => {
  const dir = await Deno.makeTempDir();
  const dq = { detectors: [], data_quality: { tags: ["plant.*"], stale_after_s: 10 } };
  try {
    const h1 = harness(0);
    const t1 = transform(dq);
    await t1.start(h1.ctx("scoring", dir));
    try {
      h1.push("plant.press", [[0, 1], [1000, 1]]);
      h1.push("plant.temp", [[0, 1], [1000, 1]]);
      h1.clock.now = 20_000;
      t1.checkQuality();
    } finally {
      await t1.stop();
    }
    const raised = alertsOf(h1);
    assert.deepEqual(raised.map((a) => [a.detector, a.state]), [["plant.press", "active"], [
      "plant.temp",
      "active",
    ]]);
    // Restart: both tags are known again, no sample yet. Nothing can be said for stale_after_s.
    const h2 = harness(30_000);
    const t2 = transform(dq);
    await t2.start(h2.ctx("scoring", dir));
    try {
      for (const id of ["plant.press", "plant.temp"]) {
        h2.tags.define({ id, source: "plc", dataType: "float" });
      }
      t2.checkQuality();
      h2.clock.now = 35_000;
      t2.checkQuality();
      assert.equal(alertsOf(h2).length, 0, "not cleared before the check knows");
      // plant.temp updates again: its alert clears with the old id; plant.press stays silent: same alert.
      h2.push("plant.temp", [[44_000, 2]]);
      h2.clock.now = 45_000;
      t2.checkQuality();
      const out = alertsOf(h2);
      assert.deepEqual(out.map((a) => [a.id, a.state]), [[raised[1]!.id, "cleared"]]);
      const active = h2.capabilities.lookup<AlertControl>("alerts")!.active().filter((a) =>
        a.state === "active"
      );
      assert.deepEqual(active.map((a) => a.id), [raised[0]!.id]);
    } finally {
      await t2.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
