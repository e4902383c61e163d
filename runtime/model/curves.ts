/** Weight of row i: 1 without weights, else its bootstrap multiplicity. */
export type Weights = ArrayLike<number> | undefined;

export const weightOf = (w: Weights, i: number): number => (w === undefined ? 1 : (w[i] as number));

/** The result of one sweep over the scores from highest to lowest. */
export interface Sweep {
  /** Area under the ROC curve (trapezoids; tied scores form one step, so a tie counts one half). */
  readonly rocAuc: number;
  /** Average precision: Σ (Rₙ − Rₙ₋₁)·Pₙ over the distinct thresholds (scikit-learn's definition). */
  readonly averagePrecision: number;
  /** ROC points (false positive rate, true positive rate) at each distinct threshold, from (0, 0). */
  readonly roc?: [number, number][];
  /** Precision-recall points (recall, precision) at each distinct threshold. */
  readonly pr?: [number, number][];
}

/** Where one class's scores sit in a row-major score matrix. */
export interface ScoreColumn {
  readonly values: Float32Array;
  /** Values per row. */
  readonly width: number;
  /** Index of this class's value within a row. */
  readonly column: number;
}

/**
 * One pass over rows in descending score order computes ROC AUC and average precision, with row
 * weights (bootstrap multiplicities) so that resamples need no new sort. NaN when the rows hold
 * only one class. Typed arrays rather than callbacks: this loop runs once per bootstrap resample.
 */
export function sweep(
  order: Uint32Array,
  scores: ScoreColumn,
  labels: Int32Array,
  positiveClass: number,
  weights: Weights,
  points = false,
): Sweep {
  const { values, width, column } = scores;
  const score = (i: number) => values[i * width + column] as number;
  const positive = (i: number) => labels[i] === positiveClass;
  let totalPos = 0;
  let totalNeg = 0;
  for (let j = 0; j < order.length; j++) {
    const i = order[j] as number;
    if (positive(i)) totalPos += weightOf(weights, i);
    else totalNeg += weightOf(weights, i);
  }
  const roc: [number, number][] | undefined = points ? [[0, 0]] : undefined;
  const pr: [number, number][] | undefined = points ? [] : undefined;
  let tp = 0;
  let fp = 0;
  let prevTp = 0;
  let prevFp = 0;
  let area = 0;
  let ap = 0;
  let j = 0;
  while (j < order.length) {
    const s = score(order[j] as number);
    while (j < order.length && score(order[j] as number) === s) {
      const i = order[j] as number;
      if (positive(i)) tp += weightOf(weights, i);
      else fp += weightOf(weights, i);
      j++;
    }
    if (tp === prevTp && fp === prevFp) continue;
    area += ((fp - prevFp) * (tp + prevTp)) / 2;
    const precision = tp / (tp + fp);
    ap += ((tp - prevTp) / totalPos) * precision;
    roc?.push([fp / totalNeg, tp / totalPos]);
    pr?.push([tp / totalPos, precision]);
    prevTp = tp;
    prevFp = fp;
  }
  const undefinedAuc = totalPos === 0 || totalNeg === 0;
  return {
    rocAuc: undefinedAuc ? Number.NaN : area / (totalPos * totalNeg),
    averagePrecision: totalPos === 0 ? Number.NaN : ap,
    roc,
    pr,
  };
}

/** At most `max` points, evenly picked and always keeping the last, for the report's plots. */
export function thin(points: [number, number][], max = 200): [number, number][] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, k) => points[Math.round(k * step)] as [number, number]);
}
