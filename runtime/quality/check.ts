import { cutValue, quoteValue } from "../errors";
import type { ColumnAccumulator } from "../profile/column";
import type { DatasetProfile } from "../profile/profile";
import { nextDown } from "../stats/histogram";

/**
 * Data-quality checks of the current data against constraints taken from the reference profile, in
 * the manner of SageMaker Model Monitor's `constraints.json` (check names are SageMaker's
 * `constraint_check_type` values). A violation is reported, never fatal: quality does not change
 * the exit code, drift does.
 */
export type QualityCheck =
  | "completeness_check"
  | "data_type_check"
  | "out_of_range_check"
  | "categorical_values_check"
  | "missing_column_check"
  | "extra_column_check";

export interface QualityThresholds {
  /**
   * Violation when the current missing-value share exceeds the reference's by more than this.
   * @default 0.05
   */
  readonly missingShareIncrease: number;
  /**
   * Violation when more than this share of a numerical column's current values are not numbers.
   * @default 0 (any mismatch, as Azure ML's data-type error rate defaults to 0)
   */
  readonly typeMismatchShare: number;
  /**
   * Violation when more than this share of current values fall outside the reference [min, max].
   * Not Azure ML's 0: sampling alone puts about 2/n_reference of values outside the observed range,
   * so 0 would flag every window.
   * @default 0.01
   */
  readonly outOfRangeShare: number;
  /**
   * Violation when more than this share of a categorical column's current values are categories the
   * reference never saw (SageMaker's `domain_content_threshold` is 0.1; Azure ML's default is 0;
   * rare categories missed by a finite reference make 0 too noisy).
   * @default 0.01
   */
  readonly newCategoryShare: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = {
  missingShareIncrease: 0.05,
  typeMismatchShare: 0,
  outOfRangeShare: 0.01,
  newCategoryShare: 0.01,
};

/** The measured quality of one column on both sides. Shares are of current rows (or non-null values). */
export interface ColumnQuality {
  referenceMissingShare: number;
  currentMissingShare: number;
  /** Non-numeric share of the current non-null values (numerical columns). */
  typeMismatchShare: number;
  /** Share of current numeric values outside the reference [min, max] (numerical columns). */
  outOfRangeShare: number;
  /** Share of current non-null values whose category the reference never saw (categorical columns). */
  newCategoryShare: number;
  /** Up to 10 of the new categories, most frequent first. */
  newCategories: string[];
}

export interface QualityViolation {
  column: string;
  check: QualityCheck;
  description: string;
  /** The measured value compared with the threshold (a share), when the check has one. */
  value: number | null;
  threshold: number | null;
}

export interface QualityResult {
  columns: Map<string, ColumnQuality>;
  violations: QualityViolation[];
}

/**
 * Evaluates every selected column. `currentValues` gives exact numeric values of the current side
 * when the caller kept them, for an exact out-of-range count; otherwise the current sketch is used.
 */
export function checkQuality(
  reference: DatasetProfile,
  current: DatasetProfile,
  columns: readonly string[],
  thresholds: QualityThresholds = DEFAULT_QUALITY_THRESHOLDS,
): QualityResult {
  const result: QualityResult = { columns: new Map(), violations: [] };
  for (const name of columns) {
    const ref = reference.column(name);
    const cur = current.column(name);
    if (ref?.present !== true || cur?.present !== true) {
      const side = ref?.present !== true ? "reference" : "current";
      result.violations.push({
        column: name,
        check: ref?.present !== true ? "extra_column_check" : "missing_column_check",
        description: `column "${name}" is missing from the ${side} data`,
        value: null,
        threshold: null,
      });
      continue;
    }
    const quality = measure(ref as ColumnAccumulator, cur as ColumnAccumulator);
    result.columns.set(name, quality);
    const add = (check: QualityCheck, value: number, threshold: number, description: string) => {
      if (value > threshold) result.violations.push({ column: name, check, description, value, threshold });
    };
    add(
      "completeness_check",
      quality.currentMissingShare - quality.referenceMissingShare,
      thresholds.missingShareIncrease,
      `missing values rose from ${pct(quality.referenceMissingShare)} of reference rows to ${pct(quality.currentMissingShare)} of current rows`,
    );
    if (ref.kind === "numerical") {
      add(
        "data_type_check",
        quality.typeMismatchShare,
        thresholds.typeMismatchShare,
        `${pct(quality.typeMismatchShare)} of current values are not numbers${cur.firstText ? ` (first at row ${cur.firstText.row}: ${quoteValue(cur.firstText.value)})` : ""}`,
      );
      add(
        "out_of_range_check",
        quality.outOfRangeShare,
        thresholds.outOfRangeShare,
        `${pct(quality.outOfRangeShare)} of current values lie outside the reference range [${ref.moments.min}, ${ref.moments.max}]`,
      );
    } else if (ref.kind === "categorical") {
      add(
        "categorical_values_check",
        quality.newCategoryShare,
        thresholds.newCategoryShare,
        `${pct(quality.newCategoryShare)} of current values are categories the reference never saw (${quality.newCategories
          .slice(0, 5)
          .map((c) => quoteValue(c))
          .join(", ")})`,
      );
    }
  }
  return result;
}

function measure(ref: ColumnAccumulator, cur: ColumnAccumulator): ColumnQuality {
  const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
  const quality: ColumnQuality = {
    referenceMissingShare: share(ref.nullCount, ref.rowCount),
    currentMissingShare: share(cur.nullCount, cur.rowCount),
    typeMismatchShare: ref.kind === "numerical" ? share(cur.textCount, cur.nonNullCount) : 0,
    outOfRangeShare: 0,
    newCategoryShare: 0,
    newCategories: [],
  };
  if (ref.kind === "numerical" && cur.moments.count > 0) {
    const lo = ref.moments.min;
    const hi = ref.moments.max;
    let outside = 0;
    if (cur.retained !== undefined) {
      for (const value of cur.retained.values()) if (value < lo || value > hi) outside++;
      quality.outOfRangeShare = share(outside, cur.moments.count);
    } else {
      const below = cur.moments.min < lo ? cur.sketch.cdf(nextDown(lo)) : 0;
      const above = cur.moments.max > hi ? 1 - cur.sketch.cdf(hi) : 0;
      quality.outOfRangeShare = Math.max(0, below) + Math.max(0, above);
    }
  } else if (ref.kind === "categorical" && ref.categories !== undefined && cur.categories !== undefined) {
    const fresh: [string, number][] = [];
    let freshCount = 0;
    for (const [value, count] of cur.categories) {
      if (!ref.categories.has(value)) {
        fresh.push([value, count]);
        freshCount += count;
      }
    }
    fresh.sort((a, b) => b[1] - a[1]);
    quality.newCategoryShare = share(freshCount, cur.nonNullCount);
    quality.newCategories = fresh.slice(0, 10).map(([value]) => cutValue(value));
  }
  return quality;
}

function pct(share: number): string {
  return `${(share * 100).toFixed(share < 0.001 && share > 0 ? 3 : 1)}%`;
}
