/**
 * @module Test helpers: a component context for the history sink and sample builders.
 */
import {
  Capabilities,
  type ComponentContext,
  type Message,
  Metrics,
  type Sample,
  silentLogger,
  TagStore,
} from "../../../core/mod.ts";
import { HistorySink } from "../../../adapters/history/sink.ts";
import { historySchema } from "../../../adapters/history/schema.ts";
import type { HistoryConfig } from "../../../adapters/history/schema.ts";

/** A context with a controllable clock. */
export function makeCtx(dir: string, clock: { now: number } = { now: Date.now() }): ComponentContext & {
  capabilities: Capabilities;
  metrics: Metrics;
  tags: TagStore;
  events: { type: string; level: string; message: string }[];
} {
  const capabilities = new Capabilities();
  const events: { type: string; level: string; message: string }[] = [];
  const abort = new AbortController();
  return {
    name: "history",
    gateway: { id: "gw-test", site: "test", version: "0.0.0" },
    logger: silentLogger,
    metrics: new Metrics(),
    tags: new TagStore(1024),
    signal: abort.signal,
    stateDir: dir,
    event: (e) => events.push(e),
    now: () => clock.now,
    provide: (c, impl) => capabilities.provide(c, impl, "history"),
    lookup: (c) => capabilities.lookup(c),
    capabilities,
    events,
  };
}

/** A validated config with overrides. */
export function config(overrides: Record<string, unknown> = {}): HistoryConfig {
  const r = historySchema.parse(overrides);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join("; "));
  return r.value as HistoryConfig;
}

/** Starts a sink on a fresh temp dir; `close` stops it and removes the dir. */
export async function startSink(
  overrides: Record<string, unknown> = {},
  clock: { now: number } = { now: Date.now() },
  dir?: string,
): Promise<{ sink: HistorySink; ctx: ReturnType<typeof makeCtx>; dir: string; close(): Promise<void> }> {
  const d = dir ?? await Deno.makeTempDir({ prefix: "history_test_" });
  const ctx = makeCtx(d, clock);
  const sink = new HistorySink(config(overrides));
  await sink.start(ctx);
  return {
    sink,
    ctx,
    dir: d,
    async close() {
      await sink.stop();
      if (!dir) await Deno.remove(d, { recursive: true });
    },
  };
}

/** Samples of one tag: value(i) at t0 + i * dtMs. */
export function series(
  tag: string,
  t0: number,
  dtMs: number,
  n: number,
  value: (i: number) => number,
  quality: (i: number) => 0 | 1 | 2 = () => 0,
): Sample[] {
  return Array.from({ length: n }, (_, i) => {
    const q = quality(i);
    return {
      tag,
      value: value(i),
      ts: t0 + i * dtMs,
      recv: t0 + i * dtMs + 5,
      quality: q,
      status: q === 2 ? 0x80000000 : 0,
    };
  });
}

/** Wraps samples into a message. */
export function msg(samples: readonly Sample[]): Message {
  return { kind: "samples", samples };
}

/** Population statistics computed independently of the store, for comparisons. */
export function stats(
  values: readonly number[],
): { mean: number; std: number; min: number; max: number; p95: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (n - 1) * 0.95;
  const lo = Math.floor(pos);
  const p95 = sorted[lo]! + (sorted[Math.ceil(pos)]! - sorted[lo]!) * (pos - lo);
  return { mean, std, min: sorted[0]!, max: sorted[n - 1]!, p95 };
}

/** Asserts two numbers are within `eps`. */
export function near(actual: number | null | undefined, expected: number, eps = 1e-9, what = "value"): void {
  if (
    actual === null || actual === undefined ||
    Math.abs(actual - expected) > eps * Math.max(1, Math.abs(expected))
  ) {
    throw new Error(`${what}: expected ${expected}, got ${actual}`);
  }
}
