import { StatsInputError } from "../stats/errors";
import { histogramCounts, nextDown, toShares } from "../stats/index";
import type { AlignedCounts } from "./categorical";
import { countsTotal } from "./categorical";
import type {
  CategoricalReferenceSummary,
  NumericCurrentSummary,
  NumericHistogramPair,
  NumericReferenceSummary,
  QuantileSketchView,
} from "./types";

/**
 * Drift against a stored profile instead of raw reference values.
 *
 * Numbers: the reference CDF comes from the profile's quantile sketch, whose rank error is at most ε. The current
 * column is exact, or (in a sharded run) a sketch too: then the CDF gaps are evaluated on both quantile grids and
 * every bound below grows by the current sketch's ε and one more 1/grid. For KS and L∞ the gap sup|F_ref − F_cur|
 * is evaluated at every distinct current value and at a grid of {@link SKETCH_GRID} reference quantiles; the exact
 * statistic lies in [D̂ − ε, D̂ + ε + 1/grid]. For Wasserstein the integral ∫|F_ref − F_cur| is summed over the
 * same points; the error is at most (ε + 1/grid)·(max − min). The p-value of a sketch KS is the asymptotic one at
 * the profile's row count (as whylogs does): a lattice-exact p-value would pretend to a precision the sketch does
 * not have.
 *
 * The binned methods (PSI, KL, JS, Hellinger) use the histogram fitted on the reference at profiling time, with
 * exact reference counts; current values outside its range go to two extra bins ("below", "above") whose
 * reference share is 0 (NannyML's leftover bin).
 */

/** Reference quantiles evaluated on top of the current values. */
export const SKETCH_GRID = 1000;

export function validateNumericSummary(s: NumericReferenceSummary): void {
  const bad = (field: string, value: unknown, fix: string) =>
    new StatsInputError("invalid-summary", `reference.${field}`, String(value), fix);
  validateSketchedSide(s, "reference", "a reference");
  for (const f of ["mean", "variance"] as const) {
    if (!Number.isFinite(s[f])) throw bad(f, s[f], "Profiles must hold finite moments and bounds.");
  }
  if (s.variance < 0) throw bad("variance", s.variance, "Variance cannot be negative.");
  const { edges, counts } = s.histogram ?? { edges: [], counts: [] };
  if (edges.length < 2 || edges.length !== counts.length + 1) {
    throw bad(
      "histogram.edges",
      `${edges.length} edges for ${counts.length} counts`,
      "Give counts.length + 1 edges.",
    );
  }
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i]! > edges[i - 1]!))
      throw bad(`histogram.edges[${i}]`, edges[i], "Edges must strictly increase.");
  }
}

/** The checks a reference summary and a current one share: count, bounds and sketch. */
function validateSketchedSide(
  s: { count: number; min: number; max: number; sketch: QuantileSketchView },
  side: "reference" | "current",
  what: string,
): void {
  const bad = (field: string, value: unknown, fix: string) =>
    new StatsInputError("invalid-summary", `${side}.${field}`, String(value), fix);
  if (!Number.isInteger(s.count) || s.count <= 0) {
    throw s.count === 0
      ? new StatsInputError("empty-sample", `${side}.count`, "0", `Profile ${what} with at least one value.`)
      : bad("count", s.count, "Use the number of non-null values, a whole number ≥ 1.");
  }
  for (const f of ["min", "max"] as const) {
    if (!Number.isFinite(s[f])) throw bad(f, s[f], "Profiles must hold finite moments and bounds.");
  }
  if (s.min > s.max) throw bad("min", s.min, `min must be ≤ max (${s.max}).`);
  const eps = s.sketch?.rankErrorBound;
  if (typeof s.sketch?.cdf !== "function" || typeof s.sketch?.quantile !== "function") {
    throw bad("sketch", typeof s.sketch, "Provide a sketch with cdf(x) and quantile(q).");
  }
  if (!(eps !== undefined && eps >= 0 && eps < 1)) {
    throw bad("sketch.rankErrorBound", eps, "State the sketch's rank-error bound ε in [0, 1).");
  }
}

/**
 * The current side of a comparison with a reference sketch: exact sorted values, or (for a sharded run, whose
 * current window exists only as merged profiles) a sketch of its own.
 */
export interface CurrentDistribution {
  /** False when the current side is itself a sketch. */
  readonly exact: boolean;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  /** Fraction of current values ≤ x (estimated, for a sketch). */
  cdf(x: number): number;
  /** Ascending points at which the CDF is evaluated: the values themselves, or a quantile grid. */
  readonly points: Float64Array;
  /** Rank-error bound of `cdf` (0 when exact) and the probability that it holds. */
  readonly rankErrorBound: number;
  readonly rankErrorConfidence: number;
  /** How far the CDF can move between two consecutive `points` without being seen (0 when exact). */
  readonly gridSlack: number;
  /** Shares of the current values in each bin of `edges`, and below the first / above the last edge. */
  binShares(edges: readonly number[]): { shares: Float64Array; below: number; above: number };
  /** What the comparison is made against, for the result's note. */
  readonly describe: string;
}

/** Exact current values, sorted ascending. */
function exactCurrent(sorted: Float64Array): CurrentDistribution {
  return {
    exact: true,
    count: sorted.length,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    cdf: (x) => ecdf(sorted, x),
    points: sorted,
    rankErrorBound: 0,
    rankErrorConfidence: 1,
    gridSlack: 0,
    binShares(edges) {
      const { counts, below, above } = histogramCounts(sorted, edges);
      return {
        shares: toShares(counts, sorted.length),
        below: below / sorted.length,
        above: above / sorted.length,
      };
    },
    describe: "the exact current ECDF",
  };
}

/** A current column known only through its sketch. */
function sketchedCurrent(c: NumericCurrentSummary): CurrentDistribution {
  const cdf = (x: number) => clampCdf(c.sketch.cdf(x));
  // Fraction strictly below x: the sketch's CDF at the largest double under x.
  const cdfBelow = (x: number) => cdf(nextDown(x));
  return {
    exact: false,
    count: c.count,
    min: c.min,
    max: c.max,
    cdf,
    points: quantileGrid(c.sketch),
    rankErrorBound: c.sketch.rankErrorBound,
    rankErrorConfidence: c.sketch.rankErrorConfidence ?? 1,
    gridSlack: 1 / SKETCH_GRID,
    binShares(edges) {
      // Bins are [e_i, e_i+1), the last one closed, as numpy.histogram and histogramCounts have them.
      const last = edges.length - 1;
      const shares = new Float64Array(last);
      for (let i = 0; i < last; i++) {
        const upper = i === last - 1 ? cdf(edges[last]!) : cdfBelow(edges[i + 1]!);
        shares[i] = Math.max(0, upper - cdfBelow(edges[i]!));
      }
      return { shares, below: cdfBelow(edges[0]!), above: Math.max(0, 1 - cdf(edges[last]!)) };
    },
    describe: "the current window's quantile sketch",
  };
}

/** CDF of the sorted current sample at x (fraction ≤ x), by binary search. */
function ecdf(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}

/** The sketch's quantiles at 0, 1/grid, …, 1, ascending. */
function quantileGrid(sketch: QuantileSketchView): Float64Array {
  const grid = new Float64Array(SKETCH_GRID + 1);
  for (let k = 0; k <= SKETCH_GRID; k++) grid[k] = sketch.quantile(k / SKETCH_GRID);
  return grid.sort();
}

/** The current side's points merged with the reference quantile grid, distinct and ascending. */
function evaluationPoints(s: NumericReferenceSummary, current: CurrentDistribution): Float64Array {
  const grid = quantileGrid(s.sketch);
  const values = current.points;
  const out = new Float64Array(values.length + grid.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < values.length || j < grid.length) {
    const a = i < values.length ? values[i]! : Number.POSITIVE_INFINITY;
    const b = j < grid.length ? grid[j]! : Number.POSITIVE_INFINITY;
    const v = Math.min(a, b);
    if (Number.isFinite(v) && (n === 0 || out[n - 1] !== v)) out[n++] = v;
    while (i < values.length && values[i]! <= v) i++;
    while (j < grid.length && grid[j]! <= v) j++;
  }
  return out.subarray(0, n);
}

export function clampCdf(p: number): number {
  return p < 0 ? 0 : Math.min(p, 1);
}

export function sketchComputation(
  s: NumericReferenceSummary,
  current: CurrentDistribution,
  bounds: [number, number] | undefined,
  note: string,
) {
  // Both bounds hold together with at least the union-bound probability.
  const confidence = (s.sketch.rankErrorConfidence ?? 1) + current.rankErrorConfidence - 1;
  return {
    mode: "sketch" as const,
    rankErrorBound: s.sketch.rankErrorBound + current.rankErrorBound,
    rankErrorConfidence: Math.max(0, confidence),
    ...(bounds ? { statisticBounds: bounds } : {}),
    note,
  };
}

/** The reference histogram against the current side binned on the same edges, plus below/above bins. */
export function referenceBinned(s: NumericReferenceSummary, current: CurrentDistribution) {
  const refTotal = s.histogram.counts.reduce((a, b) => a + b, 0);
  if (!(refTotal > 0)) {
    throw new StatsInputError(
      "invalid-summary",
      "reference.histogram.counts",
      "all zero",
      "Profile a non-empty reference.",
    );
  }
  const refShares = toShares(s.histogram.counts, refTotal);
  const { shares: curShares, below, above } = current.binShares(s.histogram.edges);
  const histogram: NumericHistogramPair = {
    kind: "numerical",
    edges: [...s.histogram.edges],
    referenceShares: Array.from(refShares),
    currentShares: Array.from(curShares),
    currentBelowShare: below,
    currentAboveShare: above,
  };
  // The statistic sees the out-of-range mass as two more bins with reference share 0.
  const r = new Float64Array(refShares.length + 2);
  const c = new Float64Array(curShares.length + 2);
  r.set(refShares, 1);
  c.set(curShares, 1);
  c[0] = below;
  c[c.length - 1] = above;
  return { histogram, r, c };
}

/**
 * A numeric reference summary and the current side it is compared with, as a method's `sketch` form sees them:
 * `eps` is the two rank-error bounds added, `slack` how far a CDF can move unseen between evaluation points.
 */
export interface SketchedComparison {
  readonly reference: NumericReferenceSummary;
  readonly current: CurrentDistribution;
  readonly eps: number;
  readonly slack: number;
}

/**
 * Prepares a comparison against a numeric reference summary. `currentSide` is the sorted current sample, or the
 * current window's own summary (then both CDFs come from sketches and their error bounds add up).
 */
export function sketchedComparison(
  s: NumericReferenceSummary,
  currentSide: Float64Array | NumericCurrentSummary,
): SketchedComparison {
  let current: CurrentDistribution;
  if (currentSide instanceof Float64Array) {
    current = exactCurrent(currentSide);
  } else {
    validateSketchedSide(currentSide, "current", "a current window");
    current = sketchedCurrent(currentSide);
  }
  return {
    reference: s,
    current,
    eps: s.sketch.rankErrorBound + current.rankErrorBound,
    slack: 1 / SKETCH_GRID + current.gridSlack,
  };
}

/** The note of a binned method run on the reference histogram. */
export function binnedSketchNote(current: CurrentDistribution): string {
  return current.exact
    ? "Binned on the histogram fitted at profiling time (exact reference counts), plus below/above-range bins."
    : "Binned on the histogram fitted at profiling time (exact reference counts), plus below/above-range bins; the current shares are read off the current window's sketch, each within its rank-error bound.";
}

/** Largest gap between the reference sketch's CDF and the current CDF, over every evaluation point. */
export function sketchCdfGap(c: SketchedComparison): { d: number; location: number } {
  const points = evaluationPoints(c.reference, c.current);
  let d = 0;
  let location = points[0]!;
  for (let k = 0; k < points.length; k++) {
    const x = points[k]!;
    const gap = Math.abs(clampCdf(c.reference.sketch.cdf(x)) - c.current.cdf(x));
    if (gap > d) {
      d = gap;
      location = x;
    }
  }
  return { d, location };
}

/** ∫ |F_ref − F_cur|^power dx summed over the evaluation points (power 1: W1; power 2: the energy distance's). */
export function sketchCdfIntegral(c: SketchedComparison, power: 1 | 2): number {
  const points = evaluationPoints(c.reference, c.current);
  let w = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const x = points[k]!;
    const gap = Math.abs(clampCdf(c.reference.sketch.cdf(x)) - c.current.cdf(x));
    w += (power === 1 ? gap : gap * gap) * (points[k + 1]! - x);
  }
  return w;
}

/** The span max − min over both sides: what turns a CDF error into an error on an integral. */
export function sketchSpan(c: SketchedComparison): number {
  return Math.max(c.reference.max, c.current.max) - Math.min(c.reference.min, c.current.min);
}

export function hellingerOnShares(r: Float64Array, c: Float64Array): number {
  let bc = 0;
  for (let i = 0; i < r.length; i++) bc += Math.sqrt(r[i]! * c[i]!);
  return Math.sqrt(1 - Math.min(Math.max(bc, 0), 1));
}

/**
 * Align current counts with a top-k reference summary. When the summary lists every reference category
 * (`otherCount` = 0) the alignment is exact and unseen current categories keep their own bins. Otherwise every
 * current category outside the top-k goes to the "other" bucket, because a category the profile folded away
 * cannot be told apart from a new one.
 */
export function alignWithTopK(
  s: CategoricalReferenceSummary,
  current: ReadonlyMap<string, number>,
  otherLabel: string,
): { aligned: AlignedCounts; exact: boolean } {
  const currentTotal = countsTotal(current, "current");
  const refMap = new Map<string, number>();
  for (const { value, count } of s.topK) {
    if (!Number.isInteger(count) || count < 0) {
      throw new StatsInputError(
        "invalid-summary",
        `reference.topK['${value}']`,
        String(count),
        "Counts must be whole numbers ≥ 0.",
      );
    }
    refMap.set(value, (refMap.get(value) ?? 0) + count);
  }
  if (!Number.isInteger(s.otherCount) || s.otherCount < 0) {
    throw new StatsInputError(
      "invalid-summary",
      "reference.otherCount",
      String(s.otherCount),
      "Use a whole number ≥ 0.",
    );
  }
  const exact = s.otherCount === 0;
  const referenceTotal = [...refMap.values()].reduce((a, b) => a + b, 0) + s.otherCount;
  if (referenceTotal === 0) {
    throw new StatsInputError(
      "empty-sample",
      "reference",
      undefined,
      "Profile a reference with at least one value.",
    );
  }
  const labels = [...refMap.entries()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const categories = labels.map(([l]) => l);
  const r = labels.map(([, n]) => n);
  const c = categories.map((l) => current.get(l) ?? 0);
  let otherCurrent = 0;
  const unseen: [string, number][] = [];
  for (const [label, n] of current) {
    if (refMap.has(label) || n === 0) continue;
    if (exact) unseen.push([label, n]);
    else otherCurrent += n;
  }
  unseen.sort((a, b) => b[1] - a[1]);
  for (const [label, n] of unseen) {
    categories.push(label);
    r.push(0);
    c.push(n);
  }
  if (!exact) {
    categories.push(otherLabel);
    r.push(s.otherCount);
    c.push(otherCurrent);
  }
  return {
    aligned: {
      categories,
      reference: Float64Array.from(r),
      current: Float64Array.from(c),
      referenceTotal,
      currentTotal,
      ...(exact ? {} : { foldedLabel: otherLabel }),
    },
    exact,
  };
}
