/**
 * @module Continuous-aggregate rollups (transform type `rollup`): 1 s / 1 min / 1 h per tag.
 */
import { defineTransform } from "../plugin/registry.ts";
import { rollupSchema } from "./schema.ts";
import { RollupTransform } from "./transform.ts";

defineTransform({
  type: "rollup",
  description: "Per-tag 1 s / 1 min / 1 h aggregates: count, mean, std, min, max, p95, last, share of Bad.",
  schema: rollupSchema,
  create: (config) => new RollupTransform(config),
});

export { RollupTransform } from "./transform.ts";
export { TagRollup } from "./tag_rollup.ts";
export { Bucket } from "./accumulator.ts";
export { QuantileSketch } from "../util/quantile_sketch.ts";
export { type RollupConfig, rollupSchema } from "./schema.ts";
