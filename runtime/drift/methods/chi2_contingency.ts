import { chiSquareContingency } from "../../stats/index";
import { categoricalHistogram } from "../categorical";
import type { DriftMethod } from "./contract";

/**
 * χ² test of homogeneity on the 2×K table [reference counts; current counts], as
 * `scipy.stats.chi2_contingency` (Yates' correction at 1 degree of freedom, scipy's default) and alibi-detect's
 * `ChiSquareDrift`. Unlike `chisquare`, both rows are samples: a category unseen in the reference is one more
 * column with a reference count of 0, so the statistic stays finite and a handful of new values among many rows
 * need not be drift. Drift when p < threshold.
 */
export const chi2Contingency: DriftMethod = {
  name: "chi2_contingency",
  kinds: ["categorical"],
  scoreKind: "p-value",
  comparison: "<",
  defaultThreshold: 0.05,
  summary: "χ² test of homogeneity p-value on the 2×K table of reference and current counts",
  options: ["chiSquareYates"],
  categorical(a, o, computation) {
    const r = chiSquareContingency(a.reference, a.current, o.chiSquareYates);
    return {
      method: "chi2_contingency",
      statistic: r.statistic,
      pValue: r.pValue,
      degreesOfFreedom: r.degreesOfFreedom,
      computation,
      histogram: categoricalHistogram(a),
      details: { test: "homogeneity", yates: o.chiSquareYates && r.degreesOfFreedom === 1 },
    };
  },
};
