import { binnedMethod } from "./binned";

/** Jensen–Shannon distance on Evidently's bins (natural log by default, no zero fill); drift when ≥ threshold. */
export const jensenshannon = binnedMethod("jensenshannon", {
  summary: "Jensen–Shannon distance (natural log; `jsBase: 2` for NannyML's [0, 1] range)",
  options: ["bins", "jsBase", "jsDivergence"],
});
