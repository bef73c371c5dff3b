/**
 * @module Shared machinery of detectors that learn a baseline: feature selection, input smoothing,
 * the learning period, versioning and persistence; subclasses supply fit / score / (de)serialisation.
 */
import { stableJson } from "../util/stable_json.ts";
import {
  type Detection,
  type Detector,
  type DetectorState,
  featureMatches,
  topContributions,
} from "./detector.ts";

/** Options every learning detector has. */
export interface LearningOptions {
  /** Feature names or `*` patterns; empty selects every feature of the first vector. */
  readonly features: readonly string[];
  /** Vectors to learn from before scoring starts. */
  readonly learn_vectors: number;
  /** Minimum event time spanned by the learning period, seconds (0 = vectors only). */
  readonly learn_seconds: number;
  /** EWMA weight of the newest vector for input smoothing (1 = no smoothing). */
  readonly smoothing: number;
  /** Score at or above which a vector is anomalous. */
  readonly threshold: number;
  /** Contributions reported per score. */
  readonly top: number;
}

/** 32-bit FNV-1a of a string, as 8 hex digits (configuration identity in versions). */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Result of a subclass's scoring: the score and one contribution per selected feature. */
export interface RawScore {
  readonly score: number;
  readonly contributions: ArrayLike<number>;
}

/** Base of learning detectors. */
export abstract class LearningDetector<Model> implements Detector {
  abstract readonly type: string;
  /** Format version of the serialised model. */
  protected abstract readonly format: number;
  protected readonly configHash: string;
  #features: string[] | undefined;
  #smoothed: Float64Array | undefined;
  #learning: Float64Array[] = [];
  #learnStart: number | undefined;
  #model: Model | undefined;
  #learnedAt = 0;
  #learnedFrom = 0;
  /** Vectors skipped because a selected feature was missing or not finite. */
  skipped = 0;

  constructor(protected readonly options: LearningOptions, config: unknown) {
    if (!(options.smoothing > 0 && options.smoothing <= 1)) {
      throw new RangeError(`smoothing must be within (0, 1], got ${options.smoothing}`);
    }
    if (!(options.learn_vectors >= 2)) {
      throw new RangeError(`learn_vectors must be >= 2, got ${options.learn_vectors}`);
    }
    this.configHash = shortHash(stableJson(config));
  }

  /** Builds the model from the (smoothed) learning rows. */
  protected abstract fit(rows: readonly Float64Array[], features: readonly string[]): Model;
  /** Scores a (smoothed) row; may update adaptive state. */
  protected abstract score(model: Model, row: Float64Array): RawScore;
  protected abstract serialize(model: Model): unknown;
  /** Rebuilds a model; throws TypeError when `data` is malformed. */
  protected abstract deserialize(data: unknown, features: readonly string[]): Model;

  get ready(): boolean {
    return this.#model !== undefined;
  }
  get progress(): number {
    return this.#model ? 1 : Math.min(1, this.#learning.length / this.options.learn_vectors);
  }
  get version(): string {
    const base = `${this.type}:${this.configHash}`;
    return this.#model ? `${base}:b${this.#learnedAt}` : `${base}:learning`;
  }
  /** The selected feature names (known after the first vector). */
  get features(): readonly string[] | undefined {
    return this.#features;
  }

  update(features: Readonly<Record<string, number>>, ts: number): Detection | undefined {
    const names = this.#features ??= this.#select(features);
    const row = new Float64Array(names.length);
    for (let i = 0; i < names.length; i++) {
      const v = features[names[i]!];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        this.skipped++;
        return undefined;
      }
      row[i] = v;
    }
    const x = this.#smooth(row);
    if (!this.#model) {
      this.#learnStart ??= ts;
      this.#learning.push(x);
      const enoughTime = ts - this.#learnStart >= this.options.learn_seconds * 1000;
      if (this.#learning.length >= this.options.learn_vectors && enoughTime) {
        this.#model = this.fit(this.#learning, names);
        this.#learnedAt = ts;
        this.#learnedFrom = this.#learning.length;
        this.#learning = [];
      }
      return undefined;
    }
    const r = this.score(this.#model, x);
    return {
      score: r.score,
      threshold: this.options.threshold,
      anomalous: r.score >= this.options.threshold,
      contributions: topContributions(names, r.contributions, this.options.top),
    };
  }

  save(): DetectorState | undefined {
    if (!this.#model || !this.#features) return undefined;
    return {
      type: this.type,
      format: this.format,
      configHash: this.configHash,
      features: this.#features,
      learnedAt: this.#learnedAt,
      learnedFrom: this.#learnedFrom,
      data: this.serialize(this.#model),
    };
  }

  load(state: DetectorState): void {
    if (state.type !== this.type) {
      throw new TypeError(`baseline is for detector "${state.type}", not "${this.type}"`);
    }
    if (state.format !== this.format) {
      throw new TypeError(`baseline format ${state.format} is not supported (expected ${this.format})`);
    }
    if (state.configHash !== this.configHash) {
      throw new TypeError(
        `baseline was learned with another configuration (${state.configHash} ≠ ${this.configHash})`,
      );
    }
    if (!Array.isArray(state.features) || state.features.some((f) => typeof f !== "string")) {
      throw new TypeError("baseline features must be a list of names");
    }
    this.#model = this.deserialize(state.data, state.features);
    this.#features = [...state.features];
    this.#learnedAt = state.learnedAt;
    this.#learnedFrom = state.learnedFrom;
    this.#learning = [];
  }

  /** Forgets the baseline and starts learning again. */
  relearn(): void {
    this.#model = undefined;
    this.#learning = [];
    this.#learnStart = undefined;
  }

  #select(features: Readonly<Record<string, number>>): string[] {
    const keys = Object.keys(features).filter((k) => Number.isFinite(features[k])).sort();
    const wanted = this.options.features;
    if (wanted.length === 0) return keys;
    const out: string[] = [];
    for (const w of wanted) {
      if (!w.includes("*")) {
        if (!out.includes(w)) out.push(w);
        continue;
      }
      for (const k of keys) if (featureMatches(w, k) && !out.includes(k)) out.push(k);
    }
    return out;
  }

  #smooth(row: Float64Array): Float64Array {
    const a = this.options.smoothing;
    if (a >= 1) return row;
    const s = this.#smoothed;
    if (!s) {
      this.#smoothed = Float64Array.from(row);
      return Float64Array.from(row);
    }
    for (let i = 0; i < row.length; i++) s[i] = a * row[i]! + (1 - a) * s[i]!;
    return Float64Array.from(s);
  }
}

/** Reads a numeric array field of a serialised model, or throws TypeError naming it. */
export function numbers(data: unknown, key: string, length?: number): Float64Array {
  const v = (data as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) {
    throw new TypeError(`baseline field "${key}" must be a list of numbers`);
  }
  if (length !== undefined && v.length !== length) {
    throw new TypeError(`baseline field "${key}" has ${v.length} values, expected ${length}`);
  }
  return Float64Array.from(v as number[]);
}
