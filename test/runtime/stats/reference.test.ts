import { describe, expect, it } from "vitest";
import {
  chiSquareContingency,
  chiSquareGoodnessOfFit,
  chiSquareSf,
  fillZeroSharesEvidently,
  hellingerDistance,
  histogramCounts,
  jensenShannonDistance,
  klDivergence,
  kolmogorovTwoSidedSf,
  ksTwoSample,
  ksTwoSamplePValue,
  lInfinityDistance,
  populationStabilityIndex,
  populationStd,
  sturgesEdges,
  toShares,
  twoProportionZTest,
  wassersteinDistance,
} from "../../../runtime/stats";
import { closeTo, pValueClose, reference } from "./fixture";

// Every expected value below was produced by scipy/numpy (versions in the fixture's meta), never by this code.
const f64 = (a: number[]) => Float64Array.from(a);

function failures<T>(cases: T[], check: (c: T) => string | undefined): string[] {
  return cases.map(check).filter((m): m is string => m !== undefined);
}

describe(`two-sample KS against scipy ${reference.meta.scipy}`, () => {
  it("has enough cases to mean something", () => {
    expect(reference.ks2samp.length).toBeGreaterThan(100);
  });

  it("matches ks_2samp statistic to 1e-12 and p-value to 1e-6 relative, for auto, exact and asymp", () => {
    const bad = failures(reference.ks2samp, (c) => {
      const out: string[] = [];
      for (const [mode, expected] of Object.entries(c.results)) {
        const r = ksTwoSample(f64(c.sample1), f64(c.sample2), { mode: mode as "auto" | "exact" | "asymp" });
        const tag = `n=(${c.sample1.length},${c.sample2.length}) ${mode}`;
        if (Math.abs(r.statistic - expected!.statistic) > 1e-12) {
          out.push(`${tag}: D ${r.statistic} vs ${expected!.statistic}`);
        }
        if (expected!.pvalue === null) {
          if (!Number.isNaN(r.pValue)) out.push(`${tag}: p ${r.pValue} vs scipy NaN`);
        } else if (!pValueClose(r.pValue, expected!.pvalue)) {
          out.push(`${tag}: p ${r.pValue} vs ${expected!.pvalue}`);
        }
      }
      return out.length ? out.join("; ") : undefined;
    });
    expect(bad).toEqual([]);
  });

  it("matches the exact and asymptotic p-value for given (D, n1, n2), including large lattices", () => {
    const bad = failures(reference.ksPValue, (c) => {
      const r = ksTwoSamplePValue(c.d, c.n1, c.n2, c.mode);
      if (r.mode !== c.mode) return `(${c.n1},${c.n2}) d=${c.d}: mode ${r.mode}`;
      return pValueClose(r.pValue, c.pvalue)
        ? undefined
        : `(${c.n1},${c.n2},${c.mode}) d=${c.d}: ${r.pValue} vs ${c.pvalue}`;
    });
    expect(bad).toEqual([]);
  });

  it("matches kstwo.sf over every branch of scipy's _kolmogn", () => {
    const bad = failures(reference.kstwoSf, (c) => {
      const p = kolmogorovTwoSidedSf(c.n, c.x);
      return pValueClose(p, c.sf) ? undefined : `n=${c.n} x=${c.x}: ${p} vs ${c.sf}`;
    });
    expect(bad).toEqual([]);
  });
});

describe("Wasserstein against scipy.stats.wasserstein_distance", () => {
  it("matches to 1e-9, and the reference std matches numpy.std", () => {
    const bad = failures(reference.wasserstein, (c) => {
      const w = wassersteinDistance(f64(c.sample1), f64(c.sample2));
      const s = populationStd(f64(c.sample1));
      if (!closeTo(w, c.distance, 1e-9)) return `W ${w} vs ${c.distance}`;
      if (!closeTo(s, c.referenceStd, 1e-9)) return `std ${s} vs ${c.referenceStd}`;
      return undefined;
    });
    expect(bad).toEqual([]);
  });
});

describe("chi-squared against scipy", () => {
  it("matches chi2_contingency (with and without Yates) to 1e-9, dof exactly, p to 1e-6", () => {
    const bad = failures(reference.chi2Contingency, (c) => {
      const r = chiSquareContingency(c.reference, c.current, c.yates);
      if (r.degreesOfFreedom !== c.dof) return `dof ${r.degreesOfFreedom} vs ${c.dof}`;
      if (!closeTo(r.statistic, c.statistic, 1e-9)) return `chi2 ${r.statistic} vs ${c.statistic}`;
      return pValueClose(r.pValue, c.pvalue) ? undefined : `p ${r.pValue} vs ${c.pvalue}`;
    });
    expect(bad).toEqual([]);
  });

  it("matches chisquare (goodness of fit)", () => {
    const bad = failures(reference.chiSquareGof, (c) => {
      const r = chiSquareGoodnessOfFit(c.observed, c.expected);
      if (!closeTo(r.statistic, c.statistic, 1e-9)) return `chi2 ${r.statistic} vs ${c.statistic}`;
      return pValueClose(r.pValue, c.pvalue) ? undefined : `p ${r.pValue} vs ${c.pvalue}`;
    });
    expect(bad).toEqual([]);
  });

  it("matches chi2.sf from tiny to huge degrees of freedom", () => {
    const bad = failures(reference.chi2Sf, (c) => {
      const p = chiSquareSf(c.x, c.df);
      return pValueClose(p, c.sf) ? undefined : `x=${c.x} df=${c.df}: ${p} vs ${c.sf}`;
    });
    expect(bad).toEqual([]);
  });
});

describe("binning and binned distances against numpy/scipy with Evidently's rules", () => {
  it("reproduces numpy.histogram_bin_edges(bins='sturges') exactly", () => {
    const bad = failures(reference.sturgesEdges, (c) => {
      const e = sturgesEdges(c.min, c.max, c.size);
      return JSON.stringify(e) === JSON.stringify(c.edges) ? undefined : `${JSON.stringify(c)} got ${e}`;
    });
    expect(bad).toEqual([]);
  });

  it("reproduces the binned shares, the zero fill, PSI, KL and JS (base e and 2)", () => {
    const bad = failures(reference.binned, (c) => {
      const out: string[] = [];
      if (c.sample1 && c.sample2 && c.edges) {
        const edges = sturgesEdges(
          Math.min(...c.sample1, ...c.sample2),
          Math.max(...c.sample1, ...c.sample2),
          c.sample1.length + c.sample2.length,
        );
        if (JSON.stringify(edges) !== JSON.stringify(c.edges)) out.push("edges differ");
        const r = toShares(histogramCounts(c.sample1, edges).counts, c.sample1.length);
        const k = toShares(histogramCounts(c.sample2, edges).counts, c.sample2.length);
        if (JSON.stringify(Array.from(r)) !== JSON.stringify(c.referenceShares)) out.push("reference shares");
        if (JSON.stringify(Array.from(k)) !== JSON.stringify(c.currentShares)) out.push("current shares");
      }
      const rf = fillZeroSharesEvidently(c.referenceShares);
      const cf = fillZeroSharesEvidently(c.currentShares);
      if (JSON.stringify(Array.from(rf)) !== JSON.stringify(c.referenceFilled)) out.push("reference fill");
      if (JSON.stringify(Array.from(cf)) !== JSON.stringify(c.currentFilled)) out.push("current fill");
      const psi = populationStabilityIndex(rf, cf);
      const kl = klDivergence(rf, cf);
      const jsE = jensenShannonDistance(c.referenceShares, c.currentShares);
      const js2 = jensenShannonDistance(c.referenceShares, c.currentShares, 2);
      if (!closeTo(psi, c.psi, 1e-9)) out.push(`psi ${psi} vs ${c.psi}`);
      if (!closeTo(kl, c.kl, 1e-9)) out.push(`kl ${kl} vs ${c.kl}`);
      if (!closeTo(jsE, c.jsE, 1e-9)) out.push(`jsE ${jsE} vs ${c.jsE}`);
      if (!closeTo(js2, c.js2, 1e-9)) out.push(`js2 ${js2} vs ${c.js2}`);
      return out.length ? out.join("; ") : undefined;
    });
    expect(bad).toEqual([]);
  });

  it("matches jensenshannon (bases e, 2, 10) on unnormalised vectors with empty bins, entropy, Hellinger, L-inf", () => {
    const bad = failures(reference.vectors, (c) => {
      const out: string[] = [];
      const checks: [string, number, number][] = [
        ["jsE", jensenShannonDistance(c.p, c.q), c.jsE],
        ["js2", jensenShannonDistance(c.p, c.q, 2), c.js2],
        ["js10", jensenShannonDistance(c.p, c.q, 10), c.js10],
        ["kl", klDivergence(c.klQPp, c.klQPq), c.klQP],
      ];
      const sp = c.p.reduce((a, b) => a + b, 0);
      const sq = c.q.reduce((a, b) => a + b, 0);
      const pn = c.p.map((x) => x / sp);
      const qn = c.q.map((x) => x / sq);
      checks.push(
        ["hellinger", hellingerDistance(pn, qn), c.hellinger],
        ["linf", lInfinityDistance(pn, qn), c.linf],
      );
      for (const [name, got, want] of checks)
        if (!closeTo(got, want, 1e-9)) out.push(`${name} ${got} vs ${want}`);
      return out.length ? out.join("; ") : undefined;
    });
    expect(bad).toEqual([]);
  });
});

describe("two-proportion Z-test against Evidently's formula", () => {
  it("matches z to 1e-12 and the two-sided p-value (norm.sf) to 1e-6", () => {
    const bad = failures(reference.ztest, (c) => {
      const r = twoProportionZTest(c.s1, c.n1, c.s2, c.n2);
      if (!closeTo(r.statistic, c.z, 1e-12)) return `z ${r.statistic} vs ${c.z}`;
      return pValueClose(r.pValue, c.pvalue) ? undefined : `p ${r.pValue} vs ${c.pvalue}`;
    });
    expect(bad).toEqual([]);
  });
});
