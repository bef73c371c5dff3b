/**
 * @module The broker connection: one mqtt.js client per connection (mqtt.js's own reconnect is off), tried
 * over the configured brokers in order with jittered exponential backoff; per-broker state for health.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { Backoff, errorMessage, type Logger, sleep } from "../../core/mod.ts";
import type { Publication } from "./codec.ts";

/** Connection options shared by every broker. */
export interface LinkOptions {
  readonly brokers: readonly string[];
  readonly client: IClientOptions;
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  readonly connectTimeoutMs: number;
  readonly will: () => Publication;
  readonly logger: Logger;
  /** Called with each new connection before it counts as established (subscribe, births). */
  readonly onConnect: (client: MqttClient, url: string) => Promise<void>;
  readonly onDisconnect: (url: string, reason: string) => void;
  readonly onMessage: (topic: string, payload: Uint8Array) => void;
}

/** Health of one broker. */
export interface BrokerState {
  state: "disconnected" | "connecting" | "connected";
  since: number;
  connects: number;
  failures: number;
  lastError?: string;
}

/** Keeps one connection up. */
export class Link {
  #client: MqttClient | undefined;
  #generation = 0;
  #connects = 0;
  #connectedAt = 0;
  #url: string | undefined;
  #waiters: (() => void)[] = [];
  #loop: Promise<void> | undefined;
  readonly #abort = new AbortController();
  readonly brokers = new Map<string, BrokerState>();
  reconnects = 0;

  constructor(private readonly options: LinkOptions) {
    for (const url of options.brokers) {
      this.brokers.set(url, { state: "disconnected", since: Date.now(), connects: 0, failures: 0 });
    }
  }

  /** The connected client, if any. */
  get client(): MqttClient | undefined {
    return this.#client;
  }
  /** Changes on every connect and disconnect: in-flight work of an older generation is void. */
  get generation(): number {
    return this.#generation;
  }
  get connectedAt(): number {
    return this.#connectedAt;
  }
  get url(): string | undefined {
    return this.#url;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Resolves when connected or stopped. */
  waitConnected(): Promise<void> {
    if (this.#client || this.#abort.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Publishes on the current connection; rejects when there is none. */
  publish(p: Publication): Promise<void> {
    const client = this.#client;
    if (!client) return Promise.reject(new Error("not connected"));
    return new Promise((resolve, reject) => {
      client.publish(p.topic, p.payload as string, { qos: p.qos, retain: p.retain }, (err) => {
        if (err) reject(err);
        else resolve();
      });
    });
  }

  /** Ends the connection (after `last` publications, if connected) and stops reconnecting. */
  async stop(last: readonly Publication[] = []): Promise<void> {
    this.#abort.abort();
    const client = this.#client;
    if (client) {
      try {
        await Promise.race([
          Promise.all(last.map((p) => this.publish(p))),
          sleep(2000),
        ]);
      } catch (error) {
        this.options.logger.warn("could not publish before disconnecting", { error: errorMessage(error) });
      }
      await client.endAsync(false).catch(() => {});
    }
    this.#release();
    await this.#loop;
  }

  #release(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  async #run(): Promise<void> {
    const { brokers, backoff: b, logger } = this.options;
    const backoff = new Backoff({ initialMs: b.initialMs, maxMs: b.maxMs, jitter: 0.5 });
    let index = 0;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      const url = brokers[index]!;
      const state = this.brokers.get(url)!;
      state.state = "connecting";
      state.since = Date.now();
      let client: MqttClient;
      try {
        client = await this.#connectOnce(url);
      } catch (error) {
        state.state = "disconnected";
        state.failures++;
        state.lastError = errorMessage(error);
        const delay = index === brokers.length - 1 ? backoff.next() : 0;
        logger.warn("broker connection failed", { broker: url, error: state.lastError, retry_ms: delay });
        index = (index + 1) % brokers.length;
        await sleep(delay, signal);
        continue;
      }
      if (signal.aborted) {
        client.end(true);
        break;
      }
      const closed = new Promise<string>((resolve) => {
        client.once("close", () => resolve("connection closed"));
        client.once("offline", () => resolve("offline"));
      });
      client.on("message", (topic, payload) => this.options.onMessage(topic, payload));
      this.#connectedAt = Date.now();
      try {
        await this.options.onConnect(client, url);
      } catch (error) {
        logger.warn("connection setup failed", { broker: url, error: errorMessage(error) });
        client.end(true);
      }
      // Only now may the publisher use it: births and subscriptions come before any data.
      this.#client = client;
      this.#url = url;
      this.#generation++;
      state.state = "connected";
      state.since = Date.now();
      state.connects++;
      if (this.#connects++ > 0) this.reconnects++;
      backoff.reset();
      this.#release();
      const reason = await closed;
      this.#client = undefined;
      this.#url = undefined;
      this.#generation++;
      state.state = "disconnected";
      state.since = Date.now();
      if (!signal.aborted) {
        state.lastError = reason;
        client.end(true);
        this.options.onDisconnect(url, reason);
        index = 0;
        await sleep(backoff.next(), signal);
      }
    }
    this.#release();
  }

  #connectOnce(url: string): Promise<MqttClient> {
    const will = this.options.will();
    const client = mqtt.connect(url, {
      ...this.options.client,
      reconnectPeriod: 0,
      connectTimeout: this.options.connectTimeoutMs,
      queueQoSZero: false,
      will: { topic: will.topic, payload: will.payload as string, qos: will.qos, retain: will.retain },
    });
    return new Promise((resolve, reject) => {
      let done = false;
      const fail = (reason: string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        client.removeAllListeners("connect");
        client.end(true);
        reject(new Error(reason));
      };
      const timer = setTimeout(
        () => fail(`no CONNACK within ${this.options.connectTimeoutMs} ms`),
        this.options.connectTimeoutMs,
      );
      // Errors after the connect are handled by the close that follows; never let them go unhandled.
      client.on("error", (err) => fail(errorMessage(err)));
      client.once("close", () => fail("connection closed before CONNACK"));
      client.once("connect", () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(client);
      });
    });
  }
}
