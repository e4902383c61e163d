import { normalTwoSidedP } from "./distributions";
import { StatsInputError } from "./errors";

export interface ZTestResult {
  /** z = (p1 − p2)/√(P(1−P)(1/n1 + 1/n2)), P the pooled proportion; 0 when both samples are all one value. */
  readonly statistic: number;
  /** Two-sided p-value. */
  readonly pValue: number;
}

/**
 * Pooled two-proportion Z-test, Evidently's `z` stattest (`proportions_diff_z_stat_ind` +
 * `proportions_diff_z_test`), also `statsmodels.stats.proportion.proportions_ztest`. When the pooled proportion
 * is 0 or 1 (both samples hold the same single value) p = 1, as Evidently special-cases it.
 *
 * The p-value is erfc(|z|/√2), which equals Evidently's 2·(1 − Φ(|z|)) but keeps its precision below 1e-16.
 * @param successes1 count of the "1" value in sample 1 (of `n1`).
 */
export function twoProportionZTest(
  successes1: number,
  n1: number,
  successes2: number,
  n2: number,
): ZTestResult {
  for (const [field, v, n] of [
    ["successes1", successes1, n1],
    ["successes2", successes2, n2],
  ] as const) {
    if (!Number.isInteger(n) || n <= 0) {
      throw new StatsInputError(
        "empty-sample",
        field.replace("successes", "n"),
        String(n),
        "Pass a positive count.",
      );
    }
    if (!Number.isInteger(v) || v < 0 || v > n) {
      throw new StatsInputError("invalid-option", field, String(v), `Use a whole number between 0 and ${n}.`);
    }
  }
  const p1 = successes1 / n1;
  const p2 = successes2 / n2;
  const P = (p1 * n1 + p2 * n2) / (n1 + n2);
  const variance = P * (1 - P) * (1 / n1 + 1 / n2);
  if (!(variance > 0)) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / Math.sqrt(variance);
  return { statistic: z, pValue: normalTwoSidedP(z) };
}
