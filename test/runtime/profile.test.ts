import fc from "fast-check";
import { mean, variance } from "simple-statistics";
import { describe, expect, it } from "vitest";
import { RuntimeInputError } from "../../runtime/errors";
import type { RecordBatch } from "../../runtime/io/types";
import { DatasetProfile } from "../../runtime/profile/profile";
import { PROFILE_SCHEMA_VERSION, profileSchema } from "../../runtime/profile/schema";

function batch(columns: Record<string, unknown[]>, rowOffset = 0): RecordBatch {
  const length = Math.max(...Object.values(columns).map((v) => v.length));
  return { rowOffset, length, columns: new Map(Object.entries(columns)) };
}

function profileOf(columns: Record<string, unknown[]>, settings = {}): DatasetProfile {
  const profile = new DatasetProfile({ settings, sources: ["test"] });
  profile.addBatch(batch(columns));
  return profile;
}

describe("DatasetProfile", () => {
  it("holds count, nulls, mean, population variance, min, max and category counts per column", () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6];
    const profile = profileOf({
      x: [...x.map(String), ""],
      c: ["a", "b", "a", null, "c", "a", "b", "a", "a"],
    });
    const json = profile.toJSON();
    const col = json.columns.find((c) => c.name === "x");
    expect(col?.kind).toBe("numerical");
    expect(col?.rowCount).toBe(9);
    expect(col?.nullCount).toBe(1);
    expect(col?.numeric?.count).toBe(8);
    expect(col?.numeric?.mean).toBeCloseTo(mean(x), 12);
    expect((col?.numeric?.m2 ?? 0) / 8).toBeCloseTo(variance(x), 12);
    expect([col?.numeric?.min, col?.numeric?.max]).toEqual([1, 9]);
    const histogram = col?.numeric?.histogram;
    expect(histogram?.counts.reduce((a, b) => a + b, 0)).toBe(8);
    expect(histogram?.edges[0]).toBe(1);
    expect(histogram?.edges.at(-1)).toBe(9);
    const cat = json.columns.find((c) => c.name === "c");
    expect(cat?.kind).toBe("categorical");
    expect(cat?.categories).toEqual([
      ["a", 5],
      ["b", 2],
      ["c", 1],
    ]);
    expect(profileSchema.safeParse(json).success).toBe(true);
  });

  it("infers numbers from text, counts words in a numeric column as type mismatches and names the first row", () => {
    const cells = Array.from({ length: 30 }, (_, i) => String(i));
    cells[17] = "n/a";
    const col = profileOf({ v: cells }).column("v");
    expect(col?.kind).toBe("numerical");
    expect(col?.textCount).toBe(1);
    expect(col?.firstText).toEqual({ row: 18, value: "n/a" });
  });

  it("keeps the spelling of number-like text as a category (zip codes keep their leading zero)", () => {
    const profile = new DatasetProfile({ declaredKinds: new Map([["zip", "categorical"]]) });
    profile.addBatch(batch({ zip: ["02134", "02134", "10001"] }));
    expect(profile.toJSON().columns[0]?.categories).toEqual([
      ["02134", 2],
      ["10001", 1],
    ]);
  });

  it("records NaN and ±Infinity with the first row, or counts them as missing when asked", () => {
    const cells = ["1", "2", "NaN", "-Infinity", "inf", "3"];
    const strict = profileOf({ v: cells }).column("v");
    expect(strict?.nonFiniteCount).toBe(3);
    expect(strict?.firstNonFinite).toEqual({ row: 3, value: "NaN" });
    expect(strict?.moments.count).toBe(3);
    const lenient = profileOf({ v: cells }, { nonFinite: "missing" }).column("v");
    expect(lenient?.nonFiniteCount).toBe(0);
    expect(lenient?.nullCount).toBe(3);
  });

  it("stops counting categories past maxCategories instead of growing without bound", () => {
    const ids = Array.from({ length: 500 }, (_, i) => `user-${i}`);
    const col = profileOf({ id: ids }, { maxCategories: 100 }).column("id");
    expect(col?.kind).toBe("categorical");
    expect(col?.categories).toBeUndefined();
    expect(col?.textCount).toBe(500);
  });

  it("treats a key first seen part-way through as missing in the earlier rows", () => {
    const profile = new DatasetProfile();
    profile.addBatch(batch({ a: [1, 2] }));
    profile.addBatch(batch({ a: [3], b: ["x"] }, 2));
    expect(profile.column("b")?.rowCount).toBe(3);
    expect(profile.column("b")?.nullCount).toBe(2);
  });

  it("builds the same sketch from retained values as from the stream (exact-drift runs defer it)", () => {
    const cells = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 1013) / 7);
    const streamed = new DatasetProfile();
    const retained = new DatasetProfile({ retainValues: true });
    for (const p of [streamed, retained]) p.addBatch(batch({ x: cells }));
    expect(retained.toJSON()).toEqual(streamed.toJSON());
    expect(retained.column("x")?.retained?.values()).toEqual(Float64Array.from(cells));
  });

  it("round-trips through its versioned JSON", () => {
    const profile = profileOf({
      x: Array.from({ length: 3000 }, (_, i) => (i * 7919) % 1000),
      c: Array.from({ length: 3000 }, (_, i) => `k${i % 7}`),
    });
    const json = JSON.parse(JSON.stringify(profile.toJSON()));
    expect(json.schemaVersion).toBe(PROFILE_SCHEMA_VERSION);
    const back = DatasetProfile.fromJSON(json, "p.json");
    expect(back.toJSON()).toEqual(profile.toJSON());
  });

  it("refuses a profile of another schema version, naming the file and the fix", () => {
    const json = { ...profileOf({ x: [1, 2, 3] }).toJSON(), schemaVersion: 2 };
    expect(() => DatasetProfile.fromJSON(json, "old.json")).toThrow(RuntimeInputError);
    expect(() => DatasetProfile.fromJSON(json, "old.json")).toThrow(
      /old\.json: the profile has schema version 2, but this runtime reads version 1\. Rebuild/,
    );
  });

  it("refuses a profile whose fields break the schema, naming the field", () => {
    const json = profileOf({ x: [1, 2, 3] }).toJSON() as unknown as { columns: { nullCount: number }[] };
    (json.columns[0] as { nullCount: number }).nullCount = -4;
    expect(() => DatasetProfile.fromJSON(json, "bad.json")).toThrow(
      /bad\.json: the profile does not match schema version 1:[\s\S]*nullCount/,
    );
  });

  it("refuses to merge profiles built with different settings", () => {
    const a = profileOf({ x: [1] }, { kllK: 200 });
    const b = profileOf({ x: [2] }, { kllK: 400 });
    expect(() => a.merge(b)).toThrow(/setting kllK is 400 but 200/);
  });

  it("merging profiles equals profiling the concatenation, within the sketch bound (property)", () => {
    const column = fc.array(
      fc.oneof(
        fc.integer({ min: -50, max: 50 }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.constant(null),
      ),
      {
        minLength: 1,
        maxLength: 400,
      },
    );
    fc.assert(
      fc.property(fc.array(column, { minLength: 1, maxLength: 5 }), (parts) => {
        const settings = { kllK: 32 };
        const merged = new DatasetProfile({ settings });
        let offset = 0;
        for (const part of parts) {
          const shard = new DatasetProfile({ settings });
          shard.addBatch(batch({ x: part }, offset));
          offset += part.length;
          merged.merge(shard);
        }
        const whole = new DatasetProfile({ settings });
        whole.addBatch(batch({ x: parts.flat() }));
        const m = merged.column("x");
        const w = whole.column("x");
        if (m === undefined || w === undefined) throw new Error("column missing");
        expect(m.rowCount).toBe(w.rowCount);
        expect(m.nullCount).toBe(w.nullCount);
        expect(m.moments.count).toBe(w.moments.count);
        if (w.moments.count === 0) return;
        const scale = Math.max(1, Math.abs(w.moments.mean), w.moments.max - w.moments.min);
        expect(Math.abs(m.moments.mean - w.moments.mean)).toBeLessThanOrEqual(1e-9 * scale);
        expect(Math.abs(m.moments.variance - w.moments.variance)).toBeLessThanOrEqual(1e-7 * scale * scale);
        expect([m.moments.min, m.moments.max]).toEqual([w.moments.min, w.moments.max]);
        expect(m.categories === undefined ? undefined : new Map(m.categories)).toEqual(
          w.categories === undefined ? undefined : new Map(w.categories),
        );
        // Both sketches are within ε of the exact CDF, so within 2ε of each other at every value.
        const bound = m.sketch.rankErrorBound + w.sketch.rankErrorBound;
        const values = parts.flat().filter((v): v is number => typeof v === "number");
        for (const x of values)
          expect(Math.abs(m.sketch.cdf(x) - w.sketch.cdf(x))).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 60 },
    );
  });
});
