/**
 * @module Alerts: a no-flapping state machine per condition (minimum duration, hysteresis, cooldown,
 * escalation, acknowledgement) behind the `alerts` capability, with its state persisted across restarts.
 */
export * from "./policy.ts";
export * from "./manager.ts";
export * from "./alert_state.ts";
export * from "./state_file.ts";
export * from "./coalesced_writer.ts";
