/**
 * A classifier's scores over the holdout, read the same way whatever the output layout: one column
 * holding the positive-class probability (binary), or one column per class.
 */
export interface ClassifierScores {
  /** Number of classes, k ≥ 2. */
  readonly classes: number;
  /** Row-major scores, `rows × width`. */
  readonly values: Float32Array;
  /** 1 when `values` holds P(class 1) of a binary classifier, else k. */
  readonly width: number;
  /** Binary decision threshold on P(class 1). */
  readonly threshold: number;
}

/** P(class c) of row i. */
export function probability(s: ClassifierScores, i: number, c: number): number {
  if (s.width === 1) {
    const p = s.values[i] as number;
    return c === 1 ? p : 1 - p;
  }
  return s.values[i * s.width + c] as number;
}

/**
 * The predicted class of row i: for two classes, class 1 when P(class 1) ≥ the threshold (0.5 by
 * default); for more, the most probable class (the first on a tie, as numpy's argmax).
 */
export function predictedClass(s: ClassifierScores, i: number): number {
  if (s.classes === 2) return probability(s, i, 1) >= s.threshold ? 1 : 0;
  let best = 0;
  let bestP = -Infinity;
  for (let c = 0; c < s.classes; c++) {
    const p = probability(s, i, c);
    if (p > bestP) {
      bestP = p;
      best = c;
    }
  }
  return best;
}

/**
 * Row indices in descending order of P(class c), for the ROC and precision-recall sweeps. Sorted
 * once per model and class; bootstrap resamples reuse the order with new row weights.
 */
export function descendingOrder(s: ClassifierScores, rows: number, c: number): Uint32Array {
  const keys = new Float64Array(rows);
  for (let i = 0; i < rows; i++) keys[i] = probability(s, i, c);
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  order.sort((a, b) => (keys[b] as number) - (keys[a] as number));
  return order;
}
