import { mmdPermutationTest } from "../../stats/index";
import { combinedHistogram } from "../numeric";
import type { DriftMethod } from "./contract";

/**
 * Evidently's `empirical_mmd`: the permutation p-value of the unbiased MMD² with an RBF kernel (median
 * heuristic); drift when p < threshold (0.1). The kernel matrix is (n + m)², so the method is refused on more than
 * `MMD_MAX_VALUES` values in all.
 */
export const empiricalMmd: DriftMethod = {
  name: "empirical_mmd",
  kinds: ["numerical"],
  scoreKind: "p-value",
  comparison: "<",
  defaultThreshold: 0.1,
  summary: "permutation p-value of the RBF-kernel MMD² (100 permutations, seeded)",
  options: ["mmdPermutations", "permutationSeed"],
  noSketchReason: "the kernel needs every pair of values",
  numeric(pair, o) {
    const r = mmdPermutationTest(pair.reference, pair.current, o.mmdPermutations, o.permutationSeed);
    return {
      method: "empirical_mmd",
      statistic: r.statistic,
      pValue: r.pValue,
      computation: { mode: "exact" },
      histogram: combinedHistogram(pair),
      details: { permutations: o.mmdPermutations, seed: o.permutationSeed, sigma: r.sigma },
    };
  },
};
