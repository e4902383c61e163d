import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type ColumnDriftOutcome,
  type ColumnDriftResult,
  type DriftMethod,
  detectColumnDrift,
  detectDrift,
  driftMethods,
  getDriftMethod,
  loadDriftPlugins,
  type NumericReferenceSummary,
  registerDriftMethod,
  unregisterDriftMethod,
} from "../../../runtime/drift";
import { energyDistance } from "../../../runtime/stats";
import { pValueClose, reference } from "../stats/fixture";
import { sample, summaryOf } from "./helpers";

function ok(o: ColumnDriftOutcome): ColumnDriftResult {
  if (o.status !== "ok") throw new Error(`expected a result, got error: ${o.error.message}`);
  return o;
}
const num = (values: ArrayLike<number>) => ({
  kind: "numerical" as const,
  values: Float64Array.from(values),
});
const cat = (counts: Record<string, number>) => ({
  kind: "categorical" as const,
  counts: new Map(Object.entries(counts)),
});
const countsOf = (labels: string[], values: number[]) =>
  Object.fromEntries(labels.map((l, i) => [l, values[i]!]));

describe("chisquare is Evidently's goodness-of-fit test; chi2_contingency keeps the two-sample test", () => {
  it("chisquare and g_test match scipy's chisquare and power_divergence on current vs scaled reference", () => {
    for (const c of reference.gTest) {
      const labels = c.reference.map((_, i) => `c${i}`);
      const column = {
        name: "c",
        reference: cat(countsOf(labels, c.reference)),
        current: cat(countsOf(labels, c.current)),
      };
      const chi = ok(detectColumnDrift(column, { method: "chisquare" }));
      expect(chi.statistic).toBe(c.chi2 ?? Number.POSITIVE_INFINITY);
      expect(pValueClose(chi.pValue!, c.chi2Pvalue, 1e-9)).toBe(true);
      const g = ok(detectColumnDrift(column, { method: "g_test" }));
      expect(g.statistic === (c.g ?? Number.POSITIVE_INFINITY) || Math.abs(g.statistic - c.g!) < 1e-9).toBe(
        true,
      );
      expect(pValueClose(g.pValue!, c.gPvalue, 1e-9)).toBe(true);
    }
  });

  it("a category unseen in the reference: chisquare p = 0 (drift), chi2_contingency finite", () => {
    const column = {
      name: "country",
      reference: cat({ fr: 3000, de: 2000, it: 1000 }),
      current: cat({ fr: 3000, de: 2000, it: 999, es: 1 }),
    };
    const chi = ok(detectColumnDrift(column, { method: "chisquare" }));
    expect(chi).toMatchObject({ pValue: 0, drifted: true, details: { unseenCategories: 1 } });
    const contingency = ok(detectColumnDrift(column, { method: "chi2_contingency" }));
    expect(Number.isFinite(contingency.statistic)).toBe(true);
    expect(contingency.drifted).toBe(false);
  });

  it("the default selection picks Evidently's chisquare", () => {
    const r = ok(
      detectColumnDrift({
        name: "c",
        reference: cat({ a: 40, b: 30, c: 30 }),
        current: cat({ a: 30, b: 30, c: 40 }),
      }),
    );
    expect(r).toMatchObject({
      method: "chisquare",
      methodSource: "default",
      details: { test: "goodness-of-fit" },
    });
  });
});

describe("a method forced on the wrong kind is refused, on raw data and profiles alike", () => {
  const ref = sample(400, 0, 3);
  const cur = sample(300, 0.2, 5);
  it.each(["chisquare", "z", "g_test", "fisher_exact", "TVD", "chi2_contingency"])(
    "%s on a numerical column",
    (method) => {
      for (const reference of [num(ref), summaryOf(ref)]) {
        const o = detectColumnDrift({ name: "x", reference, current: num(cur) }, { method });
        expect(o).toMatchObject({ status: "error", error: { code: "kind-mismatch" } });
        expect((o as { error: { message: string } }).error.message).toMatch(
          new RegExp(`'${method}' compares categorical columns and this one is numerical`),
        );
      }
    },
  );
  it.each(["ks", "wasserstein", "anderson", "t_test", "ed"])("%s on a categorical column", (method) => {
    const topK = [
      { value: "a", count: 5 },
      { value: "b", count: 5 },
    ];
    for (const reference of [
      cat({ a: 5, b: 5 }),
      { kind: "categorical-summary" as const, count: 10, nullCount: 0, topK, otherCount: 0 },
    ]) {
      const o = detectColumnDrift({ name: "x", reference, current: cat({ a: 4, b: 6 }) }, { method });
      expect(o).toMatchObject({ status: "error", error: { code: "kind-mismatch" } });
    }
  });
  it("every method's descriptor rule is what refuses it", () => {
    for (const m of driftMethods()) {
      for (const kind of ["numerical", "categorical"] as const) {
        const column =
          kind === "numerical"
            ? { name: "x", reference: num(ref), current: num(cur), kind }
            : { name: "x", reference: cat({ a: 50, b: 50 }), current: cat({ a: 40, b: 60 }) };
        const o = detectColumnDrift(column, { method: m.name, kind });
        const refused = o.status === "error" && o.error.code === "kind-mismatch";
        expect([m.name, kind, refused]).toEqual([m.name, kind, !m.kinds.includes(kind)]);
      }
    }
  });
});

describe("kind inference and category spelling", () => {
  it("an integer profile column with ≤ 5 values is categorical, as from raw data", () => {
    const values = [1, 2, 3, 2, 2, 3, 1, 1, 1, 2];
    const current = [1, 2, 3, 3, 3, 3, 2];
    const raw = ok(detectColumnDrift({ name: "n", reference: num(values), current: num(current) }));
    const summary: NumericReferenceSummary = {
      ...summaryOf(Float64Array.from(values)),
      valueCounts: new Map([
        ["1.0", 4],
        ["2", 4],
        ["3", 2],
      ]),
    };
    const fromProfile = ok(detectColumnDrift({ name: "n", reference: summary, current: num(current) }));
    expect(fromProfile).toMatchObject({ kind: "categorical", method: raw.method, pValue: raw.pValue });
    expect(fromProfile.details?.kindInference).toBe(raw.details?.kindInference);
    // Declared numerical, the same column is compared as numbers.
    expect(
      ok(
        detectColumnDrift(
          { name: "n", reference: num(values), current: num(current) },
          { kind: "numerical" },
        ),
      ),
    ).toMatchObject({ kind: "numerical", method: "chisquare" });
    // Six distinct integers, or non-integers, stay numerical.
    expect(
      ok(detectColumnDrift({ name: "n", reference: num([1, 2, 3, 4, 5, 6]), current: num([1, 2]) })).kind,
    ).toBe("numerical");
  });

  it("with a column categorical, 1 and 1.0 are one category (raw counts and top-k profiles)", () => {
    const reference = cat({ "1": 50, "2": 30, "3": 20 });
    const current = cat({ "1.0": 50, "2.0": 30, "3.0": 20 });
    const r = ok(detectColumnDrift({ name: "code", reference, current }, { method: "chisquare" }));
    expect(r).toMatchObject({ pValue: 1, drifted: false });
    expect(r.histogram).toMatchObject({ categories: ["1", "2", "3"] });
    const topK = [
      { value: "1.0", count: 50 },
      { value: "2", count: 20 },
      { value: "2.0", count: 10 },
      { value: "3", count: 20 },
    ];
    const fromProfile = ok(
      detectColumnDrift(
        {
          name: "code",
          reference: { kind: "categorical-summary", count: 100, nullCount: 0, topK, otherCount: 0 },
          current,
        },
        { method: "chisquare" },
      ),
    );
    expect(fromProfile).toMatchObject({ pValue: 1, drifted: false });
    // A side holding a word keeps its labels as written, as pandas keeps strings.
    const mixed = ok(
      detectColumnDrift(
        { name: "code", reference, current: cat({ "1.0": 50, "2": 30, x: 20 }) },
        { method: "TVD" },
      ),
    );
    expect(mixed.histogram).toMatchObject({ categories: ["1", "2", "3", "1.0", "x"] });
  });
});

describe("options Evidently users expect", () => {
  it("one method for every column, per-kind thresholds, per-column settings winning", () => {
    const cols = [
      { name: "n", reference: num(sample(300, 0, 1)), current: num(sample(300, 0.1, 2)) },
      { name: "c", reference: cat({ a: 50, b: 50 }), current: cat({ a: 45, b: 55 }) },
      { name: "own", reference: num(sample(300, 0, 3)), current: num(sample(300, 0, 4)) },
    ];
    const r = detectDrift(cols, {
      method: "psi",
      numericalThreshold: 0.3,
      categoricalThreshold: 0.001,
      threshold: 0.5,
      columns: { own: { method: "ks", threshold: 0.01 } },
    });
    expect(r.columns.map((c) => [ok(c).method, ok(c).threshold])).toEqual([
      ["psi", 0.3],
      ["psi", 0.001],
      ["ks", 0.01],
    ]);
    const perKind = detectDrift(cols, { method: "psi", numericalMethod: "ed", threshold: 0.5 });
    expect(perKind.columns.map((c) => [ok(c).method, ok(c).threshold])).toEqual([
      ["ed", 0.5],
      ["psi", 0.5],
      ["ed", 0.5],
    ]);
  });

  it("a method forced on every column is refused, column by column, where the kind does not fit", () => {
    const r = detectDrift(
      [
        { name: "n", reference: num(sample(50, 0, 1)), current: num(sample(50, 0, 2)) },
        { name: "c", reference: cat({ a: 5, b: 5 }), current: cat({ a: 4, b: 6 }) },
      ],
      { method: "ks" },
    );
    expect(r.columns[0]!.status).toBe("ok");
    expect(r.columns[1]).toMatchObject({ status: "error", error: { code: "kind-mismatch" } });
  });
});

describe("new methods through the engine: Evidently's names, directions and defaults", () => {
  const ref = sample(300, 0, 7);
  const shifted = sample(300, 0.5, 8);
  const same = sample(300, 0, 9);
  const evidently: Record<string, [">" | "<" | ">=" | "<=", number]> = {
    anderson: ["<", 0.1],
    cramer_von_mises: ["<", 0.1],
    ed: [">", 0.1],
    es: ["<", 0.05],
    mannw: ["<", 0.05],
    t_test: ["<", 0.05],
    empirical_mmd: ["<", 0.1],
  };
  it.each(Object.keys(evidently))("%s flags a 0.5σ shift and not a fresh sample", (method) => {
    const drift = ok(
      detectColumnDrift(
        { name: "x", reference: num(ref), current: num(shifted) },
        { method, mannwAlternative: "two-sided" },
      ),
    );
    expect([drift.comparison, drift.threshold]).toEqual(evidently[method]);
    expect(drift.drifted).toBe(true);
    const none = ok(detectColumnDrift({ name: "x", reference: num(ref), current: num(same) }, { method }));
    expect(none.drifted).toBe(false);
  });

  it("mannw is one-sided 'less' by default, as Evidently calls mannwhitneyu", () => {
    const down = ok(
      detectColumnDrift(
        { name: "x", reference: num(ref), current: num(sample(300, -0.5, 8)) },
        { method: "mannw" },
      ),
    );
    expect(down.drifted).toBe(false);
    const up = ok(
      detectColumnDrift({ name: "x", reference: num(ref), current: num(shifted) }, { method: "mannw" }),
    );
    expect(up).toMatchObject({ drifted: true, details: { alternative: "less" } });
  });

  it("fisher_exact, g_test and TVD on categories", () => {
    const reference = cat({ yes: 100, no: 900 });
    const current = cat({ yes: 130, no: 870 });
    for (const [method, threshold] of [
      ["fisher_exact", 0.1],
      ["g_test", 0.1],
      ["TVD", 0.1],
    ] as const) {
      const r = ok(detectColumnDrift({ name: "c", reference, current }, { method }));
      expect([r.method, r.comparison, r.threshold, r.drifted]).toEqual([method, "<", threshold, true]);
    }
    const fisher = ok(detectColumnDrift({ name: "c", reference, current }, { method: "fisher_exact" }));
    const scipy = scipyFisher(100, 900, 130, 870);
    expect(fisher.pValue).toBeCloseTo(scipy, 12);
    expect(
      detectColumnDrift(
        { name: "c", reference: cat({ a: 1, b: 1, c: 1 }), current: cat({ a: 1 }) },
        { method: "fisher_exact" },
      ),
    ).toMatchObject({ status: "error", error: { code: "not-binary" } });
  });

  it("empirical_mmd refuses samples whose kernel matrix would not fit", () => {
    const o = detectColumnDrift(
      { name: "x", reference: num(sample(3000, 0, 1)), current: num(sample(1500, 0, 2)) },
      { method: "empirical_mmd" },
    );
    expect(o).toMatchObject({
      status: "error",
      error: { message: expect.stringMatching(/at most 4000 values/) },
    });
  });
});

/** scipy's two-sided p-value for this table, from the fixture. */
function scipyFisher(a: number, b: number, c: number, d: number): number {
  const hit = reference.fisherExact.find(
    (f) => f.table[0][0] === a && f.table[0][1] === b && f.table[1][0] === c,
  );
  if (hit === undefined || hit.table[1][1] !== d) throw new Error("table not in the fixture");
  return hit.pvalue;
}

describe("methods from a profile: a sketch form with its bound, or a clear refusal", () => {
  const ref = sample(4000, 0, 21);
  const cur = sample(3000, 0.1, 22);
  it("ed from a sketch brackets the exact energy distance", () => {
    const exact = energyDistance(ref, cur);
    const r = ok(
      detectColumnDrift({ name: "x", reference: summaryOf(ref, 0.002), current: num(cur) }, { method: "ed" }),
    );
    expect(r.computation.mode).toBe("sketch");
    const bounds = r.computation.mode === "sketch" ? r.computation.statisticBounds! : [0, 0];
    expect(bounds[0]).toBeLessThanOrEqual(exact);
    expect(bounds[1]).toBeGreaterThanOrEqual(exact);
  });

  it("t_test from a profile is exact: the profile holds count, mean and variance", () => {
    const raw = ok(
      detectColumnDrift({ name: "x", reference: num(ref), current: num(cur) }, { method: "t_test" }),
    );
    const fromProfile = ok(
      detectColumnDrift({ name: "x", reference: summaryOf(ref), current: num(cur) }, { method: "t_test" }),
    );
    expect(fromProfile.statistic).toBeCloseTo(raw.statistic, 10);
    expect(pValueClose(fromProfile.pValue!, raw.pValue!, 1e-9)).toBe(true);
  });

  it.each(["anderson", "cramer_von_mises", "es", "mannw", "empirical_mmd"])(
    "%s is refused on a profile",
    (method) => {
      const o = detectColumnDrift({ name: "x", reference: summaryOf(ref), current: num(cur) }, { method });
      expect(o).toMatchObject({ status: "error", error: { code: "needs-raw-data" } });
      expect((o as { error: { message: string } }).error.message).toMatch(
        new RegExp(`'${method}' has no form that works from a profile \\(.+\\); pass the raw reference data`),
      );
    },
  );
});

describe("user methods from drift.plugins", () => {
  const dir = mkdtempSync(join(tmpdir(), "drift-plugins-"));
  afterAll(() => {
    unregisterDriftMethod("mean_gap");
    rmSync(dir, { recursive: true, force: true });
  });

  it("a module's method is registered, checked and used like a built-in", async () => {
    writeFileSync(
      join(dir, "mean-gap.mjs"),
      `export default {
        name: "mean_gap",
        kinds: ["numerical"],
        scoreKind: "distance",
        comparison: ">",
        defaultThreshold: 0.25,
        summary: "absolute difference of the means",
        numeric(pair) {
          const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
          return {
            method: "mean_gap",
            statistic: Math.abs(mean(pair.reference) - mean(pair.current)),
            computation: { mode: "exact" },
            histogram: { kind: "numerical", edges: [0, 1], referenceShares: [1], currentShares: [1], currentBelowShare: 0, currentAboveShare: 0 },
          };
        },
      };`,
    );
    expect(await loadDriftPlugins(["./mean-gap.mjs"], dir)).toEqual(["mean_gap"]);
    const r = ok(
      detectColumnDrift(
        { name: "x", reference: num([0, 1, 2]), current: num([2, 3, 4]) },
        { method: "mean_gap", kind: "numerical" },
      ),
    );
    expect(r).toMatchObject({ method: "mean_gap", statistic: 2, threshold: 0.25, drifted: true });
    // Its descriptor refuses categories, like a built-in's.
    expect(
      detectColumnDrift(
        { name: "c", reference: cat({ a: 1 }), current: cat({ a: 1 }) },
        { method: "mean_gap" },
      ),
    ).toMatchObject({
      status: "error",
      error: { code: "kind-mismatch" },
    });
  });

  it("a plugin may not replace a built-in, and a broken descriptor fails at load", async () => {
    expect(() => registerDriftMethod({ ...getDriftMethod("ks") } as DriftMethod)).toThrow(
      /built-in method has this name/,
    );
    writeFileSync(
      join(dir, "broken.mjs"),
      `export const methods = [{ name: "broken", kinds: ["numerical"], scoreKind: "p-value", comparison: "<", defaultThreshold: 0.05, summary: "" }];`,
    );
    await expect(loadDriftPlugins(["./broken.mjs"], dir)).rejects.toThrow(
      /drift plugin '.\/broken.mjs'.*needs a 'numeric' function/,
    );
    await expect(loadDriftPlugins(["./missing.mjs"], dir)).rejects.toThrow(/could not be loaded/);
  });
});

describe("runtime/README.md lists every method as its descriptor states it", () => {
  it("name, kinds, direction, default threshold and whether it works from a profile", () => {
    const readme = readFileSync(join(__dirname, "..", "..", "..", "runtime", "README.md"), "utf8");
    const rows = new Map(
      [
        ...readme.matchAll(
          /^\| `([^`]+)` \| ([a-z, ]+) \| .+ \| (?:p|score) (<=|<|>=|>) ([\d.]+) \| (yes|no)\b.*\|$/gm,
        ),
      ].map((m) => [m[1], { kinds: m[2], comparison: m[3], threshold: Number(m[4]), profile: m[5] }]),
    );
    for (const m of driftMethods().filter((d) => !["mean_gap", "always_one"].includes(d.name))) {
      const profile = m.kinds.includes("numerical") && m.sketch === undefined ? "no" : "yes";
      expect([m.name, rows.get(m.name)]).toEqual([
        m.name,
        { kinds: m.kinds.join(", "), comparison: m.comparison, threshold: m.defaultThreshold, profile },
      ]);
    }
  });
});
