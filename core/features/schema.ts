/**
 * @module Configuration of the `features` transform: per asset, windows per tag, features, shaft speed,
 * context tags joined ASOF.
 */
import { type Infer, type InferShape, s } from "../schema/mod.ts";

/** Window statistics the signal core computes (config names). */
export const STAT_FEATURES = [
  "count",
  "mean",
  "std",
  "variance",
  "min",
  "max",
  "rms",
  "peak",
  "peak_to_peak",
  "crest_factor",
  "skewness",
  "kurtosis",
  "p50",
  "p95",
  "p99",
] as const;
export type StatFeature = typeof STAT_FEATURES[number];

const band = s.refine(
  s.object({
    name: s.string({
      minLength: 1,
      maxLength: 64,
      pattern: /^[A-Za-z0-9_]+$/,
      patternName: "letters, digits, _",
    })
      .describe("Feature name suffix, e.g. `1x` gives `<window>.band_1x`."),
    hz: s.array(s.number({ min: 0 }), { minItems: 2, maxItems: 2 }).opt().describe("Band [lo, hi) in Hz."),
    orders: s.array(s.number({ min: 0 }), { minItems: 2, maxItems: 2 }).opt().describe(
      "Band [lo, hi) in shaft orders: follows the machine speed.",
    ),
  }),
  (b, path, ctx) => {
    const spec = b.hz ?? b.orders;
    if ((b.hz === undefined) === (b.orders === undefined)) ctx.fail(path, "give exactly one of hz or orders");
    else if (spec && spec[1]! <= spec[0]!) ctx.fail(`${path}.${b.hz ? "hz" : "orders"}`, "hi must exceed lo");
  },
);

const bearing = s.object({
  balls: s.int({ min: 3, max: 200 }).describe("Rolling elements."),
  ball_diameter: s.number({ gt: 0 }).describe("Rolling element diameter (any unit, same as pitch)."),
  pitch_diameter: s.number({ gt: 0 }).describe("Pitch diameter."),
  contact_angle_deg: s.number({ min: 0, max: 60 }).default(0).describe("Contact angle, degrees."),
});

const envelope = s.object({
  band: s.array(s.number({ min: 0 }), { minItems: 2, maxItems: 2 }).describe(
    "Band-pass [lo, hi] Hz around a structural resonance, applied before the Hilbert envelope.",
  ),
  bearing: bearing.opt().describe("Bearing geometry: adds bpfo/bpfi/bsf/ftf amplitude and ratio features."),
  harmonics: s.int({ min: 1, max: 5 }).default(1).describe("Harmonics of each defect frequency checked."),
  tolerance: s.number({ gt: 0, max: 0.2 }).default(0.02).describe(
    "Search tolerance around each defect line.",
  ),
});

export const windowSchema = s.refine(
  s.object({
    tag: s.string({ minLength: 1 }).describe("Tag id the window reads."),
    name: s.id().opt().describe("Feature name prefix; defaults to the tag id's last segment."),
    length: s.int({ min: 2 }).opt().describe("Window length in samples (uniformly sampled tags)."),
    length_s: s.number({ gt: 0 }).opt().describe("Window length in seconds (any tag)."),
    hop: s.int({ min: 1 }).opt().describe("Samples between window starts; default = length (no overlap)."),
    hop_s: s.number({ gt: 0 }).opt().describe("Seconds between window starts; default = length_s."),
    stats: s.array(s.enum(STAT_FEATURES)).default(["rms", "peak", "crest_factor", "kurtosis"]).describe(
      "Window statistics to output.",
    ),
    spectrum: s.boolean().default(false).describe(
      "Compute the spectrum (needed for bands and peaks) and publish it for the dashboard.",
    ),
    bands: s.array(band).default([]).describe("Band energies (mean square) in Hz or shaft orders."),
    peaks: s.int({ min: 0, max: 20 }).default(0).describe(
      "Largest spectral peaks to output (frequency, value).",
    ),
    envelope: envelope.opt().describe("Envelope spectrum and bearing defect lines."),
    min_good_share: s.number({ min: 0, max: 1 }).default(0.5).describe(
      "Windows with a smaller share of Good samples are not turned into features (counted).",
    ),
  }),
  (w, path, ctx) => {
    if ((w.length === undefined) === (w.length_s === undefined)) {
      ctx.fail(path, "give exactly one of length or length_s");
    }
    if (w.hop !== undefined && w.length === undefined) {
      ctx.fail(`${path}.hop`, "hop goes with length (use hop_s)");
    }
    if (w.hop_s !== undefined && w.length_s === undefined) {
      ctx.fail(`${path}.hop_s`, "hop_s goes with length_s");
    }
    if ((w.bands.length > 0 || w.peaks > 0) && !w.spectrum) {
      ctx.fail(`${path}.spectrum`, "bands and peaks need spectrum: true");
    }
  },
);
export type WindowConfig = Infer<typeof windowSchema>;

const speed = s.refine(
  s.object({
    tag: s.string({ minLength: 1 }).opt().describe("Tachometer tag."),
    unit: s.enum(["hz", "rpm"]).default("hz").describe("Unit of the tachometer tag."),
    hz: s.number({ gt: 0 }).opt().describe("Constant shaft speed, Hz (used when no tag or it has no value)."),
  }),
  (v, path, ctx) => {
    if (v.tag === undefined && v.hz === undefined) ctx.fail(path, "give a tachometer tag or a constant hz");
  },
);

export const assetFeaturesSchema = s.object({
  asset: s.id().describe("Asset id the feature vectors carry."),
  windows: s.array(windowSchema, { minItems: 1 }).describe(
    "Windows per tag; the first one sets the cadence of the asset's feature vector.",
  ),
  speed: speed.opt().describe("Shaft speed, for order-based bands and bearing lines."),
  context: s.record(s.string({ minLength: 1 })).default({}).describe(
    "Slow tags joined ASOF at each window end: feature name → tag id (e.g. flow: plant.pump1_flow).",
  ),
  tolerance_ms: s.number({ min: 0 }).default(5000).describe(
    "ASOF tolerance: a context value or other window older than this at the window end is left out.",
  ),
  grace_ms: s.number({ min: 0 }).default(2000).describe(
    "How long a finished window waits for late context samples before its vector is emitted.",
  ),
});
export type AssetFeaturesConfig = InferShape<typeof assetFeaturesSchema.shape>;

export const featuresSchema = s.object({
  assets: s.array(assetFeaturesSchema, { minItems: 1 }).describe("Assets to compute feature vectors for."),
  interval_ms: s.int({ min: 5, max: 10_000 }).default(50).describe(
    "Housekeeping period: pending vectors past their grace are emitted (new data is processed at once).",
  ),
  schema_version: s.int({ min: 1 }).default(1).describe("Stamped on every feature vector."),
});
export type FeaturesConfig = InferShape<typeof featuresSchema.shape>;
