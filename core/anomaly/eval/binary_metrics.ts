/**
 * @module Point-wise binary metrics as the SKAB leaderboard reports them: F1, false and missing alarm rates.
 */

/** Confusion counts. */
export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Adds predictions against labels (1 = anomaly) into `into`. */
export function confusion(
  predicted: ArrayLike<boolean | number>,
  labels: ArrayLike<number>,
  into: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 },
): Confusion {
  if (predicted.length !== labels.length) {
    throw new RangeError(`${predicted.length} predictions for ${labels.length} labels`);
  }
  for (let i = 0; i < labels.length; i++) {
    const p = Boolean(predicted[i]);
    const y = labels[i]! >= 0.5;
    if (p && y) into.tp++;
    else if (p) into.fp++;
    else if (y) into.fn++;
    else into.tn++;
  }
  return into;
}

/** F1, FAR (% of normal points flagged) and MAR (% of anomalous points missed). */
export function binaryScores(c: Confusion): { f1: number; far: number; mar: number } {
  const f1Den = 2 * c.tp + c.fp + c.fn;
  return {
    f1: f1Den === 0 ? 0 : (2 * c.tp) / f1Den,
    far: c.fp + c.tn === 0 ? 0 : (100 * c.fp) / (c.fp + c.tn),
    mar: c.fn + c.tp === 0 ? 0 : (100 * c.fn) / (c.fn + c.tp),
  };
}
