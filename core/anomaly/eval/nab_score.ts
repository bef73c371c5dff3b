/**
 * @module The NAB scoring algorithm (Lavin & Ahmad 2015; the `nab` package's Sweeper): label windows,
 * scaled-sigmoid weighting of detections by position relative to a window, a probationary period of 15 % of
 * the file (at most 750 rows), cost profiles, threshold sweep, and normalisation against null/perfect.
 */

/** Weights of a NAB profile. */
export interface NabProfile {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

/** The three published profiles (config/profiles.json). */
export const NAB_PROFILES: Readonly<
  Record<"standard" | "reward_low_FP_rate" | "reward_low_FN_rate", NabProfile>
> = {
  standard: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
};

/** 2·sigmoid(−5x) − 1, and −1 far (x > 3) behind a window. */
export function scaledSigmoid(x: number): number {
  if (x > 3) return -1;
  return 2 / (1 + Math.exp(5 * x)) - 1;
}

/** Rows at the start of a file whose detections are ignored. */
export function probationaryLength(rows: number, percent = 0.15): number {
  return Math.min(Math.floor(percent * rows), percent * 5000);
}

/** A row weighted by where it lies: `window` is its window's index, -1 outside, -2 probationary. */
export interface SweptPoint {
  readonly score: number;
  readonly weight: number;
  readonly window: number;
}

/**
 * Weights every row. `windows` are [start, end] timestamps (inclusive); they must lie on row timestamps in
 * ascending order, as NAB's label files do.
 */
export function sweep(
  timestamps: ArrayLike<number>,
  scores: ArrayLike<number>,
  windows: readonly (readonly [number, number])[],
  profile: NabProfile,
  probationPercent = 0.15,
): SweptPoint[] {
  const n = timestamps.length;
  if (scores.length !== n) throw new RangeError(`${scores.length} scores for ${n} timestamps`);
  const index = (t: number, what: string) => {
    for (let i = 0; i < n; i++) if (timestamps[i] === t) return i;
    throw new RangeError(`window ${what} ${new Date(t).toISOString()} is not a row timestamp`);
  };
  const limits = windows.map(([a, b]) => [index(a, "start"), index(b, "end")] as const);
  const maxTP = scaledSigmoid(-1);
  const probation = probationaryLength(n, probationPercent);
  const out: SweptPoint[] = [];
  let w = 0;
  let cur = -1;
  let curRight = 0;
  let curWidth = 0;
  let prevRight: number | undefined;
  let prevWidth = 0;
  for (let i = 0; i < n; i++) {
    if (cur < 0 && w < limits.length && i === limits[w]![0]) {
      cur = w++;
      curRight = limits[cur]![1];
      curWidth = curRight - limits[cur]![0] + 1;
    }
    let weight: number;
    if (cur >= 0) {
      weight = (scaledSigmoid(-(curRight - i + 1) / curWidth) * profile.tpWeight) / maxTP;
    } else {
      const u = prevRight === undefined ? -1 : scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1));
      weight = u * profile.fpWeight;
    }
    out.push({ score: scores[i]!, weight, window: i >= probation ? cur : -2 });
    if (cur >= 0 && i === curRight) {
      prevRight = i;
      prevWidth = curWidth;
      cur = -1;
    }
  }
  return out;
}

/** Score and counts at one threshold (a row is a detection when its score >= threshold). */
export interface ThresholdScore {
  readonly threshold: number;
  readonly score: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

/** Scores at every distinct threshold, highest threshold first (NAB's calcScoreByThreshold). */
export function scoresByThreshold(points: readonly SweptPoint[], profile: NabProfile): ThresholdScore[] {
  const scorable = points.filter((p) => p.window !== -2).sort((a, b) => b.score - a.score);
  const windows = new Set(scorable.filter((p) => p.window >= 0).map((p) => p.window));
  let tpScore = 0;
  let fpScore = 0;
  let fnScore = -windows.size * profile.fnWeight;
  let tp = 0;
  let fp = 0;
  let fn = scorable.filter((p) => p.window >= 0).length;
  let tn = scorable.length - fn;
  const best = new Map<number, number>();
  const out: ThresholdScore[] = [];
  let threshold = Number.POSITIVE_INFINITY;
  for (const p of scorable) {
    if (p.score !== threshold) {
      out.push({ threshold, score: tpScore + fpScore + fnScore, tp, fp, fn, tn });
      threshold = p.score;
    }
    if (p.window >= 0) {
      tp++;
      fn--;
      const prev = best.get(p.window);
      if (prev === undefined) {
        tpScore += p.weight;
        fnScore += profile.fnWeight;
        best.set(p.window, p.weight);
      } else if (p.weight > prev) {
        tpScore += p.weight - prev;
        best.set(p.window, p.weight);
      }
    } else {
      fp++;
      tn--;
      fpScore += p.weight;
    }
  }
  out.push({ threshold, score: tpScore + fpScore + fnScore, tp, fp, fn, tn });
  return out;
}

/** The raw score at a given threshold. */
export function scoreAt(
  points: readonly SweptPoint[],
  profile: NabProfile,
  threshold: number,
): ThresholdScore {
  const all = scoresByThreshold(points, profile);
  let chosen = all[0]!;
  for (const s of all) if (s.threshold >= threshold) chosen = s;
  return { ...chosen, threshold };
}

/** The best raw score over all thresholds (an optimistic upper bound when tuned on the scored file). */
export function bestScore(points: readonly SweptPoint[], profile: NabProfile): ThresholdScore {
  return scoresByThreshold(points, profile).reduce((a, b) => (b.score > a.score ? b : a));
}

/** NAB normalisation: 100·(raw − null) / (perfect − null). */
export function normalise(raw: number, nullScore: number, perfect: number): number {
  return (100 * (raw - nullScore)) / (perfect - nullScore);
}

/** Raw scores of the null detector (nothing detected) and of the perfect one (each window at its start). */
export function referenceScores(windowCount: number, profile: NabProfile): { null: number; perfect: number } {
  return { null: -windowCount * profile.fnWeight, perfect: windowCount * profile.tpWeight };
}
