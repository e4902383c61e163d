import { normalizedWasserstein, populationStd, wassersteinDistance } from "../../stats/index";
import { combinedHistogram } from "../numeric";
import { referenceBinned, sketchCdfIntegral, sketchComputation, sketchSpan } from "../sketch";
import type { DriftMethod } from "./contract";

/**
 * Evidently's normed Wasserstein distance: W1 / max(std_ref, 0.001), drift when ≥ threshold.
 * From a profile: W1 = ∫|F_ref − F_cur| summed over the evaluation points, within ±(ε + 1/grid)·(max − min).
 */
export const wasserstein: DriftMethod = {
  name: "wasserstein",
  kinds: ["numerical"],
  scoreKind: "distance",
  comparison: ">=",
  defaultThreshold: 0.1,
  summary: "W1 / max(std_ref, 0.001) (raw W1 with `wassersteinNormalize: false`)",
  options: ["wassersteinNormalize", "wassersteinMinStd"],
  numeric(pair, o) {
    const raw = wassersteinDistance(pair.reference, pair.current, { presorted: true });
    const std = populationStd(pair.reference);
    const statistic = o.wassersteinNormalize ? normalizedWasserstein(raw, std, o.wassersteinMinStd) : raw;
    return {
      method: "wasserstein",
      statistic,
      computation: { mode: "exact" },
      histogram: combinedHistogram(pair),
      details: { normalized: o.wassersteinNormalize, rawDistance: raw, referenceStd: std },
    };
  },
  sketch(c, o) {
    const w = sketchCdfIntegral(c, 1);
    const err = (c.eps + c.slack) * sketchSpan(c);
    const std = Math.sqrt(c.reference.variance);
    const scale = o.wassersteinNormalize ? Math.max(std, o.wassersteinMinStd) : 1;
    const statistic = o.wassersteinNormalize ? normalizedWasserstein(w, std, o.wassersteinMinStd) : w;
    return {
      method: "wasserstein",
      statistic,
      computation: sketchComputation(
        c.reference,
        c.current,
        [Math.max(0, (w - err) / scale), (w + err) / scale],
        `W1 integrated between the reference quantile sketch's CDF and ${c.current.describe}.`,
      ),
      histogram: referenceBinned(c.reference, c.current).histogram,
      details: { normalized: o.wassersteinNormalize, rawDistance: w, referenceStd: std },
    };
  },
};
