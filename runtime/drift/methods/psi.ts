import { binnedMethod } from "./binned";

/** Population stability index on Evidently's bins, with its per-side zero fill; drift when ≥ threshold. */
export const psi = binnedMethod("psi", {
  summary: "population stability index Σ (r − c)·ln(r/c), Evidently's bins and zero fill",
  options: ["bins"],
});
