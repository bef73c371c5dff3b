/**
 * @module The detector contract: feature vectors in, scores with contributions out, baselines persisted.
 */

/** How much one feature contributed to a score. */
export interface Contribution {
  readonly feature: string;
  readonly value: number;
}

/** One scored vector. */
export interface Detection {
  readonly score: number;
  readonly threshold: number;
  readonly anomalous: boolean;
  /** Top contributing features, highest first. */
  readonly contributions: readonly Contribution[];
  /** Version of the model that produced this score, when it can change between calls (hot swap). */
  readonly version?: string;
}

/** Serialisable detector state (a learned baseline), persisted so a restart does not relearn. */
export interface DetectorState {
  /** Detector type, e.g. `pca_t2q`. */
  readonly type: string;
  /** Format version of `data` for this type; a loader rejects formats it does not know. */
  readonly format: number;
  /** Hash of the detector configuration the baseline was learned with. */
  readonly configHash: string;
  /** Feature names, in the order the baseline uses them. */
  readonly features: readonly string[];
  /** When learning finished (event time, ms). */
  readonly learnedAt: number;
  /** Vectors the baseline was learned from. */
  readonly learnedFrom: number;
  readonly data: unknown;
}

/** A streaming anomaly detector for one asset. */
export interface Detector {
  readonly type: string;
  /** Stamped on every score: type, configuration and baseline (or model) identity. */
  readonly version: string;
  /** True once scores are produced (the baseline is learned, or the model is loaded). */
  readonly ready: boolean;
  /** Share of the learning period done, 0..1. */
  readonly progress: number;
  /**
   * Learns from or scores one vector; undefined while learning or when a required feature is missing.
   * Model runtimes that only run asynchronously (ONNX) return a promise; callers keep results in order.
   */
  update(
    features: Readonly<Record<string, number>>,
    ts: number,
  ): Detection | undefined | Promise<Detection | undefined>;
  /** State worth persisting, or undefined (nothing learned yet / nothing to learn). */
  save(): DetectorState | undefined;
  /** Restores a saved state; throws TypeError naming the mismatch when it does not fit. */
  load(state: DetectorState): void;
  /** Releases resources (models, watchers). */
  close?(): Promise<void>;
}

/** Sorts contributions and keeps the top `n`. */
export function topContributions(
  names: readonly string[],
  values: ArrayLike<number>,
  n: number,
): Contribution[] {
  const out: Contribution[] = [];
  for (let i = 0; i < names.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out.push({ feature: names[i]!, value: v });
  }
  out.sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  return out.slice(0, n);
}

/** Glob-lite match of a feature name: `*` matches any run of characters. */
export function featureMatches(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  const re = new RegExp(
    `^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`,
  );
  return re.test(name);
}

/** Calls a detector that must answer synchronously (evaluation loops); throws TypeError for async ones. */
export function updateSync(
  det: Detector,
  features: Readonly<Record<string, number>>,
  ts: number,
): Detection | undefined {
  const r = det.update(features, ts);
  if (r instanceof Promise) {
    throw new TypeError(`detector ${det.type} scores asynchronously; use it through the anomaly transform`);
  }
  return r;
}
