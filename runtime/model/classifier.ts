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
 *
 * A least-significant-digit radix sort on the float32 bit patterns (two 16-bit passes): linear, and
 * about thirty times faster than `Array.prototype.sort` with a comparator on a million rows. The
 * bits are mapped so that unsigned order is numeric order (sign bit flipped for positives, every
 * bit for negatives), then inverted for descending order. Ties keep row order (the sort is stable).
 */
export function descendingOrder(s: ClassifierScores, rows: number, c: number): Uint32Array {
  const key = new Float32Array(1);
  const bits = new Uint32Array(key.buffer);
  const keys = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) {
    key[0] = probability(s, i, c);
    const b = bits[0] as number;
    keys[i] = ~(b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
  }
  let order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  let next = new Uint32Array(rows);
  const counts = new Uint32Array(65536);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < rows; i++) counts[((keys[order[i] as number] as number) >>> shift) & 0xffff] += 1;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const n = counts[d] as number;
      counts[d] = sum;
      sum += n;
    }
    for (let i = 0; i < rows; i++) {
      const row = order[i] as number;
      const d = ((keys[row] as number) >>> shift) & 0xffff;
      next[counts[d] as number] = row;
      counts[d] += 1;
    }
    [order, next] = [next, order];
  }
  return order;
}
