/**
 * @module Multivariate detector: PCA on the standardised baseline, Hotelling T² in the model space plus the
 * squared prediction error Q in the residual space (the "T-squared+Q" method of the SKAB leaderboard).
 * Score = (T²/UCL_T² + Q/UCL_Q) / 2 with both control limits the baseline's `ucl_quantile`.
 */
import { columnStats, covariance, symmetricEigen } from "./linalg.ts";
import { LearningDetector, type LearningOptions, numbers, type RawScore } from "./learning_detector.ts";
import { quantile } from "./robust_stats.ts";

/** Options of the T²+Q detector. */
export interface PcaT2QOptions extends LearningOptions {
  /** Share of the baseline variance the principal components keep, 0..1. */
  readonly variance: number;
  /** Quantile of the baseline's T² and Q used as their control limits. */
  readonly ucl_quantile: number;
}

interface Model {
  mean: Float64Array;
  std: Float64Array;
  /** d×k loadings, row-major. */
  loadings: Float64Array;
  lambda: Float64Array;
  uclT2: number;
  uclQ: number;
}

/** PCA T² + Q detector. */
export class PcaT2QDetector extends LearningDetector<Model> {
  readonly type = "pca_t2q";
  protected readonly format = 1;

  constructor(protected override readonly options: PcaT2QOptions) {
    super(options, options);
    if (!(options.variance > 0 && options.variance <= 1)) {
      throw new RangeError(`variance must be within (0, 1]`);
    }
    if (!(options.ucl_quantile > 0 && options.ucl_quantile < 1)) {
      throw new RangeError(`ucl_quantile must be within (0, 1)`);
    }
  }

  protected fit(rows: readonly Float64Array[]): Model {
    const d = rows[0]!.length;
    const { mean, std } = columnStats(rows);
    for (let j = 0; j < d; j++) if (!(std[j]! > 1e-12)) std[j] = Math.max(1e-9, 1e-6 * Math.abs(mean[j]!));
    const z = rows.map((r) => this.#standardise(r, mean, std));
    const { values, vectors } = symmetricEigen(covariance(z), d);
    const total = values.reduce((a, b) => a + Math.max(0, b), 0);
    let k = 0;
    let acc = 0;
    while (k < d && (k === 0 || acc / total < this.options.variance)) acc += Math.max(0, values[k++]!);
    // Keep only components with real variance (a constant feature gives a zero eigenvalue).
    while (k > 1 && !(values[k - 1]! > 1e-12)) k--;
    const loadings = new Float64Array(d * k);
    for (let i = 0; i < d; i++) for (let a = 0; a < k; a++) loadings[i * k + a] = vectors[i * d + a]!;
    const lambda = Float64Array.from(values.subarray(0, k), (v) => Math.max(v, 1e-12));
    const partial: Model = { mean, std, loadings, lambda, uclT2: 1, uclQ: 1 };
    const t2 = new Float64Array(z.length);
    const q = new Float64Array(z.length);
    z.forEach((row, i) => {
      const s = this.#parts(partial, row);
      t2[i] = s.t2;
      q[i] = s.q;
    });
    partial.uclT2 = Math.max(quantile(t2, this.options.ucl_quantile), 1e-9);
    partial.uclQ = Math.max(quantile(q, this.options.ucl_quantile), 1e-9);
    return partial;
  }

  protected score(m: Model, row: Float64Array): RawScore {
    const z = this.#standardise(row, m.mean, m.std);
    const p = this.#parts(m, z);
    const d = z.length;
    const contributions = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      contributions[j] = 0.5 * (p.t2Contrib[j]! / m.uclT2 + p.residual[j]! ** 2 / m.uclQ);
    }
    return { score: 0.5 * (p.t2 / m.uclT2 + p.q / m.uclQ), contributions };
  }

  protected serialize(m: Model): unknown {
    return {
      mean: [...m.mean],
      std: [...m.std],
      loadings: [...m.loadings],
      lambda: [...m.lambda],
      uclT2: m.uclT2,
      uclQ: m.uclQ,
    };
  }

  protected deserialize(data: unknown, features: readonly string[]): Model {
    const d = features.length;
    const lambda = numbers(data, "lambda");
    const k = lambda.length;
    const o = data as Record<string, unknown>;
    if (typeof o.uclT2 !== "number" || typeof o.uclQ !== "number") {
      throw new TypeError('baseline fields "uclT2" and "uclQ" must be numbers');
    }
    return {
      mean: numbers(data, "mean", d),
      std: numbers(data, "std", d),
      loadings: numbers(data, "loadings", d * k),
      lambda,
      uclT2: o.uclT2,
      uclQ: o.uclQ,
    };
  }

  #standardise(r: Float64Array, mean: Float64Array, std: Float64Array): Float64Array {
    const z = new Float64Array(r.length);
    for (let j = 0; j < r.length; j++) z[j] = (r[j]! - mean[j]!) / std[j]!;
    return z;
  }

  #parts(m: Model, z: Float64Array) {
    const d = z.length;
    const k = m.lambda.length;
    const t = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += z[i]! * m.loadings[i * k + a]!;
      t[a] = s;
    }
    let t2 = 0;
    for (let a = 0; a < k; a++) t2 += (t[a]! * t[a]!) / m.lambda[a]!;
    const residual = new Float64Array(d);
    const t2Contrib = new Float64Array(d);
    let q = 0;
    for (let i = 0; i < d; i++) {
      let rec = 0;
      let c = 0;
      for (let a = 0; a < k; a++) {
        const p = m.loadings[i * k + a]!;
        rec += t[a]! * p;
        c += (t[a]! / m.lambda[a]!) * p;
      }
      residual[i] = z[i]! - rec;
      t2Contrib[i] = c * z[i]!;
      q += residual[i]! ** 2;
    }
    return { t2, q, residual, t2Contrib };
  }
}
