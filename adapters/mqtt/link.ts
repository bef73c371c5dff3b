/**
 * @module The broker connection: one mqtt.js client per connection (mqtt.js's own reconnect is off), tried
 * over the configured brokers in order with jittered exponential backoff; per-broker state for health. While
 * on a failover broker, the better ones are probed and the link fails back to the best stable one: new
 * publishing pauses, in-flight messages are drained, the failover session ends with a clean DISCONNECT.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { Backoff, errorMessage, type Logger, sleep } from "../../core/mod.ts";
import type { Publication } from "./codec.ts";
import { type FailbackOptions, FailbackWatch, type ProbeReport } from "./failback.ts";
import { probeBroker } from "./probe.ts";

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
  /** Probe better brokers while on a failover one and move back (omit: stay until the connection is lost). */
  readonly failback?: FailbackOptions;
  /**
   * Called before a failback leaves `url`: publishing of new records is paused (`draining`); drain what is in
   * flight and say goodbye. The connection is ended cleanly afterwards.
   */
  readonly onLeave?: (client: MqttClient, url: string) => Promise<void>;
  /** Called once the failover broker `from` is left for the better broker `to`. */
  readonly onFailback?: (from: string, to: string) => void;
}

/** Health of one broker. */
export interface BrokerState {
  state: "disconnected" | "connecting" | "connected";
  since: number;
  connects: number;
  failures: number;
  lastError?: string;
  /** Failback probes of this broker that succeeded / failed. */
  probes: number;
  probeFailures: number;
  lastProbeError?: string;
  /** Start of the current streak of successful probes. */
  stableSince?: number;
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
  #draining = false;
  #planned = false;
  #watching: Promise<unknown> = Promise.resolve();
  readonly #abort = new AbortController();
  readonly #failback: FailbackWatch | undefined;
  readonly brokers = new Map<string, BrokerState>();
  reconnects = 0;
  /** Moves from a failover broker back to a better one. */
  failbacks = 0;

  constructor(private readonly options: LinkOptions) {
    for (const url of options.brokers) {
      this.brokers.set(url, {
        state: "disconnected",
        since: Date.now(),
        connects: 0,
        failures: 0,
        probes: 0,
        probeFailures: 0,
      });
    }
    if (options.failback && options.brokers.length > 1) {
      this.#failback = new FailbackWatch(
        options.brokers,
        options.failback,
        (url, signal) => probeBroker(url, options.client, options.connectTimeoutMs, signal),
        (report) => this.#probed(report),
      );
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
  /** True while a failback drains the old connection: take no new records. */
  get draining(): boolean {
    return this.#draining;
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
    await this.#watching;
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
      if (this.#connects++ > 0 && !this.#planned) this.reconnects++;
      this.#planned = false;
      backoff.reset();
      this.#release();
      const target = await this.#watchBetter(index, closed);
      if (target !== undefined && !signal.aborted) {
        const lost = await this.#leave(client, url, brokers[target]!, closed);
        if (lost === undefined) {
          index = target;
          continue;
        }
      }
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

  /**
   * While connected to `index`, probes the better brokers; resolves with the one to fail back to, or with
   * undefined when the connection closes (or the link stops) first.
   */
  async #watchBetter(index: number, closed: Promise<string>): Promise<number | undefined> {
    if (!this.#failback || index === 0) return undefined;
    const stop = new AbortController();
    const watching = this.#failback.watch(index, AbortSignal.any([this.#abort.signal, stop.signal])).catch(
      (error) => {
        this.options.logger.warn("failback probing failed", { error: errorMessage(error) });
        return undefined;
      },
    );
    this.#watching = watching;
    const target = await Promise.race([closed.then(() => undefined), watching]);
    stop.abort();
    await watching;
    for (const url of this.options.brokers.slice(0, index)) delete this.brokers.get(url)!.stableSince;
    return target;
  }

  #probed(report: ProbeReport): void {
    const state = this.brokers.get(report.url)!;
    if (report.error === undefined) {
      state.probes++;
      delete state.lastProbeError;
    } else {
      state.probeFailures++;
      state.lastProbeError = report.error;
    }
    if (report.stableSince === undefined) delete state.stableSince;
    else state.stableSince = report.stableSince;
  }

  /**
   * Fails back from `from` to `to`: pauses publishing, lets the sink drain and say goodbye, then ends the
   * session with a clean DISCONNECT. Resolves with undefined once left, or with the close reason when the
   * connection was lost (or the link stopped) meanwhile, in which case the ordinary path takes over.
   */
  async #leave(
    client: MqttClient,
    from: string,
    to: string,
    closed: Promise<string>,
  ): Promise<string | undefined> {
    const { logger, onLeave } = this.options;
    const timeoutMs = this.options.failback?.drainTimeoutMs ?? this.options.connectTimeoutMs;
    logger.info("failing back to a preferred broker", { from, to });
    this.#draining = true;
    try {
      await onLeave?.(client, from);
    } catch (error) {
      logger.warn("could not drain before failing back", { from, to, error: errorMessage(error) });
    } finally {
      this.#draining = false;
    }
    if (this.#abort.signal.aborted || !client.connected) return await closed;
    this.#client = undefined;
    this.#url = undefined;
    this.#generation++;
    const state = this.brokers.get(from)!;
    state.state = "disconnected";
    state.since = Date.now();
    const bye = new AbortController();
    await Promise.race([client.endAsync(false).catch(() => {}), sleep(timeoutMs, bye.signal)]);
    bye.abort();
    client.end(true);
    this.failbacks++;
    this.#planned = true;
    this.options.onFailback?.(from, to);
    return undefined;
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
