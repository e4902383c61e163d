import { describe, expect, it } from "vitest";
import { DatasetProfile } from "../../runtime/profile/profile";
import { checkQuality, DEFAULT_QUALITY_THRESHOLDS } from "../../runtime/quality/check";

function profile(
  columns: Record<string, unknown[]>,
  retainValues = true,
  declaredKinds?: Map<string, "numerical" | "categorical">,
): DatasetProfile {
  const p = new DatasetProfile({ retainValues, declaredKinds });
  const length = Math.max(...Object.values(columns).map((c) => c.length));
  p.addBatch({ rowOffset: 0, length, columns: new Map(Object.entries(columns)) });
  return p;
}

const range = (n: number, f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));

describe("checkQuality", () => {
  const reference = profile({ x: range(100, (i) => i), c: range(100, (i) => ["a", "b", "c"][i % 3]) });

  it("reports nothing for current data like the reference", () => {
    const current = profile(
      { x: range(50, (i) => i * 2), c: range(50, (i) => ["a", "b"][i % 2]) },
      true,
      new Map([["x", "numerical"]]),
    );
    const result = checkQuality(reference, current, ["x", "c"]);
    expect(result.violations).toEqual([]);
    expect(result.columns.get("x")).toMatchObject({
      currentMissingShare: 0,
      outOfRangeShare: 0,
      typeMismatchShare: 0,
    });
  });

  it("flags rising missing values, out-of-range values and new categories with their shares", () => {
    const current = profile({
      x: range(100, (i) => (i < 20 ? null : i < 30 ? 500 : i)),
      c: range(100, (i) => (i < 5 ? "zzz" : "a")),
    });
    const result = checkQuality(reference, current, ["x", "c"]);
    const byCheck = Object.fromEntries(result.violations.map((v) => [`${v.column}:${v.check}`, v]));
    expect(byCheck["x:completeness_check"]?.value).toBeCloseTo(0.2, 12);
    expect(byCheck["x:out_of_range_check"]?.value).toBeCloseTo(10 / 80, 12);
    expect(byCheck["x:out_of_range_check"]?.description).toMatch(/outside the reference range \[0, 99\]/);
    expect(byCheck["c:categorical_values_check"]?.value).toBeCloseTo(0.05, 12);
    expect(result.columns.get("c")?.newCategories).toEqual(["zzz"]);
  });

  it("estimates the out-of-range share from the sketch when current values were not kept", () => {
    const current = profile({ x: range(1000, (i) => (i < 100 ? -5 : i % 100)) }, false);
    const share = checkQuality(reference, current, ["x"]).columns.get("x")?.outOfRangeShare ?? 0;
    expect(Math.abs(share - 0.1)).toBeLessThanOrEqual(current.column("x")?.sketch.rankErrorBound ?? 0);
  });

  it("names missing and unknown columns", () => {
    const current = profile({ x: [1, 2, 3] });
    const result = checkQuality(reference, current, ["x", "c", "nope"]);
    expect(result.violations).toEqual([
      {
        column: "c",
        check: "missing_column_check",
        description: 'column "c" is missing from the current data',
        value: null,
        threshold: null,
      },
      {
        column: "nope",
        check: "extra_column_check",
        description: 'column "nope" is missing from the reference data',
        value: null,
        threshold: null,
      },
    ]);
  });

  it("uses the thresholds it is given", () => {
    const current = profile({ x: range(100, (i) => (i < 3 ? 1000 : i)) });
    expect(checkQuality(reference, current, ["x"]).violations.map((v) => v.check)).toEqual([
      "out_of_range_check",
    ]);
    expect(
      checkQuality(reference, current, ["x"], { ...DEFAULT_QUALITY_THRESHOLDS, outOfRangeShare: 0.05 })
        .violations,
    ).toEqual([]);
  });
});
