/**
 * @module Maps outbox records to Sparkplug metrics: devices are assets (raw tags go to their tag's asset),
 * gateway events are node metrics.
 */
import type { OutboxRecord } from "../outbox/mod.ts";
import { UNASSIGNED } from "../records.ts";
import { type DataSet, DataType, type DataTypeCode } from "./payload.ts";

/** A metric value produced from a record. */
export interface MetricValue {
  readonly name: string;
  readonly datatype: DataTypeCode;
  readonly value: number | boolean | string | DataSet | null;
  readonly timestamp: number;
  readonly properties?: Readonly<Record<string, string>>;
}

/** Where a record's metrics go: a device (asset) or the node itself (`device` undefined). */
export interface RecordMetrics {
  readonly device?: string;
  readonly metrics: MetricValue[];
}

type Json = Record<string, unknown>;
const numOrNull = (v: unknown): number | null => (typeof v === "number" ? v : null);
const QUALITY = ["good", "uncertain", "bad"];

function scalar(v: unknown): { datatype: DataTypeCode; value: number | boolean | string | null } {
  if (typeof v === "boolean") return { datatype: DataType.Boolean, value: v };
  if (typeof v === "string") return { datatype: DataType.String, value: v };
  return { datatype: DataType.Double, value: numOrNull(v) };
}

/** Metrics of one record. */
export function metricsOf(r: OutboxRecord): RecordMetrics {
  const d = JSON.parse(r.data) as Json;
  const ts = r.eventTs;
  const dbl = (name: string, v: unknown): MetricValue => ({
    name,
    datatype: DataType.Double,
    value: numOrNull(v),
    timestamp: ts,
  });
  const str = (name: string, v: unknown): MetricValue => ({
    name,
    datatype: DataType.String,
    value: String(v ?? ""),
    timestamp: ts,
  });
  switch (r.kind) {
    case "features": {
      const features = (d.features ?? {}) as Record<string, unknown>;
      const metrics = Object.entries(features).map(([k, v]) => dbl(`Features/${k}`, v));
      metrics.push(dbl("Features/Good Share", (d.quality as Json | undefined)?.goodShare));
      return { device: r.key, metrics };
    }
    case "score": {
      const p = `Scores/${String(d.detector)}`;
      return {
        device: r.key,
        metrics: [
          dbl(`${p}/Score`, d.score),
          dbl(`${p}/Threshold`, d.threshold),
          { name: `${p}/Anomalous`, datatype: DataType.Boolean, value: Boolean(d.anomalous), timestamp: ts },
        ],
      };
    }
    case "alert": {
      const p = `Alerts/${String(d.kind)}`;
      return {
        device: r.key,
        metrics: [
          str(`${p}/State`, d.state),
          str(`${p}/Severity`, d.severity),
          str(`${p}/Message`, d.message),
          str(`${p}/Id`, d.id),
          {
            name: `${p}/Acknowledged`,
            datatype: DataType.Boolean,
            value: Boolean(d.acknowledged),
            timestamp: ts,
          },
        ],
      };
    }
    case "rollup": {
      const p = `Rollups/${String(d.tag)}/${String(d.interval)}`;
      return {
        device: r.key,
        metrics: [
          { name: `${p}/Count`, datatype: DataType.Int64, value: numOrNull(d.count), timestamp: ts },
          dbl(`${p}/Mean`, d.mean),
          dbl(`${p}/Std`, d.std),
          dbl(`${p}/Min`, d.min),
          dbl(`${p}/Max`, d.max),
          dbl(`${p}/P95`, d.p95),
          dbl(`${p}/Last`, d.last),
          dbl(`${p}/Bad Share`, d.badShare),
        ],
      };
    }
    case "samples": {
      const samples = (d.samples ?? []) as Json[];
      const metrics = samples.map((s): MetricValue => {
        const q = typeof s.q === "number" ? s.q : 0;
        return {
          name: `Tags/${String(d.tag)}`,
          ...scalar(s.v),
          timestamp: Number(s.ts),
          ...(q !== 0 ? { properties: { Quality: QUALITY[q] ?? "bad" } } : {}),
        };
      });
      return { device: typeof d.asset === "string" ? d.asset : UNASSIGNED, metrics };
    }
    case "block": {
      const values = (d.values ?? []) as (number | null)[];
      const t0 = Number(d.t0), dt = Number(d.dt);
      const ds: DataSet = {
        columns: ["timestamp", "value"],
        types: [DataType.DateTime, DataType.Double],
        rows: values.map((v, i) => [Math.round(t0 + i * dt), v ?? Number.NaN]),
      };
      return {
        device: typeof d.asset === "string" ? d.asset : UNASSIGNED,
        metrics: [{
          name: `Tags/${String(d.tag)}/Block`,
          datatype: DataType.DataSet,
          value: ds,
          timestamp: ts,
        }],
      };
    }
    default:
      return { metrics: [str("Events/Last", r.data)] };
  }
}
