/**
 * @module The history store's query interface, provided as capability "history" by the store sink and used
 * by the HTTP API, the export command and the dashboard.
 */
import type { Alert, AnomalyScore, FeatureVector, GatewayEvent, RollupInterval } from "../model/records.ts";

/** Capability name under which the store provides {@link HistoryReader}. */
export const HISTORY_CAPABILITY = "history";

/** Aggregations over time buckets. */
export const AGGREGATIONS = ["avg", "min", "max", "last", "count", "p95"] as const;
export type Aggregation = typeof AGGREGATIONS[number];

/** A time-series query. `step` (ms) buckets the range; without it raw points are returned. */
export interface SeriesQuery {
  readonly tags: readonly string[];
  readonly from: number;
  readonly to: number;
  readonly step?: number;
  readonly agg?: Aggregation;
  /** Most points per tag; the store rejects queries that would exceed it. */
  readonly maxPoints: number;
}

/** One tag's points; `table` says whether raw samples or a rollup table answered. */
export interface Series {
  readonly tag: string;
  readonly table: "raw" | "1s" | "1m" | "1h";
  readonly points: readonly {
    readonly ts: number;
    readonly value: number | null;
    readonly quality?: number;
  }[];
}

/** Paging by opaque cursor. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  readonly next?: string;
}

/** Common filters of list queries. */
export interface ListQuery {
  readonly from?: number;
  readonly to?: number;
  readonly assets?: readonly string[];
  readonly limit: number;
  readonly cursor?: string;
}

/** What an export writes: one stored table each. */
export const EXPORT_KINDS = ["samples", "rollups", "features", "scores", "alerts", "events"] as const;
export type ExportKind = typeof EXPORT_KINDS[number];

/** Rollup tables an export of kind `rollups` reads. */
export const ROLLUP_INTERVALS: readonly RollupInterval[] = ["1s", "1m", "1h"];

/** How an export of kind `features` lays out the feature vector: one column per name, or one JSON column. */
export const FEATURE_LAYOUTS = ["columns", "json"] as const;
export type FeatureLayout = typeof FEATURE_LAYOUTS[number];

/** Export request. */
export interface ExportRequest {
  readonly from: number;
  readonly to: number;
  /** Default `samples` (raw values). */
  readonly kind?: ExportKind;
  /** Only for kind `rollups`; default `1m`. */
  readonly interval?: RollupInterval;
  /** Only for kind `features`; default `columns`. */
  readonly layout?: FeatureLayout;
  /** Only these tags (samples, rollups; events about these tags). */
  readonly tags?: readonly string[];
  /** Only these assets (every kind; events whose data.asset is one of them). */
  readonly assets?: readonly string[];
  /**
   * What a restricted reader may see, applied on top of the filters: samples and rollups of `tags`; features,
   * scores and alerts of `assets`; events about a tag in `tags` or, without a tag, about an asset in `assets`.
   * Absent: everything.
   */
  readonly visible?: { readonly tags: readonly string[]; readonly assets: readonly string[] };
  readonly format: "parquet" | "csv";
  readonly path: string;
  /** Called with the share done, 0..1. */
  readonly onProgress?: (done: number) => void;
}

/** Read side of the history store. */
export interface HistoryReader {
  series(query: SeriesQuery): Promise<Series[]>;
  features(query: ListQuery): Promise<Page<FeatureVector>>;
  scores(query: ListQuery & { readonly detector?: string }): Promise<Page<AnomalyScore>>;
  alerts(query: ListQuery & { readonly state?: Alert["state"] }): Promise<Page<Alert>>;
  events(query: ListQuery & { readonly type?: string }): Promise<Page<GatewayEvent>>;
  /** Records an acknowledgement of an alert; resolves to the updated alert or undefined when unknown. */
  acknowledgeAlert(id: string, by: string, at: number): Promise<Alert | undefined>;
  exportRange(request: ExportRequest): Promise<{ rows: number; bytes: number }>;
}

/** Capability name of the live alert manager (the anomaly scoring transform), used to acknowledge alerts. */
export const ALERTS_CAPABILITY = "alerts";

/** The live alert manager's control surface. */
export interface AlertControl {
  active(): readonly Alert[];
  acknowledge(id: string, by: string): Alert | undefined;
}

/** Capability name of the latest-spectrum provider (the feature transform). */
export const SPECTRA_CAPABILITY = "spectra";

/** Latest spectrum of a vibration tag, for the dashboard. */
export interface SpectrumSnapshot {
  readonly tag: string;
  readonly ts: number;
  readonly fs: number;
  readonly frequencies: Float32Array | readonly number[];
  readonly amplitude: Float32Array | readonly number[];
  readonly envelope?: { readonly frequencies: readonly number[]; readonly amplitude: readonly number[] };
  /** Bearing defect frequencies (Hz) with their peak-to-median ratio in the envelope spectrum. */
  readonly markers?: readonly { readonly name: string; readonly hz: number; readonly ratio?: number }[];
}

/** Provides the latest spectra. */
export interface SpectraProvider {
  latest(tag: string): SpectrumSnapshot | undefined;
  tags(): readonly string[];
}
