import { StatsInputError } from "../../stats/errors";
import { sampleMoments, tTest } from "../../stats/index";
import { combinedHistogram } from "../numeric";
import { referenceBinned } from "../sketch";
import type { DriftMethod } from "./contract";

/**
 * Evidently's `t_test`: the two-sided p-value of `scipy.stats.ttest_ind(reference, current)` — Student's pooled
 * test, scipy's default (`tTestEqualVar: false` gives Welch's); drift when p < threshold (0.05).
 *
 * A profile holds the reference's exact count, mean and variance, which is all the test needs: from a profile
 * against raw current values the result is exact. A current side that is itself a profile has no moments here,
 * and is refused.
 */
export const tTestMethod: DriftMethod = {
  name: "t_test",
  kinds: ["numerical"],
  scoreKind: "p-value",
  comparison: "<",
  defaultThreshold: 0.05,
  summary:
    "two-sample t-test p-value (`ttest_ind`: Student's by default, Welch's with `tTestEqualVar: false`)",
  options: ["tTestEqualVar"],
  numeric(pair, o) {
    const r = tTest(sampleMoments(pair.reference), sampleMoments(pair.current), o.tTestEqualVar);
    return {
      method: "t_test",
      statistic: r.statistic,
      pValue: r.pValue,
      degreesOfFreedom: r.degreesOfFreedom,
      computation: { mode: "exact" },
      histogram: combinedHistogram(pair),
      details: { equalVar: o.tTestEqualVar },
    };
  },
  sketch(c, o) {
    if (!c.current.exact) {
      throw tTestNeedsValues();
    }
    const s = c.reference;
    // The profile stores the population variance (ddof = 0); the test uses the sample variance.
    const reference = {
      count: s.count,
      mean: s.mean,
      variance: s.count > 1 ? (s.variance * s.count) / (s.count - 1) : Number.NaN,
    };
    const r = tTest(reference, sampleMoments(c.current.points), o.tTestEqualVar);
    return {
      method: "t_test",
      statistic: r.statistic,
      pValue: r.pValue,
      degreesOfFreedom: r.degreesOfFreedom,
      computation: {
        mode: "sketch",
        rankErrorBound: 0,
        rankErrorConfidence: 1,
        note: "Computed from the profile's exact count, mean and variance: no sketch error.",
      },
      histogram: referenceBinned(s, c.current).histogram,
      details: { equalVar: o.tTestEqualVar },
    };
  },
};

function tTestNeedsValues(): StatsInputError {
  return new StatsInputError(
    "needs-raw-data",
    "current",
    "a profile",
    "t_test against a current profile needs the current mean and variance, which a current profile does not carry; pass the current data.",
  );
}
