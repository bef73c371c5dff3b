/**
 * @module EWMA control chart per feature: z_t = λ·x_t + (1−λ)·z_{t−1}, scored in units of its own standard
 * deviation σ·√(λ/(2−λ)·(1−(1−λ)^{2t})) around the baseline mean; the score is the largest across features.
 * Sensitive to small sustained shifts (drift, steps) that a per-point z-score misses.
 */
import { columnStats } from "./linalg.ts";
import { LearningDetector, type LearningOptions, numbers, type RawScore } from "./learning_detector.ts";

/** Options of the EWMA chart. */
export interface EwmaOptions extends LearningOptions {
  /** λ, the weight of the newest value in the chart statistic (0..1]. */
  readonly lambda: number;
}

interface Model {
  mean: Float64Array;
  std: Float64Array;
  z: Float64Array;
  t: number;
}

/** EWMA control chart detector. */
export class EwmaDetector extends LearningDetector<Model> {
  readonly type = "ewma";
  protected readonly format = 1;

  constructor(protected override readonly options: EwmaOptions) {
    super(options, options);
    if (!(options.lambda > 0 && options.lambda <= 1)) throw new RangeError(`lambda must be within (0, 1]`);
  }

  protected fit(rows: readonly Float64Array[]): Model {
    const { mean, std } = columnStats(rows);
    for (let j = 0; j < std.length; j++) {
      if (!(std[j]! > 1e-12)) std[j] = Math.max(1e-9, 1e-6 * Math.abs(mean[j]!));
    }
    return { mean, std, z: Float64Array.from(mean), t: 0 };
  }

  protected score(m: Model, row: Float64Array): RawScore {
    const l = this.options.lambda;
    m.t++;
    const width = Math.sqrt((l / (2 - l)) * (1 - (1 - l) ** (2 * m.t)));
    const c = new Float64Array(row.length);
    let max = 0;
    for (let j = 0; j < row.length; j++) {
      m.z[j] = l * row[j]! + (1 - l) * m.z[j]!;
      c[j] = (m.z[j]! - m.mean[j]!) / (m.std[j]! * width);
      max = Math.max(max, Math.abs(c[j]!));
    }
    return { score: max, contributions: c };
  }

  protected serialize(m: Model): unknown {
    return { mean: [...m.mean], std: [...m.std] };
  }

  protected deserialize(data: unknown, features: readonly string[]): Model {
    const mean = numbers(data, "mean", features.length);
    return { mean, std: numbers(data, "std", features.length), z: Float64Array.from(mean), t: 0 };
  }
}
