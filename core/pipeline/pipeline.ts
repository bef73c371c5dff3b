/**
 * @module The running gateway: components built from the config, wired by `inputs`, started, reloaded, stopped.
 */
import type { GatewayConfig } from "../config/schema.ts";
import type { Logger } from "../log/logger.ts";
import { Metrics } from "../metrics/registry.ts";
import type { Message, MessageKind } from "../model/message.ts";
import type { GatewayEvent } from "../model/records.ts";
import type { Asset } from "../model/tag.ts";
import type { GatewayIdentity } from "../plugin/context.ts";
import type { ComponentHealth } from "../plugin/health.ts";
import { TagStore } from "../ring/tag_store.ts";
import { errorMessage } from "../errors.ts";
import { Routes } from "./routes.ts";
import { type Component, componentKey, type Running, startComponent, stopComponent } from "./components.ts";
import type { SinkRunner } from "./sink_runner.ts";
import type { Transform } from "../plugin/transform.ts";
import { Capabilities } from "../plugin/capabilities.ts";

/** What a reload changed. */
export interface ReloadReport {
  readonly started: string[];
  readonly stopped: string[];
  readonly restarted: string[];
  readonly unchanged: string[];
}

/** Health of every component, by kind and name. */
export interface PipelineHealth {
  readonly sources: Record<string, ComponentHealth>;
  readonly transforms: Record<string, ComponentHealth>;
  readonly sinks: Record<string, ComponentHealth>;
}

/** Options for {@link Pipeline}. */
export interface PipelineOptions {
  readonly logger: Logger;
  readonly version: string;
  readonly metrics?: Metrics;
  readonly clock?: () => number;
  readonly capabilities?: Capabilities;
}

type Listener = { kinds: ReadonlySet<MessageKind>; fn: (producer: string, m: Message) => void };

/** A running set of sources, transforms and sinks. */
export class Pipeline {
  readonly tags: TagStore;
  readonly metrics: Metrics;
  /** Interfaces components and services offer each other. */
  readonly capabilities: Capabilities;
  readonly #logger: Logger;
  readonly #clock: () => number;
  readonly #version: string;
  #config: GatewayConfig;
  #running = new Map<string, Running>();
  #routes = new Routes<Running>([]);
  #listeners: Listener[] = [];
  #started = false;

  constructor(config: GatewayConfig, options: PipelineOptions) {
    this.#config = config;
    this.#logger = options.logger;
    this.#clock = options.clock ?? Date.now;
    this.#version = options.version;
    this.metrics = options.metrics ?? new Metrics();
    this.capabilities = options.capabilities ?? new Capabilities();
    this.tags = new TagStore(config.buffer.default_capacity);
    this.metrics.gauge("gateway_tags", "Tags known to the gateway").collect(() => [[{}, this.tags.size]]);
    this.metrics.gauge("gateway_ring_dropped_samples", "Samples overwritten in ring buffers").collect(() => {
      let dropped = 0;
      for (const t of this.tags.list()) dropped += t.ring.dropped;
      return [[{}, dropped]];
    });
  }

  get config(): GatewayConfig {
    return this.#config;
  }

  get identity(): GatewayIdentity {
    const g = this.#config.gateway;
    return {
      id: g.id,
      site: g.site,
      version: this.#version,
      ...(g.line === undefined ? {} : { line: g.line }),
    };
  }

  get assets(): readonly Asset[] {
    return this.#config.assets;
  }

  /** Starts every enabled component: sinks first, then transforms, then sources, so nothing is emitted into the void. */
  async start(): Promise<void> {
    if (this.#started) throw new Error("pipeline already started");
    this.#started = true;
    for (const c of this.#components(this.#config)) await this.#startOne(c);
    this.#rebuildRoutes();
    this.event({
      type: "gateway.started",
      level: "info",
      message: `gateway started (${this.#running.size} components)`,
    });
  }

  /** Stops sources first, then transforms, then drains and stops sinks. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.event({ type: "gateway.stopping", level: "info", message: "gateway stopping" });
    for (const kind of ["source", "transform", "sink"] as const) {
      await Promise.all(
        [...this.#running.values()].filter((r) => r.kind === kind).map((r) => this.#stopOne(r)),
      );
    }
    this.#routes = new Routes([]);
  }

  /** Applies a new configuration, restarting only components whose configuration changed. */
  async reload(next: GatewayConfig): Promise<ReloadReport> {
    const report: ReloadReport = { started: [], stopped: [], restarted: [], unchanged: [] };
    const wanted = new Map(this.#components(next).map((c) => [c.config.name, c]));
    // Stop removed or changed components: sources first, sinks last, as in stop().
    for (const kind of ["source", "transform", "sink"] as const) {
      for (const r of [...this.#running.values()].filter((x) => x.kind === kind)) {
        const w = wanted.get(r.name);
        if (w && w.kind === r.kind && componentKey(w.config) === r.key) {
          r.config = w.config;
          report.unchanged.push(r.name);
          continue;
        }
        await this.#stopOne(r);
        (w ? report.restarted : report.stopped).push(r.name);
      }
    }
    this.#config = next;
    this.tags.setDefaultCapacity(next.buffer.default_capacity);
    for (const c of wanted.values()) {
      if (this.#running.has(c.config.name)) continue;
      await this.#startOne(c);
      if (!report.restarted.includes(c.config.name)) report.started.push(c.config.name);
    }
    for (const r of this.#running.values()) {
      if (r.kind === "sink") (r.target as SinkRunner).setLimits(r.config.queue!);
    }
    this.#rebuildRoutes();
    this.event({
      type: "config.reloaded",
      level: "info",
      message:
        `configuration reloaded: ${report.restarted.length} restarted, ${report.started.length} started, ` +
        `${report.stopped.length} stopped, ${report.unchanged.length} unchanged`,
      data: { ...report },
    });
    return report;
  }

  /** Health of every running component. */
  health(): PipelineHealth {
    const out: PipelineHealth = { sources: {}, transforms: {}, sinks: {} };
    for (const r of this.#running.values()) {
      const bucket = r.kind === "source" ? out.sources : r.kind === "transform" ? out.transforms : out.sinks;
      try {
        bucket[r.name] = r.health();
      } catch (error) {
        bucket[r.name] = { state: "failed", since: this.#clock(), lastError: errorMessage(error) };
      }
    }
    return out;
  }

  /** Records a gateway-level event: logged, and routed to every sink that takes events. */
  event(e: Omit<GatewayEvent, "ts" | "component"> & { ts?: number; component?: string }): void {
    const event: GatewayEvent = { ...e, ts: e.ts ?? this.#clock(), component: e.component ?? "gateway" };
    const fields = { event: event.type, component: event.component, ...(event.data ?? {}) };
    this.#logger[event.level](event.message, fields);
    this.#dispatch(event.component, false, [{ kind: "event", event }]);
  }

  /** Observes messages (e.g. live values for the HTTP API); returns the unsubscribe function. */
  subscribe(kinds: readonly MessageKind[], fn: (producer: string, m: Message) => void): () => void {
    const l: Listener = { kinds: new Set(kinds), fn };
    this.#listeners.push(l);
    return () => (this.#listeners = this.#listeners.filter((x) => x !== l));
  }

  #dispatch(producer: string, fromTransform: boolean, messages: readonly Message[]): void {
    const consumers = this.#routes.of(producer, fromTransform);
    for (const c of consumers) {
      if (c.kind === "sink") { for (const m of messages) (c.target as SinkRunner).offer(m); }
      else {
        const t = c.target as Transform;
        const accepted = messages.filter((m) => t.accepts.has(m.kind));
        if (accepted.length === 0) continue;
        try {
          t.process(accepted);
        } catch (error) {
          this.#logger.error("transform failed to process messages", {
            transform: c.name,
            error: errorMessage(error),
          });
        }
      }
    }
    for (const l of this.#listeners) {
      for (const m of messages) {
        if (l.kinds.has(m.kind)) {
          try {
            l.fn(producer, m);
          } catch (error) {
            this.#logger.warn("message listener failed", { error: errorMessage(error) });
          }
        }
      }
    }
  }

  #components(config: GatewayConfig): Component[] {
    const list: Component[] = [];
    for (const c of config.sinks) if (c.enabled) list.push({ kind: "sink", config: c });
    for (const c of config.transforms) if (c.enabled) list.push({ kind: "transform", config: c });
    for (const c of config.sources) if (c.enabled) list.push({ kind: "source", config: c });
    return list;
  }

  async #startOne(c: Component): Promise<void> {
    try {
      const running = await startComponent(c, {
        gateway: this.identity,
        dataDir: this.#config.gateway.data_dir,
        logger: this.#logger,
        metrics: this.metrics,
        tags: this.tags,
        clock: this.#clock,
        capabilities: this.capabilities,
        event: (e) => this.event(e),
        dispatch: (producer, fromTransform, messages) => this.#dispatch(producer, fromTransform, messages),
      });
      this.#running.set(c.config.name, running);
    } catch (error) {
      this.event({
        type: `${c.kind}.start_failed`,
        component: c.config.name,
        level: "error",
        message: `${c.kind} ${c.config.name} failed to start: ${errorMessage(error)}`,
      });
    }
  }

  async #stopOne(r: Running): Promise<void> {
    this.#running.delete(r.name);
    this.#rebuildRoutes();
    try {
      await stopComponent(r);
    } catch (error) {
      this.#logger.error("component failed to stop cleanly", {
        component: r.name,
        error: errorMessage(error),
      });
    }
    this.capabilities.withdraw(r.name);
  }

  #rebuildRoutes(): void {
    this.#routes = new Routes(
      [...this.#running.values()].filter((r) => r.kind !== "source").map((r) => ({
        config: r.config as never,
        target: r,
      })),
    );
  }
}
