/**
 * @module Alert policy: when a score raises, escalates and clears an alert (no flapping).
 */
import { s } from "../schema/mod.ts";
import type { Severity } from "../model/records.ts";

/** Alert policy options (config keys). */
export interface AlertPolicy {
  /** The score must stay at or above the threshold this long before an alert is raised, s. */
  readonly raise_after_s: number;
  /** An active alert clears after the score stayed below the clear level this long, s. */
  readonly clear_after_s: number;
  /** Hysteresis: the clear level is threshold × clear_ratio. */
  readonly clear_ratio: number;
  /** After clearing, the same condition cannot raise again for this long, s. */
  readonly cooldown_s: number;
  /** Severity when raised. */
  readonly severity: Severity;
  /** Escalate to critical at threshold × critical_ratio (0 = never). */
  readonly critical_ratio: number;
}

export const DEFAULT_POLICY: AlertPolicy = {
  raise_after_s: 5,
  clear_after_s: 30,
  clear_ratio: 0.8,
  cooldown_s: 60,
  severity: "warning",
  critical_ratio: 2,
};

/** Schema of the policy keys. */
export const alertPolicySchema = s.object({
  raise_after_s: s.number({ min: 0 }).default(DEFAULT_POLICY.raise_after_s).describe(
    "Minimum duration (event time) the score stays at or above the threshold before an alert is raised, s.",
  ),
  clear_after_s: s.number({ min: 0 }).default(DEFAULT_POLICY.clear_after_s).describe(
    "An active alert clears once the score stayed below the clear level this long, s.",
  ),
  clear_ratio: s.number({ gt: 0, max: 1 }).default(DEFAULT_POLICY.clear_ratio).describe(
    "Hysteresis: the alert clears below threshold × clear_ratio, not at the threshold itself.",
  ),
  cooldown_s: s.number({ min: 0 }).default(DEFAULT_POLICY.cooldown_s).describe(
    "After an alert cleared, the same condition cannot raise a new one for this long, s.",
  ),
  severity: s.enum(["info", "warning", "critical"]).default(DEFAULT_POLICY.severity).describe(
    "Severity of a raised alert.",
  ),
  critical_ratio: s.number({ min: 0 }).default(DEFAULT_POLICY.critical_ratio).describe(
    "Escalate an active alert to critical when the score reaches threshold × this (0 = never).",
  ),
}).default(DEFAULT_POLICY).describe("When scores raise, escalate and clear alerts.");
