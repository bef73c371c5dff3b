/**
 * @module Configuration of the `anomaly` transform.
 */
import { alertPolicySchema } from "../alerts/policy.ts";
import { type DataQualityConfig, dataQualitySchema } from "../alerts/data_quality.ts";
import { type InferShape, s } from "../schema/mod.ts";
import { type DetectorCommon, detectorSchemas } from "./registry.ts";

const DQ_DEFAULT = (dataQualitySchema.parse({}) as { ok: true; value: DataQualityConfig }).value;

export const anomalySchema = s.object({
  assets: s.array(s.string({ minLength: 1 })).default(["*"]).describe(
    'Assets (ids or patterns) whose feature vectors are scored; "*" scores every asset.',
  ),
  detectors: s.refine(
    s.array(s.tagged<DetectorCommon & Record<string, unknown>>("type", detectorSchemas)),
    (list, path, ctx) => {
      const seen = new Set<string>();
      list.forEach((d, i) => {
        if (seen.has(d.name)) ctx.fail(`${path}[${i}].name`, `detector "${d.name}" is defined twice`);
        seen.add(d.name);
      });
    },
  ).default([]).describe("Detectors run on every scored asset's feature vectors (one instance per asset)."),
  alerts: alertPolicySchema,
  data_quality: dataQualitySchema.default(DQ_DEFAULT),
  check_interval_ms: s.int({ min: 100 }).default(1000).describe("How often data-quality checks run."),
  persist: s.boolean().default(true).describe(
    "Persist learned baselines and the alert state (active alerts, acknowledgements) in the state directory.",
  ),
});
export type AnomalyConfig = InferShape<typeof anomalySchema.shape>;
