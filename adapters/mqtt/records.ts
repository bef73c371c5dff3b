/**
 * @module Turns pipeline messages into outbox records: one record per feature vector, score, alert, rollup
 * and event, one per tag for a batch of samples, one per block.
 */
import type { Message, MessageKind, Quality, Sample, TagReader } from "../../core/mod.ts";
import type { NewRecord, RecordClass } from "./outbox/mod.ts";

/** Topic key used when a rollup's tag belongs to no asset. */
export const UNASSIGNED = "_unassigned";

/** Which message kinds a class covers. */
export const KINDS_OF_CLASS: Readonly<Record<RecordClass, readonly MessageKind[]>> = {
  raw: ["samples", "block"],
  rollups: ["rollup"],
  features: ["features"],
  scores: ["score"],
  alerts: ["alert"],
  events: ["event"],
};

const QUALITY_RANK = ["good", "uncertain", "bad"];

function worst(samples: readonly Sample[]): Quality {
  let q = 0;
  for (const s of samples) if (s.quality > q) q = s.quality;
  return q as Quality;
}

/** Finite numbers as numbers, everything else (NaN, Infinity) as null so JSON stays valid. */
function num(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Records for one message. */
export function toRecords(m: Message, tags: TagReader): NewRecord[] {
  switch (m.kind) {
    case "features": {
      const f = m.features;
      const q = Math.max(0, QUALITY_RANK.indexOf(f.quality.worst));
      return [{
        cls: "features",
        kind: "features",
        key: f.asset,
        eventTs: f.windowEnd,
        quality: q,
        data: JSON.stringify(f),
      }];
    }
    case "score":
      return [{
        cls: "scores",
        kind: "score",
        key: m.score.asset,
        eventTs: m.score.ts,
        quality: 0,
        data: JSON.stringify(m.score),
      }];
    case "alert": {
      const a = m.alert;
      const ts = a.state === "cleared" && a.clearedAt !== undefined ? a.clearedAt : a.raisedAt;
      return [{
        cls: "alerts",
        kind: "alert",
        key: a.asset,
        eventTs: ts,
        quality: 0,
        data: JSON.stringify(a),
      }];
    }
    case "rollup": {
      const r = m.rollup;
      const asset = r.asset ?? tags.get(r.tag)?.meta.asset ?? UNASSIGNED;
      const q = r.badShare <= 0 ? 0 : r.badShare >= 1 ? 2 : 1;
      return [{
        cls: "rollups",
        kind: "rollup",
        key: asset,
        eventTs: r.start,
        quality: q,
        data: JSON.stringify({ ...r, asset }),
      }];
    }
    case "event":
      return [{
        cls: "events",
        kind: "event",
        key: "",
        eventTs: m.event.ts,
        quality: m.event.level === "error" ? 2 : m.event.level === "warn" ? 1 : 0,
        data: JSON.stringify(m.event),
      }];
    case "samples": {
      const byTag = new Map<string, Sample[]>();
      for (const s of m.samples) {
        let list = byTag.get(s.tag);
        if (!list) byTag.set(s.tag, list = []);
        list.push(s);
      }
      const out: NewRecord[] = [];
      for (const [tag, list] of byTag) {
        const meta = tags.get(tag)?.meta;
        const samples = list.map((s) => {
          const o: Record<string, unknown> = {
            ts: s.ts,
            v: typeof s.value === "number" ? num(s.value) : s.value,
            q: s.quality,
          };
          if (s.quality !== 0) o.status = s.status;
          if (s.reason !== undefined) o.reason = s.reason;
          if (s.historical) o.historical = true;
          return o;
        });
        const data = { tag, asset: meta?.asset, unit: meta?.unit, samples };
        out.push({
          cls: "raw",
          kind: "samples",
          key: tag,
          eventTs: list[list.length - 1]!.ts,
          quality: worst(list),
          data: JSON.stringify(data),
        });
      }
      return out;
    }
    case "block": {
      const b = m.block;
      const meta = tags.get(b.tag)?.meta;
      const values = Array.from(b.values, num);
      const data = {
        tag: b.tag,
        asset: meta?.asset,
        unit: meta?.unit,
        t0: b.t0,
        dt: b.dt,
        n: b.values.length,
        status: b.status,
        values,
      };
      return [{
        cls: "raw",
        kind: "block",
        key: b.tag,
        eventTs: b.t0,
        quality: b.quality,
        data: JSON.stringify(data),
      }];
    }
  }
}
