/**
 * @module The gateway process: configuration, pipeline and services, with reload and graceful shutdown.
 */
import { loadConfig } from "../config/load.ts";
import type { GatewayConfig } from "../config/schema.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import { Pipeline, type ReloadReport } from "../pipeline/pipeline.ts";
import type { ComponentHealth } from "../plugin/health.ts";
import { errorMessage } from "../errors.ts";
import { stableJson } from "../util/stable_json.ts";
import { registeredServices, type Service, type ServiceContext, type ServiceFactory } from "./service.ts";
import { VERSION } from "../version.ts";
import { GATEWAY_CAPABILITY, type GatewayControl } from "./control.ts";

/** Options for {@link Gateway}. */
export interface GatewayOptions {
  /** File to re-read on reload. */
  readonly configPath?: string;
  readonly logger?: Logger;
  readonly version?: string;
  readonly clock?: () => number;
}

/** Overall health, as served on /health. */
export interface GatewayHealth {
  readonly status: "ok" | "degraded" | "starting" | "stopped";
  readonly version: string;
  readonly gateway: { readonly id: string; readonly site: string };
  readonly uptimeSeconds: number;
  readonly sources: Record<string, ComponentHealth>;
  readonly transforms: Record<string, ComponentHealth>;
  readonly sinks: Record<string, ComponentHealth>;
  readonly services: Record<string, ComponentHealth>;
}

/** One gateway: owns the pipeline and the services. */
export class Gateway {
  readonly pipeline: Pipeline;
  readonly logger: Logger;
  readonly version: string;
  readonly #configPath: string | undefined;
  readonly #startedAt: number;
  readonly #clock: () => number;
  #services = new Map<string, { factory: ServiceFactory; service: Service; key: string }>();
  #state: "idle" | "running" | "stopping" | "stopped" = "idle";
  #reloading: Promise<ReloadReport> | undefined;

  constructor(config: GatewayConfig, options: GatewayOptions = {}) {
    this.version = options.version ?? VERSION;
    this.#clock = options.clock ?? Date.now;
    this.logger = options.logger ?? createLogger({ level: config.log.level, format: config.log.format });
    this.#configPath = options.configPath;
    this.#startedAt = this.#clock();
    this.pipeline = new Pipeline(config, { logger: this.logger, version: this.version, clock: this.#clock });
  }

  /** Loads `path` and builds a gateway on it. */
  static async fromFile(path: string, options: Omit<GatewayOptions, "configPath"> = {}): Promise<Gateway> {
    return new Gateway(await loadConfig(path), { ...options, configPath: path });
  }

  get config(): GatewayConfig {
    return this.pipeline.config;
  }

  async start(): Promise<void> {
    if (this.#state !== "idle") throw new Error(`gateway cannot start from state ${this.#state}`);
    this.#state = "running";
    const control: GatewayControl = { health: () => this.health(), reload: () => this.reload() };
    this.pipeline.capabilities.provide(GATEWAY_CAPABILITY, control, "gateway");
    await this.pipeline.start();
    for (const factory of registeredServices()) await this.#startService(factory);
  }

  /** Stops services, then the pipeline (sources first, sinks drained last). */
  async stop(): Promise<void> {
    if (this.#state !== "running") return;
    this.#state = "stopping";
    await this.#reloading?.catch(() => {});
    for (const [name, s] of [...this.#services].reverse()) {
      try {
        await s.service.stop();
      } catch (error) {
        this.logger.error("service failed to stop", { service: name, error: errorMessage(error) });
      }
    }
    this.#services.clear();
    await this.pipeline.stop();
    this.#state = "stopped";
  }

  /**
   * Applies a new configuration (re-read from the file when none is given). An invalid file is reported and
   * the running configuration stays in force. Reloads are serialised.
   */
  reload(next?: GatewayConfig): Promise<ReloadReport> {
    const run = async (): Promise<ReloadReport> => {
      await previous?.catch(() => {});
      let config = next;
      if (!config) {
        if (!this.#configPath) throw new TypeError("no configuration file to reload from");
        try {
          config = await loadConfig(this.#configPath);
        } catch (error) {
          this.pipeline.event({
            type: "config.reload_failed",
            level: "error",
            message: `configuration reload rejected, keeping the running one: ${errorMessage(error)}`,
          });
          throw error;
        }
      }
      const report = await this.pipeline.reload(config);
      for (const [name, s] of this.#services) {
        const key = serviceKey(s.factory, config);
        if (key === s.key) continue;
        if (s.service.reconfigure) {
          await s.service.reconfigure(config);
          s.key = key;
        } else {
          await s.service.stop();
          this.#services.delete(name);
          await this.#startService(s.factory);
        }
      }
      return report;
    };
    const previous = this.#reloading;
    const p = run();
    this.#reloading = p;
    return p;
  }

  health(): GatewayHealth {
    const p = this.pipeline.health();
    const services: Record<string, ComponentHealth> = {};
    for (const [name, s] of this.#services) {
      services[name] = s.service.health?.() ?? { state: "connected", since: this.#startedAt };
    }
    const all = [
      ...Object.values(p.sources),
      ...Object.values(p.sinks),
      ...Object.values(p.transforms),
      ...Object.values(services),
    ];
    const bad = all.some((h) => h.state === "failed" || h.state === "reconnecting" || h.state === "degraded");
    const status = this.#state === "running"
      ? (bad ? "degraded" : "ok")
      : this.#state === "idle"
      ? "starting"
      : "stopped";
    return {
      status,
      version: this.version,
      gateway: { id: this.config.gateway.id, site: this.config.gateway.site },
      uptimeSeconds: Math.round((this.#clock() - this.#startedAt) / 1000),
      ...p,
      services,
    };
  }

  /** SIGINT/SIGTERM stop gracefully (then `onExit`), SIGHUP reloads. Returns a function removing the handlers. */
  installSignalHandlers(onExit: (code: number) => void = (code) => Deno.exit(code)): () => void {
    const stop = () => {
      this.logger.info("signal received, stopping");
      this.stop().then(() => onExit(0), (error) => {
        this.logger.error("shutdown failed", { error: errorMessage(error) });
        onExit(1);
      });
    };
    const hup = () => void this.reload().catch(() => {});
    const handlers: [Deno.Signal, () => void][] = [["SIGINT", stop], ["SIGTERM", stop], ["SIGHUP", hup]];
    for (const [sig, fn] of handlers) Deno.addSignalListener(sig, fn);
    return () => {
      for (const [sig, fn] of handlers) Deno.removeSignalListener(sig, fn);
    };
  }

  async #startService(factory: ServiceFactory): Promise<void> {
    const ctx: ServiceContext = {
      pipeline: this.pipeline,
      logger: this.logger.child({ service: factory.name }),
      version: this.version,
      config: () => this.config,
      reload: (next) => this.reload(next),
      health: () => this.health(),
      stateDir: `${this.config.gateway.data_dir}/state/${factory.name}`,
    };
    try {
      const service = await factory.start(ctx);
      if (service) {
        this.#services.set(factory.name, { factory, service, key: serviceKey(factory, this.config) });
      }
    } catch (error) {
      this.pipeline.event({
        type: "service.start_failed",
        component: factory.name,
        level: "error",
        message: `service ${factory.name} failed to start: ${errorMessage(error)}`,
      });
    }
  }
}

function serviceKey(factory: ServiceFactory, config: GatewayConfig): string {
  return factory.section ? stableJson(config[factory.section]) : "";
}
