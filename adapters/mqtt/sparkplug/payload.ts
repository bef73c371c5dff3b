/**
 * @module Sparkplug B Payload encoding (Payload, Metric, DataSet, PropertySet) and the decoding of incoming
 * commands (NCMD), by the field numbers of sparkplug_b.proto.
 */
import { type ProtoField, ProtoWriter, readFields } from "./protobuf.ts";

/** Sparkplug data types used by the gateway. */
export const DataType = {
  Int32: 3,
  Int64: 4,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  DataSet: 16,
} as const;
export type DataTypeCode = typeof DataType[keyof typeof DataType];

/** A table value (a block of samples: timestamp and value columns). */
export interface DataSet {
  readonly columns: readonly string[];
  readonly types: readonly DataTypeCode[];
  readonly rows: readonly (readonly (number | boolean | string)[])[];
}

/** One metric. A DBIRTH/NBIRTH metric has name and alias; a DATA metric may have the alias only. */
export interface Metric {
  readonly name?: string;
  readonly alias?: number;
  readonly timestamp?: number;
  readonly datatype: DataTypeCode;
  readonly isHistorical?: boolean;
  readonly isNull?: boolean;
  readonly value?: number | boolean | string | DataSet | null;
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
}

/** A Sparkplug payload; `seq` is absent in NDEATH. */
export interface Payload {
  readonly timestamp: number;
  readonly metrics: readonly Metric[];
  readonly seq?: number;
}

function writeValue(w: ProtoWriter, base: number, type: number, v: number | boolean | string): void {
  // base: field number of int_value in the enclosing message (Metric 10, DataSetValue 1, PropertyValue 3).
  switch (type) {
    case DataType.Int32:
      w.varint(base, typeof v === "number" ? (v < 0 ? (v >>> 0) : v) : 0);
      break;
    case DataType.Int64:
    case DataType.UInt64:
    case DataType.DateTime:
      w.varint(base + 1, typeof v === "number" ? Math.trunc(v) : 0);
      break;
    case DataType.Float:
      w.float(base + 2, Number(v));
      break;
    case DataType.Double:
      w.double(base + 3, Number(v));
      break;
    case DataType.Boolean:
      w.varint(base + 4, Boolean(v));
      break;
    default:
      w.string(base + 5, String(v));
  }
}

function writeDataSet(w: ProtoWriter, ds: DataSet): void {
  w.varint(1, ds.columns.length);
  for (const c of ds.columns) w.string(2, c);
  for (const t of ds.types) w.varint(3, t);
  for (const row of ds.rows) {
    w.message(4, (r) => {
      row.forEach((v, i) => r.message(1, (e) => writeValue(e, 1, ds.types[i]!, v)));
    });
  }
}

function writeMetric(w: ProtoWriter, m: Metric): void {
  if (m.name !== undefined) w.string(1, m.name);
  if (m.alias !== undefined) w.varint(2, m.alias);
  if (m.timestamp !== undefined) w.varint(3, Math.trunc(m.timestamp));
  w.varint(4, m.datatype);
  if (m.isHistorical) w.varint(5, true);
  if (m.properties) {
    const entries = Object.entries(m.properties);
    w.message(9, (p) => {
      for (const [k] of entries) p.string(1, k);
      for (const [, v] of entries) {
        const type = typeof v === "boolean"
          ? DataType.Boolean
          : typeof v === "number"
          ? DataType.Double
          : DataType.String;
        p.message(2, (pv) => {
          pv.varint(1, type);
          writeValue(pv, 3, type, v);
        });
      }
    });
  }
  const v = m.value;
  if (
    v === null || v === undefined ||
    (typeof v === "number" && !Number.isFinite(v) && m.datatype !== DataType.Double &&
      m.datatype !== DataType.Float)
  ) {
    w.varint(7, true);
  } else if (typeof v === "object") {
    w.message(17, (d) => writeDataSet(d, v));
  } else {
    writeValue(w, 10, m.datatype, v);
  }
}

/** Encodes a payload. */
export function encodePayload(p: Payload): Uint8Array {
  const w = new ProtoWriter();
  w.varint(1, Math.trunc(p.timestamp));
  for (const m of p.metrics) w.message(2, (mw) => writeMetric(mw, m));
  if (p.seq !== undefined) w.varint(3, p.seq);
  return w.finish();
}

/** A metric of an incoming command (name and/or alias with a scalar value). */
export interface CommandMetric {
  readonly name?: string;
  readonly alias?: number;
  readonly value?: number | boolean | string;
}

function scalar(f: ProtoField): number | boolean | string | undefined {
  if (f.wire === 0) return f.field === 14 ? f.value !== 0n : Number(f.value);
  if (f.wire === 1) return f.value.getFloat64(0, true);
  if (f.wire === 5) return f.value.getFloat32(0, true);
  if (f.field === 15) return new TextDecoder().decode(f.value);
  return undefined;
}

/** Decodes the metrics of a command payload; throws RangeError when it is not a protobuf Payload. */
export function decodeCommandMetrics(buf: Uint8Array): CommandMetric[] {
  const out: CommandMetric[] = [];
  for (const f of readFields(buf)) {
    if (f.field !== 2 || f.wire !== 2) continue;
    let name: string | undefined, alias: number | undefined, value: number | boolean | string | undefined;
    for (const mf of readFields(f.value)) {
      if (mf.field === 1 && mf.wire === 2) name = new TextDecoder().decode(mf.value);
      else if (mf.field === 2 && mf.wire === 0) alias = Number(mf.value);
      else if (mf.field >= 10 && mf.field <= 15) value = scalar(mf);
    }
    const m: { name?: string; alias?: number; value?: number | boolean | string } = {};
    if (name !== undefined) m.name = name;
    if (alias !== undefined) m.alias = alias;
    if (value !== undefined) m.value = value;
    out.push(m);
  }
  return out;
}
