import { describe, expect, it } from "vitest";
import {
  chiSquareContingency,
  jensenShannonDistance,
  kolmogorovTwoSidedSf,
  ksTwoSample,
  ksTwoSamplePValue,
  roundHalfEven,
  StatsInputError,
  sturgesEdges,
  twoProportionZTest,
  wassersteinDistance,
} from "../../../runtime/stats";

function thrown(f: () => unknown): StatsInputError {
  try {
    f();
  } catch (e) {
    if (e instanceof StatsInputError) return e;
    throw e;
  }
  throw new Error("expected a StatsInputError");
}

describe("bad input gets a typed, explanatory error", () => {
  it("empty samples", () => {
    const e = thrown(() => ksTwoSample(new Float64Array(0), Float64Array.of(1)));
    expect(e.code).toBe("empty-sample");
    expect(e.field).toBe("sample1");
    expect(e.message).toMatch(/sample1.*empty.*at least one/);
    expect(thrown(() => wassersteinDistance(Float64Array.of(1), new Float64Array(0))).field).toBe("sample2");
    expect(thrown(() => chiSquareContingency([0, 0], [1, 2])).code).toBe("empty-sample");
  });

  it("NaN and ±Infinity are rejected with the index and value, never dropped", () => {
    const e = thrown(() => ksTwoSample(Float64Array.of(1, 2, Number.NaN), Float64Array.of(1)));
    expect(e.code).toBe("non-finite-value");
    expect(e.field).toBe("sample1[2]");
    expect(e.value).toBe("NaN");
    const inf = thrown(() =>
      wassersteinDistance(Float64Array.of(1), Float64Array.of(0, Number.NEGATIVE_INFINITY)),
    );
    expect(inf.field).toBe("sample2[1]");
    expect(inf.message).toContain("-Infinity");
  });

  it("the caller can attach the column name", () => {
    const e = thrown(() => ksTwoSample(Float64Array.of(Number.NaN), Float64Array.of(1))).forColumn("age");
    expect(e.column).toBe("age");
    expect(e.message.startsWith("Column 'age': sample1[0]")).toBe(true);
  });

  it("options and shapes are checked", () => {
    expect(thrown(() => jensenShannonDistance([1, 2], [1])).code).toBe("length-mismatch");
    expect(thrown(() => jensenShannonDistance([1, 2], [1, 2], 1)).field).toBe("base");
    expect(thrown(() => chiSquareContingency([1, -2], [1, 2])).field).toBe("reference[1]");
    expect(thrown(() => twoProportionZTest(5, 4, 1, 2)).field).toBe("successes1");
    expect(
      thrown(() => ksTwoSample(Float64Array.of(1), Float64Array.of(2), { mode: "fast" as "auto" })).field,
    ).toBe("options.mode");
  });
});

describe("degenerate but valid input", () => {
  it("a single constant value on both sides: no drift", () => {
    const a = new Float64Array(50).fill(7);
    const b = new Float64Array(80).fill(7);
    expect(ksTwoSample(a, b)).toMatchObject({ statistic: 0, pValue: 1 });
    expect(wassersteinDistance(a, b)).toBe(0);
    expect(sturgesEdges(7, 7, 130)).toEqual([6.5, 7.5]);
    expect(twoProportionZTest(0, 50, 0, 80)).toEqual({ statistic: 0, pValue: 1 });
  });

  it("two different constants: full drift", () => {
    const r = ksTwoSample(new Float64Array(30).fill(1), new Float64Array(30).fill(2));
    expect(r.statistic).toBe(1);
    expect(r.pValue).toBeLessThan(1e-15);
    expect(wassersteinDistance(new Float64Array(3).fill(1), new Float64Array(5).fill(4))).toBe(3);
  });

  it("exact mode falls back to asymp when the lattice is too large, as scipy does", () => {
    // lcm(60000, 60001) = 3.6e9 ≥ int32 max, so scipy switches to the asymptotic distribution at round(n1n2/(n1+n2)).
    const r = ksTwoSamplePValue(0.01, 60_000, 60_001, "exact");
    expect(r.mode).toBe("asymp");
    expect(r.pValue).toBe(kolmogorovTwoSidedSf(roundHalfEven((60_000 * 60_001) / 120_001), 0.01));
    expect(roundHalfEven(7500.5)).toBe(7500);
    expect(roundHalfEven(7501.5)).toBe(7502);
  });

  it("single-element samples", () => {
    expect(ksTwoSample(Float64Array.of(1), Float64Array.of(2))).toMatchObject({ statistic: 1, pValue: 1 });
  });
});
