/**
 * @module A node to acquire, with its effective monitoring parameters, and the hooks acquisition reports to.
 */
import type { Sample } from "../../core/mod.ts";
import type { NodeConfig, OpcuaSourceConfig } from "./schema.ts";

/** One configured node with its tag id and effective parameters. */
export interface Target {
  readonly index: number;
  readonly tag: string;
  readonly nodeId: string;
  readonly samplingMs: number;
  readonly queueSize: number;
  readonly deadband?: NodeConfig["deadband"];
  readonly backfill: boolean;
}

/** An item that became unavailable, or whose status changed while it is. */
export interface ItemProblem {
  readonly target: Target;
  readonly status: number;
  readonly name: string;
  /** It was available until now (false: only the status changed). */
  readonly first: boolean;
}

/** What acquisition (subscriptions or polling) reports to its endpoint. */
export interface AcquisitionHooks {
  /** Live samples, in arrival order. */
  deliver(samples: Sample[]): void;
  /** The connection must be recreated. */
  fail(reason: string): void;
  /**
   * These items' nodes are gone or unusable (BadNodeIdUnknown...); they are retried in the session.
   * `emitBad`: no sample carried the status (refused at creation), so the endpoint emits the Bad samples.
   */
  unavailable(items: readonly ItemProblem[], emitBad: boolean): void;
  /** These items deliver values again. */
  recovered(targets: readonly Target[]): void;
  /** A retry round failed as a whole (a service error); it is tried again a period later. */
  retryFailed(error: unknown): void;
}

/** Counters of a running acquisition. */
export interface AcquisitionStats {
  readonly subscriptions: number;
  readonly monitored: number;
  /** Unavailable items without a monitored item on the server (refused at creation). */
  readonly failed: number;
  /** Items whose node is gone or unusable, however they were noticed. */
  readonly unavailable: number;
  /** `<node id>: <status name>` of (at most 20) unavailable items. */
  readonly unavailableNodes: readonly string[];
}

/** A running acquisition. */
export interface Acquisition {
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): AcquisitionStats;
}

/** Targets of a source config. */
export function targetsOf(config: OpcuaSourceConfig): Target[] {
  return config.nodes.map((n, index) => ({
    index,
    tag: n.id ?? `${config.name}.${n.name}`,
    nodeId: n.node_id,
    samplingMs: n.sampling_interval_ms ?? config.sampling_interval_ms,
    queueSize: n.queue_size ?? config.queue_size,
    ...(n.deadband ? { deadband: n.deadband } : {}),
    backfill: n.backfill,
  }));
}

/** Key of the monitoring parameters: items with the same key can be created in one request. */
export function paramsKey(t: Target): string {
  return `${t.samplingMs}|${t.queueSize}|${t.deadband?.type ?? ""}|${t.deadband?.value ?? ""}`;
}
