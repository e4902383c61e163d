import { normalSf } from "./distributions";
import { pooledMidranks } from "./ranks";
import { prepare } from "./sorting";

export type MannWhitneyAlternative = "less" | "greater" | "two-sided";

export interface MannWhitneyResult {
  /** U of the first sample, U1 = R1 − n1(n1 + 1)/2 (what scipy returns). */
  readonly statistic: number;
  readonly pValue: number;
  readonly mode: "exact" | "asymptotic";
}

/**
 * Mann–Whitney U test, as `scipy.stats.mannwhitneyu(x, y, alternative, use_continuity=True, method="auto")`
 * (scipy 1.10): the exact null distribution when a sample has at most 8 values and nothing is tied, else the
 * normal approximation with the tie correction and the continuity correction.
 */
export function mannWhitneyU(
  sample1: Float64Array,
  sample2: Float64Array,
  alternative: MannWhitneyAlternative,
  presorted = false,
): MannWhitneyResult {
  const x = prepare(sample1, "sample1", presorted);
  const y = prepare(sample2, "sample2", presorted);
  const n1 = x.length;
  const n2 = y.length;
  const { ranksA, tieTerm, hasTies } = pooledMidranks(x, y);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranksA[i]!;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const u = alternative === "greater" ? u1 : alternative === "less" ? u2 : Math.max(u1, u2);
  const f = alternative === "two-sided" ? 2 : 1;
  // scipy's rule, bounded so a tiny sample against a huge one does not build an n1·n2-wide table per cell.
  const exact = !(n1 > 8 && n2 > 8) && !hasTies && (n1 + 1) * (n2 + 1) * (n1 * n2 + 1) <= 5e7;
  let p: number;
  if (exact) {
    p = exactSf(Math.trunc(u), n1, n2);
  } else {
    const n = n1 + n2;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    p = normalSf((u - (n1 * n2) / 2 - 0.5) / s);
  }
  return { statistic: u1, pValue: Math.min(1, Math.max(0, p * f)), mode: exact ? "exact" : "asymptotic" };
}

/** P(U ≥ k) under the null, from the counts of U over all arrangements (symmetric, so summed from the left). */
function exactSf(k: number, m: number, n: number): number {
  const kc = m * n - k;
  if (kc < 0) return 0;
  // f[i][j][u]: arrangements of i x's and j y's with U = u, built by the usual recursion on the largest value.
  const counts = uDistribution(m, n);
  let total = 0;
  for (const c of counts) total += c;
  let below = 0;
  for (let u = 0; u <= Math.min(kc, counts.length - 1); u++) below += counts[u]!;
  return below / total;
}

/** Number of arrangements giving each U = 0 … m·n, for sample sizes m and n. */
function uDistribution(m: number, n: number): Float64Array {
  // prev[j][u] for i − 1, cur[j][u] for i; f(i, j, u) = f(i − 1, j, u − j) + f(i, j − 1, u).
  const size = m * n + 1;
  let prev: Float64Array[] = Array.from({ length: n + 1 }, () => {
    const a = new Float64Array(size);
    a[0] = 1;
    return a;
  });
  for (let i = 1; i <= m; i++) {
    const cur: Float64Array[] = [];
    for (let j = 0; j <= n; j++) {
      const a = new Float64Array(size);
      for (let u = 0; u < size; u++) {
        a[u] = (u >= j ? prev[j]![u - j]! : 0) + (j > 0 ? cur[j - 1]![u]! : 0);
      }
      cur.push(a);
    }
    prev = cur;
  }
  return prev[n]!;
}
