import { describe, expect, it } from "vitest";
import {
  andersonDarling2,
  cramerVonMises2,
  energyDistance,
  eppsSingleton2,
  fisherExact2x2,
  gTest,
  mannWhitneyU,
  mmdPermutationTest,
  sampleMoments,
  tTest,
  tvdPermutationTest,
} from "../../../runtime/stats";
import { closeTo, pValueClose, reference } from "./fixture";

const f64 = (a: number[]) => Float64Array.from(a);

/** Runs `check` on every case and returns the failures, so one assertion reports them all. */
function failures<T>(cases: T[], check: (c: T) => string | undefined): string[] {
  return cases.map((c, i) => check(c) && `case ${i}: ${check(c)}`).filter((x): x is string => !!x);
}

/** Monte-Carlo tolerance of a permutation p-value from `n` permutations against a precise one: 4.5 σ + 1/n. */
function withinMonteCarlo(p: number, expected: number, n: number): boolean {
  return Math.abs(p - expected) <= 4.5 * Math.sqrt(Math.max(expected * (1 - expected), 1e-4) / n) + 1 / n;
}

describe("Evidently's other numerical methods agree with scipy", () => {
  it("anderson: anderson_ksamp's statistic and capped significance level", () => {
    expect(reference.anderson.length).toBeGreaterThan(5);
    const bad = failures(reference.anderson, (c) => {
      const r = andersonDarling2(f64(c.sample1), f64(c.sample2));
      if (!closeTo(r.statistic, c.statistic, 1e-11)) return `statistic ${r.statistic} vs ${c.statistic}`;
      if (!pValueClose(r.pValue, c.pvalue, 1e-9)) return `p ${r.pValue} vs ${c.pvalue}`;
      return undefined;
    });
    expect(bad).toEqual([]);
    expect(new Set(reference.anderson.map((c) => c.pvalue)).has(0.25)).toBe(true);
    expect(new Set(reference.anderson.map((c) => c.pvalue)).has(0.001)).toBe(true);
  });

  it("cramer_von_mises: cramervonmises_2samp, exact (≤ 20 a side) and asymptotic", () => {
    const bad = failures(reference.cramerVonMises, (c) => {
      const r = cramerVonMises2(f64(c.sample1), f64(c.sample2));
      if (!closeTo(r.statistic, c.statistic, 1e-11)) return `statistic ${r.statistic} vs ${c.statistic}`;
      // The asymptotic p is 1 − CDF in scipy too, so its error is absolute (~1e-15), not relative, near 0.
      if (Math.abs(r.pValue - c.pvalue) > Math.max(1e-8 * c.pvalue, 1e-13)) {
        return `p ${r.pValue} (${r.mode}) vs ${c.pvalue}`;
      }
      return undefined;
    });
    expect(bad).toEqual([]);
    const modes = reference.cramerVonMises.map((c) => cramerVonMises2(f64(c.sample1), f64(c.sample2)).mode);
    expect(new Set(modes)).toEqual(new Set(["exact", "asymptotic"]));
  });

  it("ed: energy_distance", () => {
    const bad = failures(reference.energy, (c) => {
      const d = energyDistance(f64(c.sample1), f64(c.sample2));
      return closeTo(d, c.distance, 1e-12) ? undefined : `${d} vs ${c.distance}`;
    });
    expect(bad).toEqual([]);
  });

  it("es: epps_singleton_2samp, with the small-sample correction", () => {
    expect(reference.eppsSingleton.length).toBeGreaterThan(5);
    const bad = failures(reference.eppsSingleton, (c) => {
      const r = eppsSingleton2(f64(c.sample1), f64(c.sample2));
      if (!closeTo(r.statistic, c.statistic, 1e-8)) return `W ${r.statistic} vs ${c.statistic}`;
      if (!pValueClose(r.pValue, c.pvalue, 1e-7)) return `p ${r.pValue} vs ${c.pvalue}`;
      return undefined;
    });
    expect(bad).toEqual([]);
  });

  it("mannw: mannwhitneyu for each alternative, exact and asymptotic", () => {
    const bad = failures(reference.mannWhitney, (c) => {
      const r = mannWhitneyU(f64(c.sample1), f64(c.sample2), c.alternative);
      if (!closeTo(r.statistic, c.statistic, 1e-12)) return `U ${r.statistic} vs ${c.statistic}`;
      if (!pValueClose(r.pValue, c.pvalue, 1e-9)) return `p ${r.pValue} (${r.mode}) vs ${c.pvalue}`;
      return undefined;
    });
    expect(bad).toEqual([]);
  });

  it("t_test: ttest_ind, Student's and Welch's", () => {
    const bad = failures(reference.tTest, (c) => {
      const r = tTest(sampleMoments(f64(c.sample1)), sampleMoments(f64(c.sample2)), c.equalVar);
      if (!closeTo(r.statistic, c.statistic, 1e-10)) return `t ${r.statistic} vs ${c.statistic}`;
      if (!pValueClose(r.pValue, c.pvalue, 1e-9)) return `p ${r.pValue} vs ${c.pvalue}`;
      return undefined;
    });
    expect(bad).toEqual([]);
  });

  it("empirical_mmd: the MMD² and σ exactly, the seeded p-value within Monte-Carlo error", () => {
    const bad = failures(reference.mmd, (c) => {
      const r = mmdPermutationTest(f64(c.sample1), f64(c.sample2), 100, 0);
      if (!closeTo(r.sigma, c.sigma, 1e-12)) return `σ ${r.sigma} vs ${c.sigma}`;
      if (!closeTo(r.statistic, c.statistic, 1e-10)) return `MMD² ${r.statistic} vs ${c.statistic}`;
      if (!withinMonteCarlo(r.pValue, c.pvalue, 100)) return `p ${r.pValue} vs ${c.pvalue}`;
      return undefined;
    });
    expect(bad).toEqual([]);
  });
});

describe("Evidently's other categorical methods agree with scipy", () => {
  it("fisher_exact: fisher_exact's two-sided p-value", () => {
    const bad = failures(reference.fisherExact, (c) => {
      const [[a, b], [cc, d]] = c.table;
      const r = fisherExact2x2(a, b, cc, d);
      return pValueClose(r.pValue, c.pvalue, 1e-10) ? undefined : `${r.pValue} vs ${c.pvalue}`;
    });
    expect(bad).toEqual([]);
  });

  it("g_test: power_divergence(log-likelihood) against the scaled reference; unseen category → p = 0", () => {
    const bad = failures(reference.gTest, (c) => {
      const n = c.current.reduce((x, y) => x + y, 0) / c.reference.reduce((x, y) => x + y, 0);
      const r = gTest(
        c.current,
        c.reference.map((v) => v * n),
      );
      const g = c.g ?? Number.POSITIVE_INFINITY;
      if (!(r.statistic === g || closeTo(r.statistic, g, 1e-12))) return `G ${r.statistic} vs ${g}`;
      return pValueClose(r.pValue, c.gPvalue, 1e-9) ? undefined : `p ${r.pValue} vs ${c.gPvalue}`;
    });
    expect(bad).toEqual([]);
    expect(reference.gTest.some((c) => c.g === null && c.gPvalue === 0)).toBe(true);
  });

  it("TVD: the distance exactly, the seeded permutation p-value within Monte-Carlo error", () => {
    const bad = failures(reference.tvd, (c) => {
      const r = tvdPermutationTest(c.reference, c.current, 1000, 0);
      if (!closeTo(r.statistic, c.statistic, 1e-14)) return `TVD ${r.statistic} vs ${c.statistic}`;
      return withinMonteCarlo(r.pValue, c.pvalue, 1000) ? undefined : `p ${r.pValue} vs ${c.pvalue}`;
    });
    expect(bad).toEqual([]);
    // Seeded: a rerun gives the same p-value.
    const c = reference.tvd[0]!;
    expect(tvdPermutationTest(c.reference, c.current, 1000, 0)).toEqual(
      tvdPermutationTest(c.reference, c.current, 1000, 0),
    );
  });
});
