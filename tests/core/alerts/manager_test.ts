import assert from "node:assert/strict";
import { AlertManager, DEFAULT_POLICY } from "../../../core/alerts/mod.ts";
import type { Alert } from "../../../core/mod.ts";

const policy = { ...DEFAULT_POLICY, raise_after_s: 3, clear_after_s: 5, clear_ratio: 0.8, cooldown_s: 60 };

function run(scores: readonly number[], p = policy) {
  const out: Alert[] = [];
  const m = new AlertManager((a) => out.push(a), p);
  scores.forEach((score, i) =>
    m.observe({
      asset: "pump-1",
      kind: "anomaly",
      detector: "pca",
      ts: i * 1000,
      score,
      threshold: 1,
      contributions: [{ feature: "vib.rms", value: score }],
    })
  );
  return { out, m };
}

Deno.test("an alert is raised only after the score stayed above the threshold for raise_after_s", () => {
  const { out } = run([0.5, 1.2, 1.3, 1.1, 1.4, 1.5]);
  assert.equal(out.length, 1);
  assert.equal(out[0]!.raisedAt, 4000); // above since t=1 s, raised at t=4 s
  assert.equal(out[0]!.state, "active");
  assert.equal(out[0]!.contributions[0]!.feature, "vib.rms");
  // A blip shorter than raise_after_s raises nothing.
  assert.equal(run([0.5, 1.5, 1.5, 0.5, 1.5, 0.5]).out.length, 0);
});

Deno.test("hysteresis: a score hovering around the threshold does not flap; it clears only below 0.8× for 5 s", () => {
  const hover = [1.2, 1.2, 1.2, 1.2, 0.95, 1.05, 0.9, 1.01, 0.85, 0.99, 0.9, 1.1, 0.95, 0.9];
  const { out } = run(hover);
  assert.equal(out.length, 1, "raised once, never cleared while above 0.8");
  const { out: o2 } = run([...hover, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  assert.equal(o2.length, 2);
  assert.equal(o2[1]!.state, "cleared");
  assert.equal(o2[1]!.clearedAt, (hover.length + 5) * 1000);
});

Deno.test("cooldown: after clearing, the same condition cannot raise again for cooldown_s", () => {
  const scores = [2, 2, 2, 2, 0, 0, 0, 0, 0, 0, ...Array(20).fill(2)];
  const { out } = run(scores, { ...policy, cooldown_s: 15 });
  const raised = out.filter((a) => a.state === "active");
  assert.equal(raised.length, 2);
  // Cleared at t=9 s → cooldown until 24 s.
  assert.ok(raised[1]!.raisedAt >= 24_000, `raised again at ${raised[1]!.raisedAt}`);
});

Deno.test("severity escalates to critical at critical_ratio × threshold, keeping the alert id", () => {
  const { out } = run([1.2, 1.2, 1.2, 1.2, 1.5, 2.5, 3]);
  assert.equal(out.length, 2);
  assert.equal(out[0]!.severity, "warning");
  assert.equal(out[1]!.severity, "critical");
  assert.equal(out[1]!.id, out[0]!.id);
});

Deno.test("acknowledgement is emitted, kept while active, and an acknowledged cleared alert leaves the active list", () => {
  const { out, m } = run([2, 2, 2, 2]);
  const id = out[0]!.id;
  const acked = m.acknowledge(id, "operator")!;
  assert.equal(acked.acknowledged, true);
  assert.match(acked.message, /acknowledged by operator/);
  assert.equal(out.at(-1), acked);
  assert.equal(m.active().length, 1);
  assert.equal(m.acknowledge("nope", "x"), undefined);
  for (let t = 4; t < 12; t++) {
    m.observe({ asset: "pump-1", kind: "anomaly", detector: "pca", ts: t * 1000, score: 0, threshold: 1 });
  }
  assert.equal(out.at(-1)!.state, "cleared");
  assert.equal(out.at(-1)!.acknowledged, true);
  assert.equal(m.active().length, 0);
});

Deno.test("an unacknowledged alert stays visible after clearing until acknowledged", () => {
  const { out, m } = run([2, 2, 2, 2, 0, 0, 0, 0, 0, 0]);
  assert.equal(out.at(-1)!.state, "cleared");
  assert.equal(m.active().length, 1);
  m.acknowledge(out[0]!.id, "op");
  assert.equal(m.active().length, 0);
});

const obs = (ts: number, score: number) => ({
  asset: "pump-1",
  kind: "anomaly",
  detector: "pca",
  ts,
  score,
  threshold: 1,
});

Deno.test("restore: a still-violated condition keeps its alert id and acknowledgement, no second raise", () => {
  const { out, m } = run([1.5, 1.5, 1.5, 1.5]);
  const id = out[0]!.id;
  assert.equal(out[0]!.severity, "warning");
  m.acknowledge(id, "op");
  const snap = JSON.parse(JSON.stringify(m.snapshot()));
  const out2: Alert[] = [];
  const m2 = new AlertManager((a) => out2.push(a), policy);
  assert.equal(m2.restore(snap), 1);
  assert.deepEqual(m2.active().map((a) => [a.id, a.acknowledged]), [[id, true]]);
  for (let t = 10; t < 30; t++) m2.observe(obs(t * 1000, 1.5));
  assert.equal(out2.length, 0, "nothing raised again while the condition persists");
  // Escalation keeps the id.
  m2.observe(obs(30_000, 3));
  assert.equal(out2.length, 1);
  assert.equal(out2[0]!.id, id);
  assert.equal(out2[0]!.severity, "critical");
  assert.equal(out2[0]!.acknowledged, true);
});

Deno.test("restore: a condition gone after the restart clears through hysteresis with the old id", () => {
  const { out, m } = run([2, 2, 2, 2]);
  const m2Out: Alert[] = [];
  const m2 = new AlertManager((a) => m2Out.push(a), policy);
  m2.restore(m.snapshot());
  // clear_after_s = 5 is measured on observations after the restart.
  for (let t = 100; t < 105; t++) m2.observe(obs(t * 1000, 0));
  assert.equal(m2Out.length, 0);
  m2.observe(obs(105_000, 0));
  assert.equal(m2Out.length, 1);
  assert.equal(m2Out[0]!.id, out[0]!.id);
  assert.equal(m2Out[0]!.state, "cleared");
  assert.equal(m2Out[0]!.clearedAt, 105_000);
});

Deno.test("restore: a running cooldown and the id sequence survive; ids stay unique", () => {
  const { out, m } = run([2, 2, 2, 2, 0, 0, 0, 0, 0, 0], { ...policy, cooldown_s: 60 });
  assert.equal(out.at(-1)!.state, "cleared"); // cleared at 9 s → cooldown until 69 s
  const snap = m.snapshot();
  assert.deepEqual(snap.conditions, [{ key: "pump-1/anomaly/pca", cooldownUntil: 69_000 }]);
  const out2: Alert[] = [];
  const m2 = new AlertManager((a) => out2.push(a), policy);
  m2.restore(snap);
  for (let t = 10; t < 80; t++) m2.observe(obs(t * 1000, 2));
  const raised = out2.filter((a) => a.state === "active");
  assert.equal(raised.length, 1);
  assert.ok(raised[0]!.raisedAt >= 69_000, `raised at ${raised[0]!.raisedAt}`);
  assert.notEqual(raised[0]!.id, out[0]!.id);
  // The cleared, unacknowledged alert of the first run is still listed and can be acknowledged.
  assert.ok(m2.active().some((a) => a.id === out[0]!.id && a.state === "cleared"));
  assert.equal(m2.acknowledge(out[0]!.id, "op")!.acknowledged, true);
});

Deno.test("every persistable change calls onChange; resolve with a reason names it in the cleared record", () => {
  let changes = 0;
  const out: Alert[] = [];
  const m = new AlertManager((a) => out.push(a), policy, Date.now, { onChange: () => changes++ });
  for (let t = 0; t < 4; t++) m.observe(obs(t * 1000, 1.5)); // raise
  m.observe(obs(4000, 2.5)); // escalate
  m.observe(obs(5000, 2.5)); // no change
  m.acknowledge(out[0]!.id, "op");
  assert.equal(changes, 3);
  const cleared = m.resolve("pump-1/anomaly/pca", 6000, "detector pca was removed");
  assert.equal(changes, 4);
  assert.equal(cleared!.id, out[0]!.id);
  assert.match(cleared!.message, /\(cleared: detector pca was removed\)$/);
  assert.throws(() => m.restore({ seq: 0, alerts: [], conditions: [] }), TypeError);
});
