import { StatsInputError } from "../../stats/errors";
import { twoProportionZTest } from "../../stats/index";
import { categoricalHistogram, compareLabels } from "../categorical";
import type { DriftMethod } from "./contract";

/**
 * Evidently's two-proportion Z-test: categories sorted, the first maps to 0 and the other to 1; more than two
 * categories is an error (`not-binary`). Drift when p < threshold.
 */
export const z: DriftMethod = {
  name: "z",
  kinds: ["categorical"],
  scoreKind: "p-value",
  comparison: "<",
  defaultThreshold: 0.05,
  summary: "two-proportion Z-test p-value (two values at most)",
  categorical(a, _o, computation) {
    if (a.categories.length > 2) {
      throw new StatsInputError(
        "not-binary",
        "method",
        `z with ${a.categories.length} categories`,
        "Use 'chisquare' or 'jensenshannon' for columns with more than two values.",
      );
    }
    const sorted = a.categories
      .map((label, i) => ({ label, i }))
      .sort((x, y) => compareLabels(x.label, y.label));
    const one = sorted[1]?.i;
    const r = twoProportionZTest(
      one === undefined ? 0 : a.reference[one]!,
      a.referenceTotal,
      one === undefined ? 0 : a.current[one]!,
      a.currentTotal,
    );
    return {
      method: "z",
      statistic: r.statistic,
      pValue: r.pValue,
      computation,
      histogram: categoricalHistogram(a),
      ...(one === undefined ? {} : { details: { successLabel: sorted[1]!.label } }),
    };
  },
};
