/**
 * @module Configuration schemas of the built-in detectors.
 */
import { s } from "../schema/mod.ts";

/** Keys of every learning detector. */
export const learningShape = {
  features: s.array(s.string({ minLength: 1 })).default([]).describe(
    'Feature names or patterns like "vib_x.*" the detector uses; empty uses every feature of the vector.',
  ),
  learn_vectors: s.int({ min: 2 }).default(300).describe("Feature vectors the baseline is learned from."),
  learn_seconds: s.number({ min: 0 }).default(0).describe(
    "Minimum event time the learning period spans, s (learning ends when both limits are reached).",
  ),
  smoothing: s.number({ gt: 0, max: 1 }).default(1).describe(
    "EWMA weight of the newest vector applied to inputs before learning and scoring (1 = none).",
  ),
  top: s.int({ min: 1, max: 50 }).default(5).describe("Top contributing features reported per score."),
};

export const robustZShape = {
  ...learningShape,
  threshold: s.number({ gt: 0 }).default(5).describe("Robust |z| at or above which a vector is anomalous."),
  adapt_window: s.int({ min: 0 }).default(0).describe(
    "Keep the median/MAD sliding over this many recent normal vectors (0 = frozen baseline).",
  ),
  adapt_every: s.int({ min: 1 }).default(50).describe("Recompute the sliding median/MAD every N vectors."),
};

export const ewmaShape = {
  ...learningShape,
  threshold: s.number({ gt: 0 }).default(4).describe("Control limit L in chart standard deviations."),
  lambda: s.number({ gt: 0, max: 1 }).default(0.2).describe("EWMA weight of the newest value."),
};

export const pcaShape = {
  ...learningShape,
  threshold: s.number({ gt: 0 }).default(2.5).describe(
    "Score (T²/UCL + Q/UCL)/2 at or above which a vector is anomalous.",
  ),
  variance: s.number({ gt: 0, max: 1 }).default(0.9).describe(
    "Share of baseline variance the PCA model keeps.",
  ),
  ucl_quantile: s.number({ gt: 0.5, max: 0.9999 }).default(0.99).describe(
    "Baseline quantile of T² and Q used as control limits.",
  ),
};
