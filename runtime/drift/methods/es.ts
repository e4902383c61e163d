import { eppsSingleton2 } from "../../stats/index";
import { combinedHistogram } from "../numeric";
import type { DriftMethod } from "./contract";

/**
 * Evidently's `es`: the p-value of the Epps–Singleton test (`scipy.stats.epps_singleton_2samp`), refused when the
 * pooled interquartile range is 0; drift when p < threshold (0.05).
 */
export const es: DriftMethod = {
  name: "es",
  kinds: ["numerical"],
  scoreKind: "p-value",
  comparison: "<",
  defaultThreshold: 0.05,
  summary: "Epps–Singleton p-value on the empirical characteristic function (`epps_singleton_2samp`)",
  noSketchReason: "the statistic sums cos and sin of every value",
  numeric(pair) {
    const r = eppsSingleton2(pair.reference, pair.current);
    return {
      method: "es",
      statistic: r.statistic,
      pValue: r.pValue,
      degreesOfFreedom: r.degreesOfFreedom,
      computation: { mode: "exact" },
      histogram: combinedHistogram(pair),
    };
  },
};
