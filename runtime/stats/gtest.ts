import type { ChiSquareResult } from "./chisquare";
import { chiSquareSf } from "./distributions";

/**
 * The G-test (log-likelihood ratio) of observed counts against expected ones, as
 * `scipy.stats.power_divergence(observed, expected, lambda_="log-likelihood")`: G = 2·Σ O·ln(O/E) (0·ln 0 = 0),
 * K − 1 degrees of freedom. An expected count of 0 under a positive observed one gives G = ∞ and p = 0.
 */
export function gTest(observed: ArrayLike<number>, expected: ArrayLike<number>): ChiSquareResult {
  let g = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i]!;
    if (o === 0) continue;
    g += o * Math.log(o / expected[i]!);
  }
  g *= 2;
  const dof = observed.length - 1;
  return { statistic: g, pValue: dof > 0 ? chiSquareSf(g, dof) : 1, degreesOfFreedom: dof };
}
