import { ksStatistic, lInfinityDistance } from "../../stats/index";
import { alignedShares, categoricalHistogram } from "../categorical";
import { combinedHistogram } from "../numeric";
import { referenceBinned, sketchCdfGap, sketchComputation } from "../sketch";
import type { DriftMethod } from "./contract";

/**
 * L∞ distance, SageMaker/Deequ's (`linf_simple`): the largest CDF gap for numbers (the KS statistic), the largest
 * share gap for categories. Drift when the distance > threshold. From a profile: within [D̂ − ε, D̂ + ε + 1/grid].
 */
export const linf: DriftMethod = {
  name: "linf",
  kinds: ["numerical", "categorical"],
  scoreKind: "distance",
  comparison: ">",
  defaultThreshold: 0.1,
  summary: "L∞ distance (largest CDF gap for numbers, largest share gap for categories)",
  numeric(pair) {
    const r = ksStatistic(pair.reference, pair.current, { presorted: true });
    return {
      method: "linf",
      statistic: r.statistic,
      computation: { mode: "exact" },
      histogram: combinedHistogram(pair),
      details: { location: r.location },
    };
  },
  categorical(a, _o, computation) {
    const s = alignedShares(a);
    return {
      method: "linf",
      statistic: lInfinityDistance(s.reference, s.current),
      computation,
      histogram: categoricalHistogram(a),
    };
  },
  sketch(c) {
    const { d } = sketchCdfGap(c);
    const bounds: [number, number] = [Math.max(0, d - c.eps), Math.min(1, d + c.eps + c.slack)];
    return {
      method: "linf",
      statistic: d,
      computation: sketchComputation(
        c.reference,
        c.current,
        bounds,
        `Largest CDF gap between the reference quantile sketch and ${c.current.describe}.`,
      ),
      histogram: referenceBinned(c.reference, c.current).histogram,
    };
  },
};
