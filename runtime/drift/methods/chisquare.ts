import { chiSquareGoodnessOfFit } from "../../stats/index";
import { categoricalHistogram } from "../categorical";
import type { DriftMethod } from "./contract";

/**
 * Evidently's `chisquare`: Pearson's goodness-of-fit test of the current counts against the reference
 * proportions, `scipy.stats.chisquare(current, reference × n_cur/n_ref)`, K − 1 degrees of freedom. A category
 * the reference never saw has an expected count of 0, so χ² = ∞ and p = 0: any new category is drift. Use
 * `chi2_contingency` for a two-sample test that gives an unseen category its own finite cell. Drift when
 * p < threshold.
 *
 * Numbers are refused when the method is forced (as Evidently does); the default selection still sends numeric
 * columns with few distinct values here, compared as categories.
 */
export const chisquare: DriftMethod = {
  name: "chisquare",
  kinds: ["categorical"],
  scoreKind: "p-value",
  comparison: "<",
  defaultThreshold: 0.05,
  summary:
    "χ² goodness-of-fit p-value of current counts against reference proportions (unseen category → p = 0)",
  categorical(a, _o, computation) {
    const histogram = categoricalHistogram(a);
    if (a.categories.length < 2) {
      // One category on both sides: nothing can differ (scipy would return NaN with 0 degrees of freedom).
      return { method: "chisquare", statistic: 0, pValue: 1, degreesOfFreedom: 0, computation, histogram };
    }
    const scale = a.currentTotal / a.referenceTotal;
    const expected = a.reference.map((n) => n * scale);
    const r = chiSquareGoodnessOfFit(a.current, expected);
    let unseen = 0;
    for (let i = 0; i < a.reference.length; i++) if (a.reference[i] === 0 && a.current[i]! > 0) unseen++;
    return {
      method: "chisquare",
      statistic: r.statistic,
      pValue: r.pValue,
      degreesOfFreedom: r.degreesOfFreedom,
      computation,
      histogram,
      details: { test: "goodness-of-fit", unseenCategories: unseen },
    };
  },
};
