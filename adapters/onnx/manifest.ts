/**
 * @module The model manifest beside every ONNX file: name, version, input feature names and order,
 * normalisation, output meaning and threshold.
 */
import { type InferShape, s } from "../../core/mod.ts";

export const manifestSchema = s.object({
  name: s.string({ minLength: 1 }).describe("Model name."),
  version: s.string({ minLength: 1 }).describe("Model version, stamped on every score."),
  model: s.string({ minLength: 1 }).describe("ONNX file, relative to the manifest."),
  input: s.string({ minLength: 1 }).describe("Name of the model input tensor ([batch, features] float32)."),
  output: s.string({ minLength: 1 }).describe("Name of the output tensor holding one score per row."),
  features: s.array(s.string({ minLength: 1 }), { minItems: 1 }).describe(
    "Input feature names, in model order.",
  ),
  normalisation: s.object({
    mean: s.array(s.number()).describe("Subtracted from each feature."),
    std: s.array(s.number({ gt: 0 })).describe("Each feature is divided by this."),
  }).describe("z = (x − mean) / std per feature."),
  output_meaning: s.string().default("anomaly score").describe("What the output means."),
  threshold: s.number().describe("Score at or above which a vector is anomalous."),
}).withCheck((m, path, ctx) => {
  const p = path ? `${path}.` : "";
  const n = m.features.length;
  if (m.normalisation.mean.length !== n) {
    ctx.fail(`${p}normalisation.mean`, `has ${m.normalisation.mean.length} values for ${n} features`);
  }
  if (m.normalisation.std.length !== n) {
    ctx.fail(`${p}normalisation.std`, `has ${m.normalisation.std.length} values for ${n} features`);
  }
});
export type Manifest = InferShape<typeof manifestSchema.shape>;
