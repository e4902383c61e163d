import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Shape of test/runtime/fixtures/stats-reference.json (see scripts/reference/generate_stats_fixtures.py). */
export interface StatsReference {
  meta: { python: string; numpy: string; scipy: string; seed: number };
  ks2samp: {
    sample1: number[];
    sample2: number[];
    results: Partial<Record<"auto" | "exact" | "asymp", { statistic: number; pvalue: number | null }>>;
  }[];
  ksPValue: { d: number; n1: number; n2: number; mode: "exact" | "asymp"; pvalue: number }[];
  kstwoSf: { n: number; x: number; sf: number }[];
  wasserstein: { sample1: number[]; sample2: number[]; distance: number; referenceStd: number }[];
  chi2Contingency: {
    reference: number[];
    current: number[];
    yates: boolean;
    statistic: number;
    pvalue: number;
    dof: number;
  }[];
  chiSquareGof: { observed: number[]; expected: number[]; statistic: number; pvalue: number }[];
  chi2Sf: { x: number; df: number; sf: number }[];
  binned: {
    sample1: number[] | null;
    sample2: number[] | null;
    edges: number[] | null;
    referenceShares: number[];
    currentShares: number[];
    referenceFilled: number[];
    currentFilled: number[];
    psi: number;
    kl: number;
    jsE: number;
    js2: number;
  }[];
  sturgesEdges: { min: number; max: number; size: number; edges: number[] }[];
  vectors: {
    p: number[];
    q: number[];
    jsE: number;
    js2: number;
    js10: number;
    klQP: number;
    klQPp: number[];
    klQPq: number[];
    hellinger: number;
    linf: number;
  }[];
  ztest: { s1: number; n1: number; s2: number; n2: number; z: number; pvalue: number }[];
  hellingerNumeric: { sample1: number[]; sample2: number[]; hellinger: number }[];
  anderson: TwoSamples<{ statistic: number; pvalue: number }>[];
  cramerVonMises: TwoSamples<{ statistic: number; pvalue: number }>[];
  energy: TwoSamples<{ distance: number }>[];
  eppsSingleton: TwoSamples<{ statistic: number; pvalue: number }>[];
  mannWhitney: TwoSamples<{
    alternative: "less" | "greater" | "two-sided";
    statistic: number;
    pvalue: number;
  }>[];
  tTest: TwoSamples<{ equalVar: boolean; statistic: number; pvalue: number }>[];
  fisherExact: { table: [[number, number], [number, number]]; pvalue: number }[];
  /** Current counts against the reference scaled to the current size; null = an infinite statistic. */
  gTest: {
    reference: number[];
    current: number[];
    g: number | null;
    gPvalue: number;
    chi2: number | null;
    chi2Pvalue: number;
  }[];
  tvd: { reference: number[]; current: number[]; statistic: number; pvalue: number; permutations: number }[];
  mmd: TwoSamples<{ statistic: number; sigma: number; pvalue: number; permutations: number }>[];
  embeddings: {
    reference: number[][];
    current: number[][];
    distances: Record<"euclidean" | "cosine" | "cityblock" | "chebyshev", number>;
    ratio: number;
    sigma2: number;
    mmd: number;
  }[];
  text: {
    reference: string[];
    current: string[];
    descriptors: Record<
      "length" | "nonLetterShare" | "oovShare",
      { reference: number[]; current: number[]; ksPvalue: number }
    >;
  }[];
}

type TwoSamples<T> = { sample1: number[]; sample2: number[] } & T;

export const reference: StatsReference = JSON.parse(
  readFileSync(join(__dirname, "..", "fixtures", "stats-reference.json"), "utf8"),
);

/** |actual − expected| ≤ tol·max(1, |expected|). */
export function closeTo(actual: number, expected: number, tol: number): boolean {
  return Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
}

/** Relative agreement for p-values above 1e-300; below it, both must be ≤ 1e-300. */
export function pValueClose(actual: number, expected: number, rel = 1e-6): boolean {
  if (expected <= 1e-300) return actual <= 1e-300;
  return Math.abs(actual - expected) <= rel * expected;
}
