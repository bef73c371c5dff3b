/**
 * @module The live alert manager: a state machine per condition (asset × kind × detector) with minimum
 * duration, hysteresis, cooldown, escalation and acknowledgement. Emits every change as an Alert record.
 */
import type { Alert, Severity } from "../model/records.ts";
import type { AlertControl } from "../history/types.ts";
import type { Contribution } from "../anomaly/detector.ts";
import { type AlertPolicy, DEFAULT_POLICY } from "./policy.ts";

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
      };
      this.#conditions.set(key, c);
    }
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

  /** Clears a condition's alert now (its source went away), without waiting for the clear delay. */
  resolve(key: string, ts: number): Alert | undefined {
    const c = this.#conditions.get(key);
    return c?.alert ? this.#clear(key, c, ts, this.policy) : undefined;
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
    return cleared;
  }

  #publish(a: Alert): Alert {
    this.#alerts.set(a.id, a);
    this.emit(a);
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
