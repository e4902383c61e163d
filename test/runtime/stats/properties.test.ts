import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  benjaminiHochberg,
  bonferroni,
  chiSquareContingency,
  jensenShannonDistance,
  ksTwoSample,
  sortedCopy,
  wassersteinDistance,
} from "../../../runtime/stats";

/** Deterministic normal samples (Box–Muller over a seeded LCG) so failures reproduce. */
function normalSample(n: number, mean: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 1) / 4294967297;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}

const finiteDoubles = fc.double({ noNaN: true, noDefaultInfinity: true });

describe("sortedCopy (radix sort for large arrays)", () => {
  it("orders exactly like Float64Array.prototype.sort, including -0, denormals and extremes", () => {
    const special = [
      -0,
      0,
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      1,
      -1,
      2 ** -1074,
    ];
    fc.assert(
      fc.property(
        fc.array(finiteDoubles, { minLength: 1, maxLength: 64 }),
        fc.integer({ min: 4096, max: 9000 }),
        (seed, n) => {
          const values = new Float64Array(n);
          for (let i = 0; i < n; i++)
            values[i] = i % 3 === 0 ? special[i % special.length]! : seed[i % seed.length]! * (i % 7);
          const ours = sortedCopy(values);
          const builtin = Float64Array.from(values).sort();
          for (let i = 0; i < n; i++) if (!Object.is(ours[i], builtin[i])) return false;
          return ours.length === n;
        },
      ),
      { numRuns: 25 },
    );
  });

  it("handles large arrays of one repeated value, and of ±0 only (passes with a single digit are skipped)", () => {
    expect(Array.from(sortedCopy(new Float64Array(5000).fill(-3.5)))).toEqual(new Array(5000).fill(-3.5));
    const zeros = Float64Array.from({ length: 6000 }, (_, i) => (i % 2 ? 0 : -0));
    const sorted = sortedCopy(zeros);
    expect(sorted.slice(0, 3000).every((z) => Object.is(z, -0))).toBe(true);
    expect(sorted.slice(3000).every((z) => Object.is(z, 0))).toBe(true);
    const sub = normalSample(10_000, 0, 9).subarray(1000, 9000); // a view with a byte offset
    expect(sortedCopy(sub)).toEqual(Float64Array.from(sub).sort());
  });

  it("never mutates its input", () => {
    const values = normalSample(5000, 0, 3);
    const copy = Float64Array.from(values);
    sortedCopy(values);
    expect(values).toEqual(copy);
  });
});

describe("KS and Wasserstein properties", () => {
  it("a sample against itself (any order) shows no drift: D = 0, p = 1, W = 0", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (xs) => {
          const a = Float64Array.from(xs);
          const b = Float64Array.from(xs).reverse();
          const r = ksTwoSample(a, b);
          return r.statistic === 0 && r.pValue === 1 && wassersteinDistance(a, b) === 0;
        },
      ),
    );
  });

  it("detects a one-standard-deviation location shift", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 200, max: 2000 }), (seed, n) => {
        const a = normalSample(n, 0, seed);
        const b = normalSample(n + 17, 1, seed + 7919);
        return ksTwoSample(a, b).pValue < 1e-6;
      }),
      { numRuns: 30 },
    );
  });

  it("does not flag two samples from the same distribution too often (p < 0.01 in ≲ 1% + slack of runs)", () => {
    let rejections = 0;
    const runs = 200;
    for (let k = 0; k < runs; k++) {
      const r = ksTwoSample(normalSample(300, 0, 1000 + k), normalSample(250, 0, 5000 + k));
      if (r.pValue < 0.01) rejections++;
    }
    // Under the null, Pr(p < 0.01) ≤ 0.01; 200 runs → expect ≈ 2, and > 8 has probability < 1e-3.
    expect(rejections).toBeLessThanOrEqual(8);
  });

  it("Wasserstein is symmetric and equals |c| for a translation by c", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: -50, max: 50 }),
        (xs, c) => {
          const a = Float64Array.from(xs);
          const b = a.map((x) => x + c);
          const w = wassersteinDistance(a, b);
          return Math.abs(w - Math.abs(c)) < 1e-9 && w === wassersteinDistance(b, a);
        },
      ),
    );
  });
});

describe("distances on share vectors", () => {
  const shares = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 30 });
  it("Jensen–Shannon is symmetric, 0 on identical vectors, ≤ √ln2 (base e) and ≤ 1 (base 2)", () => {
    fc.assert(
      fc.property(shares, shares, (p0, q0) => {
        const n = Math.min(p0.length, q0.length);
        const p = p0.slice(0, n).map((x, i) => x + (i === 0 ? 1e-3 : 0));
        const q = q0.slice(0, n).map((x, i) => x + (i === 1 ? 1e-3 : 0));
        const d = jensenShannonDistance(p, q);
        return (
          Math.abs(d - jensenShannonDistance(q, p)) < 1e-12 &&
          jensenShannonDistance(p, p) < 1e-7 &&
          d <= Math.sqrt(Math.LN2) + 1e-12 &&
          jensenShannonDistance(p, q, 2) <= 1 + 1e-12
        );
      }),
    );
  });

  it("Jensen–Shannon stays finite when a share is so small that its half underflows", () => {
    // fast-check's counterexample (seed -314022344): 5e-324 / 2 is 0, which made M = 0 beside p > 0.
    const p = [1e-3, 0.6656666666666667, 5e-324];
    const q = [0, 1e-3, 0];
    const d = jensenShannonDistance(p, q);
    expect(Number.isFinite(d)).toBe(true);
    expect(d).toBe(jensenShannonDistance(q, p));
    expect(jensenShannonDistance(p, [1e-3, 0.6656666666666667, 0])).toBeLessThan(1e-7);
  });

  it("chi-squared of proportional count vectors is 0 with p = 1", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 3, maxLength: 40 }),
        fc.integer({ min: 1, max: 9 }),
        (xs, k) => {
          const r = chiSquareContingency(
            xs,
            xs.map((x) => x * k),
          );
          return r.statistic < 1e-9 && r.pValue > 1 - 1e-9 && r.degreesOfFreedom === xs.length - 1;
        },
      ),
    );
  });
});

describe("multiple-testing corrections", () => {
  const pvals = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 60 });

  it("Bonferroni is min(1, p·m)", () => {
    fc.assert(fc.property(pvals, (p) => bonferroni(p).every((a, i) => a === Math.min(1, p[i]! * p.length))));
  });

  it("Benjamini–Hochberg adjusted p-values are ≥ raw, ≤ Bonferroni, monotone in the raw order, ≤ 1", () => {
    fc.assert(
      fc.property(pvals, (p) => {
        const adj = benjaminiHochberg(p);
        const bon = bonferroni(p);
        const okEach = adj.every((a, i) => a >= p[i]! - 1e-15 && a <= bon[i]! + 1e-15 && a <= 1);
        const okOrder = p.every((pi, i) => p.every((pj, j) => !(pi < pj) || adj[i]! <= adj[j]! + 1e-15));
        return okEach && okOrder;
      }),
    );
  });

  it("Benjamini–Hochberg rejects exactly the k smallest, k = max{i : p_(i) ≤ i·q/m} (the step-up rule)", () => {
    fc.assert(
      fc.property(pvals, fc.double({ min: 0.001, max: 0.5, noNaN: true }), (p, q) => {
        const m = p.length;
        const sorted = [...p].sort((a, b) => a - b);
        let k = 0;
        for (let i = 1; i <= m; i++) if (sorted[i - 1]! <= (i * q) / m) k = i;
        const rejected = benjaminiHochberg(p).filter((a) => a <= q).length;
        return rejected === k;
      }),
    );
  });

  it("known example: BH and Bonferroni on five p-values", () => {
    const p = [0.01, 0.04, 0.03, 0.005, 0.5];
    // By hand: sorted 0.005,0.01,0.03,0.04,0.5 → ·5/rank = 0.025,0.025,0.05,0.05,0.5, running minimum from the top.
    expect(benjaminiHochberg(p).map((x) => Number(x.toFixed(12)))).toEqual([0.025, 0.05, 0.05, 0.025, 0.5]);
    expect(bonferroni(p).map((x) => Number(x.toFixed(12)))).toEqual([0.05, 0.2, 0.15, 0.025, 1]);
  });
});
