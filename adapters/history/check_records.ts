/**
 * @module Per-record checks before writing: a malformed record from a buggy producer must not poison the whole
 * batch (it would be retried forever). Each returns the problem, or undefined when the record is writable.
 */
import type { Message } from "../../core/mod.ts";

const fin = (v: unknown) => typeof v === "number" && Number.isFinite(v);
const str = (v: unknown) => typeof v === "string" && v.length > 0;

function need(checks: [boolean, string][]): string | undefined {
  const bad = checks.filter(([ok]) => !ok).map(([, what]) => what);
  return bad.length ? bad.join(", ") : undefined;
}

/** The problem with a message other than samples/blocks (checked per value elsewhere), if any. */
export function recordProblem(m: Message): string | undefined {
  switch (m.kind) {
    case "rollup": {
      const r = m.rollup;
      return need([
        [str(r.tag), "tag must be a non-empty string"],
        [
          r.interval === "1s" || r.interval === "1m" || r.interval === "1h",
          'interval must be "1s", "1m" or "1h"',
        ],
        [fin(r.start), "start must be a finite timestamp"],
        [Number.isInteger(r.count) && r.count >= 0, "count must be a non-negative integer"],
      ]);
    }
    case "features": {
      const f = m.features;
      return need([
        [str(f.asset), "asset must be a non-empty string"],
        [
          fin(f.windowStart) && fin(f.windowEnd) && fin(f.computedAt),
          "windowStart/windowEnd/computedAt must be finite",
        ],
        [Number.isInteger(f.schemaVersion), "schemaVersion must be an integer"],
        [typeof f.features === "object" && f.features !== null, "features must be an object"],
        [typeof f.quality === "object" && f.quality !== null, "quality must be an object"],
      ]);
    }
    case "score": {
      const s = m.score;
      return need([
        [str(s.asset) && str(s.detector), "asset and detector must be non-empty strings"],
        [typeof s.version === "string", "version must be a string"],
        [fin(s.ts), "ts must be a finite timestamp"],
        [typeof s.anomalous === "boolean", "anomalous must be a boolean"],
      ]);
    }
    case "alert": {
      const a = m.alert;
      return need([
        [str(a.id) && str(a.asset) && str(a.kind), "id, asset and kind must be non-empty strings"],
        [["info", "warning", "critical"].includes(a.severity), "severity must be info, warning or critical"],
        [a.state === "active" || a.state === "cleared", "state must be active or cleared"],
        [typeof a.acknowledged === "boolean", "acknowledged must be a boolean"],
        [fin(a.raisedAt), "raisedAt must be a finite timestamp"],
        [a.clearedAt === undefined || fin(a.clearedAt), "clearedAt must be a finite timestamp"],
        [typeof a.message === "string", "message must be a string"],
      ]);
    }
    case "event": {
      const e = m.event;
      return need([
        [fin(e.ts), "ts must be a finite timestamp"],
        [str(e.type) && typeof e.component === "string", "type and component must be strings"],
        [["info", "warn", "error"].includes(e.level), "level must be info, warn or error"],
        [typeof e.message === "string", "message must be a string"],
      ]);
    }
    default:
      return undefined;
  }
}

/** JSON of a rejected record for the `history.rejected` event (bounded in size). */
export function rejectedJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v) => (v instanceof Float64Array ? `Float64Array(${v.length})` : v)) ??
      "undefined";
  } catch {
    text = String(value);
  }
  return text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
}
