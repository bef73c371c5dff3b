import assert from "node:assert/strict";
import {
  HISTORY_CAPABILITY,
  type HistoryReader,
  type Message,
  Metrics,
  type Sample,
  silentLogger,
  SinkRunner,
} from "../../../core/mod.ts";
import { near, startSink } from "./_helpers.ts";

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const RATE = 25_600;
const DT = 1000 / RATE;
const BLOCK = 2560; // 100 ms, as the simulator emits them

/** Deterministic vibration-like values of channel `c`, sample i (a sine plus pseudo-random noise). */
function vib(c: number, i: number): number {
  const noise = (((i * 2654435761 + c * 40503) >>> 0) % 10007) / 10007 - 0.5;
  return (1 + c * 0.1) * Math.sin(2 * Math.PI * (24 + c) * i * DT / 1000) + 0.2 * noise + c;
}

function sec(c: number, s: number): { mean: number; min: number; max: number; values: Float64Array } {
  const values = new Float64Array(RATE);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < RATE; k++) {
    const v = vib(c, s * RATE + k);
    values[k] = v;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { mean: sum / RATE, min, max, values };
}

Deno.test("history rolls up 8 channels x 25.6 kHz pushed at full speed exactly, commits every interleaved slow sample and drops nothing", async () => {
  const channels = 8;
  const seconds = 5;
  const slowTags = 20;
  const clock = { now: T0 };
  const h = await startSink({}, clock);
  const metrics = new Metrics();
  const runner = new SinkRunner(
    "history",
    h.sink,
    { max_values: 500_000, max_batch: 1000 },
    silentLogger,
    metrics,
  );
  runner.start();
  let stopped = false;
  try {
    const slow: Sample[] = [];
    for (let step = 0; step < seconds * 10; step++) {
      clock.now = T0 + step * 100 + 20;
      for (let c = 0; c < channels; c++) {
        const values = new Float64Array(BLOCK);
        for (let k = 0; k < BLOCK; k++) values[k] = vib(c, step * BLOCK + k);
        const block = {
          tag: `vib.ch${c}`,
          t0: T0 + step * 100,
          dt: DT,
          values,
          recv: clock.now,
          quality: 0 as const,
          status: 0,
        };
        runner.offer({ kind: "block", block });
      }
      const samples: Sample[] = [];
      for (let t = 0; t < slowTags; t++) {
        samples.push({
          tag: `plc.t${t}`,
          value: t * 100 + step,
          ts: T0 + step * 100,
          recv: clock.now,
          quality: 0,
          status: 0,
        });
      }
      slow.push(...samples);
      runner.offer({ kind: "samples", samples } as Message);
      if (step % 10 === 9) await new Promise((r) => setTimeout(r, 0)); // let the runner write now and then
    }
    assert.ok(
      runner.queuedValues <= slowTags * 10,
      `blocks never queue (queued ${runner.queuedValues} values)`,
    );
    clock.now = T0 + seconds * 1000 + 5000;
    await runner.stop();
    stopped = true;
    const dropped = metrics.counter("gateway_sink_dropped_values_total", "").get({ sink: "history" });
    assert.equal(dropped, 0, "no queue drops");

    const h2 = await startSink({}, clock, h.dir);
    try {
      const reader = h2.ctx.lookup<HistoryReader>(HISTORY_CAPABILITY)!;
      const q = (tag: string, agg: "count" | "avg" | "min" | "max" | "p95", step = 1000) =>
        reader.series({ tags: [tag], from: T0, to: T0 + seconds * 1000, step, agg, maxPoints: 100 }).then((
          r,
        ) => r[0]!);
      for (let c = 0; c < channels; c++) {
        const tag = `vib.ch${c}`;
        const count = await q(tag, "count");
        const avg = await q(tag, "avg");
        const min = await q(tag, "min");
        const max = await q(tag, "max");
        const p95 = await q(tag, "p95");
        assert.equal(count.table, "1s");
        assert.deepEqual(count.points.map((p) => p.value), Array(seconds).fill(RATE), `${tag} 1 s counts`);
        let total = 0;
        for (let s = 0; s < seconds; s++) {
          const e = sec(c, s);
          total += e.mean;
          near(avg.points[s]!.value, e.mean, 1e-9, `${tag} second ${s} mean`);
          assert.equal(min.points[s]!.value, e.min, `${tag} second ${s} min`);
          assert.equal(max.points[s]!.value, e.max, `${tag} second ${s} max`);
          // p95 from the 8192-value reservoir: its rank among the second's values is 95 % ± 1 %.
          const below = e.values.filter((v) => v <= p95.points[s]!.value!).length / RATE;
          assert.ok(Math.abs(below - 0.95) < 0.01, `${tag} second ${s} p95 rank ${below}`);
        }
        const minute = await q(tag, "avg", 60_000);
        assert.equal(minute.table, "1m");
        near(minute.points[0]!.value, total / seconds, 1e-9, `${tag} 1 min mean`);
        assert.equal((await q(tag, "count", 60_000)).points[0]!.value, RATE * seconds, `${tag} 1 min count`);
      }
      const raw = await reader.series({
        tags: Array.from({ length: slowTags }, (_, t) => `plc.t${t}`),
        from: T0,
        to: T0 + seconds * 1000,
        maxPoints: 1000,
      });
      const stored = raw.flatMap((s) => s.points.map((p) => `${s.tag}@${p.ts}=${p.value}`)).sort();
      assert.deepEqual(
        stored,
        slow.map((s) => `${s.tag}@${s.ts}=${s.value}`).sort(),
        "every slow sample committed",
      );
      const slowCounts = await q("plc.t3", "count");
      assert.deepEqual(
        slowCounts.points.map((p) => p.value),
        Array(seconds).fill(10),
        "slow tags' 1 s rollups",
      );
    } finally {
      await h2.close();
    }
  } finally {
    if (!stopped) await runner.stop();
    await Deno.remove(h.dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("a block whose raw policy keeps values is rolled up once on arrival and its kept values are written through the queue", async () => {
  const clock = { now: T0 };
  const h = await startSink({ blocks: [{ tags: ["vib.*"], mode: "every_nth", n: 100 }] }, clock);
  const metrics = new Metrics();
  const runner = new SinkRunner(
    "history",
    h.sink,
    { max_values: 500_000, max_batch: 1000 },
    silentLogger,
    metrics,
  );
  runner.start();
  try {
    for (let step = 0; step < 20; step++) {
      clock.now = T0 + step * 100 + 20;
      const values = new Float64Array(BLOCK);
      for (let k = 0; k < BLOCK; k++) values[k] = vib(1, step * BLOCK + k);
      runner.offer({
        kind: "block",
        block: { tag: "vib.a", t0: T0 + step * 100, dt: DT, values, recv: clock.now, quality: 0, status: 0 },
      });
    }
    clock.now = T0 + 10_000;
    await runner.stop();
    const h2 = await startSink({}, clock, h.dir);
    try {
      const reader = h2.ctx.lookup<HistoryReader>(HISTORY_CAPABILITY)!;
      const [c] = await reader.series({
        tags: ["vib.a"],
        from: T0,
        to: T0 + 2000,
        step: 1000,
        agg: "count",
        maxPoints: 10,
      });
      assert.deepEqual(c!.points.map((p) => p.value), [RATE, RATE], "counted once, not twice");
      const [r] = await reader.series({ tags: ["vib.a"], from: T0, to: T0 + 2000, maxPoints: 1000 });
      assert.equal(r!.points.length, 2 * RATE / 100, "every 100th value kept raw");
      near(r!.points[1]!.value, vib(1, 100), 1e-12, "kept value");
    } finally {
      await h2.close();
    }
  } finally {
    await Deno.remove(h.dir, { recursive: true }).catch(() => {});
  }
});
