import assert from "node:assert/strict";
import {
  createLogger,
  defineTransform,
  HealthTracker,
  type Message,
  type MessageKind,
  Pipeline,
  s,
  type Transform,
  type TransformContext,
} from "../../../core/mod.ts";
import { config, recorder, sleep, valuesFor } from "./helpers.ts";

const logger = createLogger({ level: "error", writer: () => {} });
const starts = new Map<string, number>();

/** Counts samples per message and emits a feature vector for each batch. */
class CountingTransform implements Transform {
  readonly accepts: ReadonlySet<MessageKind> = new Set<MessageKind>(["samples"]);
  readonly #health = new HealthTracker();
  #ctx: TransformContext | undefined;
  constructor(private readonly name: string) {}
  start(ctx: TransformContext) {
    this.#ctx = ctx;
    starts.set(this.name, (starts.get(this.name) ?? 0) + 1);
    return Promise.resolve();
  }
  process(messages: readonly Message[]) {
    let n = 0;
    for (const m of messages) if (m.kind === "samples") n += m.samples.length;
    const now = this.#ctx!.now();
    this.#ctx!.emit([{
      kind: "features",
      features: {
        asset: "a",
        windowStart: now,
        windowEnd: now,
        computedAt: now,
        schemaVersion: 1,
        features: { count: n },
        quality: { worst: "good", goodShare: 1 },
      },
    }]);
  }
  stop() {
    return Promise.resolve();
  }
  health() {
    return this.#health.snapshot();
  }
}

defineTransform({
  type: "counting",
  description: "test transform",
  schema: s.object({ label: s.string().default("x") }),
  create: (c) => new CountingTransform(c.name),
});

const sinks = (inputs: string) => `
transforms:
  - { name: count, type: counting, inputs: [sim] }
sinks:
  - { name: raw, type: recorder }
  - { name: derived, type: recorder, inputs: [${inputs}] }
`;

Deno.test("transform outputs reach only sinks that name the transform; * means sources", async () => {
  const p = new Pipeline(config(sinks("count")), { logger, version: "t" });
  await p.start();
  await sleep(100);
  await p.stop();
  const raw = recorder("raw").messages;
  const derived = recorder("derived").messages;
  assert.ok(raw.some((m) => m.kind === "samples"));
  assert.ok(!raw.some((m) => m.kind === "features"), "* does not include transform outputs");
  assert.ok(derived.some((m) => m.kind === "features"));
  assert.ok(!derived.some((m) => m.kind === "samples"));
  const counted = derived.reduce((a, m) => a + (m.kind === "features" ? m.features.features.count! : 0), 0);
  const sampled = raw.reduce((a, m) => a + (m.kind === "samples" ? m.samples.length : 0), 0);
  assert.equal(counted, sampled, "the transform saw every sample message");
});

Deno.test("reload restarts only what changed: an unchanged source keeps running without a gap", async () => {
  const p = new Pipeline(config(sinks("count")), { logger, version: "t" });
  await p.start();
  await sleep(80);
  const before = p.health().sources.sim!.since;
  // Change a sink's inputs (routing only), the transform's options (restart), add a sink; source unchanged.
  const next = config(`
transforms:
  - { name: count, type: counting, inputs: [sim], label: changed }
sinks:
  - { name: raw, type: recorder }
  - { name: derived, type: recorder, inputs: [count, sim] }
  - { name: extra, type: recorder }
`);
  const report = await p.reload(next);
  await sleep(80);
  await p.stop();
  assert.deepEqual(report.restarted, ["count"]);
  assert.deepEqual(report.started, ["extra"]);
  assert.deepEqual(report.stopped, []);
  assert.deepEqual(report.unchanged.sort(), ["derived", "raw", "sim"]);
  assert.equal(
    starts.get("count"),
    3,
    "count was started in both tests' first start and once more by the reload",
  );
  assert.equal(
    recorder("derived").started,
    2,
    "routing change did not restart the sink (started once per test)",
  );
  assert.equal(p.health().sources.sim, undefined);
  assert.ok(before > 0);
  // The unchanged source's samples are continuous across the reload: timestamps step by exactly 10 ms.
  const ts = recorder("raw").messages.flatMap((m) =>
    m.kind === "samples" ? m.samples.filter((s) => s.tag === "sim.temp").map((s) => s.ts) : []
  );
  const tail = ts.slice(-15);
  for (let i = 1; i < tail.length; i++) assert.equal(tail[i]! - tail[i - 1]!, 10);
  assert.ok(
    valuesFor(recorder("derived").messages, "sim.temp").length > 0,
    "new input sim now routed to derived",
  );
  assert.ok(recorder("raw").messages.some((m) => m.kind === "event" && m.event.type === "config.reloaded"));
});

Deno.test("reload stops removed components and starts new ones", async () => {
  const p = new Pipeline(config("sinks:\n  - { name: gone, type: recorder }"), { logger, version: "t" });
  await p.start();
  const report = await p.reload(config("sinks:\n  - { name: fresh, type: recorder }"));
  await p.stop();
  assert.deepEqual(report.stopped, ["gone"]);
  assert.deepEqual(report.started, ["fresh"]);
  assert.equal(recorder("gone").stopped, 1);
});
