/**
 * @module Registers the built-in detectors: robust_z, ewma, pca_t2q.
 */
import { s } from "../schema/mod.ts";
import { EwmaDetector } from "./ewma_chart.ts";
import { PcaT2QDetector } from "./pca_t2q.ts";
import { defineDetector } from "./registry.ts";
import { RobustZDetector } from "./robust_z.ts";
import { ewmaShape, pcaShape, robustZShape } from "./schema.ts";

defineDetector({
  type: "robust_z",
  description: "Per-feature robust z-score (median/MAD) against a learned or sliding baseline.",
  schema: s.object(robustZShape),
  create: (c) => new RobustZDetector(c),
});

defineDetector({
  type: "ewma",
  description: "Per-feature EWMA control chart: catches small sustained shifts and drift.",
  schema: s.object(ewmaShape),
  create: (c) => new EwmaDetector(c),
});

defineDetector({
  type: "pca_t2q",
  description: "Multivariate PCA Hotelling T² + residual Q on the feature vector (SKAB's T-squared+Q).",
  schema: s.object(pcaShape),
  create: (c) => new PcaT2QDetector(c),
});
