/**
 * @module The upstream consumer of a proof run: a persistent MQTT session (clean=false, QoS 1, mqtt.js) started
 * before the gateway, counting what arrives per class and remembering the ids of features, scores and alerts
 * (duplicates after a crash are expected and counted; losses are what the verdict looks for).
 */
import mqtt from "mqtt";

/** What the subscriber saw. */
export interface Received {
  /** Messages per class (features, alerts, scores, events, rollups, raw, status). */
  readonly perClass: Record<string, number>;
  /** Distinct feature vectors by (asset, window end). */
  readonly features: Set<string>;
  /** Distinct alert transitions by (id, state). */
  readonly alerts: Set<string>;
  readonly scores: Set<string>;
  duplicates: number;
  /** Sum over messages of (arrival − event ts), ms, and the count, per class (uplink latency). */
  readonly latency: Record<string, { sum: number; n: number; max: number; sample: number[] }>;
}

/** Identity of a feature vector, as the history store and the uplink both see it. */
export function featureKey(asset: string, windowEnd: number): string {
  return `${asset}@${Math.round(windowEnd)}`;
}

/** p50/p95/p99/max of the delays of one class, ms. */
export function latencyOf(l: Received["latency"][string] | undefined) {
  if (!l || l.n === 0) return null;
  const s = [...l.sample].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))]!;
  return { n: l.n, mean: Math.round(l.sum / l.n), p50: at(0.5), p95: at(0.95), p99: at(0.99), max: l.max };
}

/** A running persistent subscriber. */
export class Subscriber {
  readonly received: Received = {
    perClass: {},
    features: new Set(),
    alerts: new Set(),
    scores: new Set(),
    duplicates: 0,
    latency: {},
  };
  readonly #client: mqtt.MqttClient;

  private constructor(client: mqtt.MqttClient) {
    this.#client = client;
    client.on("message", (topic, payload) => this.#onMessage(topic, payload));
  }

  /** Connects with a persistent session and subscribes to everything the gateway publishes. */
  static async start(url: string, topicBase: string): Promise<Subscriber> {
    const client = mqtt.connect(url, {
      clientId: "proof-upstream",
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: 86_400 },
      reconnectPeriod: 500,
      connectTimeout: 5_000,
    });
    const sub = new Subscriber(client);
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", reject);
    });
    await client.subscribeAsync(`${topicBase}/#`, { qos: 1 });
    return sub;
  }

  #onMessage(topic: string, payload: Uint8Array): void {
    const parts = topic.split("/");
    const cls = parts[3] ?? "?";
    const r = this.received;
    r.perClass[cls] = (r.perClass[cls] ?? 0) + 1;
    if (cls === "status") return;
    let msg: { ts?: number; data?: Record<string, unknown> };
    try {
      msg = JSON.parse(new TextDecoder().decode(payload));
    } catch {
      r.perClass["unparsable"] = (r.perClass["unparsable"] ?? 0) + 1;
      return;
    }
    if (typeof msg.ts === "number") {
      const l = (r.latency[cls] ??= { sum: 0, n: 0, max: 0, sample: [] });
      const d = Date.now() - msg.ts;
      l.sum += d;
      l.n++;
      l.max = Math.max(l.max, d);
      // Uniform reservoir of 20,000 delays for percentiles.
      if (l.sample.length < 20_000) l.sample.push(d);
      else {
        const j = Math.floor(Math.random() * l.n);
        if (j < l.sample.length) l.sample[j] = d;
      }
    }
    const d = msg.data ?? {};
    const add = (set: Set<string>, key: string) => {
      if (set.has(key)) r.duplicates++;
      else set.add(key);
    };
    if (cls === "features") add(r.features, featureKey(String(d["asset"]), Number(d["windowEnd"])));
    else if (cls === "alerts") add(r.alerts, `${d["id"]}:${d["state"]}`);
    else if (cls === "scores") add(r.scores, `${d["asset"]}:${d["detector"]}:${d["ts"]}`);
  }

  get connected(): boolean {
    return this.#client.connected;
  }

  async stop(): Promise<void> {
    await this.#client.endAsync();
  }
}
