import { describe, expect, it } from "vitest";
import {
  type ColumnDriftOutcome,
  type ColumnDriftResult,
  detectColumnDrift,
  type NumericCurrentSummary,
  SKETCH_GRID,
} from "../../../runtime/drift";
import { ksTwoSample, wassersteinDistance } from "../../../runtime/stats";
import { sample, sketchOf, summaryOf } from "./helpers";

function ok(o: ColumnDriftOutcome): ColumnDriftResult {
  if (o.status !== "ok") throw new Error(`expected a result, got error: ${o.error.message}`);
  return o;
}

describe("numeric drift from a profile (sketch)", () => {
  const ref = sample(3000, 0, 11);
  const cur = sample(2500, 0.15, 29);

  it("KS from an exact sketch brackets the exact statistic within the grid resolution", () => {
    const exact = ksTwoSample(ref, cur);
    const r = ok(
      detectColumnDrift(
        { name: "x", reference: summaryOf(ref), current: { kind: "numerical", values: cur } },
        { method: "ks" },
      ),
    );
    expect(r.computation.mode).toBe("sketch");
    if (r.computation.mode !== "sketch") return;
    const [lo, hi] = r.computation.statisticBounds!;
    expect(lo).toBeLessThanOrEqual(exact.statistic);
    expect(hi).toBeGreaterThanOrEqual(exact.statistic);
    expect(hi - lo).toBeLessThanOrEqual(1 / SKETCH_GRID + 1e-12);
    expect(r.details).toMatchObject({ ksMode: "asymp" });
    const { pValueMin, pValueMax } = r.details as { pValueMin: number; pValueMax: number };
    expect(pValueMin).toBeLessThanOrEqual(r.pValue!);
    expect(pValueMax).toBeGreaterThanOrEqual(r.pValue!);
    expect(r.referenceNullCount).toBe(4);
    expect(r.drifted).toBe(exact.pValue <= 0.05);
  });

  it("with a sketch that errs by up to ε, the reported bounds still contain the exact KS statistic and L∞", () => {
    const eps = 0.01;
    const exact = ksTwoSample(ref, cur).statistic;
    for (const method of ["ks", "linf"] as const) {
      const r = ok(
        detectColumnDrift(
          { name: "x", reference: summaryOf(ref, eps), current: { kind: "numerical", values: cur } },
          { method },
        ),
      );
      if (r.computation.mode !== "sketch") throw new Error("expected sketch mode");
      expect(r.computation.rankErrorBound).toBe(eps);
      expect(r.computation.rankErrorConfidence).toBe(0.99);
      const [lo, hi] = r.computation.statisticBounds!;
      expect(lo).toBeLessThanOrEqual(exact);
      expect(hi).toBeGreaterThanOrEqual(exact);
    }
  });

  it("Wasserstein from a sketch lies within its bound of the exact value", () => {
    const exactRaw = wassersteinDistance(ref, cur);
    const r = ok(
      detectColumnDrift(
        { name: "x", reference: summaryOf(ref, 0.005), current: { kind: "numerical", values: cur } },
        { method: "wasserstein", wassersteinNormalize: false },
      ),
    );
    if (r.computation.mode !== "sketch") throw new Error("expected sketch mode");
    const [lo, hi] = r.computation.statisticBounds!;
    expect(lo).toBeLessThanOrEqual(exactRaw);
    expect(hi).toBeGreaterThanOrEqual(exactRaw);
    expect(Math.abs(r.statistic - exactRaw)).toBeLessThan(0.02);
  });

  it("defaults follow the profile's row count: Wasserstein for > 1000 rows, KS for small profiles", () => {
    expect(
      ok(
        detectColumnDrift({
          name: "x",
          reference: summaryOf(ref),
          current: { kind: "numerical", values: cur },
        }),
      ).method,
    ).toBe("wasserstein");
    const small = ref.subarray(0, 800);
    expect(
      ok(
        detectColumnDrift({
          name: "x",
          reference: summaryOf(small),
          current: { kind: "numerical", values: cur },
        }),
      ).method,
    ).toBe("ks");
  });

  it("binned methods use the profile's histogram and put out-of-range current values in their own bins", () => {
    const summary = summaryOf(ref);
    const wide = Float64Array.from(cur, (x, i) => (i % 10 === 0 ? x + 100 : i % 10 === 1 ? x - 100 : x));
    const r = ok(
      detectColumnDrift(
        { name: "x", reference: summary, current: { kind: "numerical", values: wide } },
        { method: "psi" },
      ),
    );
    expect(r.histogram).toMatchObject({ kind: "numerical", edges: summary.histogram.edges });
    if (r.histogram.kind !== "numerical") return;
    expect(r.histogram.currentAboveShare).toBeCloseTo(0.1, 2);
    expect(r.histogram.currentBelowShare).toBeCloseTo(0.1, 2);
    expect(r.details).toMatchObject({
      binning: "reference-histogram",
      bins: summary.histogram.counts.length + 2,
    });
    expect(r.drifted).toBe(true);
    const js = ok(
      detectColumnDrift(
        { name: "x", reference: summary, current: { kind: "numerical", values: ref } },
        { method: "jensenshannon" },
      ),
    );
    expect(js.statistic).toBeLessThan(1e-7);
  });

  it("a broken summary is an error naming the field", () => {
    const bad = { ...summaryOf(ref), histogram: { edges: [0, 1], counts: [1, 2] } };
    const o = detectColumnDrift({ name: "x", reference: bad, current: { kind: "numerical", values: cur } });
    expect(o).toMatchObject({ status: "error", error: { code: "invalid-summary" } });
    expect(o.status === "error" && o.error.message).toMatch(/Column 'x': reference\.histogram\.edges/);
    const noEps = {
      ...summaryOf(ref),
      sketch: { cdf: () => 0, quantile: () => 0, rankErrorBound: Number.NaN },
    };
    expect(
      detectColumnDrift({ name: "x", reference: noEps, current: { kind: "numerical", values: cur } }),
    ).toMatchObject({
      status: "error",
      error: { message: expect.stringMatching(/rankErrorBound/) },
    });
    const chi = detectColumnDrift(
      { name: "x", reference: summaryOf(ref), current: { kind: "numerical", values: cur } },
      { method: "chisquare" },
    );
    expect(chi).toMatchObject({ status: "error", error: { code: "kind-mismatch" } });
  });
});

describe("categorical drift from a top-k profile", () => {
  const counts = { a: 500, b: 300, c: 150, d: 40, e: 10 };
  const current = new Map(Object.entries({ a: 420, b: 330, c: 160, d: 50, e: 20, z: 25 }));

  it("a complete top-k (other = 0) is exact and equals the raw-count result, unseen categories included", () => {
    const raw = ok(
      detectColumnDrift({
        name: "c",
        reference: { kind: "categorical", counts: new Map(Object.entries(counts)) },
        current: { kind: "categorical", counts: current },
      }),
    );
    const topK = Object.entries(counts).map(([value, count]) => ({ value, count }));
    const fromProfile = ok(
      detectColumnDrift({
        name: "c",
        reference: { kind: "categorical-summary", count: 1000, nullCount: 0, topK, otherCount: 0 },
        current: { kind: "categorical", counts: current },
      }),
    );
    expect(fromProfile.computation).toEqual({ mode: "exact" });
    expect(fromProfile.method).toBe(raw.method);
    expect(fromProfile.statistic).toBeCloseTo(raw.statistic, 14);
    expect(fromProfile.pValue).toBeCloseTo(raw.pValue!, 14);
    expect(fromProfile.histogram).toEqual(raw.histogram);
  });

  it("a truncated top-k folds every other category, on both sides, into one bucket and says so", () => {
    const r = ok(
      detectColumnDrift(
        {
          name: "c",
          reference: {
            kind: "categorical-summary",
            count: 1000,
            nullCount: 2,
            topK: [
              { value: "a", count: 500 },
              { value: "b", count: 300 },
            ],
            otherCount: 200,
          },
          current: { kind: "categorical", counts: current },
        },
        { method: "chisquare" },
      ),
    );
    expect(r.computation.mode).toBe("sketch");
    expect(r.histogram).toMatchObject({ categories: ["a", "b", "(other)"], otherLabel: "(other)" });
    expect(r.histogram.referenceShares).toEqual([0.5, 0.3, 0.2]);
    expect(r.histogram.currentShares[2]).toBeCloseTo(255 / 1005, 12);
    expect(r.degreesOfFreedom).toBe(2);
  });
});

describe("numeric drift between two profiles (a sharded run's merged current window)", () => {
  const ref = sample(3000, 0, 11);
  const cur = sample(2500, 0.15, 29);
  const currentSummary = (values: Float64Array, eps = 0): NumericCurrentSummary => ({
    kind: "numerical-summary",
    count: values.length,
    nullCount: 7,
    min: Math.min(...values),
    max: Math.max(...values),
    sketch: sketchOf(values, eps),
  });

  it("KS, L∞ and Wasserstein bounds contain the exact statistics, with both sketches' errors added", () => {
    const epsRef = 0.01;
    const epsCur = 0.005;
    const exactD = ksTwoSample(ref, cur).statistic;
    const exactW = wassersteinDistance(ref, cur);
    for (const method of ["ks", "linf", "wasserstein"] as const) {
      const r = ok(
        detectColumnDrift(
          { name: "x", reference: summaryOf(ref, epsRef), current: currentSummary(cur, epsCur) },
          { method, wassersteinNormalize: false },
        ),
      );
      if (r.computation.mode !== "sketch") throw new Error("expected sketch mode");
      expect(r.computation.rankErrorBound).toBeCloseTo(epsRef + epsCur, 15);
      // Union bound over the two randomised sketches.
      expect(r.computation.rankErrorConfidence).toBeCloseTo(0.98, 15);
      expect(r.computation.note).toMatch(/current window's quantile sketch/);
      const exact = method === "wasserstein" ? exactW : exactD;
      const [lo, hi] = r.computation.statisticBounds!;
      expect(lo).toBeLessThanOrEqual(exact);
      expect(hi).toBeGreaterThanOrEqual(exact);
      expect(r.currentCount).toBe(cur.length);
      expect(r.currentNullCount).toBe(7);
    }
  });

  it("with exact sketches the statistics match the exact ones to the grid resolution, and the verdicts agree", () => {
    for (const [values, expectDrift] of [
      [sample(2500, 0, 31), false],
      [cur, true],
    ] as const) {
      const exact = ok(
        detectColumnDrift(
          { name: "x", reference: summaryOf(ref), current: { kind: "numerical", values } },
          { method: "wasserstein" },
        ),
      );
      const sketched = ok(
        detectColumnDrift(
          { name: "x", reference: summaryOf(ref), current: currentSummary(values) },
          { method: "wasserstein" },
        ),
      );
      expect(Math.abs(sketched.statistic - exact.statistic)).toBeLessThan(2 / SKETCH_GRID);
      expect(sketched.drifted).toBe(expectDrift);
      expect(exact.drifted).toBe(expectDrift);
    }
  });

  it("binned methods read the current shares off the current sketch, out-of-range mass included", () => {
    const summary = summaryOf(ref);
    const wide = Float64Array.from(cur, (x, i) => (i % 10 === 0 ? x + 100 : i % 10 === 1 ? x - 100 : x));
    const exact = ok(
      detectColumnDrift(
        { name: "x", reference: summary, current: { kind: "numerical", values: wide } },
        { method: "psi" },
      ),
    );
    const sketched = ok(
      detectColumnDrift({ name: "x", reference: summary, current: currentSummary(wide) }, { method: "psi" }),
    );
    if (sketched.histogram.kind !== "numerical" || exact.histogram.kind !== "numerical")
      throw new Error("numeric");
    // An exact sketch gives exactly the shares that binning the values gives.
    expect(sketched.histogram.currentShares).toEqual(
      exact.histogram.currentShares.map((s) => expect.closeTo(s, 12)),
    );
    expect(sketched.histogram.currentBelowShare).toBeCloseTo(0.1, 12);
    expect(sketched.histogram.currentAboveShare).toBeCloseTo(0.1, 12);
    expect(sketched.statistic).toBeCloseTo(exact.statistic, 10);
    expect(sketched.computation.mode === "sketch" && sketched.computation.note).toMatch(
      /read off the current window's sketch/,
    );
  });

  it("refuses a current summary against raw reference values, and a broken current summary, naming the field", () => {
    const mixed = detectColumnDrift({
      name: "x",
      reference: { kind: "numerical", values: ref },
      current: currentSummary(cur),
    });
    expect(mixed).toMatchObject({ status: "error", error: { code: "kind-mismatch" } });
    expect(mixed.status === "error" && mixed.error.message).toMatch(/current\.kind.*reference summary/);
    const empty = detectColumnDrift({
      name: "x",
      reference: summaryOf(ref),
      current: { ...currentSummary(cur), count: 0 },
    });
    expect(empty).toMatchObject({ status: "error", error: { code: "empty-sample" } });
    const inverted = detectColumnDrift({
      name: "x",
      reference: summaryOf(ref),
      current: { ...currentSummary(cur), min: 5, max: -5 },
    });
    expect(inverted.status === "error" && inverted.error.message).toMatch(/current\.min/);
  });
});
