import { equalWidthEdges, histogramCountsSorted, sturgesEdges, toShares } from "../stats/histogram";
import {
  fillZeroSharesEvidently,
  jensenShannonDistance,
  klDivergence,
  populationStabilityIndex,
} from "../stats/index";
import type { MethodOutput, ResolvedOptions } from "./outcome";
import type { DriftMethodName, NumericHistogramPair } from "./types";

/** Two numeric samples, sorted once, with the facts default selection and binning need. */
export interface SortedNumericPair {
  readonly reference: Float64Array;
  readonly current: Float64Array;
  /** Distinct values in the reference. */
  readonly referenceDistinct: number;
  /** Distinct values in reference ∪ current. */
  readonly unionDistinct: number;
}

/** Count distinct values of one sorted array, and of the union of two, in one merge walk. */
export function describeSortedPair(reference: Float64Array, current: Float64Array): SortedNumericPair {
  let refDistinct = 0;
  for (let i = 0; i < reference.length; i++) if (i === 0 || reference[i] !== reference[i - 1]) refDistinct++;
  let union = 0;
  let i = 0;
  let j = 0;
  while (i < reference.length || j < current.length) {
    const a = i < reference.length ? reference[i]! : Number.POSITIVE_INFINITY;
    const b = j < current.length ? current[j]! : Number.POSITIVE_INFINITY;
    const v = Math.min(a, b);
    union++;
    while (i < reference.length && reference[i] === v) i++;
    while (j < current.length && current[j] === v) j++;
  }
  return { reference, current, referenceDistinct: refDistinct, unionDistinct: union };
}

/** The plotting histogram for numeric columns: Sturges bins over the combined sample (Evidently's). */
export function combinedHistogram(pair: SortedNumericPair, edges?: number[]): NumericHistogramPair {
  const { reference: r, current: c } = pair;
  const e =
    edges ??
    sturgesEdges(Math.min(r[0]!, c[0]!), Math.max(r[r.length - 1]!, c[c.length - 1]!), r.length + c.length);
  return {
    kind: "numerical",
    edges: e,
    referenceShares: Array.from(toShares(histogramCountsSorted(r, e).counts, r.length)),
    currentShares: Array.from(toShares(histogramCountsSorted(c, e).counts, c.length)),
    currentBelowShare: 0,
    currentAboveShare: 0,
  };
}

/**
 * Evidently's binning for PSI, KL and JS on numbers (`get_binned_data`): Sturges bins over the combined sample
 * when the reference has more than 20 distinct values, else one bin per distinct value of reference ∪ current.
 * `bins` as a number forces that many equal-width bins over the combined range.
 */
export function binnedShares(
  pair: SortedNumericPair,
  bins: ResolvedOptions["bins"],
): { reference: Float64Array; current: Float64Array; histogram: MethodOutput["histogram"]; binning: string } {
  const { reference: r, current: c } = pair;
  const min = Math.min(r[0]!, c[0]!);
  const max = Math.max(r[r.length - 1]!, c[c.length - 1]!);
  if (typeof bins === "number" || pair.referenceDistinct > 20) {
    const edges =
      typeof bins === "number"
        ? equalWidthEdges(min, max, bins)
        : sturgesEdges(min, max, r.length + c.length);
    const histogram = combinedHistogram(pair, edges);
    return {
      reference: Float64Array.from(histogram.referenceShares),
      current: Float64Array.from(histogram.currentShares),
      histogram,
      binning: typeof bins === "number" ? `equal-width:${bins}` : "sturges",
    };
  }
  // One bin per distinct value of the union, ascending.
  const values: number[] = [];
  const rc: number[] = [];
  const cc: number[] = [];
  let i = 0;
  let j = 0;
  while (i < r.length || j < c.length) {
    const a = i < r.length ? r[i]! : Number.POSITIVE_INFINITY;
    const b = j < c.length ? c[j]! : Number.POSITIVE_INFINITY;
    const v = Math.min(a, b);
    let ni = 0;
    let nj = 0;
    while (i < r.length && r[i] === v) {
      i++;
      ni++;
    }
    while (j < c.length && c[j] === v) {
      j++;
      nj++;
    }
    values.push(v);
    rc.push(ni);
    cc.push(nj);
  }
  const reference = toShares(rc, r.length);
  const current = toShares(cc, c.length);
  return {
    reference,
    current,
    histogram: {
      kind: "categorical",
      categories: values.map(String),
      referenceShares: Array.from(reference),
      currentShares: Array.from(current),
    },
    binning: "per-value",
  };
}

/** PSI and KL get Evidently's per-side zero fill; JS does not (it is finite with empty bins). */
export function binnedStatistic(
  method: "psi" | "kl_div" | "jensenshannon",
  reference: Float64Array,
  current: Float64Array,
  o: ResolvedOptions,
): { statistic: number } {
  if (method === "jensenshannon") {
    const d = jensenShannonDistance(reference, current, o.jsBase);
    return { statistic: o.jsDivergence ? d * d : d };
  }
  const r = fillZeroSharesEvidently(reference);
  const c = fillZeroSharesEvidently(current);
  return { statistic: method === "psi" ? populationStabilityIndex(r, c) : klDivergence(r, c) };
}

export function binnedDetails(
  method: DriftMethodName,
  o: ResolvedOptions,
): Record<string, string | number | boolean> {
  if (method === "jensenshannon") return { logBase: o.jsBase, divergence: o.jsDivergence };
  if (method === "psi" || method === "kl_div") return { zeroFill: "evidently" };
  return {};
}
