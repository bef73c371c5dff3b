/**
 * @module The service kind: long-lived subsystems configured by a top-level section (http, ...).
 */
import type { GatewayConfig } from "../config/schema.ts";
import type { Logger } from "../log/logger.ts";
import type { Pipeline, ReloadReport } from "../pipeline/pipeline.ts";
import type { ComponentHealth } from "../plugin/health.ts";
import type { GatewayHealth } from "./gateway.ts";

/** What a service gets: the running pipeline and the gateway's controls. */
export interface ServiceContext {
  readonly pipeline: Pipeline;
  readonly logger: Logger;
  readonly version: string;
  /** The configuration currently applied. */
  config(): GatewayConfig;
  /** Health of the whole gateway, as served on /health. */
  health(): GatewayHealth;
  /** Re-reads the configuration file (if any) or applies `next`, like SIGHUP. */
  reload(next?: GatewayConfig): Promise<ReloadReport>;
  /** Directory for this service's durable state. */
  readonly stateDir: string;
}

/** A started service. */
export interface Service {
  stop(): Promise<void>;
  /** Applies a changed configuration in place; when absent the service is restarted. */
  reconfigure?(config: GatewayConfig): Promise<void>;
  health?(): ComponentHealth;
}

/** A registered service. */
export interface ServiceFactory {
  readonly name: string;
  /** Config section whose change restarts or reconfigures the service. */
  readonly section?: string;
  /** Starts the service, or returns undefined when its configuration disables it. */
  start(ctx: ServiceContext): Promise<Service | undefined>;
}

const services = new Map<string, ServiceFactory>();

/** Registers a service. */
export function defineService(factory: ServiceFactory): void {
  if (services.has(factory.name)) throw new TypeError(`service "${factory.name}" is registered twice`);
  services.set(factory.name, factory);
}

/** Registered services, in registration order. */
export function registeredServices(): readonly ServiceFactory[] {
  return [...services.values()];
}
