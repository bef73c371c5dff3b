/**
 * @module What the pipeline gives every component: identity, logging, metrics, events, private storage.
 */
import type { Logger } from "../log/logger.ts";
import type { Metrics } from "../metrics/registry.ts";
import type { GatewayEvent } from "../model/records.ts";
import type { TagReader } from "../ring/tag_store.ts";

/** Who this gateway is (from `gateway:` in the config). */
export interface GatewayIdentity {
  readonly id: string;
  readonly site: string;
  readonly line?: string;
  readonly version: string;
}

/** Services shared by all components of a running gateway. */
export interface ComponentContext {
  /** The component's configured name. */
  readonly name: string;
  readonly gateway: GatewayIdentity;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Live tags (read-only). */
  readonly tags: TagReader;
  /** Aborted when the component is stopped. */
  readonly signal: AbortSignal;
  /** A directory private to this component for durable state (created on demand by the component). */
  readonly stateDir: string;
  /** Records a gateway event (goes to history, uplink and the log). */
  event(event: Omit<GatewayEvent, "ts" | "component"> & { ts?: number }): void;
  /** Wall clock in ms (injectable for tests). */
  now(): number;
  /** Offers an interface to other components and services under a name (withdrawn when this one stops). */
  provide(capability: string, impl: unknown): void;
  /** Finds an interface another component or service provides. */
  lookup<T>(capability: string): T | undefined;
}
