import gammaln from "@stdlib/math-base-special-gammaln";
import { StatsInputError } from "./errors";

/**
 * Two-sided Fisher's exact test on the 2×2 table [[a, b], [c, d]], as `scipy.stats.fisher_exact(table)`: the sum
 * of the hypergeometric probabilities of every table with the same margins that is no more likely than the one
 * observed (within a relative 1e-14, scipy's tolerance). A table with an empty row or column gives p = 1.
 */
export function fisherExact2x2(
  a: number,
  b: number,
  c: number,
  d: number,
): { oddsRatio: number; pValue: number } {
  for (const [field, v] of [
    ["table[0][0]", a],
    ["table[0][1]", b],
    ["table[1][0]", c],
    ["table[1][1]", d],
  ] as const) {
    if (!(Number.isInteger(v) && v >= 0)) {
      throw new StatsInputError("non-integer-count", field, String(v), "Counts must be whole numbers ≥ 0.");
    }
  }
  const oddsRatio = c > 0 && b > 0 ? (a * d) / (c * b) : Number.POSITIVE_INFINITY;
  if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) return { oddsRatio: Number.NaN, pValue: 1 };
  const n1 = a + b;
  const n2 = c + d;
  const n = a + c;
  const lo = Math.max(0, n - n2);
  const hi = Math.min(n, n1);
  // log pmf of the hypergeometric: C(n1, x)·C(n2, n − x) / C(n1 + n2, n).
  const logC = (p: number, q: number) => gammaln(p + 1) - gammaln(q + 1) - gammaln(p - q + 1);
  const logTotal = logC(n1 + n2, n);
  const logPmf = (x: number) => logC(n1, x) + logC(n2, n - x) - logTotal;
  const pExact = Math.exp(logPmf(a));
  const mode = Math.floor(((n + 1) * (n1 + 1)) / (n1 + n2 + 2));
  const pMode = Math.exp(logPmf(mode));
  if (Math.abs(pExact - pMode) / Math.max(pExact, pMode) <= 1e-14) return { oddsRatio, pValue: 1 };
  const limit = pExact * (1 + 1e-14);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const px = Math.exp(logPmf(x));
    if (px <= limit) p += px;
  }
  return { oddsRatio, pValue: Math.min(p, 1) };
}
