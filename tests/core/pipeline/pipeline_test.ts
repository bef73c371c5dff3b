import assert from "node:assert/strict";
import { createLogger, FatalError, Pipeline, RetryableError } from "../../../core/mod.ts";
import { config, recorder, sleep, valuesFor } from "./helpers.ts";

const logger = createLogger({ level: "error", writer: () => {} });

Deno.test("simulator -> ring buffer -> sink: after stop every emitted sample reached the sink, nothing in flight", async () => {
  const p = new Pipeline(config("sinks:\n  - { name: rec1, type: recorder }"), { logger, version: "t" });
  await p.start();
  await sleep(300);
  await p.stop();
  const rec = recorder("rec1");
  const temp = p.tags.get("sim.temp")!;
  const vib = p.tags.get("sim.vib")!;
  assert.ok(temp.received >= 20, `temperature samples ${temp.received}`);
  assert.ok(vib.received >= 400, `vibration samples ${vib.received}`);
  assert.equal(valuesFor(rec.messages, "sim.temp").length, temp.received);
  assert.equal(valuesFor(rec.messages, "sim.vib").length, vib.received);
  // The ring holds the same newest values the sink saw last.
  const last = valuesFor(rec.messages, "sim.temp").at(-1);
  assert.equal(temp.ring.last(1).values.first[0], last);
  assert.equal(rec.stopped, 1);
  assert.ok(rec.messages.some((m) => m.kind === "event" && m.event.type === "gateway.started"));
});

Deno.test("a slow sink cannot grow memory without bound: raw samples are dropped and counted, events kept", async () => {
  const rec = recorder("slow");
  rec.delayMs = 50;
  const p = new Pipeline(
    config("sinks:\n  - { name: slow, type: recorder, queue: { max_values: 300, max_batch: 2 } }"),
    { logger, version: "t" },
  );
  await p.start();
  let maxQueued = 0;
  for (let i = 0; i < 20; i++) {
    await sleep(25);
    const details = p.health().sinks.slow!.details as { queued_values: number };
    maxQueued = Math.max(maxQueued, details.queued_values);
    // The same depth is published as a gauge for dashboards and alerting.
    const gauge = p.metrics.render().match(/^gateway_sink_queue_values\{sink="slow"\} (\d+)$/m);
    assert.ok(gauge, "gateway_sink_queue_values is exposed");
    assert.ok(Number(gauge[1]) <= 300 + 100, `gauge ${gauge[1]}`);
    p.event({ type: "test.marker", level: "info", message: `marker ${i}` });
  }
  rec.delayMs = 0;
  await p.stop();
  assert.ok(maxQueued <= 300 + 100, `queue peaked at ${maxQueued} values`); // bound + one message
  assert.doesNotMatch(
    p.metrics.render(),
    /gateway_sink_queue_values\{sink="slow"\}/,
    "removed with its sink",
  );
  const dropped = p.metrics.counter("gateway_sink_dropped_total", "").get({
    sink: "slow",
    kind: "block",
    reason: "queue_full",
  }) +
    p.metrics.counter("gateway_sink_dropped_total", "").get({
      sink: "slow",
      kind: "samples",
      reason: "queue_full",
    });
  assert.ok(dropped > 0, "expected drops to be counted");
  const markers = rec.messages.filter((m) => m.kind === "event" && m.event.type === "test.marker");
  assert.equal(markers.length, 20, "events are never dropped");
});

Deno.test("retryable failures redeliver the same batch: no loss, no duplicates, order kept", async () => {
  const rec = recorder("flaky");
  const p = new Pipeline(
    config("sinks:\n  - { name: flaky, type: recorder, queue: { max_values: 1000000, max_batch: 5 } }"),
    {
      logger,
      version: "t",
    },
  );
  await p.start();
  await sleep(50);
  rec.failures.push(
    new RetryableError("broker busy", { cause: "test", retryAfterMs: 10 }),
    new Error("socket reset"),
  );
  await sleep(150);
  await p.stop();
  assert.equal(rec.failures.length, 0, "both failures were hit");
  const temps = rec.messages.flatMap((
    m,
  ) => (m.kind === "samples" ? m.samples.filter((s) => s.tag === "sim.temp").map((s) => s.ts) : []));
  assert.equal(temps.length, p.tags.get("sim.temp")!.received, "no loss, no duplicates");
  assert.deepEqual(temps, [...temps].sort((a, b) => a - b), "order kept");
  assert.equal(p.metrics.counter("gateway_sink_retries_total", "").get({ sink: "flaky" }), 2);
});

Deno.test("a partial write keeps the written prefix and retries only the rest", async () => {
  const rec = recorder("partial");
  const p = new Pipeline(
    config("sinks:\n  - { name: partial, type: recorder, queue: { max_values: 1000000, max_batch: 4 } }"),
    {
      logger,
      version: "t",
    },
  );
  await p.start();
  await sleep(60);
  rec.partial.push(1, 2, 0);
  await sleep(120);
  await p.stop();
  assert.equal(rec.partial.length, 0, "the partial writes happened");
  const temps = rec.messages.flatMap((
    m,
  ) => (m.kind === "samples" ? m.samples.filter((s) => s.tag === "sim.temp").map((s) => s.ts) : []));
  assert.equal(temps.length, p.tags.get("sim.temp")!.received);
  assert.equal(new Set(temps).size, temps.length, "no duplicates");
});

Deno.test("a fatal sink error stops that sink and counts what it can no longer take", async () => {
  const rec = recorder("fatal");
  rec.failures.push(new FatalError("bad credentials", { cause: "test" }));
  const p = new Pipeline(config("sinks:\n  - { name: fatal, type: recorder }"), { logger, version: "t" });
  await p.start();
  await sleep(100);
  const h = p.health().sinks.fatal!;
  await p.stop();
  assert.equal(h.state, "failed");
  assert.match(h.lastError!, /bad credentials/);
  assert.ok(
    p.metrics.counter("gateway_sink_dropped_total", "").get({
      sink: "fatal",
      kind: "samples",
      reason: "sink_failed",
    }) > 0,
  );
});
