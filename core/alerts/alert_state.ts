/**
 * @module The persisted form of an alert manager's state (file format 1): every alert it still shows, the
 * conditions that hold an active alert or a running cooldown, and the id sequence. `parseAlertState` checks
 * a decoded document strictly and names the first thing wrong with it.
 */
import type { Alert, Severity } from "../model/records.ts";

/** Version of the alert state file; another version is refused. */
export const ALERT_STATE_FORMAT = 1;

/** One condition worth resuming: it holds an active alert, or its cooldown still runs. */
export interface ConditionSnapshot {
  readonly key: string;
  /** Id of the condition's active alert (one of `AlertSnapshot.alerts`). */
  readonly alert?: string;
  /** Event time, ms, before which the condition cannot raise again. */
  readonly cooldownUntil?: number;
}

/** What an `AlertManager` needs to resume after a restart. */
export interface AlertSnapshot {
  /** Next id sequence number (ids stay unique across restarts). */
  readonly seq: number;
  /** Active alerts and cleared ones not yet acknowledged, oldest first. */
  readonly alerts: readonly Alert[];
  readonly conditions: readonly ConditionSnapshot[];
}

const SEVERITIES: readonly Severity[] = ["info", "warning", "critical"];

/** The JSON text of a snapshot (non-finite scores become null: JSON has no Infinity/NaN). */
export function encodeAlertState(snapshot: AlertSnapshot, savedAt: number): string {
  return JSON.stringify({ format: ALERT_STATE_FORMAT, savedAt, ...snapshot });
}

/** Validates a decoded state document; throws TypeError naming what is wrong. */
export function parseAlertState(doc: unknown): AlertSnapshot {
  const o = record(doc, "the document");
  if (o.format !== ALERT_STATE_FORMAT) {
    throw new TypeError(`file format ${String(o.format)}, expected ${ALERT_STATE_FORMAT}`);
  }
  const seq = o.seq;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) {
    throw new TypeError(`seq must be a non-negative integer`);
  }
  if (!Array.isArray(o.alerts)) throw new TypeError("alerts must be an array");
  if (!Array.isArray(o.conditions)) throw new TypeError("conditions must be an array");
  const alerts = o.alerts.map((a, i) => parseAlert(a, `alerts[${i}]`));
  const byId = new Map(alerts.map((a) => [a.id, a]));
  if (byId.size !== alerts.length) throw new TypeError("alerts contains the same id twice");
  const held = new Set<string>();
  const keys = new Set<string>();
  const conditions = o.conditions.map((c, i): ConditionSnapshot => {
    const at = `conditions[${i}]`;
    const r = record(c, at);
    const key = str(r.key, `${at}.key`);
    if (keys.has(key)) throw new TypeError(`${at}.key "${key}" appears twice`);
    keys.add(key);
    const out: { key: string; alert?: string; cooldownUntil?: number } = { key };
    if (r.alert !== undefined) {
      const id = str(r.alert, `${at}.alert`);
      if (byId.get(id)?.state !== "active") throw new TypeError(`${at}.alert "${id}" is not an active alert`);
      if (held.has(id)) throw new TypeError(`${at}.alert "${id}" is held by two conditions`);
      held.add(id);
      out.alert = id;
    }
    if (r.cooldownUntil !== undefined) out.cooldownUntil = num(r.cooldownUntil, `${at}.cooldownUntil`);
    return out;
  });
  const orphan = alerts.find((a) => a.state === "active" && !held.has(a.id));
  if (orphan) throw new TypeError(`active alert "${orphan.id}" belongs to no condition`);
  return { seq, alerts, conditions };
}

function parseAlert(v: unknown, at: string): Alert {
  const r = record(v, at);
  const severity = r.severity as Severity;
  if (!SEVERITIES.includes(severity)) throw new TypeError(`${at}.severity must be one of ${SEVERITIES}`);
  if (r.state !== "active" && r.state !== "cleared") {
    throw new TypeError(`${at}.state must be active|cleared`);
  }
  if (typeof r.acknowledged !== "boolean") throw new TypeError(`${at}.acknowledged must be a boolean`);
  if (!Array.isArray(r.contributions)) throw new TypeError(`${at}.contributions must be an array`);
  const contributions = r.contributions.map((c, i) => {
    const cr = record(c, `${at}.contributions[${i}]`);
    const value = cr.value === null ? Number.NaN : num(cr.value, `${at}.contributions[${i}].value`);
    return { feature: str(cr.feature, `${at}.contributions[${i}].feature`), value };
  });
  const alert: Alert = {
    id: str(r.id, `${at}.id`),
    asset: str(r.asset, `${at}.asset`),
    kind: str(r.kind, `${at}.kind`),
    severity,
    state: r.state,
    acknowledged: r.acknowledged,
    raisedAt: num(r.raisedAt, `${at}.raisedAt`),
    message: str(r.message, `${at}.message`),
    contributions,
    ...(r.clearedAt === undefined ? {} : { clearedAt: num(r.clearedAt, `${at}.clearedAt`) }),
    ...(r.detector === undefined ? {} : { detector: str(r.detector, `${at}.detector`) }),
    ...(r.score === undefined || r.score === null ? {} : { score: num(r.score, `${at}.score`) }),
  };
  if (alert.state === "cleared" && alert.clearedAt === undefined) {
    throw new TypeError(`${at}.clearedAt missing`);
  }
  return alert;
}

function record(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new TypeError(`${at} must be an object`);
  return v as Record<string, unknown>;
}

function str(v: unknown, at: string): string {
  if (typeof v !== "string") throw new TypeError(`${at} must be a string`);
  return v;
}

function num(v: unknown, at: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`${at} must be a finite number`);
  return v;
}
