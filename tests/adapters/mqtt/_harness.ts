/**
 * @module Test helpers: a component context over real metrics and tag store, sink configs, and an mqtt.js
 * subscriber that records what it receives.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import {
  type ComponentContext,
  createLogger,
  type GatewayEvent,
  Metrics,
  TagStore,
} from "../../../core/mod.ts";
import { type MqttConfig, mqttSchema } from "../../../adapters/mqtt/mod.ts";

/** A context for a sink under test; `events` collects what it raised. */
export function makeCtx(stateDir: string, capabilities: Record<string, unknown> = {}) {
  const events: GatewayEvent[] = [];
  const metrics = new Metrics();
  const tags = new TagStore(1024);
  const abort = new AbortController();
  const ctx: ComponentContext = {
    name: "uplink",
    gateway: { id: "gw1", site: "plant-a", version: "9.9.9-test" },
    logger: createLogger({ level: "error" }),
    metrics,
    tags,
    signal: abort.signal,
    stateDir,
    event: (e) => events.push({ ts: Date.now(), component: "uplink", ...e }),
    now: () => Date.now(),
    provide: () => {},
    lookup: <T>(name: string) => capabilities[name] as T | undefined,
  };
  return { ctx, events, metrics, tags, abort };
}

/** A validated sink config with overrides. */
export function sinkConfig(overrides: Record<string, unknown>): MqttConfig {
  const r = mqttSchema.parse({
    reconnect: { initial_ms: 50, max_ms: 300 },
    outbox: { segment_bytes: 64 * 1024, max_bytes: 8 * 1024 * 1024, cursor_interval_ms: 50 },
    ...overrides,
  });
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join("; "));
  return { ...r.value, name: "uplink" } as MqttConfig;
}

/** A received message. */
export interface Received {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly retain: boolean;
  readonly qos: number;
}

/** A subscriber recording every message. */
export interface Subscriber {
  readonly client: MqttClient;
  readonly received: Received[];
  /** JSON payloads of messages on topics matching `re`. */
  json(re: RegExp): Record<string, unknown>[];
  /** Waits until `pred` holds (polling), failing after `timeoutMs` with `what`. */
  until(pred: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Connects a subscriber and subscribes `topics` at QoS 1. */
export async function subscribe(
  url: string,
  topics: string[],
  options: IClientOptions = {},
): Promise<Subscriber> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 100, protocolVersion: 5, ...options });
  const received: Received[] = [];
  client.on(
    "message",
    (topic, payload, packet) =>
      received.push({ topic, payload: new Uint8Array(payload), retain: packet.retain, qos: packet.qos }),
  );
  client.on("error", () => {});
  await client.subscribeAsync(topics, { qos: 1 });
  return {
    client,
    received,
    json: (re) =>
      received.filter((r) => re.test(r.topic)).map((r) => JSON.parse(new TextDecoder().decode(r.payload))),
    until: (pred, what, timeoutMs = 10_000) => until(pred, what, timeoutMs),
    close: async () => {
      await client.endAsync(true).catch(() => {});
    },
  };
}

/** Polls `pred` every 20 ms. */
export async function until(pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
