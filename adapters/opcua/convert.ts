/**
 * @module OPC UA DataValues to gateway samples: value, source/server timestamps, full status code, quality.
 */
import { qualityFromStatus, type Sample } from "../../core/mod.ts";
import type { DataValue, Variant } from "node-opcua-client";

/** A sample value from a Variant: numbers, booleans and strings as such; 64-bit ints as numbers; others as text. */
export function variantValue(v: Variant | null | undefined): Sample["value"] {
  const value: unknown = v?.value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "string") return value;
  if (value === null || value === undefined) return Number.NaN;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.getTime();
  // Int64/UInt64 arrive as [high, low] 32-bit words.
  if (Array.isArray(value) && v!.arrayType === 0 && value.length === 2) {
    const [hi, lo] = value as number[];
    if (typeof hi === "number" && typeof lo === "number") return hi * 4294967296 + (lo >>> 0);
  }
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    return JSON.stringify(
      Array.from(value as ArrayLike<unknown>, (x) => (typeof x === "bigint" ? Number(x) : x)),
    );
  }
  if (typeof (value as { text?: unknown }).text === "string") return (value as { text: string }).text;
  return String(value);
}

/** The numeric status code of a DataValue (0 = Good). */
export function statusOf(dv: DataValue): number {
  return dv.statusCode?.value ?? 0;
}

/** Converts one DataValue of `tag`; `recv` is the gateway receive time. */
export function toSample(tag: string, dv: DataValue, recv: number, historical = false): Sample {
  const status = statusOf(dv);
  const quality = qualityFromStatus(status);
  const source = dv.sourceTimestamp ? dv.sourceTimestamp.getTime() : Number.NaN;
  const server = dv.serverTimestamp ? dv.serverTimestamp.getTime() : Number.NaN;
  const ts = Number.isFinite(source) ? source : Number.isFinite(server) ? server : recv;
  const sample: { -readonly [K in keyof Sample]: Sample[K] } = {
    tag,
    value: variantValue(dv.value),
    ts,
    recv,
    quality,
    status,
  };
  if (Number.isFinite(server)) sample.serverTs = server;
  if (quality !== 0) sample.reason = dv.statusCode.name;
  if (historical) sample.historical = true;
  return sample;
}
