import { StatsInputError } from "../stats/errors";
import {
  chiSquareContingency,
  hellingerDistance,
  lInfinityDistance,
  toShares,
  twoProportionZTest,
} from "../stats/index";
import { binnedDetails, binnedStatistic } from "./numeric";
import { MAX_PLOTTED_CATEGORIES, type MethodOutput, OTHER_LABEL, type ResolvedOptions } from "./outcome";
import type { CategoricalHistogramPair, DriftComputation, DriftMethodName } from "./types";

/** Reference and current counts aligned on the same categories. */
export interface AlignedCounts {
  /** Category labels; `foldedLabel` (if set) names the bucket that holds several categories. */
  readonly categories: string[];
  readonly reference: Float64Array;
  readonly current: Float64Array;
  readonly referenceTotal: number;
  readonly currentTotal: number;
  /** Label of the bucket holding categories outside a reference top-k (sketch summaries only). */
  readonly foldedLabel?: string;
}

/** Validate a counts map and return its total. */
export function countsTotal(counts: ReadonlyMap<string, number>, field: string): number {
  let total = 0;
  for (const [label, n] of counts) {
    if (!Number.isFinite(n) || n < 0) {
      throw new StatsInputError(
        "negative-count",
        `${field}.counts['${label}']`,
        String(n),
        "Counts must be ≥ 0.",
      );
    }
    if (!Number.isInteger(n)) {
      throw new StatsInputError(
        "non-integer-count",
        `${field}.counts['${label}']`,
        String(n),
        "Counts must be whole numbers.",
      );
    }
    total += n;
  }
  if (total === 0) {
    throw new StatsInputError(
      "empty-sample",
      field,
      undefined,
      `Pass at least one non-null value in ${field}.`,
    );
  }
  return total;
}

/**
 * Align two exact count maps on the union of their categories: reference categories first (most frequent first),
 * then categories seen only in the current data (most frequent first). A category unseen in the reference keeps
 * its own bin with reference count 0.
 */
export function alignCounts(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
): AlignedCounts {
  const referenceTotal = countsTotal(reference, "reference");
  const currentTotal = countsTotal(current, "current");
  const refKeys = [...reference.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
  const newKeys = [...current.entries()]
    .filter(([k, n]) => n > 0 && !(reference.get(k)! > 0))
    .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
  const k = refKeys.length + newKeys.length;
  const categories = new Array<string>(k);
  const r = new Float64Array(k);
  const c = new Float64Array(k);
  let idx = 0;
  for (const [label, n] of refKeys) {
    categories[idx] = label;
    r[idx] = n;
    c[idx] = current.get(label) ?? 0;
    idx++;
  }
  for (const [label, n] of newKeys) {
    categories[idx] = label;
    c[idx] = n;
    idx++;
  }
  return { categories, reference: r, current: c, referenceTotal, currentTotal };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Shares to plot, folding the tail beyond {@link MAX_PLOTTED_CATEGORIES} into one "(other)" bar. */
export function categoricalHistogram(a: AlignedCounts): CategoricalHistogramPair {
  const rs = toShares(a.reference, a.referenceTotal);
  const cs = toShares(a.current, a.currentTotal);
  if (a.categories.length <= MAX_PLOTTED_CATEGORIES) {
    return {
      kind: "categorical",
      categories: [...a.categories],
      referenceShares: Array.from(rs),
      currentShares: Array.from(cs),
      ...(a.foldedLabel === undefined ? {} : { otherLabel: a.foldedLabel }),
    };
  }
  // Keep the categories with the largest share on either side; fold the rest.
  const order = a.categories
    .map((_, i) => i)
    .sort((x, y) => Math.max(rs[y]!, cs[y]!) - Math.max(rs[x]!, cs[x]!));
  const keep = new Set(order.slice(0, MAX_PLOTTED_CATEGORIES - 1));
  const categories: string[] = [];
  const referenceShares: number[] = [];
  const currentShares: number[] = [];
  let otherR = 0;
  let otherC = 0;
  for (let i = 0; i < a.categories.length; i++) {
    if (keep.has(i) && a.categories[i] !== a.foldedLabel) {
      categories.push(a.categories[i]!);
      referenceShares.push(rs[i]!);
      currentShares.push(cs[i]!);
    } else {
      otherR += rs[i]!;
      otherC += cs[i]!;
    }
  }
  categories.push(OTHER_LABEL);
  referenceShares.push(otherR);
  currentShares.push(otherC);
  return { kind: "categorical", categories, referenceShares, currentShares, otherLabel: OTHER_LABEL };
}

/**
 * Run a method on aligned category counts.
 *
 * - `chisquare`: χ² test of homogeneity on the 2×K table (see `chiSquareContingency`): categories unseen in the
 *   reference are their own column with reference count 0, so the statistic stays finite. This departs from
 *   Evidently's goodness-of-fit form, which gives χ² = ∞ (p = 0) for any unseen category.
 * - `z`: Evidently's two-proportion Z-test; categories sorted, the first maps to 0 and the other to 1. More than
 *   two categories is an error (`not-binary`).
 * - `jensenshannon` on shares, no zero fill; `psi` and `kl_div` on shares with Evidently's per-side zero fill;
 *   `hellinger` and `linf` on shares.
 */
export function categoricalDrift(
  method: DriftMethodName,
  a: AlignedCounts,
  o: ResolvedOptions,
  computation: DriftComputation,
): MethodOutput {
  const histogram = categoricalHistogram(a);
  switch (method) {
    case "chisquare": {
      const r = chiSquareContingency(a.reference, a.current, o.chiSquareYates);
      return {
        method,
        statistic: r.statistic,
        pValue: r.pValue,
        degreesOfFreedom: r.degreesOfFreedom,
        computation,
        histogram,
        details: { test: "homogeneity", yates: o.chiSquareYates && r.degreesOfFreedom === 1 },
      };
    }
    case "z": {
      if (a.categories.length > 2) {
        throw new StatsInputError(
          "not-binary",
          "method",
          `z with ${a.categories.length} categories`,
          "Use 'chisquare' or 'jensenshannon' for columns with more than two values.",
        );
      }
      const sorted = a.categories.map((label, i) => ({ label, i })).sort((x, y) => cmp(x.label, y.label));
      const one = sorted[1]?.i;
      const r = twoProportionZTest(
        one === undefined ? 0 : a.reference[one]!,
        a.referenceTotal,
        one === undefined ? 0 : a.current[one]!,
        a.currentTotal,
      );
      return {
        method,
        statistic: r.statistic,
        pValue: r.pValue,
        computation,
        histogram,
        ...(one === undefined ? {} : { details: { successLabel: sorted[1]!.label } }),
      };
    }
    case "jensenshannon":
    case "psi":
    case "kl_div": {
      const rs = toShares(a.reference, a.referenceTotal);
      const cs = toShares(a.current, a.currentTotal);
      return {
        method,
        ...binnedStatistic(method, rs, cs, o),
        computation,
        histogram,
        details: { bins: rs.length, ...binnedDetails(method, o) },
      };
    }
    case "hellinger":
    case "linf": {
      const rs = toShares(a.reference, a.referenceTotal);
      const cs = toShares(a.current, a.currentTotal);
      const statistic = method === "hellinger" ? hellingerDistance(rs, cs) : lInfinityDistance(rs, cs);
      return { method, statistic, computation, histogram };
    }
    case "ks":
    case "wasserstein":
      throw new StatsInputError(
        "kind-mismatch",
        "method",
        method,
        `'${method}' needs ordered numbers; this column is categorical. Use 'chisquare', 'jensenshannon' or 'psi'.`,
      );
  }
}
