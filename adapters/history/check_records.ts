/**
 * @module Per-record checks before writing: a malformed record from a buggy producer must not poison the whole
 * batch (it would be retried forever). Each returns the problem, or undefined when the record is writable.
 * Every timestamp must lie within the range of a JavaScript `Date` ({@link MAX_TIMESTAMP_MS}): DuckDB's
 * TIMESTAMP reaches further, but a row beyond it would be stored and then break every read of it.
 */
import type { Message, Sample, SampleBlock } from "../../core/mod.ts";

/** The largest distance (ms) of a storable timestamp from the epoch: that of a JavaScript `Date`. */
export const MAX_TIMESTAMP_MS = 8.64e15;

const str = (v: unknown) => typeof v === "string" && v.length > 0;

/** Whether `v` is a finite timestamp (ms) within ±{@link MAX_TIMESTAMP_MS}. */
export function isTimestamp(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= MAX_TIMESTAMP_MS;
}

/** What was found instead of a timestamp, for the problem text. */
function shown(v: unknown): string {
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return v === null ? "null" : typeof v;
}

/** `what` unless `good`. */
const ok = (good: boolean, what: string): string | undefined => good ? undefined : what;

/** The problem with timestamp field `field`, if any (the text is built only for a bad value). */
function time(field: string | (() => string), v: unknown): string | undefined {
  if (isTimestamp(v)) return undefined;
  const name = typeof field === "string" ? field : field();
  return `${name} must be a finite timestamp within ±8.64e15 ms (the JavaScript Date range), got ${shown(v)}`;
}

function need(problems: (string | undefined)[]): string | undefined {
  const bad = problems.filter((p) => p !== undefined);
  return bad.length ? bad.join(", ") : undefined;
}

/** The problem with one raw sample, if any (a good sample costs no allocation: this runs per value). */
export function sampleProblem(s: Sample): string | undefined {
  const vt = typeof s.value;
  const value = vt === "number" || vt === "boolean" || vt === "string";
  const server = s.serverTs === undefined || isTimestamp(s.serverTs);
  if (value && server && str(s.tag) && isTimestamp(s.ts) && isTimestamp(s.recv)) return undefined;
  return need([
    ok(str(s.tag), "tag must be a non-empty string"),
    time("ts", s.ts),
    time("recv", s.recv),
    server ? undefined : time("serverTs", s.serverTs),
    ok(value, "value must be a number, boolean or string"),
  ]);
}

/** The problem with a block, if any; the time of its last value, `t0 + (n - 1) * dt`, is checked too. */
export function blockProblem(b: SampleBlock): string | undefined {
  const values = b.values instanceof Float64Array;
  const period = typeof b.dt === "number" && Number.isFinite(b.dt) && b.dt > 0;
  const n = values ? b.values.length : 0;
  const t0 = isTimestamp(b.t0);
  const last = period && n > 1 && t0 ? b.t0 + (n - 1) * b.dt : b.t0;
  if (values && period && t0 && str(b.tag) && isTimestamp(b.recv) && isTimestamp(last)) return undefined;
  return need([
    ok(str(b.tag), "tag must be a non-empty string"),
    time("t0", b.t0),
    ok(period, "dt must be a finite period with dt > 0 (ms)"),
    time("recv", b.recv),
    ok(values, "values must be a Float64Array"),
    t0 ? time(() => `t0 + ${n - 1} * dt (the time of the last value)`, last) : undefined,
  ]);
}

/**
 * The problem with a message other than samples/blocks, if any (those are checked per value, see
 * {@link sampleProblem} and {@link blockProblem}).
 */
export function recordProblem(m: Message): string | undefined {
  switch (m.kind) {
    case "rollup": {
      const r = m.rollup;
      return need([
        ok(str(r.tag), "tag must be a non-empty string"),
        ok(
          r.interval === "1s" || r.interval === "1m" || r.interval === "1h",
          'interval must be "1s", "1m" or "1h"',
        ),
        time("start", r.start),
        ok(
          Number.isSafeInteger(r.count) && r.count >= 0,
          "count must be a non-negative integer up to 2^53 - 1 (exact in a number)",
        ),
      ]);
    }
    case "features": {
      const f = m.features;
      return need([
        ok(str(f.asset), "asset must be a non-empty string"),
        time("windowStart", f.windowStart),
        time("windowEnd", f.windowEnd),
        time("computedAt", f.computedAt),
        ok(
          Number.isInteger(f.schemaVersion) && f.schemaVersion >= 0 && f.schemaVersion <= 2147483647,
          "schemaVersion must be an integer from 0 to 2147483647 (stored as INTEGER)",
        ),
        ok(typeof f.features === "object" && f.features !== null, "features must be an object"),
        ok(typeof f.quality === "object" && f.quality !== null, "quality must be an object"),
      ]);
    }
    case "score": {
      const s = m.score;
      return need([
        ok(str(s.asset) && str(s.detector), "asset and detector must be non-empty strings"),
        ok(typeof s.version === "string", "version must be a string"),
        time("ts", s.ts),
        ok(typeof s.anomalous === "boolean", "anomalous must be a boolean"),
      ]);
    }
    case "alert": {
      const a = m.alert;
      return need([
        ok(str(a.id) && str(a.asset) && str(a.kind), "id, asset and kind must be non-empty strings"),
        ok(
          ["info", "warning", "critical"].includes(a.severity),
          "severity must be info, warning or critical",
        ),
        ok(a.state === "active" || a.state === "cleared", "state must be active or cleared"),
        ok(typeof a.acknowledged === "boolean", "acknowledged must be a boolean"),
        time("raisedAt", a.raisedAt),
        a.clearedAt === undefined ? undefined : time("clearedAt", a.clearedAt),
        ok(typeof a.message === "string", "message must be a string"),
      ]);
    }
    case "event": {
      const e = m.event;
      return need([
        time("ts", e.ts),
        ok(str(e.type) && typeof e.component === "string", "type and component must be strings"),
        ok(["info", "warn", "error"].includes(e.level), "level must be info, warn or error"),
        ok(typeof e.message === "string", "message must be a string"),
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
