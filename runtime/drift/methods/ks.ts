import { ksTwoSample, ksTwoSamplePValue } from "../../stats/index";
import { combinedHistogram } from "../numeric";
import { referenceBinned, sketchCdfGap, sketchComputation } from "../sketch";
import type { DriftMethod } from "./contract";

/**
 * Two-sample Kolmogorov–Smirnov p-value (`scipy.stats.ks_2samp`), Evidently's `ks`: drift when p ≤ threshold.
 *
 * From a profile: D is the largest gap between the reference sketch's CDF and the current CDF, within
 * [D̂ − ε, D̂ + ε + 1/grid]; the p-value is the asymptotic one at the profile's row count (as whylogs does), and
 * the p-values at both ends of D's bracket are reported, so a verdict that hinges on the sketch's error shows.
 */
export const ks: DriftMethod = {
  name: "ks",
  kinds: ["numerical"],
  scoreKind: "p-value",
  comparison: "<=",
  defaultThreshold: 0.05,
  summary: "two-sample Kolmogorov–Smirnov p-value",
  options: ["ksMode"],
  numeric(pair, o) {
    const r = ksTwoSample(pair.reference, pair.current, { mode: o.ksMode, presorted: true });
    return {
      method: "ks",
      statistic: r.statistic,
      pValue: r.pValue,
      computation: { mode: "exact" },
      histogram: combinedHistogram(pair),
      details: { ksMode: r.mode, location: r.location },
    };
  },
  sketch(c) {
    const { d, location } = sketchCdfGap(c);
    const bounds: [number, number] = [Math.max(0, d - c.eps), Math.min(1, d + c.eps + c.slack)];
    const n = c.reference.count;
    const m = c.current.count;
    const p = ksTwoSamplePValue(d, n, m, "asymp");
    return {
      method: "ks",
      statistic: d,
      pValue: p.pValue,
      computation: sketchComputation(
        c.reference,
        c.current,
        bounds,
        `Largest CDF gap between the reference quantile sketch and ${c.current.describe}.`,
      ),
      histogram: referenceBinned(c.reference, c.current).histogram,
      details: {
        ksMode: "asymp",
        location,
        pValueMin: ksTwoSamplePValue(bounds[1], n, m, "asymp").pValue,
        pValueMax: ksTwoSamplePValue(bounds[0], n, m, "asymp").pValue,
      },
    };
  },
};
