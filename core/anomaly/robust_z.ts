/**
 * @module Robust z-score per feature: |x − median| / (1.4826·MAD) against the baseline; the score is the
 * largest |z|. With `adapt_window` > 0 the reference keeps sliding over the newest non-anomalous values.
 */
import { LearningDetector, type LearningOptions, numbers, type RawScore } from "./learning_detector.ts";
import { madSigma, median, safeScale } from "./robust_stats.ts";

/** Options of the robust z-score detector. */
export interface RobustZOptions extends LearningOptions {
  /** Values kept in the sliding reference (0 = frozen baseline). */
  readonly adapt_window: number;
  /** Recompute median/MAD after this many accepted values. */
  readonly adapt_every: number;
}

interface Model {
  center: Float64Array;
  scale: Float64Array;
  /** Sliding reference per feature (ring), only when adapting. */
  history: Float64Array[];
  filled: number;
  next: number;
  sinceRefit: number;
}

/** Robust z-score detector. */
export class RobustZDetector extends LearningDetector<Model> {
  readonly type = "robust_z";
  protected readonly format = 1;

  constructor(protected override readonly options: RobustZOptions) {
    super(options, options);
  }

  protected fit(rows: readonly Float64Array[]): Model {
    const d = rows[0]!.length;
    const w = this.options.adapt_window;
    const m: Model = {
      center: new Float64Array(d),
      scale: new Float64Array(d),
      history: Array.from({ length: d }, () => new Float64Array(w)),
      filled: 0,
      next: 0,
      sinceRefit: 0,
    };
    const col = new Float64Array(rows.length);
    for (let j = 0; j < d; j++) {
      let sum = 0;
      let sq = 0;
      rows.forEach((r, i) => {
        col[i] = r[j]!;
        sum += r[j]!;
        sq += r[j]! ** 2;
      });
      const mean = sum / rows.length;
      const std = Math.sqrt(Math.max(0, sq / rows.length - mean * mean));
      m.center[j] = median(col);
      m.scale[j] = safeScale(madSigma(col, m.center[j]!), std, m.center[j]!);
    }
    if (w > 0) { for (const r of rows.slice(-w)) this.#remember(m, r); }
    return m;
  }

  protected score(m: Model, row: Float64Array): RawScore {
    const d = row.length;
    const z = new Float64Array(d);
    let max = 0;
    for (let j = 0; j < d; j++) {
      z[j] = (row[j]! - m.center[j]!) / m.scale[j]!;
      max = Math.max(max, Math.abs(z[j]!));
    }
    if (this.options.adapt_window > 0 && max < this.options.threshold) {
      this.#remember(m, row);
      if (++m.sinceRefit >= this.options.adapt_every) this.#refit(m);
    }
    return { score: max, contributions: z };
  }

  protected serialize(m: Model): unknown {
    return { center: [...m.center], scale: [...m.scale] };
  }

  protected deserialize(data: unknown, features: readonly string[]): Model {
    const d = features.length;
    return {
      center: numbers(data, "center", d),
      scale: numbers(data, "scale", d),
      history: Array.from({ length: d }, () => new Float64Array(this.options.adapt_window)),
      filled: 0,
      next: 0,
      sinceRefit: 0,
    };
  }

  #remember(m: Model, row: Float64Array): void {
    const w = this.options.adapt_window;
    for (let j = 0; j < row.length; j++) m.history[j]![m.next] = row[j]!;
    m.next = (m.next + 1) % w;
    m.filled = Math.min(w, m.filled + 1);
  }

  #refit(m: Model): void {
    m.sinceRefit = 0;
    if (m.filled < Math.min(this.options.adapt_window, this.options.learn_vectors)) return;
    for (let j = 0; j < m.center.length; j++) {
      const h = m.history[j]!.subarray(0, m.filled);
      const c = median(h);
      let sum = 0;
      let sq = 0;
      for (const v of h) {
        sum += v;
        sq += v * v;
      }
      const mean = sum / h.length;
      m.center[j] = c;
      m.scale[j] = safeScale(madSigma(h, c), Math.sqrt(Math.max(0, sq / h.length - mean * mean)), c);
    }
  }
}
