/**
 * @module Alerts: a no-flapping state machine per condition (minimum duration, hysteresis, cooldown,
 * escalation, acknowledgement) behind the `alerts` capability.
 */
export * from "./policy.ts";
export * from "./manager.ts";
