import { StatsInputError } from "./errors";

function checkPValues(pValues: readonly number[]): void {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) {
      throw new StatsInputError("invalid-option", `pValues[${i}]`, String(p), "p-values must lie in [0, 1].");
    }
  });
}

/**
 * Bonferroni-adjusted p-values: min(1, p·m) for m tests (`statsmodels` `multipletests(method="bonferroni")`).
 * Comparing the adjusted value with α is the same as comparing p with α/m, alibi-detect's rule.
 */
export function bonferroni(pValues: readonly number[]): number[] {
  checkPValues(pValues);
  const m = pValues.length;
  return pValues.map((p) => Math.min(1, p * m));
}

/**
 * Benjamini–Hochberg adjusted p-values (step-up, `multipletests(method="fdr_bh")`): with p sorted ascending,
 * adj_(i) = min over j ≥ i of p_(j)·m/j, capped at 1, returned in input order. Rejecting where adj ≤ q controls
 * the false discovery rate at q (for independent or positively dependent tests).
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  checkPValues(pValues);
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const idx = order[rank - 1]!;
    running = Math.min(running, (pValues[idx]! * m) / rank);
    adjusted[idx] = running;
  }
  return adjusted;
}
