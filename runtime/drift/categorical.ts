import { StatsInputError } from "../stats/errors";
import { toShares } from "../stats/index";
import { MAX_PLOTTED_CATEGORIES, OTHER_LABEL } from "./outcome";
import type { CategoricalHistogramPair } from "./types";

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

/** Reference and current shares of aligned counts. */
export function alignedShares(a: AlignedCounts): { reference: Float64Array; current: Float64Array } {
  return { reference: toShares(a.reference, a.referenceTotal), current: toShares(a.current, a.currentTotal) };
}

export function compareLabels(a: string, b: string): number {
  return cmp(a, b);
}
