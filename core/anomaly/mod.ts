/**
 * @module Local anomaly scoring: the detector contract and registry, robust z-score, EWMA chart, PCA T²+Q,
 * persisted baselines, and the `anomaly` transform (scores → alerts, data-quality alerts).
 */
import "./builtin.ts";
import { defineTransform } from "../plugin/registry.ts";
import { AnomalyTransform } from "./transform.ts";
import { anomalySchema } from "./transform_schema.ts";

defineTransform({
  type: "anomaly",
  description: "Scores feature vectors with detectors (robust z, EWMA, PCA T²+Q, ONNX) and raises alerts.",
  schema: anomalySchema,
  create: (config) => new AnomalyTransform(config),
});

export * from "./detector.ts";
export * from "./registry.ts";
export { LearningDetector, type LearningOptions, shortHash } from "./learning_detector.ts";
export { RobustZDetector } from "./robust_z.ts";
export { EwmaDetector } from "./ewma_chart.ts";
export { PcaT2QDetector } from "./pca_t2q.ts";
export { BaselineStore } from "./baseline_store.ts";
export { AnomalyTransform } from "./transform.ts";
export { type AnomalyConfig, anomalySchema } from "./transform_schema.ts";
