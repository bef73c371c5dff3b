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

/** What acquisition (subscriptions or polling) reports to its endpoint. */
export interface AcquisitionHooks {
  /** Live samples, in arrival order. */
  deliver(samples: Sample[]): void;
  /** The connection must be recreated. */
  fail(reason: string): void;
  /** The server refused these nodes (BadNodeIdUnknown...); they are retried. */
  rejected(items: readonly { target: Target; status: number; name: string }[]): void;
}

/** A running acquisition. */
export interface Acquisition {
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): { subscriptions: number; monitored: number; failed: number };
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
