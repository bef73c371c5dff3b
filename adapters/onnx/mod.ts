/**
 * @module The ONNX detector: registers detector type `onnx` (onnxruntime-web, WASM backend) for the
 * `anomaly` transform. A model is an .onnx file plus a JSON manifest (see manifest.ts).
 */
import { s } from "../../core/mod.ts";
import { defineDetector } from "../../core/anomaly/mod.ts";
import { OnnxDetector } from "./detector.ts";

defineDetector({
  type: "onnx",
  description: "Scores feature vectors with an ONNX model described by a manifest; hot-swaps on file change.",
  schema: s.object({
    manifest: s.string({ minLength: 1 }).describe("Path of the model manifest (JSON) naming the .onnx file."),
    threshold: s.number().opt().describe("Overrides the manifest's threshold."),
    reload_interval_s: s.number({ min: 0 }).default(5).describe(
      "How often the manifest and model files are checked for a new version, s (0 = never).",
    ),
    top: s.int({ min: 1, max: 50 }).default(5).describe(
      "Top contributing (most deviating) inputs per score.",
    ),
  }),
  create: (config, env) => new OnnxDetector(config, env),
});

export { OnnxDetector } from "./detector.ts";
export { loadModel } from "./model.ts";
export { type Manifest, manifestSchema } from "./manifest.ts";
