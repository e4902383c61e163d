import { tvdPermutationTest } from "../../stats/index";
import { categoricalHistogram } from "../categorical";
import type { DriftMethod } from "./contract";

/**
 * Evidently's `TVD`: the total variation distance ½·Σ|p − q| between reference and current shares, tested by
 * 1000 label permutations; the score is the permutation p-value, drift when p < threshold (0.1). Each permutation
 * costs one pass over the smaller sample.
 */
export const tvd: DriftMethod = {
  name: "TVD",
  kinds: ["categorical"],
  scoreKind: "p-value",
  comparison: "<",
  defaultThreshold: 0.1,
  summary: "permutation p-value of the total variation distance ½·Σ|p − q| (1000 permutations, seeded)",
  options: ["tvdPermutations", "permutationSeed"],
  categorical(a, o, computation) {
    const r = tvdPermutationTest(a.reference, a.current, o.tvdPermutations, o.permutationSeed);
    return {
      method: "TVD",
      statistic: r.statistic,
      pValue: r.pValue,
      computation,
      histogram: categoricalHistogram(a),
      details: { permutations: o.tvdPermutations, seed: o.permutationSeed },
    };
  },
};
