import { StatsInputError } from "./errors";
import { kolmogorovTwoSidedSf } from "./kolmogorov";
import { prepare } from "./sorting";

/** How the two-sample KS p-value is computed, as `scipy.stats.ks_2samp(method=…)`. */
export type KsMode = "auto" | "exact" | "asymp";

export interface KsTwoSampleOptions {
  /** `auto` = exact when max(n1, n2) ≤ 10,000, else asymptotic (scipy's rule). @default "auto" */
  readonly mode?: KsMode;
  /** The inputs are already sorted ascending (skips the sorted copies). @default false */
  readonly presorted?: boolean;
}

export interface KsTwoSampleResult {
  /** D = sup |F1 − F2|; in exact mode rounded to the lattice value h / lcm(n1, n2), as scipy reports it. */
  readonly statistic: number;
  /** Two-sided p-value. */
  readonly pValue: number;
  /** The computation actually used (exact can fall back to asymp, as in scipy). */
  readonly mode: "exact" | "asymp";
  /** A value at which the largest gap is reached. */
  readonly location: number;
  /** +1 if F1 − F2 is largest there, −1 if F2 − F1 is. */
  readonly sign: 1 | -1;
}

/** scipy's MAX_AUTO_N: `auto` is exact when max(n1, n2) ≤ this. */
export const KS_MAX_AUTO_EXACT_N = 10_000;
const INT32_MAX = 2147483647;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** numpy's round(): half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Two-sample two-sided Kolmogorov–Smirnov test, matching `scipy.stats.ks_2samp(a, b, alternative="two-sided",
 * method=mode)` (scipy 1.10–1.16 algorithm):
 * - D is found by one merge walk over the two sorted samples, evaluating both ECDFs (right-continuous, so ties
 *   are handled exactly as scipy's `searchsorted(side="right")`) at every distinct value.
 * - `exact`: D is snapped to h/lcm(n1,n2); p = 1 when h = 0; n1 = n2 uses `_compute_prob_outside_square`,
 *   otherwise the lattice-path "inside" recursion of Hodges with Viehmann's 1−p form
 *   (`_compute_outer_prob_inside_method`). It falls back to `asymp` when lcm is too large or the result is not a
 *   probability, as scipy does (without a warning).
 * - `asymp`: p = kstwo.sf(D, round(n1·n2/(n1+n2))) (see {@link kolmogorovTwoSidedSf}).
 *
 * Cost: O(n log n) for the sorts (skipped with `presorted`), O(n1 + n2) for D; exact p-values cost up to
 * O(n1·n2 / gcd) in the worst case, which is why `auto` switches at 10,000.
 *
 * @throws StatsInputError for an empty sample or a NaN/±Infinity.
 */
export function ksTwoSample(
  sample1: Float64Array,
  sample2: Float64Array,
  options: KsTwoSampleOptions = {},
): KsTwoSampleResult {
  const mode = options.mode ?? "auto";
  if (mode !== "auto" && mode !== "exact" && mode !== "asymp") {
    throw new StatsInputError(
      "invalid-option",
      "options.mode",
      String(mode),
      'Use "auto", "exact" or "asymp".',
    );
  }
  const a = prepare(sample1, "sample1", options.presorted);
  const b = prepare(sample2, "sample2", options.presorted);
  const { maxS, minS, locMax, locMin } = ecdfGaps(a, b);
  let d: number;
  let location: number;
  let sign: 1 | -1;
  if (minS > maxS) {
    d = minS;
    location = locMin;
    sign = -1;
  } else {
    d = maxS;
    location = locMax;
    sign = 1;
  }
  const p = ksTwoSamplePValue(d, a.length, b.length, mode);
  return { statistic: p.statistic, pValue: p.pValue, mode: p.mode, location, sign };
}

/**
 * Just the two-sided KS statistic D = sup |F1 − F2| (no p-value), with where and in which direction it is reached:
 * the numerical L∞ distance of SageMaker/Deequ (`linf_simple`). Same merge walk and tie handling as
 * {@link ksTwoSample}; D is not snapped to a lattice.
 * @throws StatsInputError for an empty sample or a NaN/±Infinity.
 */
export function ksStatistic(
  sample1: Float64Array,
  sample2: Float64Array,
  options: { readonly presorted?: boolean } = {},
): { statistic: number; location: number; sign: 1 | -1 } {
  const a = prepare(sample1, "sample1", options.presorted);
  const b = prepare(sample2, "sample2", options.presorted);
  const { maxS, minS, locMax, locMin } = ecdfGaps(a, b);
  return minS > maxS
    ? { statistic: minS, location: locMin, sign: -1 }
    : { statistic: maxS, location: locMax, sign: 1 };
}

/** Largest positive and negative gaps F1 − F2 over the merged sorted samples. */
function ecdfGaps(a: Float64Array, b: Float64Array) {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxS = Number.NEGATIVE_INFINITY;
  let minDiff = Number.POSITIVE_INFINITY;
  let locMax = Number.NaN;
  let locMin = Number.NaN;
  while (i < n1 || j < n2) {
    const ai = i < n1 ? a[i]! : Number.POSITIVE_INFINITY;
    const bj = j < n2 ? b[j]! : Number.POSITIVE_INFINITY;
    const v = Math.min(ai, bj);
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) {
      maxS = diff;
      locMax = v;
    }
    if (diff < minDiff) {
      minDiff = diff;
      locMin = v;
    }
  }
  const minS = Math.min(Math.max(-minDiff, 0), 1);
  return { maxS, minS, locMax, locMin };
}

/**
 * The p-value step of `ks_2samp` for a known statistic: useful when D comes from elsewhere (e.g. a sketch).
 * Returns the statistic as scipy reports it (snapped to the lattice in exact mode).
 */
export function ksTwoSamplePValue(
  d: number,
  n1: number,
  n2: number,
  mode: KsMode = "auto",
): { statistic: number; pValue: number; mode: "exact" | "asymp" } {
  const g = gcd(n1, n2);
  const n1g = n1 / g;
  const n2g = n2 / g;
  let used: KsMode = mode;
  if (used === "auto") used = Math.max(n1, n2) <= KS_MAX_AUTO_EXACT_N ? "exact" : "asymp";
  else if (used === "exact" && n1g >= INT32_MAX / n2g) used = "asymp";
  if (used === "exact") {
    const lcm = n1g * n2;
    const h = roundHalfEven(d * lcm);
    const snapped = h / lcm;
    if (h === 0) return { statistic: snapped, pValue: 1, mode: "exact" };
    const prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h);
    if (prob >= 0 && prob <= 1) return { statistic: snapped, pValue: prob, mode: "exact" };
    d = snapped;
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const prob = kolmogorovTwoSidedSf(roundHalfEven(en), d);
  return { statistic: d, pValue: Math.min(Math.max(prob, 0), 1), mode: "asymp" };
}

/**
 * Pr(D_{n,n} ≥ h/n) for equal sample sizes (scipy `_compute_prob_outside_square`): the alternating sum of
 * binomial ratios evaluated Horner-style to avoid cancellation.
 */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
    k -= 1;
  }
  return 2 * P;
}

/**
 * Proportion of lattice paths from (0,0) to (m,n) that leave the band |x/m − y/n| < h/lcm(m,n)
 * (scipy `_compute_outer_prob_inside_method`; Hodges 1958, with the 1 − p recursion of Viehmann, arXiv:2102.08037).
 * Only one sliding column of the path-count matrix is kept.
 */
function outerProbInsideMethod(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
    minj = Math.min(minj, n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    const shift = minj - lastminj;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + shift]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}
