import { StatsInputError } from "../../stats/errors";
import { fisherExact2x2 } from "../../stats/index";
import { categoricalHistogram } from "../categorical";
import type { DriftMethod } from "./contract";

/**
 * Evidently's `fisher_exact`: the two-sided p-value of Fisher's exact test (`scipy.stats.fisher_exact`) on the
 * 2×2 table [reference counts; current counts] of a column with two values at most; drift when p < threshold
 * (0.1). Evidently also demands equally long reference and current samples; the test does not need that, so this
 * does not.
 */
export const fisherExact: DriftMethod = {
  name: "fisher_exact",
  kinds: ["categorical"],
  scoreKind: "p-value",
  comparison: "<",
  defaultThreshold: 0.1,
  summary: "Fisher's exact test p-value on the 2×2 table (two values at most)",
  categorical(a, _o, computation) {
    if (a.categories.length > 2 || a.foldedLabel !== undefined) {
      throw new StatsInputError(
        "not-binary",
        "method",
        `fisher_exact with ${a.categories.length} categories`,
        "Fisher's exact test here takes a 2×2 table; use 'chisquare', 'g_test' or 'TVD' for more values.",
      );
    }
    const r = fisherExact2x2(a.reference[0]!, a.reference[1] ?? 0, a.current[0]!, a.current[1] ?? 0);
    return {
      method: "fisher_exact",
      statistic: r.oddsRatio,
      pValue: r.pValue,
      computation,
      histogram: categoricalHistogram(a),
    };
  },
};
