/**
 * @module Production KPIs (transform type `kpi`): machine state durations, cycles and cycle times, OEE and
 * energy per shift from a shift calendar, emitted as feature vectors `kpi.<shift>.<figure>`.
 */
import { defineTransform } from "../plugin/registry.ts";
import { kpiSchema } from "./schema.ts";
import { KpiTransform } from "./transform.ts";

defineTransform({
  type: "kpi",
  description: "Per-shift state durations, cycles, OEE and energy of an asset from its tags.",
  schema: kpiSchema,
  create: (config) => new KpiTransform(config),
});

export { KpiTransform } from "./transform.ts";
export { KpiEngine, type KpiEvent } from "./engine.ts";
export { ShiftCalendar, type ShiftSpec, type ShiftWindow } from "./calendar.ts";
export { type KpiConfig, kpiSchema } from "./schema.ts";
