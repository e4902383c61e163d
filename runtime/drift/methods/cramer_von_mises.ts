import { cramerVonMises2 } from "../../stats/index";
import { combinedHistogram } from "../numeric";
import type { DriftMethod } from "./contract";

/**
 * Evidently's `cramer_von_mises`: the p-value of the two-sample Cramér–von Mises test
 * (`scipy.stats.cramervonmises_2samp`, exact up to 20 values a side); drift when p < threshold (0.1).
 */
export const cramerVonMises: DriftMethod = {
  name: "cramer_von_mises",
  kinds: ["numerical"],
  scoreKind: "p-value",
  comparison: "<",
  defaultThreshold: 0.1,
  summary: "two-sample Cramér–von Mises p-value (`cramervonmises_2samp`)",
  noSketchReason: "the statistic needs every value's rank in the pooled sample",
  numeric(pair) {
    const r = cramerVonMises2(pair.reference, pair.current, true);
    return {
      method: "cramer_von_mises",
      statistic: r.statistic,
      pValue: r.pValue,
      computation: { mode: "exact" },
      histogram: combinedHistogram(pair),
      details: { pValueMode: r.mode },
    };
  },
};
