import { chiSquareSf } from "./distributions";
import { StatsInputError } from "./errors";

export interface ChiSquareResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly degreesOfFreedom: number;
}

function checkCounts(values: ArrayLike<number>, field: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new StatsInputError(
        "non-finite-value",
        `${field}[${i}]`,
        String(v),
        "Counts must be finite numbers.",
      );
    }
    if (v < 0)
      throw new StatsInputError("negative-count", `${field}[${i}]`, String(v), "Counts must be ≥ 0.");
  }
}

/**
 * Pearson's χ² test of homogeneity on a 2×K table (row 0 = reference counts, row 1 = current counts, column k =
 * category k), exactly as `scipy.stats.chi2_contingency([reference, current], correction=yates)`:
 * expected = row total × column total / grand total; dof = K − 1; with dof = 1 and `yates`, each |observed −
 * expected| is reduced by at most 0.5 (Yates' continuity correction); dof = 0 gives χ² = 0, p = 1.
 *
 * Why this test for drift: it treats both sides as samples, so a category that appears only in the current data
 * is simply a column with reference count 0 — its expected count is positive and its contribution finite. The
 * goodness-of-fit form (reference as the truth) would make it infinite.
 *
 * A category with zero count on *both* sides is dropped (it carries no information; scipy would raise).
 * @throws StatsInputError when a side is empty, a count is negative or not finite, or the lengths differ.
 */
export function chiSquareContingency(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  yates = true,
): ChiSquareResult {
  if (reference.length !== current.length) {
    throw new StatsInputError(
      "length-mismatch",
      "current",
      `length ${current.length} vs reference length ${reference.length}`,
      "Count both sides over the same categories.",
    );
  }
  checkCounts(reference, "reference");
  checkCounts(current, "current");
  let r = 0;
  let c = 0;
  let k = 0;
  for (let i = 0; i < reference.length; i++) {
    r += reference[i]!;
    c += current[i]!;
    if (reference[i]! + current[i]! > 0) k++;
  }
  if (r === 0)
    throw new StatsInputError("empty-sample", "reference", undefined, "Pass at least one reference value.");
  if (c === 0)
    throw new StatsInputError("empty-sample", "current", undefined, "Pass at least one current value.");
  const dof = k - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, degreesOfFreedom: 0 };
  const total = r + c;
  const correct = yates && dof === 1;
  let stat = 0;
  for (let i = 0; i < reference.length; i++) {
    const col = reference[i]! + current[i]!;
    if (col === 0) continue;
    const eR = (r * col) / total;
    const eC = (c * col) / total;
    stat += term(reference[i]!, eR, correct) + term(current[i]!, eC, correct);
  }
  return { statistic: stat, pValue: chiSquareSf(stat, dof), degreesOfFreedom: dof };
}

function term(observed: number, expected: number, yates: boolean): number {
  let o = observed;
  if (yates) {
    const diff = expected - observed;
    o = observed + Math.sign(diff) * Math.min(0.5, Math.abs(diff));
  }
  const d = o - expected;
  return (d * d) / expected;
}

/**
 * Pearson's χ² goodness-of-fit test, as `scipy.stats.chisquare(observed, expected, ddof)`: χ² = Σ (O − E)²/E,
 * dof = K − 1 − ddof. The sums of observed and expected must agree to a relative 1e-8 (scipy's check). An expected
 * count of 0 with a positive observed count gives χ² = ∞ and p = 0. This is Evidently's `chisquare`
 * (the drift method of that name); {@link chiSquareContingency} is the two-sample `chi2_contingency`.
 */
export function chiSquareGoodnessOfFit(
  observed: ArrayLike<number>,
  expected: ArrayLike<number>,
  ddof = 0,
): ChiSquareResult {
  if (observed.length !== expected.length) {
    throw new StatsInputError(
      "length-mismatch",
      "expected",
      `length ${expected.length} vs observed length ${observed.length}`,
      "Give one expected count per observed category.",
    );
  }
  if (observed.length === 0)
    throw new StatsInputError("empty-sample", "observed", undefined, "Pass ≥ 1 category.");
  checkCounts(observed, "observed");
  checkCounts(expected, "expected");
  let so = 0;
  let se = 0;
  for (let i = 0; i < observed.length; i++) {
    so += observed[i]!;
    se += expected[i]!;
  }
  if (Math.abs(so - se) / Math.min(so, se) > 1e-8) {
    throw new StatsInputError(
      "invalid-option",
      "expected",
      `sum ${se} vs observed sum ${so}`,
      "Scale expected counts so they sum to the observed total.",
    );
  }
  let stat = 0;
  for (let i = 0; i < observed.length; i++) {
    const d = observed[i]! - expected[i]!;
    stat += d === 0 ? 0 : (d * d) / expected[i]!;
  }
  const dof = observed.length - 1 - ddof;
  return { statistic: stat, pValue: chiSquareSf(stat, dof), degreesOfFreedom: dof };
}
