/**
 * Test harness shared by the feature/anomaly/rollup/kpi tests: a TagStore, a manual clock and a
 * TransformContext / SourceContext that record what components emit.
 */
import {
  Capabilities,
  createLogger,
  type GatewayEvent,
  type Message,
  Metrics,
  type Sample,
  type SourceContext,
  TagStore,
  type TransformContext,
} from "../../../core/mod.ts";

export const logger = createLogger({ level: "error", writer: () => {} });

/** Everything a test needs to drive a transform by hand. */
export interface Harness {
  readonly tags: TagStore;
  readonly clock: { now: number };
  readonly emitted: Message[];
  readonly events: GatewayEvent[];
  readonly metrics: Metrics;
  readonly capabilities: Capabilities;
  readonly abort: AbortController;
  ctx(name: string, stateDir?: string): TransformContext;
  source(name: string): SourceContext;
  /** Appends slow samples (Good quality) for a tag. */
  push(tag: string, points: readonly [number, number][], quality?: 0 | 1 | 2): void;
}

export function harness(start = 1_700_000_000_000): Harness {
  const tags = new TagStore(10_000);
  const clock = { now: start };
  const emitted: Message[] = [];
  const events: GatewayEvent[] = [];
  const metrics = new Metrics();
  const capabilities = new Capabilities();
  const abort = new AbortController();
  const base = (name: string, stateDir: string) => ({
    name,
    gateway: { id: "gw", site: "test", version: "t" },
    logger,
    metrics,
    tags,
    signal: abort.signal,
    stateDir,
    event: (e: Omit<GatewayEvent, "ts" | "component"> & { ts?: number }) =>
      events.push({ ...e, ts: e.ts ?? clock.now, component: name }),
    now: () => clock.now,
    provide: (c: string, impl: unknown) => capabilities.provide(c, impl, name),
    lookup: <T>(c: string) => capabilities.lookup<T>(c),
  });
  return {
    tags,
    clock,
    emitted,
    events,
    metrics,
    capabilities,
    abort,
    ctx: (name, stateDir = "/nonexistent") => ({ ...base(name, stateDir), emit: (m) => emitted.push(...m) }),
    source: (name) => ({
      ...base(name, "/nonexistent"),
      emit: (samples) => samples.forEach((s) => tags.append(s, name)),
      emitBlock: (b) => tags.appendBlock(b, name),
      defineTags: (metas) => metas.forEach((m) => tags.define(m)),
    }),
    push(tag, points, quality = 0) {
      for (const [ts, value] of points) {
        const s: Sample = {
          tag,
          value,
          ts,
          recv: clock.now,
          quality,
          status: quality === 0 ? 0 : 0x80000000,
        };
        tags.append(s, "test");
      }
    },
  };
}

/** Feature vectors among emitted messages. */
export function vectors(messages: readonly Message[]) {
  return messages.flatMap((m) => (m.kind === "features" ? [m.features] : []));
}
