import assert from "node:assert/strict";
import "../../../adapters/mod.ts";
import {
  createLogger,
  Metrics,
  Quality,
  type Sample,
  type SampleBlock,
  type SourceContext,
  type TagMeta,
  TagStore,
} from "../../../core/mod.ts";
import { bearingOrders, SimulatorSource } from "../../../adapters/simulator/mod.ts";
import { simulatorSchema } from "../../../adapters/simulator/schema.ts";

/** Drives a simulator by hand: time only moves when the test says so. */
function harness(yaml: Record<string, unknown>) {
  const parsed = simulatorSchema.parse(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  let now = 1_700_000_000_000;
  const samples: Sample[] = [];
  const blocks: SampleBlock[] = [];
  const metas: TagMeta[] = [];
  const abort = new AbortController();
  const ctx: SourceContext = {
    name: "sim",
    gateway: { id: "g", site: "s", version: "t" },
    logger: createLogger({ writer: () => {} }),
    metrics: new Metrics(),
    tags: new TagStore(16),
    signal: abort.signal,
    stateDir: "/tmp/unused",
    event: () => {},
    now: () => now,
    provide: () => {},
    lookup: () => undefined,
    emit: (s) => samples.push(...s),
    emitBlock: (b) => blocks.push(b),
    defineTags: (t) => metas.push(...t),
  };
  const source = new SimulatorSource({ ...parsed.value, name: "sim" });
  return {
    source,
    samples,
    blocks,
    metas,
    start: () => source.start(ctx),
    advance(ms: number) {
      now += ms;
      source.tick();
    },
    async stop() {
      abort.abort();
      await source.stop();
    },
  };
}

function values(samples: readonly Sample[], tag: string) {
  return samples.filter((s) => s.tag === tag);
}

Deno.test("the same seed gives the same signals regardless of how time is sliced", async () => {
  const cfg = { seed: 7, signals: [{ name: "t", kind: "temperature", interval_ms: 100 }] };
  const a = harness(cfg);
  const b = harness(cfg);
  await a.start();
  await b.start();
  a.advance(1000);
  for (let i = 0; i < 10; i++) b.advance(100);
  await a.stop();
  await b.stop();
  assert.equal(a.samples.length, 11);
  assert.deepEqual(a.samples.map((s) => s.value), b.samples.map((s) => s.value));
  const c = harness({ ...cfg, seed: 8 });
  await c.start();
  c.advance(1000);
  await c.stop();
  assert.notDeepEqual(c.samples.map((s) => s.value), a.samples.map((s) => s.value));
});

Deno.test("tags are declared with operator context from the config", async () => {
  const h = harness({
    signals: [{
      name: "vib",
      kind: "vibration",
      sample_rate_hz: 1000,
      description: "DE bearing",
      calibration_date: "2026-01-02",
      notes: "stud mounted",
      range: { low: -3, high: 3 },
      asset: "pump-1",
    }],
  });
  await h.start();
  await h.stop();
  const m = h.metas[0]!;
  assert.equal(m.id, "sim.vib");
  assert.equal(m.unit, "g");
  assert.equal(m.sampleRateHz, 1000);
  assert.equal(m.calibrationDate, "2026-01-02");
  assert.equal(m.notes, "stud mounted");
  assert.deepEqual(m.range, { low: -3, high: 3 });
  assert.equal(m.asset, "pump-1");
});

function goertzel(x: ArrayLike<number>, fs: number, f: number): number {
  const w = (2 * Math.PI * f) / fs;
  let s1 = 0, s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s0 = x[i]! + 2 * Math.cos(w) * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (2 * Math.sqrt(s1 * s1 + s2 * s2 - 2 * Math.cos(w) * s1 * s2)) / x.length;
}

Deno.test("vibration carries the shaft harmonics at their configured amplitudes", async () => {
  const h = harness({
    signals: [{
      name: "v",
      kind: "vibration",
      sample_rate_hz: 4096,
      shaft_hz: 16,
      harmonics: [1, 0.5],
      noise: 0.01,
    }],
  });
  await h.start();
  h.advance(2000);
  await h.stop();
  const x = h.blocks.flatMap((b) => Array.from(b.values)).slice(0, 8192);
  assert.equal(x.length, 8192);
  assert.ok(Math.abs(goertzel(x, 4096, 16) - 1) < 0.02);
  assert.ok(Math.abs(goertzel(x, 4096, 32) - 0.5) < 0.02);
  assert.ok(goertzel(x, 4096, 48) < 0.02);
});

Deno.test("an outer-race fault modulates the vibration energy at BPFO", async () => {
  const shaft = 20;
  const h = harness({
    signals: [{
      name: "v",
      kind: "vibration",
      sample_rate_hz: 16384,
      shaft_hz: shaft,
      harmonics: [0.2],
      noise: 0.01,
      fault: { type: "outer_race", amplitude: 1, resonance_hz: 3000 },
    }],
  });
  await h.start();
  h.advance(2000);
  await h.stop();
  const x = h.blocks.flatMap((b) => Array.from(b.values)).slice(0, 32768);
  const envelope = x.map((v) => v * v); // squared signal: impacts show as a BPFO-periodic energy train
  const bpfo =
    bearingOrders({ balls: 9, ball_diameter_mm: 7.94, pitch_diameter_mm: 39.04, contact_angle_deg: 0 }).bpfo *
    shaft;
  const atFault = goertzel(envelope, 16384, bpfo);
  const offFault = goertzel(envelope, 16384, bpfo * 1.37);
  assert.ok(atFault > 5 * offFault, `BPFO line ${atFault} vs elsewhere ${offFault}`);
});

Deno.test("faults: spike, step, stuck, dropout and bad quality happen where configured", async () => {
  const h = harness({
    signals: [
      { name: "a", kind: "analog", interval_ms: 100, base: 10, amplitude: 0, noise: 0 },
      { name: "b", kind: "analog", interval_ms: 100, base: 10, amplitude: 5, period_s: 1, noise: 0 },
    ],
    faults: [
      { signal: "a", type: "spike", start_s: 1, duration_s: 0, magnitude: 50 },
      { signal: "a", type: "step", start_s: 2, duration_s: 1, magnitude: 3 },
      { signal: "a", type: "dropout", start_s: 3.5, duration_s: 0.5 },
      { signal: "a", type: "bad_quality", start_s: 4.5, duration_s: 0.2 },
      { signal: "b", type: "stuck", start_s: 1, duration_s: 1 },
    ],
  });
  await h.start();
  h.advance(5000);
  await h.stop();
  const a = values(h.samples, "sim.a");
  const at = (t: number) => a.find((s) => s.ts === 1_700_000_000_000 + t * 1000);
  assert.equal(at(1)!.value, 60);
  assert.equal(at(1.1)!.value, 10);
  assert.equal(at(2.5)!.value, 13);
  assert.equal(at(3.0)!.value, 10);
  assert.equal(at(3.6), undefined, "dropout");
  assert.ok(at(4.1));
  assert.equal(at(4.6)!.quality, Quality.Bad);
  assert.equal(at(4.8)!.quality, Quality.Good);
  const b = values(h.samples, "sim.b").filter((s) => s.ts >= 1_700_000_001_000 && s.ts < 1_700_000_002_000);
  assert.equal(new Set(b.map((s) => s.value)).size, 1, "stuck value");
});

Deno.test("after a stall only max_catch_up_s of backlog is generated and the rest is counted", async () => {
  const h = harness({ max_catch_up_s: 1, signals: [{ name: "t", kind: "analog", interval_ms: 10 }] });
  await h.start();
  h.advance(5000);
  await h.stop();
  assert.equal(h.samples.length, 100);
  assert.equal(h.source.health().details!.skipped_samples, 401);
});

Deno.test("counters never decrease and booleans follow the duty cycle", async () => {
  const h = harness({
    signals: [
      { name: "c", kind: "counter", interval_ms: 100, rate_per_s: 25 },
      { name: "b", kind: "boolean", interval_ms: 100, period_s: 1, duty: 0.3 },
    ],
  });
  await h.start();
  h.advance(10_000);
  await h.stop();
  const c = values(h.samples, "sim.c").map((s) => s.value as number);
  for (let i = 1; i < c.length; i++) assert.ok(c[i]! >= c[i - 1]!);
  assert.ok(Math.abs(c.at(-1)! - 250) < 10, `count ${c.at(-1)}`);
  const b = values(h.samples, "sim.b");
  const share = b.filter((s) => s.value === true).length / b.length;
  assert.ok(Math.abs(share - 0.3) < 0.05, `duty ${share}`);
});
