import { energyDistance } from "../../stats/index";
import { combinedHistogram } from "../numeric";
import { referenceBinned, sketchCdfIntegral, sketchComputation, sketchSpan } from "../sketch";
import type { DriftMethod } from "./contract";

/**
 * Evidently's `ed`: the energy distance √2·√(∫(F_ref − F_cur)²) (`scipy.stats.energy_distance`); drift when
 * > threshold (0.1). From a profile: each CDF gap is within ε + 1/grid, so the integral I is within
 * ±2(ε + 1/grid)·(max − min) and the distance within √(2·(I ± that)).
 */
export const ed: DriftMethod = {
  name: "ed",
  kinds: ["numerical"],
  scoreKind: "distance",
  comparison: ">",
  defaultThreshold: 0.1,
  summary: "energy distance √2·‖F_ref − F_cur‖₂ (`energy_distance`)",
  numeric(pair) {
    return {
      method: "ed",
      statistic: energyDistance(pair.reference, pair.current, true),
      computation: { mode: "exact" },
      histogram: combinedHistogram(pair),
    };
  },
  sketch(c) {
    const integral = sketchCdfIntegral(c, 2);
    const err = 2 * (c.eps + c.slack) * sketchSpan(c);
    return {
      method: "ed",
      statistic: Math.SQRT2 * Math.sqrt(integral),
      computation: sketchComputation(
        c.reference,
        c.current,
        [Math.SQRT2 * Math.sqrt(Math.max(0, integral - err)), Math.SQRT2 * Math.sqrt(integral + err)],
        `∫(F_ref − F_cur)² between the reference quantile sketch's CDF and ${c.current.describe}.`,
      ),
      histogram: referenceBinned(c.reference, c.current).histogram,
    };
  },
};
