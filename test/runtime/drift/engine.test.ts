import { describe, expect, it } from "vitest";
import {
  type ColumnDriftOutcome,
  type ColumnDriftResult,
  type DriftColumnInput,
  detectColumnDrift,
  detectDrift,
  isDrift,
  selectDefaultMethod,
} from "../../../runtime/drift";
import { pValueClose, reference } from "../stats/fixture";

const num = (values: ArrayLike<number>, nullCount?: number) => ({
  kind: "numerical" as const,
  values: Float64Array.from(values),
  ...(nullCount === undefined ? {} : { nullCount }),
});
const cat = (counts: Record<string, number>) => ({
  kind: "categorical" as const,
  counts: new Map(Object.entries(counts)),
});

function ok(o: ColumnDriftOutcome): ColumnDriftResult {
  if (o.status !== "ok") throw new Error(`expected a result, got error: ${o.error.message}`);
  return o;
}

/** Deterministic uniform-ish values: i-th of n spread over [lo, hi) with a scramble. */
function spread(n: number, lo: number, hi: number, salt = 0): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((((i * 7919 + salt) % n) + 0.5) / n) * (hi - lo));
}

describe("default method selection (Evidently's rules)", () => {
  it.each([
    ["numerical", 1000, 6, "ks"],
    ["numerical", 1000, 5, "chisquare"],
    ["numerical", 1000, 3, "chisquare"],
    ["numerical", 1000, 2, "z"],
    ["categorical", 1000, 3, "chisquare"],
    ["categorical", 1000, 2, "z"],
    ["categorical", 10, 1, "z"],
    ["numerical", 1001, 6, "wasserstein"],
    ["numerical", 1001, 5, "jensenshannon"],
    ["categorical", 1001, 2, "jensenshannon"],
    ["categorical", 1001, 500, "jensenshannon"],
    ["numerical", 1001, Number.POSITIVE_INFINITY, "wasserstein"],
  ] as const)("%s, %i reference rows, %s distinct → %s", (kind, rows, distinct, expected) => {
    expect(selectDefaultMethod(kind, rows, distinct)).toBe(expected);
  });

  it("cut-offs are configurable", () => {
    expect(selectDefaultMethod("numerical", 5000, 50, { smallReferenceMaxRows: 10_000 })).toBe("ks");
    expect(selectDefaultMethod("numerical", 500, 8, { lowCardinalityMaxDistinct: 10 })).toBe("chisquare");
    expect(selectDefaultMethod("categorical", 500, 3, { binaryMaxDistinct: 3 })).toBe("z");
  });

  it("the engine applies them to real columns", () => {
    const r = detectDrift([
      { name: "small", reference: num(spread(500, 0, 1)), current: num(spread(400, 0, 1, 3)) },
      { name: "large", reference: num(spread(5000, 0, 1)), current: num(spread(4000, 0, 1, 3)) },
      { name: "few", reference: num([1, 2, 3, 1, 2, 3, 1]), current: num([1, 2, 3, 3, 3]) },
      { name: "flag", reference: cat({ yes: 40, no: 60 }), current: cat({ yes: 50, no: 50 }) },
      { name: "city", reference: cat({ a: 400, b: 700 }), current: cat({ a: 10, b: 20, c: 5 }) },
    ]);
    expect(r.columns.map((c) => ok(c).method)).toEqual([
      "ks",
      "wasserstein",
      "chisquare",
      "z",
      "jensenshannon",
    ]);
    expect(r.columns.every((c) => ok(c).methodSource === "default")).toBe(true);
    const few = ok(r.columns[2]!);
    // Evidently's kind inference: an integer column with ≤ 5 distinct reference values is categorical, and the
    // result says why.
    expect(few.kind).toBe("categorical");
    expect(few.details?.kindInference).toMatch(/integer column with at most 5 distinct reference values/);
    // Reference categories first, most frequent first (ties by label).
    expect(few.histogram).toMatchObject({ kind: "categorical", categories: ["1", "2", "3"] });
    // Non-integers with few values stay numerical, and the default still compares them as categories.
    const halves = ok(
      detectColumnDrift({
        name: "halves",
        reference: num([1.5, 2.5, 3.5, 1.5, 2.5, 3.5, 1.5]),
        current: num([1.5, 2.5, 3.5, 3.5, 3.5]),
      }),
    );
    expect(halves).toMatchObject({ kind: "numerical", method: "chisquare" });
    expect(halves.details?.kindInference).toBeUndefined();
    expect(halves.pValue).toBe(few.pValue);
  });
});

describe("engine results agree with scipy through the whole pipeline", () => {
  it("default KS on a ≤ 1000-row reference reports scipy's ks_2samp p-value", () => {
    const cases = reference.ks2samp.filter(
      (c) => c.sample1.length <= 1000 && c.sample1.length >= 100 && c.results.auto?.pvalue != null,
    );
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases) {
      const r = ok(detectColumnDrift({ name: "x", reference: num(c.sample1), current: num(c.sample2) }));
      if (r.method !== "ks") continue; // tie-heavy samples can have ≤ 5 distinct values
      expect(Math.abs(r.statistic - c.results.auto!.statistic)).toBeLessThanOrEqual(1e-12);
      expect(pValueClose(r.pValue!, c.results.auto!.pvalue!)).toBe(true);
      expect(r.drifted).toBe(r.pValue! <= 0.05);
    }
  });

  it("default Wasserstein on a large reference is scipy's distance / max(numpy std, 0.001)", () => {
    const c = reference.wasserstein.find((w) => w.sample1.length === 2000)!;
    const r = ok(detectColumnDrift({ name: "x", reference: num(c.sample1), current: num(c.sample2) }));
    expect(r.method).toBe("wasserstein");
    expect(Math.abs(r.statistic - c.distance / Math.max(c.referenceStd, 0.001))).toBeLessThan(1e-9);
    expect(r.details).toMatchObject({ normalized: true });
  });

  it("PSI, KL and JS with Evidently's binning reproduce the numpy/scipy values", () => {
    const c = reference.binned.find((b) => b.sample1 !== null && b.sample1.length === 1000)!;
    const col = { name: "x", reference: num(c.sample1!), current: num(c.sample2!) };
    expect(ok(detectColumnDrift(col, { method: "psi" })).statistic).toBeCloseTo(c.psi, 9);
    expect(ok(detectColumnDrift(col, { method: "kl_div" })).statistic).toBeCloseTo(c.kl, 9);
    expect(ok(detectColumnDrift(col, { method: "jensenshannon" })).statistic).toBeCloseTo(c.jsE, 9);
    const js2 = ok(detectColumnDrift(col, { method: "jensenshannon", jsBase: 2 }));
    expect(js2.statistic).toBeCloseTo(c.js2, 9);
    expect(ok(detectColumnDrift(col, { method: "jensenshannon", jsDivergence: true })).statistic).toBeCloseTo(
      c.jsE ** 2,
      12,
    );
    const h = js2.histogram;
    expect(h.kind === "numerical" && h.edges).toEqual(c.edges);
  });
});

describe("Evidently's numeric Hellinger (Sturges over distinct values, densities)", () => {
  it("matches a copy of Evidently's computation to 1e-9", () => {
    expect(reference.hellingerNumeric.length).toBe(3);
    for (const c of reference.hellingerNumeric) {
      const r = ok(
        detectColumnDrift(
          { name: "h", reference: num(c.sample1), current: num(c.sample2) },
          { method: "hellinger" },
        ),
      );
      expect(Math.abs(r.statistic - c.hellinger)).toBeLessThan(1e-9);
    }
  });
});

describe("thresholds, directions and overrides", () => {
  it("applies each method's comparison (ks ≤, chisquare/z <, distances ≥, linf >)", () => {
    expect(isDrift("ks", 0.05, 0.05)).toBe(true);
    expect(isDrift("chisquare", 0.05, 0.05)).toBe(false);
    expect(isDrift("z", 0.0499, 0.05)).toBe(true);
    expect(isDrift("wasserstein", 0.1, 0.1)).toBe(true);
    expect(isDrift("linf", 0.1, 0.1)).toBe(false);
  });

  it("per-column method and threshold override the dataset's", () => {
    const cols: DriftColumnInput[] = [
      { name: "a", reference: num(spread(300, 0, 1)), current: num(spread(300, 0.05, 1.05)) },
      { name: "b", reference: num(spread(300, 0, 1)), current: num(spread(300, 0.05, 1.05)) },
    ];
    const r = detectDrift(cols, {
      numericalMethod: "wasserstein",
      threshold: 0.5,
      columns: { b: { method: "linf", threshold: 0.01 } },
    });
    const [a, b] = r.columns.map(ok);
    expect(a).toMatchObject({
      method: "wasserstein",
      methodSource: "config",
      threshold: 0.5,
      drifted: false,
    });
    expect(b).toMatchObject({ method: "linf", threshold: 0.01, drifted: true });
    expect(b!.statistic).toBeCloseTo(0.05, 2);
  });

  it("a bad per-column method or threshold is an error for that column only", () => {
    const r = detectDrift(
      [
        { name: "a", reference: num([1, 2, 3]), current: num([1, 2]) },
        { name: "b", reference: num([1, 2, 3]), current: num([1, 2]) },
        { name: "c", reference: num([1, 2, 3]), current: num([1, 2]) },
      ],
      {
        columns: {
          a: { method: "kolmogorov" as "ks" },
          b: { method: "ks", threshold: 5, kind: "numerical" },
        },
      },
    );
    expect(r.columns[0]).toMatchObject({ status: "error", error: { code: "invalid-option" } });
    expect((r.columns[0] as { error: { message: string } }).error.message).toMatch(
      /Column 'a': method.*kolmogorov.*ks, /,
    );
    expect((r.columns[1] as { error: { message: string } }).error.message).toMatch(
      /Column 'b': threshold.*5.*\(0, 1\]/,
    );
    expect(r.columns[2]!.status).toBe("ok");
  });

  it.each([
    [{ jsBase: 1 }, /jsBase.*1.*base > 0 other than 1/],
    [{ ksMode: "fast" }, /ksMode.*"fast"/],
    [{ bins: 0 }, /bins.*0/],
    [{ wassersteinMinStd: -1 }, /wassersteinMinStd/],
  ])("a bad method option %o is named in the column's error", (options, message) => {
    const o = detectColumnDrift(
      { name: "v", reference: num([1, 2, 3]), current: num([2, 3]) },
      options as object,
    );
    expect(o).toMatchObject({ status: "error", error: { code: "invalid-option" } });
    expect(o.status === "error" && o.error.message).toMatch(message);
  });

  it("rejects a bad dataset-level config outright", () => {
    expect(() => detectDrift([], { driftShare: 1.5 })).toThrow(/driftShare.*1\.5.*\[0, 1\]/);
    expect(() => detectDrift([], { correction: "holm" as "none" })).toThrow(/correction.*holm/);
  });
});

describe("dataset verdict and corrections", () => {
  const same = () => ({ reference: num(spread(200, 0, 1)), current: num(spread(180, 0, 1, 5)) });
  const shifted = () => ({ reference: num(spread(200, 0, 1)), current: num(spread(180, 0.5, 1.5, 5)) });

  it("drift share counts evaluated columns; errors are excluded and reported", () => {
    const r = detectDrift([
      { name: "s1", ...same() },
      { name: "d1", ...shifted() },
      { name: "broken", reference: num([1, Number.NaN]), current: num([1]) },
      { name: "s2", ...same() },
      { name: "d2", ...shifted() },
    ]);
    expect(r).toMatchObject({
      evaluatedCount: 4,
      driftedCount: 2,
      errorCount: 1,
      driftShare: 0.5,
      datasetDrift: true,
    });
    expect(r.columns[2]).toMatchObject({
      status: "error",
      column: "broken",
      error: { code: "non-finite-value" },
    });
    expect(
      detectDrift(
        [
          { name: "d1", ...shifted() },
          { name: "s1", ...same() },
        ],
        { driftShare: 0.51 },
      ).datasetDrift,
    ).toBe(false);
  });

  it("no evaluated column means no dataset drift, even with drift share 0", () => {
    const r = detectDrift([{ name: "x", reference: num([]), current: num([1]) }], { driftShare: 0 });
    expect(r).toMatchObject({ evaluatedCount: 0, errorCount: 1, driftShare: 0, datasetDrift: false });
  });

  it("Bonferroni and BH adjust p-values across test columns; distances are untouched", () => {
    // Three KS columns with increasing shifts and one Wasserstein column.
    const cols: DriftColumnInput[] = [0.08, 0.15, 0.3].map((s, i) => ({
      name: `k${i}`,
      reference: num(spread(300, 0, 1)),
      current: num(spread(300, s, 1 + s, 11)),
    }));
    cols.push({ name: "w", reference: num(spread(2000, 0, 1)), current: num(spread(2000, 0.3, 1.3)) });
    const none = detectDrift(cols);
    const bon = detectDrift(cols, { correction: "bonferroni" });
    const bh = detectDrift(cols, { correction: "benjamini-hochberg" });
    const raw = none.columns.slice(0, 3).map((c) => ok(c).pValue!);
    bon.columns.slice(0, 3).forEach((c, i) => {
      expect(ok(c).adjustedPValue).toBeCloseTo(Math.min(1, raw[i]! * 3), 14);
      expect(ok(c).score).toBe(ok(c).adjustedPValue);
      expect(ok(c).drifted).toBe(ok(c).adjustedPValue! <= 0.05);
    });
    expect(bon).toMatchObject({ correction: "bonferroni", correctedTests: 3 });
    expect(ok(bh.columns[3]!)).toEqual(ok(none.columns[3]!));
    for (let i = 0; i < 3; i++) {
      const b = ok(bh.columns[i]!).adjustedPValue!;
      expect(b).toBeGreaterThanOrEqual(raw[i]!);
      expect(b).toBeLessThanOrEqual(ok(bon.columns[i]!).adjustedPValue!);
    }
  });
});

describe("categorical columns", () => {
  it("chi2_contingency gives a category unseen in the reference its own bin: finite χ², detected drift", () => {
    const r = ok(
      detectColumnDrift(
        {
          name: "country",
          reference: cat({ fr: 300, de: 200, it: 100 }),
          current: cat({ fr: 100, de: 70, it: 30, es: 60 }),
        },
        { method: "chi2_contingency" },
      ),
    );
    expect(Number.isFinite(r.statistic)).toBe(true);
    expect(r.degreesOfFreedom).toBe(3);
    expect(r.pValue).toBeLessThan(1e-10);
    expect(r.drifted).toBe(true);
    expect(r.histogram).toMatchObject({ kind: "categorical", categories: ["fr", "de", "it", "es"] });
    expect(r.histogram.referenceShares[3]).toBe(0);
    expect(r.histogram.currentShares[3]).toBeCloseTo(60 / 260, 12);
  });

  it("the Z-test refuses more than two values with a clear error", () => {
    const o = detectColumnDrift(
      { name: "c", reference: cat({ a: 1, b: 2, c: 3 }), current: cat({ a: 1 }) },
      { method: "z" },
    );
    expect(o).toMatchObject({ status: "error", error: { code: "not-binary" } });
  });

  it("100,000 distinct categories work and the plot is folded to a readable size", () => {
    const ref = new Map<string, number>();
    const cur = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) {
      ref.set(`id-${i}`, 20);
      cur.set(`id-${i}`, i < 50_000 ? 10 : 30);
    }
    const r = detectDrift(
      [
        {
          name: "user",
          reference: { kind: "categorical", counts: ref },
          current: { kind: "categorical", counts: cur },
        },
      ],
      { columns: { user: { method: "chisquare" } } },
    );
    const c = ok(r.columns[0]!);
    expect(c.degreesOfFreedom).toBe(99_999);
    expect(c.referenceCount).toBe(2_000_000);
    expect(c.currentCount).toBe(2_000_000);
    expect(c.pValue).toBeLessThan(1e-6);
    expect(c.histogram.kind === "categorical" && c.histogram.categories.length).toBe(50);
    expect(c.histogram.referenceShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const js = ok(
      detectDrift([
        {
          name: "user",
          reference: { kind: "categorical", counts: ref },
          current: { kind: "categorical", counts: cur },
        },
      ]).columns[0]!,
    );
    expect(js.method).toBe("jensenshannon");
  });

  it("numbers can be compared as categories on request", () => {
    const r = ok(
      detectColumnDrift(
        { name: "code", reference: num([1, 1, 2, 3]), current: num([1, 2, 2, 9]) },
        { kind: "categorical" },
      ),
    );
    expect(r.kind).toBe("categorical");
    expect(r.histogram).toMatchObject({ categories: ["1", "2", "3", "9"] });
  });
});

describe("bad columns become error outcomes that name the column", () => {
  it.each([
    [
      "empty reference",
      { reference: num([]), current: num([1]) },
      "empty-sample",
      /reference\.values.*empty/,
    ],
    [
      "NaN in current",
      { reference: num([1]), current: num([2, Number.NaN]) },
      "non-finite-value",
      /current\.values\[1\]/,
    ],
    [
      "Infinity",
      { reference: num([Number.POSITIVE_INFINITY]), current: num([2]) },
      "non-finite-value",
      /Infinity/,
    ],
    [
      "kind mismatch",
      { reference: cat({ a: 1 }), current: num([1]) },
      "kind-mismatch",
      /reference is categorical/,
    ],
    [
      "negative count",
      { reference: cat({ a: -1 }), current: cat({ a: 1 }) },
      "negative-count",
      /counts\['a'\]/,
    ],
    ["bad null count", { reference: num([1], -3), current: num([1]) }, "invalid-option", /nullCount/],
  ] as const)("%s", (_label, col, code, message) => {
    const o = detectColumnDrift({ name: "feature_x", ...(col as Omit<DriftColumnInput, "name">) });
    expect(o).toMatchObject({ status: "error", column: "feature_x", error: { code } });
    expect(o.status === "error" && o.error.message).toMatch(/^Column 'feature_x': /);
    expect(o.status === "error" && o.error.message).toMatch(message);
  });
});

describe("results", () => {
  it("are plain JSON (survive a round trip unchanged) and carry null counts", () => {
    const r = detectDrift([
      { name: "n", reference: num(spread(1500, 0, 1), 7), current: num(spread(900, 0.2, 1.2), 3) },
      { name: "c", reference: cat({ a: 5, b: 9 }), current: cat({ a: 7, b: 2 }) },
    ]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(ok(r.columns[0]!)).toMatchObject({
      referenceNullCount: 7,
      currentNullCount: 3,
      referenceCount: 1500,
    });
  });

  it("a constant reference against a shifted constant drifts (std floor 0.001 keeps it finite)", () => {
    const r = ok(
      detectColumnDrift({
        name: "k",
        reference: num(new Array(2000).fill(5)),
        current: num(new Array(2000).fill(5.01)),
      }),
    );
    expect(r.method).toBe("jensenshannon"); // ≤ 5 distinct values on a large reference
    const w = ok(
      detectColumnDrift(
        { name: "k", reference: num(new Array(2000).fill(5)), current: num(new Array(2000).fill(5.01)) },
        { method: "wasserstein", kind: "numerical" },
      ),
    );
    expect(w.statistic).toBeCloseTo(0.01 / 0.001, 6);
    expect(w.drifted).toBe(true);
    const same = ok(detectColumnDrift({ name: "k", reference: num([5, 5, 5]), current: num([5, 5]) }));
    expect(same).toMatchObject({ method: "z", pValue: 1, drifted: false });
  });
});
