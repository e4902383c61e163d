import { binnedMethod } from "./binned";

/** KL(reference ‖ current) on Evidently's bins, with its per-side zero fill; drift when ≥ threshold. */
export const klDiv = binnedMethod("kl_div", {
  summary: "Kullback–Leibler divergence KL(reference ‖ current), Evidently's bins and zero fill",
  options: ["bins"],
});
