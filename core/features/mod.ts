/**
 * @module Streaming features: windows read zero-copy from ring buffers by sequence number, features from the
 * WASM signal core, ASOF-joined context tags, latest spectra (capability "spectra"). Transform type `features`.
 */
import { defineTransform } from "../plugin/registry.ts";
import { featuresSchema } from "./schema.ts";
import { FeaturesTransform } from "./transform.ts";

defineTransform({
  type: "features",
  description:
    "Per-asset feature vectors from windows of tag ring buffers (stats, bands, peaks, bearing lines).",
  schema: featuresSchema,
  create: (config) => new FeaturesTransform(config),
});

export { FeaturesTransform } from "./transform.ts";
export { asofIndex, AsofSeries } from "./asof.ts";
export { WindowCursor } from "./window_cursor.ts";
export { SpectraStore } from "./spectra_store.ts";
export * from "./schema.ts";
