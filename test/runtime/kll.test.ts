import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KllSketch, kllRankErrorBound } from "../../runtime/profile/kll";

/** Largest |sketch CDF − exact CDF| over every distinct value (where the exact CDF jumps). */
function maxRankError(sketch: KllSketch, values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  let worst = 0;
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i] as number;
    if (i + 1 < sorted.length && sorted[i + 1] === x) continue;
    const exact = (i + 1) / sorted.length;
    worst = Math.max(worst, Math.abs(sketch.cdf(x) - exact));
  }
  return worst;
}

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const distributions: Record<string, (random: () => number) => number> = {
  uniform: (r) => r(),
  exponential: (r) => -Math.log(1 - r()),
  // Offset data in a narrow band: where DDSketch's relative-value guarantee fails on ranks.
  offset: (r) => 1000 + r(),
  heavyTail: (r) => 1 / (1 - r()) ** 2,
  fewValues: (r) => Math.floor(r() * 7),
};

describe("KllSketch", () => {
  it("states DataSketches' rank error bound for its k", () => {
    expect(kllRankErrorBound(200)).toBeCloseTo(0.0133, 3);
    expect(new KllSketch(400).rankErrorBound).toBeLessThan(0.007);
  });

  for (const [name, draw] of Object.entries(distributions)) {
    it(`keeps the CDF within its bound over every value (${name}, 200k values, k=200)`, () => {
      const random = seeded(name.length * 7919);
      const values = new Float64Array(200_000).map(() => draw(random));
      const sketch = new KllSketch(200, 12345);
      for (const v of values) sketch.update(v);
      expect(sketch.count).toBe(values.length);
      expect(maxRankError(sketch, values)).toBeLessThanOrEqual(sketch.rankErrorBound);
      // Bounded memory: about 3k retained values for 200k inputs.
      expect(sketch.retainedItems).toBeLessThan(4 * 200);
      const sorted = Float64Array.from(values).sort();
      expect(sketch.min).toBe(sorted[0]);
      expect(sketch.max).toBe(sorted[sorted.length - 1]);
      expect(sketch.quantile(0)).toBe(sorted[0]);
      expect(sketch.quantile(1)).toBe(sorted[sorted.length - 1]);
      expect(sketch.cdf((sorted[0] as number) - 1)).toBe(0);
    });
  }

  it("keeps the bound after merging many sketches", () => {
    const random = seeded(99);
    const all = new Float64Array(150_000).map(() => random() * 10 + (random() < 0.3 ? 50 : 0));
    const merged = new KllSketch(200, 1);
    for (let part = 0; part < 15; part++) {
      const sketch = new KllSketch(200, part + 2);
      for (const v of all.subarray(part * 10_000, (part + 1) * 10_000)) sketch.update(v);
      merged.merge(sketch);
    }
    expect(merged.count).toBe(all.length);
    expect(maxRankError(merged, all)).toBeLessThanOrEqual(merged.rankErrorBound);
    expect(merged.retainedItems).toBeLessThan(4 * 200);
  });

  it("is exact while it holds fewer values than its capacity", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), {
          minLength: 1,
          maxLength: 150,
        }),
        (values) => {
          const sketch = new KllSketch(200);
          for (const v of values) sketch.update(v);
          const sorted = [...values].sort((a, b) => a - b);
          for (const x of sorted) {
            expect(sketch.cdf(x)).toBeCloseTo(sorted.filter((v) => v <= x).length / sorted.length, 12);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it("round-trips through JSON and refuses an inconsistent state", () => {
    const sketch = new KllSketch(64, 3);
    for (let i = 0; i < 5000; i++) sketch.update(i % 977);
    const copy = KllSketch.fromJSON(JSON.parse(JSON.stringify(sketch.toJSON())));
    for (const q of [0.01, 0.25, 0.5, 0.9]) expect(copy.quantile(q)).toBe(sketch.quantile(q));
    const state = sketch.toJSON();
    expect(() => KllSketch.fromJSON({ ...state, n: state.n + 1 })).toThrow(/inconsistent/);
  });

  it("refuses to merge sketches of different k", () => {
    expect(() => new KllSketch(64).merge(new KllSketch(128))).toThrow(/different k/);
  });
});
