/**
 * @module Test helpers: a recording SourceContext, config parsing, polling for a condition.
 */
import {
  createLogger,
  type GatewayEvent,
  Metrics,
  type Sample,
  type SourceContext,
  type TagMeta,
  TagStore,
} from "../../../core/mod.ts";
import { opcuaSchema, type OpcuaSourceConfig } from "../../../adapters/opcua/schema.ts";

/** A SourceContext that records everything the source does. */
export interface Recorder {
  readonly ctx: SourceContext;
  readonly samples: Sample[];
  readonly events: GatewayEvent[];
  readonly tags: Map<string, TagMeta>;
  readonly logs: string[];
  readonly store: TagStore;
  abort(): void;
}

export function recorder(stateDir: string, name = "plc"): Recorder {
  const samples: Sample[] = [];
  const events: GatewayEvent[] = [];
  const tags = new Map<string, TagMeta>();
  const logs: string[] = [];
  const store = new TagStore(1024);
  const controller = new AbortController();
  const ctx: SourceContext = {
    name,
    gateway: { id: "gw", site: "site", version: "test" },
    logger: createLogger({ level: "debug", writer: (line) => logs.push(line) }),
    metrics: new Metrics(),
    tags: store,
    signal: controller.signal,
    stateDir,
    event: (e) => events.push({ ts: Date.now(), component: name, ...e }),
    now: () => Date.now(),
    provide: () => {},
    lookup: () => undefined,
    emit: (s) => {
      for (const x of s) store.append(x, name);
      samples.push(...s);
    },
    emitBlock: () => {},
    defineTags: (list) => {
      for (const t of list) {
        tags.set(t.id, t);
        store.define(t);
      }
    },
  };
  return { ctx, samples, events, tags, logs, store, abort: () => controller.abort() };
}

/** A validated source config (defaults applied) named `name`. */
export function config(raw: Record<string, unknown>, name = "plc"): OpcuaSourceConfig {
  const r = opcuaSchema.parse(raw);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
  return { ...r.value, name };
}

/** Polls `check` until it returns true or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Fast reconnect settings for tests. */
export const FAST = {
  publishing_interval_ms: 100,
  sampling_interval_ms: 50,
  reconnect: { initial_ms: 100, max_ms: 500 },
  request_timeout_ms: 3000,
  watchdog_min_ms: 1000,
} as const;
