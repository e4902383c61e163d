import { andersonDarling2 } from "../../stats/index";
import { combinedHistogram } from "../numeric";
import type { DriftMethod } from "./contract";

/**
 * Evidently's `anderson`: the p-value of the two-sample Anderson–Darling test (`scipy.stats.anderson_ksamp`),
 * capped by scipy's table to [0.001, 0.25]; drift when p < threshold (0.1).
 */
export const anderson: DriftMethod = {
  name: "anderson",
  kinds: ["numerical"],
  scoreKind: "p-value",
  comparison: "<",
  defaultThreshold: 0.1,
  summary: "two-sample Anderson–Darling p-value (`anderson_ksamp`, capped to [0.001, 0.25])",
  noSketchReason: "the statistic needs every value's rank in the pooled sample",
  numeric(pair) {
    const r = andersonDarling2(pair.reference, pair.current, true);
    return {
      method: "anderson",
      statistic: r.statistic,
      pValue: r.pValue,
      computation: { mode: "exact" },
      histogram: combinedHistogram(pair),
      details: { pValueCapped: r.capped },
    };
  },
};
