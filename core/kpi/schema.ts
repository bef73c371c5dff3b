/**
 * @module Configuration of the `kpi` transform.
 */
import { type InferShape, s } from "../schema/mod.ts";

const counter = s.object({
  tag: s.string({ minLength: 1 }).describe("Tag id."),
  kind: s.enum(["counter", "pulse"]).default("counter").describe(
    "counter: a rising total (differences are counted, rollover handled); pulse: each rising edge counts one.",
  ),
  rollover: s.number({ gt: 0 }).opt().describe("Counter wraps to 0 after this value (e.g. 65536)."),
});

export const kpiSchema = s.object({
  asset: s.id().describe("Asset the KPI vectors are about."),
  state: s.object({
    tag: s.string({ minLength: 1 }).describe("Machine state tag (a code)."),
    running: s.array(s.number()).default([2]).describe("Codes meaning running."),
    idle: s.array(s.number()).default([1]).describe("Codes meaning idle."),
    down: s.array(s.number()).default([0]).describe("Codes meaning down."),
  }).describe("Machine state source; other codes count as unknown."),
  cycles: counter.opt().describe("Cycle (part) counter: cycle counts, cycle times, OEE performance."),
  ideal_cycle_s: s.number({ gt: 0 }).default(1).describe("Ideal cycle time, s (OEE performance)."),
  good: counter.opt().describe("Good-part counter; without it every cycle counts as good."),
  energy: s.object({
    tag: s.string({ minLength: 1 }).describe("Power (kW) or energy meter (kWh) tag."),
    kind: s.enum(["power", "meter"]).describe(
      "power is integrated over time; a meter's differences are summed.",
    ),
    scale: s.number({ gt: 0 }).default(1).describe("Multiplier to kW (power) or kWh (meter)."),
    rollover: s.number({ gt: 0 }).opt().describe("Meter wraps to 0 after this value."),
  }).opt().describe("Energy per shift."),
  shifts: s.array(
    s.object({
      name: s.id().describe("Shift name."),
      start: s.string({ pattern: /^\d{1,2}:\d{2}$/, patternName: "HH:MM" }).describe("Local start time."),
      hours: s.number({ gt: 0, max: 24 }).default(8).describe("Length, h."),
      days: s.array(s.int({ min: 0, max: 6 })).default([1, 2, 3, 4, 5]).describe(
        "Start weekdays, 0 = Sunday.",
      ),
    }),
    { minItems: 1 },
  ).default([
    { name: "early", start: "06:00", hours: 8, days: [1, 2, 3, 4, 5] },
    { name: "late", start: "14:00", hours: 8, days: [1, 2, 3, 4, 5] },
    { name: "night", start: "22:00", hours: 8, days: [0, 1, 2, 3, 4] },
  ]).describe("Shift calendar."),
  utc_offset_min: s.int({ min: -720, max: 840 }).default(0).describe(
    "Timezone offset of the shift times, minutes.",
  ),
  report_interval_s: s.number({ gt: 0 }).default(60).describe(
    "Shift-to-date vectors are emitted this often.",
  ),
  max_gap_s: s.number({ gt: 0 }).default(300).describe(
    "A state held longer than this without a new sample counts as unknown beyond it (stale source).",
  ),
  interval_ms: s.int({ min: 10 }).default(500).describe("How often new samples are read."),
});
export type KpiConfig = InferShape<typeof kpiSchema.shape>;
