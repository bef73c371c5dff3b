/**
 * @module Samples: single values for slow tags and uniformly sampled blocks for high-rate channels.
 */
import type { Quality } from "./quality.ts";

/** A value at a time. Timestamps are milliseconds since the Unix epoch (fractional for sub-ms rates). */
export interface Sample {
  readonly tag: string;
  readonly value: number | boolean | string;
  /** Source timestamp (the device's clock, or the receive time when the device gives none). */
  readonly ts: number;
  /** Gateway receive timestamp. */
  readonly recv: number;
  readonly quality: Quality;
  /** Raw status code (OPC UA StatusCode, or one of `Status` for other protocols). */
  readonly status: number;
  /** Server timestamp, when the protocol gives one. */
  readonly serverTs?: number;
  /** Why the quality is not good (Modbus exception, timeout, ...). */
  readonly reason?: string;
  /** Replayed from a history service to fill a gap, not live. */
  readonly historical?: boolean;
}

/** A block of uniformly sampled values of one tag (vibration): sample i is at `t0 + i * dt`. */
export interface SampleBlock {
  readonly tag: string;
  /** Timestamp of the first value, ms. */
  readonly t0: number;
  /** Sample period, ms. */
  readonly dt: number;
  readonly values: Float64Array;
  readonly recv: number;
  readonly quality: Quality;
  readonly status: number;
}

/** Numeric form of a sample value for ring buffers (booleans 1/0, strings NaN). */
export function numericValue(value: Sample["value"]): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  return Number.NaN;
}
