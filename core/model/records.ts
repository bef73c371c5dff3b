/**
 * @module Derived records the gateway produces: rollups, feature vectors, anomaly scores, alerts, events.
 */
import type { QualityName } from "./quality.ts";

/** Aggregate of one tag over one interval (continuous-aggregate style). */
export interface Rollup {
  readonly tag: string;
  readonly asset?: string;
  /** Interval length: "1s", "1m" or "1h". */
  readonly interval: RollupInterval;
  /** Interval start, ms since epoch (aligned to the interval). */
  readonly start: number;
  readonly count: number;
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
  readonly p95: number;
  readonly last: number;
  /** Share of samples with Bad quality, 0..1. */
  readonly badShare: number;
}

export type RollupInterval = "1s" | "1m" | "1h";

/** Feature vector computed over one window of an asset. */
export interface FeatureVector {
  readonly asset: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly computedAt: number;
  readonly schemaVersion: number;
  /** Feature name (e.g. `vib_x.rms`, `vib_x.band_1x`) to value. */
  readonly features: Readonly<Record<string, number>>;
  /** Worst quality seen in the window and the share of good samples. */
  readonly quality: { readonly worst: QualityName; readonly goodShare: number };
}

/** Output of one detector for one feature vector. */
export interface AnomalyScore {
  readonly asset: string;
  readonly detector: string;
  /** Model or detector version stamped on every score. */
  readonly version: string;
  readonly ts: number;
  readonly score: number;
  readonly threshold: number;
  readonly anomalous: boolean;
  /** Top contributing features, highest first. */
  readonly contributions: readonly { readonly feature: string; readonly value: number }[];
}

export type Severity = "info" | "warning" | "critical";

/** An alert raised from scores or data-quality checks. */
export interface Alert {
  readonly id: string;
  readonly asset: string;
  /** Kind of alert, e.g. `anomaly`, `stale_tag`, `stuck_value`, `drift`. */
  readonly kind: string;
  readonly severity: Severity;
  readonly state: "active" | "cleared";
  readonly acknowledged: boolean;
  readonly raisedAt: number;
  readonly clearedAt?: number;
  readonly message: string;
  readonly detector?: string;
  readonly score?: number;
  readonly contributions: readonly { readonly feature: string; readonly value: number }[];
}

/** Something that happened to the gateway: connection changes, config reloads, updates, data-quality events. */
export interface GatewayEvent {
  readonly ts: number;
  /** Dotted type, e.g. `source.connected`, `config.reloaded`, `update.applied`. */
  readonly type: string;
  /** Component that reported it. */
  readonly component: string;
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
}
