import { gTest } from "../../stats/index";
import { categoricalHistogram } from "../categorical";
import type { DriftMethod } from "./contract";

/**
 * Evidently's `g_test`: the G-test of the current counts against the reference ones,
 * `scipy.stats.power_divergence(current, expected, lambda_="log-likelihood")`; drift when p < threshold (0.1).
 * Evidently passes the raw reference counts as expected, which scipy accepts only when both samples have the
 * same size; the expected counts here are the reference's scaled to the current size, which is the same test
 * whenever Evidently's runs. As with `chisquare`, a category unseen in the reference gives p = 0.
 */
export const gTestMethod: DriftMethod = {
  name: "g_test",
  kinds: ["categorical"],
  scoreKind: "p-value",
  comparison: "<",
  defaultThreshold: 0.1,
  summary: "G-test (log-likelihood ratio) p-value of current counts against reference proportions",
  categorical(a, _o, computation) {
    const scale = a.currentTotal / a.referenceTotal;
    const r = gTest(
      a.current,
      a.reference.map((n) => n * scale),
    );
    return {
      method: "g_test",
      statistic: r.statistic,
      pValue: r.pValue,
      degreesOfFreedom: r.degreesOfFreedom,
      computation,
      histogram: categoricalHistogram(a),
    };
  },
};
