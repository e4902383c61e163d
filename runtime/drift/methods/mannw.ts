import { mannWhitneyU } from "../../stats/index";
import { combinedHistogram } from "../numeric";
import type { DriftMethod } from "./contract";

/**
 * Evidently's `mannw`: the p-value of `scipy.stats.mannwhitneyu(reference, current, alternative="less")`; drift
 * when p < threshold (0.05). Evidently's one-sided alternative sees only a current distribution shifted upwards;
 * `mannwAlternative: "two-sided"` sees both directions.
 */
export const mannw: DriftMethod = {
  name: "mannw",
  kinds: ["numerical"],
  scoreKind: "p-value",
  comparison: "<",
  defaultThreshold: 0.05,
  summary: "Mann–Whitney U p-value (`mannwhitneyu`, Evidently's one-sided `less` by default)",
  options: ["mannwAlternative"],
  noSketchReason: "the statistic needs every value's rank in the pooled sample",
  numeric(pair, o) {
    const r = mannWhitneyU(pair.reference, pair.current, o.mannwAlternative, true);
    return {
      method: "mannw",
      statistic: r.statistic,
      pValue: r.pValue,
      computation: { mode: "exact" },
      histogram: combinedHistogram(pair),
      details: { alternative: o.mannwAlternative, pValueMode: r.mode },
    };
  },
};
