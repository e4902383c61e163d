import { chiSquareGoodnessOfFit } from "../stats/chisquare";

/**
 * p-value below which the observed split is called a sample-ratio mismatch. 0.0005 is the
 * threshold of Fabijan et al., "Diagnosing Sample Ratio Mismatch in Online Controlled
 * Experiments" (KDD 2019), used at Microsoft's ExP; strict because the check runs on every
 * experiment and a false alarm halts one.
 */
export const DEFAULT_SRM_ALPHA = 0.0005;

/** The sample-ratio-mismatch check of one experiment. */
export interface SrmCheck {
  /** Pearson's χ² of the observed counts against the configured split. */
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** The p-value threshold. */
  alpha: number;
  /** True when pValue < alpha: the split is broken and no recommendation is made. */
  mismatch: boolean;
  /** Per variant: observed count, expected count, configured share, observed share. */
  variants: { name: string; observed: number; expected: number; weight: number; observedShare: number }[];
}

/**
 * χ² goodness-of-fit test of the observed traffic split against the configured weights
 * (`scipy.stats.chisquare(observed, f_exp=total·weight/Σweights)`). Run before any comparison: a
 * mismatch means the assignment or the logging is biased, so the variants' metrics cannot be
 * compared at all.
 */
export function checkSampleRatio(
  observed: readonly { name: string; count: number }[],
  weights: ReadonlyMap<string, number>,
  alpha: number = DEFAULT_SRM_ALPHA,
): SrmCheck {
  const total = observed.reduce((sum, v) => sum + v.count, 0);
  const weightSum = observed.reduce((sum, v) => sum + (weights.get(v.name) as number), 0);
  const expected = observed.map((v) => (total * (weights.get(v.name) as number)) / weightSum);
  const result = chiSquareGoodnessOfFit(
    observed.map((v) => v.count),
    expected,
  );
  return {
    statistic: result.statistic,
    degreesOfFreedom: result.degreesOfFreedom,
    pValue: result.pValue,
    alpha,
    mismatch: result.pValue < alpha,
    variants: observed.map((v, i) => ({
      name: v.name,
      observed: v.count,
      expected: expected[i] as number,
      weight: (weights.get(v.name) as number) / weightSum,
      observedShare: v.count / total,
    })),
  };
}
