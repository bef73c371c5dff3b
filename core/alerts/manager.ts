/**
 * @module The live alert manager: a state machine per condition (asset × kind × detector) with minimum
 * duration, hysteresis, cooldown, escalation and acknowledgement. Emits every change as an Alert record; its
 * state can be taken as a snapshot and restored into a new manager, so alerts survive a restart.
 */
import type { Alert, Severity } from "../model/records.ts";
import type { AlertControl } from "../history/types.ts";
import type { Contribution } from "../anomaly/detector.ts";
import { type AlertPolicy, DEFAULT_POLICY } from "./policy.ts";
import type { AlertSnapshot, ConditionSnapshot } from "./alert_state.ts";

/** One observation of a condition. */
export interface Observation {
  /** Identity of the condition; defaults to `asset/kind/detector`. */
  readonly key?: string;
  readonly asset: string;
  readonly kind: string;
  readonly detector?: string;
  /** Event time, ms. */
  readonly ts: number;
  readonly score: number;
  readonly threshold: number;
  readonly contributions?: readonly Contribution[];
  /** Text of the alert; a default names the score and threshold. */
  readonly message?: string;
}

interface Condition {
  /** When the score first reached the threshold in the current run above it. */
  aboveSince: number | undefined;
  /** When the score fell below the clear level while active. */
  belowSince: number | undefined;
  cooldownUntil: number;
  alert: Alert | undefined;
  peak: number;
  /** Event time of the latest observation. */
  lastTs: number;
}

/** Optional hooks of a manager. */
export interface AlertManagerOptions {
  /** Called after every change of the persistable state (raise, escalation, clear, acknowledgement). */
  readonly onChange?: () => void;
}

/** A condition holding an active alert. */
export interface ActiveCondition {
  readonly key: string;
  readonly alert: Alert;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** Tracks conditions and raises/clears alerts. */
export class AlertManager implements AlertControl {
  readonly #conditions = new Map<string, Condition>();
  readonly #alerts = new Map<string, Alert>();
  #seq = 0;

  constructor(
    private readonly emit: (alert: Alert) => void,
    private readonly policy: AlertPolicy = DEFAULT_POLICY,
    private readonly clock: () => number = Date.now,
    private readonly options: AlertManagerOptions = {},
  ) {}

  /** Feeds one observation; may raise, escalate or clear an alert. */
  observe(o: Observation, policy: AlertPolicy = this.policy): Alert | undefined {
    const key = o.key ?? `${o.asset}/${o.kind}/${o.detector ?? ""}`;
    let c = this.#conditions.get(key);
    if (!c) {
      c = {
        aboveSince: undefined,
        belowSince: undefined,
        cooldownUntil: -Infinity,
        alert: undefined,
        peak: 0,
        lastTs: o.ts,
      };
      this.#conditions.set(key, c);
    }
    c.lastTs = Math.max(c.lastTs, o.ts);
    const above = o.score >= o.threshold;
    if (!c.alert) {
      if (!above) {
        c.aboveSince = undefined;
        return undefined;
      }
      c.aboveSince ??= o.ts;
      if (o.ts - c.aboveSince < policy.raise_after_s * 1000 || o.ts < c.cooldownUntil) return undefined;
      c.peak = o.score;
      c.belowSince = undefined;
      c.alert = {
        id: `${o.kind}-${o.asset}-${o.ts.toString(36)}-${(this.#seq++).toString(36)}`,
        asset: o.asset,
        kind: o.kind,
        severity: this.#severity(o, policy),
        state: "active",
        acknowledged: false,
        raisedAt: o.ts,
        message: o.message ?? defaultMessage(o),
        ...(o.detector === undefined ? {} : { detector: o.detector }),
        score: o.score,
        contributions: o.contributions ?? [],
      };
      return this.#publish(c.alert);
    }
    // Active: escalate on a new peak severity, clear after a sustained run below the clear level.
    if (o.score < o.threshold * policy.clear_ratio) {
      c.belowSince ??= o.ts;
      if (o.ts - c.belowSince >= policy.clear_after_s * 1000) return this.#clear(key, c, o.ts, policy);
      return undefined;
    }
    c.belowSince = undefined;
    const severity = this.#severity(o, policy);
    if (RANK[severity] > RANK[c.alert.severity]) {
      c.peak = o.score;
      c.alert = {
        ...c.alert,
        severity,
        score: o.score,
        message: o.message ?? defaultMessage(o),
        contributions: o.contributions ?? c.alert.contributions,
      };
      return this.#publish(c.alert);
    }
    return undefined;
  }

  /**
   * Clears a condition's alert now (its source went away), without waiting for the clear delay; `reason`
   * is appended to the message of the cleared record.
   */
  resolve(key: string, ts: number, reason?: string): Alert | undefined {
    const c = this.#conditions.get(key);
    if (!c?.alert) return undefined;
    if (reason !== undefined) c.alert = { ...c.alert, message: `${c.alert.message} (cleared: ${reason})` };
    return this.#clear(key, c, ts, this.policy);
  }

  /** Conditions that hold an active alert (e.g. to clear those whose detector was removed). */
  activeConditions(): ActiveCondition[] {
    const out: ActiveCondition[] = [];
    for (const [key, c] of this.#conditions) if (c.alert) out.push({ key, alert: c.alert });
    return out;
  }

  /**
   * What a new manager needs to resume: the alerts `active()` lists, conditions holding an active alert or a
   * cooldown that still runs (relative to the condition's latest observation), and the id sequence.
   * Pending raise/clear runs are not kept: after a restart, durations are measured on new observations.
   */
  snapshot(): AlertSnapshot {
    const conditions: ConditionSnapshot[] = [];
    for (const [key, c] of this.#conditions) {
      const cooling = Number.isFinite(c.cooldownUntil) && c.cooldownUntil > c.lastTs;
      if (!c.alert && !cooling) continue;
      conditions.push({
        key,
        ...(c.alert ? { alert: c.alert.id } : {}),
        ...(cooling ? { cooldownUntil: c.cooldownUntil } : {}),
      });
    }
    return { seq: this.#seq, alerts: [...this.#alerts.values()], conditions };
  }

  /**
   * Resumes from a snapshot (of a valid state, see `parseAlertState`): the same alert ids continue, a
   * still-violated condition raises no second alert, acknowledgements are kept. Emits nothing.
   * Returns the number of active alerts restored.
   */
  restore(snapshot: AlertSnapshot): number {
    if (this.#conditions.size > 0 || this.#alerts.size > 0) {
      throw new TypeError("restore() needs a manager that has not observed anything yet");
    }
    for (const a of snapshot.alerts) this.#alerts.set(a.id, a);
    let active = 0;
    for (const s of snapshot.conditions) {
      const alert = s.alert === undefined ? undefined : this.#alerts.get(s.alert);
      if (s.alert !== undefined && alert?.state !== "active") {
        throw new TypeError(`condition ${s.key} refers to ${s.alert}, which is not an active alert`);
      }
      if (alert) active++;
      this.#conditions.set(s.key, {
        aboveSince: undefined,
        belowSince: undefined,
        cooldownUntil: s.cooldownUntil ?? -Infinity,
        alert,
        peak: alert?.score ?? 0,
        lastTs: -Infinity,
      });
    }
    this.#seq = Math.max(this.#seq, snapshot.seq);
    return active;
  }

  active(): readonly Alert[] {
    return [...this.#alerts.values()];
  }

  acknowledge(id: string, by: string): Alert | undefined {
    const a = this.#alerts.get(id);
    if (!a) return undefined;
    if (a.acknowledged) return a;
    const next: Alert = { ...a, acknowledged: true, message: `${a.message} (acknowledged by ${by})` };
    for (const c of this.#conditions.values()) if (c.alert?.id === id) c.alert = next;
    if (next.state === "cleared") this.#alerts.delete(id);
    else this.#alerts.set(id, next);
    this.emit(next);
    this.options.onChange?.();
    return next;
  }

  /** Number of conditions currently tracked. */
  get conditions(): number {
    return this.#conditions.size;
  }

  #clear(_key: string, c: Condition, ts: number, policy: AlertPolicy): Alert {
    const cleared: Alert = { ...c.alert!, state: "cleared", clearedAt: ts };
    c.alert = undefined;
    c.aboveSince = undefined;
    c.belowSince = undefined;
    c.cooldownUntil = ts + policy.cooldown_s * 1000;
    // An acknowledged alert leaves the active list when it clears; an unacknowledged one stays visible.
    if (cleared.acknowledged) this.#alerts.delete(cleared.id);
    else this.#alerts.set(cleared.id, cleared);
    // Bound memory: forget the oldest cleared-unacknowledged alerts beyond 1,000 (history keeps them).
    if (this.#alerts.size > 1000) {
      for (const [id, a] of this.#alerts) {
        if (this.#alerts.size <= 1000) break;
        if (a.state === "cleared") this.#alerts.delete(id);
      }
    }
    this.emit(cleared);
    this.options.onChange?.();
    return cleared;
  }

  #publish(a: Alert): Alert {
    this.#alerts.set(a.id, a);
    this.emit(a);
    this.options.onChange?.();
    return a;
  }

  #severity(o: Observation, policy: AlertPolicy): Severity {
    if (policy.critical_ratio > 0 && o.score >= o.threshold * policy.critical_ratio) return "critical";
    return policy.severity;
  }

  /** Wall clock of the manager (for acknowledgement stamps by callers). */
  now(): number {
    return this.clock();
  }
}

function defaultMessage(o: Observation): string {
  const top = o.contributions?.[0];
  return `${o.kind} on ${o.asset}${o.detector ? ` (${o.detector})` : ""}: score ${fmt(o.score)} ≥ ${
    fmt(o.threshold)
  }${top ? `, top feature ${top.feature}` : ""}`;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3);
}
