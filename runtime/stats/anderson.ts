import { StatsInputError } from "./errors";
import { prepare } from "./sorting";

/** Interpolation coefficients of Scholz & Stephens (1987), Table 2, as `scipy.stats.anderson_ksamp` holds them. */
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
const SIG = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];

export interface AndersonResult {
  /** The normalised k-sample statistic (A2kN − (k − 1)) / σ_N. */
  readonly statistic: number;
  /** scipy's `significance_level`: interpolated, capped to [0.001, 0.25]. */
  readonly pValue: number;
  /** Whether the p-value hit a cap (the true value is beyond it). */
  readonly capped: "none" | "floor" | "ceiling";
}

/**
 * Two-sample Anderson–Darling test, as `scipy.stats.anderson_ksamp([a, b])` with its defaults (midrank statistic
 * for data with ties, Scholz & Stephens' eq. 7; p-value interpolated from the critical-value table as a quadratic
 * in log p, capped to [0.001, 0.25]). Evidently's `anderson` reports that p-value.
 *
 * @throws StatsInputError with fewer than 4 values in all, or a single distinct value.
 */
export function andersonDarling2(
  sample1: Float64Array,
  sample2: Float64Array,
  presorted = false,
): AndersonResult {
  const a = prepare(sample1, "sample1", presorted);
  const b = prepare(sample2, "sample2", presorted);
  const N = a.length + b.length;
  if (N < 4) {
    throw new StatsInputError("empty-sample", "sample", `${N} values`, "Pass at least 4 values in all.");
  }
  // Distinct pooled values with their multiplicity and count in each sample.
  const zs: number[] = [];
  const inA: number[] = [];
  const inB: number[] = [];
  for (let i = 0, j = 0; i < a.length || j < b.length; ) {
    const v = Math.min(i < a.length ? a[i]! : Infinity, j < b.length ? b[j]! : Infinity);
    let fa = 0;
    let fb = 0;
    while (i < a.length && a[i] === v) {
      i++;
      fa++;
    }
    while (j < b.length && b[j] === v) {
      j++;
      fb++;
    }
    zs.push(v);
    inA.push(fa);
    inB.push(fb);
  }
  if (zs.length < 2) {
    throw new StatsInputError(
      "invalid-option",
      "sample",
      "one distinct value",
      "anderson_ksamp needs more than one distinct observation; use a categorical method.",
    );
  }
  let a2 = 0;
  for (const [counts, n] of [
    [inA, a.length],
    [inB, b.length],
  ] as const) {
    let below = 0; // pooled values < z_j
    let mine = 0; // this sample's values ≤ z_j
    let inner = 0;
    for (let j = 0; j < zs.length; j++) {
      const lj = inA[j]! + inB[j]!;
      const bj = below + lj / 2;
      mine += counts[j]!;
      const mij = mine - counts[j]! / 2;
      const d = N * mij - bj * n;
      inner += ((lj / N) * d * d) / (bj * (N - bj) - (N * lj) / 4);
      below += lj;
    }
    a2 += inner / n;
  }
  a2 *= (N - 1) / N;
  return normalise(a2, a.length, b.length);
}

function normalise(a2kN: number, n1: number, n2: number): AndersonResult {
  const k = 2;
  const N = n1 + n2;
  const H = 1 / n1 + 1 / n2;
  // hs_cs = cumsum(1/(N−1), 1/(N−2), …, 1/2); h = Σ_{i<N} 1/i; g = Σ hs_cs[i]/(i + 2).
  let cum = 0;
  let g = 0;
  for (let idx = 0; idx < N - 2; idx++) {
    cum += 1 / (N - 1 - idx);
    g += cum / (idx + 2);
  }
  const h = cum + 1;
  const ca = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const cb = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const cc = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const cd = (2 * h + 6) * k ** 2 - 4 * h * k;
  const sigmasq = (ca * N ** 3 + cb * N ** 2 + cc * N + cd) / ((N - 1) * (N - 2) * (N - 3));
  const m = k - 1;
  const statistic = (a2kN - m) / Math.sqrt(sigmasq);
  const critical = B0.map((b0, i) => b0 + B1[i]! / Math.sqrt(m) + B2[i]! / m);
  if (statistic < Math.min(...critical)) return { statistic, pValue: 0.25, capped: "ceiling" };
  if (statistic > Math.max(...critical)) return { statistic, pValue: 0.001, capped: "floor" };
  const [c0, c1, c2] = quadraticFit(
    critical,
    SIG.map((s) => Math.log(s)),
  );
  return { statistic, pValue: Math.exp(c0 + c1 * statistic + c2 * statistic * statistic), capped: "none" };
}

/**
 * Least-squares quadratic y ≈ c0 + c1·x + c2·x² (`numpy.polyfit(x, y, 2)`), by Householder QR on the
 * Vandermonde matrix, which keeps the precision the normal equations would lose.
 */
function quadraticFit(x: readonly number[], y: readonly number[]): [number, number, number] {
  const rows = x.length;
  const A = x.map((v) => [1, v, v * v]);
  const rhs = [...y];
  for (let col = 0; col < 3; col++) {
    let norm = 0;
    for (let r = col; r < rows; r++) norm += A[r]![col]! ** 2;
    norm = Math.sqrt(norm);
    const alpha = A[col]![col]! > 0 ? -norm : norm;
    const v = new Array<number>(rows).fill(0);
    for (let r = col; r < rows; r++) v[r] = A[r]![col]!;
    v[col]! -= alpha;
    let vv = 0;
    for (let r = col; r < rows; r++) vv += v[r]! ** 2;
    if (vv === 0) continue;
    for (let c = col; c < 3; c++) {
      let dot = 0;
      for (let r = col; r < rows; r++) dot += v[r]! * A[r]![c]!;
      for (let r = col; r < rows; r++) A[r]![c]! -= (2 * dot * v[r]!) / vv;
    }
    let dot = 0;
    for (let r = col; r < rows; r++) dot += v[r]! * rhs[r]!;
    for (let r = col; r < rows; r++) rhs[r]! -= (2 * dot * v[r]!) / vv;
  }
  const c2 = rhs[2]! / A[2]![2]!;
  const c1 = (rhs[1]! - A[1]![2]! * c2) / A[1]![1]!;
  const c0 = (rhs[0]! - A[0]![1]! * c1 - A[0]![2]! * c2) / A[0]![0]!;
  return [c0, c1, c2];
}
