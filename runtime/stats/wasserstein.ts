import { assertFiniteSample, StatsInputError } from "./errors";
import { prepare } from "./sorting";

export interface WassersteinOptions {
  /** The inputs are already sorted ascending. @default false */
  readonly presorted?: boolean;
}

/**
 * First Wasserstein (earth mover's) distance between two empirical distributions, W1 = ∫ |F1 − F2| dx, exactly as
 * `scipy.stats.wasserstein_distance(u, v)` (unweighted): one merge walk over the sorted samples, summing the ECDF
 * gap times the width of each gap between consecutive distinct values.
 *
 * @throws StatsInputError for an empty sample or a NaN/±Infinity.
 */
export function wassersteinDistance(
  sample1: Float64Array,
  sample2: Float64Array,
  options: WassersteinOptions = {},
): number {
  const a = prepare(sample1, "sample1", options.presorted);
  const b = prepare(sample2, "sample2", options.presorted);
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let total = 0;
  let v = Math.min(a[0]!, b[0]!);
  while (i < n1 || j < n2) {
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    if (i === n1 && j === n2) break;
    const ai = i < n1 ? a[i]! : Number.POSITIVE_INFINITY;
    const bj = j < n2 ? b[j]! : Number.POSITIVE_INFINITY;
    const next = Math.min(ai, bj);
    total += Math.abs(i / n1 - j / n2) * (next - v);
    v = next;
  }
  return total;
}

/** Population standard deviation (ddof = 0, as `numpy.std`), two-pass for accuracy. */
export function populationStd(values: Float64Array): number {
  assertFiniteSample(values, "values");
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / values.length);
}

/**
 * Evidently's `wasserstein` score: W1 / max(std_ref, minStd), where std_ref is the population std of the
 * reference. Dividing by the reference spread makes one threshold (0.1) meaningful across columns of different
 * units; the floor keeps a constant reference from dividing by zero.
 */
export function normalizedWasserstein(distance: number, referenceStd: number, minStd = 0.001): number {
  if (!(minStd > 0)) {
    throw new StatsInputError(
      "invalid-option",
      "wassersteinMinStd",
      String(minStd),
      "Use a positive number.",
    );
  }
  return distance / Math.max(referenceStd, minStd);
}
