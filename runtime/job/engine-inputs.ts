import type {
  CategoricalCounts,
  ColumnDriftError,
  DriftColumnInput,
  NumericCurrentSummary,
  NumericValues,
  ReferenceColumn,
} from "../drift/types";
import { cutValue, quoteValue } from "../errors";
import type { ColumnAccumulator } from "../profile/column";
import { fitHistogram } from "../profile/histogram";

/**
 * Turns a reference and a current column into the drift engine's input, or into an errored column
 * with a message naming the column, the first bad row and the fix. These are the problems only the
 * runtime can see (the engine sees arrays, not files): missing columns, NaN/±Infinity, numbers that
 * are words, identifier-like categoricals and empty sides.
 */
export function engineInput(
  name: string,
  reference: ColumnAccumulator | undefined,
  current: ColumnAccumulator | undefined,
  options: {
    referenceMode: "exact" | "sketch";
    /** `sketch` when the current side is a profile: numeric columns are then compared sketch to sketch. */
    currentMode?: "exact" | "sketch";
    typeMismatchTolerance: number;
    maxCategories: number;
  },
): DriftColumnInput | ColumnDriftError {
  if (reference === undefined || current === undefined) {
    const side = reference === undefined ? "reference" : "current";
    return fail(
      name,
      "missing-column",
      `Column '${name}' is missing from the ${side} data. Add it there, or leave it out of --columns.`,
    );
  }
  const kind = reference.kind;
  if (kind === "empty") {
    return fail(
      name,
      "empty-sample",
      `Column '${name}' has no non-missing value in the reference. Fill it, or leave it out of --columns.`,
    );
  }
  for (const [side, column] of [
    ["reference", reference],
    ["current", current],
  ] as const) {
    if (column.nonFiniteCount > 0 && column.firstNonFinite !== undefined) {
      return fail(
        name,
        "non-finite-value",
        `Column '${name}' holds ${column.nonFiniteCount} NaN or ±Infinity value(s) in the ${side} data, the first at row ${column.firstNonFinite.row} (${cutValue(column.firstNonFinite.value)}). Clean them upstream, or pass --non-finite missing to count them as missing values.`,
      );
    }
  }
  if (kind === "numerical") {
    for (const [side, column] of [
      ["reference", reference],
      ["current", current],
    ] as const) {
      const nonNull = column.nonNullCount;
      if (nonNull > 0 && column.textCount / nonNull > options.typeMismatchTolerance) {
        return fail(
          name,
          "type-mismatch",
          `Column '${name}' is numerical but ${column.textCount} of ${nonNull} ${side} values are not numbers, the first at row ${column.firstText?.row} (${quoteValue(column.firstText?.value ?? "")}). Fix the values, or declare the column categorical with --columns ${name}:categorical.`,
        );
      }
    }
    if (current.moments.count === 0) {
      return fail(
        name,
        "empty-sample",
        `Column '${name}' has no numeric value in the current data. Check the current file fills it.`,
      );
    }
    if (options.currentMode === "sketch") {
      // A profile keeps no values, so the reference is compared through its sketch too (one built from
      // its values when it was read raw).
      const cur: NumericCurrentSummary = {
        kind: "numerical-summary",
        count: current.moments.count,
        nullCount: current.nullCount + current.textCount,
        min: current.moments.min,
        max: current.moments.max,
        sketch: current.sketch,
        ...(current.categories === undefined ? {} : { valueCounts: current.categories }),
      };
      return { name, reference: numericReference(reference, "sketch"), current: cur };
    }
    const cur: NumericValues = {
      kind: "numerical",
      values: current.retained?.values() ?? new Float64Array(0),
      nullCount: current.nullCount + current.textCount,
    };
    return { name, reference: numericReference(reference, options.referenceMode), current: cur };
  }
  for (const [side, column] of [
    ["reference", reference],
    ["current", current],
  ] as const) {
    if (column.categories === undefined) {
      return fail(
        name,
        "too-many-categories",
        `Column '${name}' has more than ${options.maxCategories} distinct values in the ${side} data, so it looks like an identifier rather than a category. Leave it out of --columns, declare it numerical, or raise --max-categories.`,
      );
    }
  }
  if (current.nonNullCount === 0) {
    return fail(
      name,
      "empty-sample",
      `Column '${name}' has no non-missing value in the current data. Check the current file fills it.`,
    );
  }
  const cur: CategoricalCounts = {
    kind: "categorical",
    counts: current.categories as Map<string, number>,
    nullCount: current.nullCount,
  };
  return { name, reference: categoricalReference(reference, options.referenceMode), current: cur };
}

function numericReference(column: ColumnAccumulator, mode: "exact" | "sketch"): ReferenceColumn {
  if (mode === "exact" && column.retained !== undefined) {
    return {
      kind: "numerical",
      values: column.retained.values(),
      nullCount: column.nullCount + column.textCount,
    };
  }
  return {
    kind: "numerical-summary",
    count: column.moments.count,
    nullCount: column.nullCount + column.textCount,
    mean: column.moments.mean,
    variance: Math.max(0, column.moments.variance),
    min: column.moments.min,
    max: column.moments.max,
    sketch: column.sketch,
    histogram: fitHistogram(column.sketch),
    distinctCount: column.categories?.size,
    ...(column.categories === undefined ? {} : { valueCounts: column.categories }),
  };
}

function categoricalReference(column: ColumnAccumulator, mode: "exact" | "sketch"): ReferenceColumn {
  const counts = column.categories as Map<string, number>;
  if (mode === "exact") return { kind: "categorical", counts, nullCount: column.nullCount };
  return {
    kind: "categorical-summary",
    count: column.nonNullCount,
    nullCount: column.nullCount,
    topK: [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count),
    otherCount: 0,
    distinctCount: counts.size,
  };
}

function fail(column: string, code: string, message: string): ColumnDriftError {
  return { status: "error", column, error: { code, message } };
}

/** Notes worth showing next to a column's verdict without failing it. */
export function columnWarnings(
  reference: ColumnAccumulator | undefined,
  current: ColumnAccumulator | undefined,
): string[] {
  const warnings: string[] = [];
  for (const [side, column] of [
    ["reference", reference],
    ["current", current],
  ] as const) {
    if (column === undefined || column.kind !== "numerical" || column.moments.count === 0) continue;
    if (column.moments.min === column.moments.max) {
      warnings.push(
        `Column '${column.name}' holds the single value ${column.moments.min} in every ${side} row, so its spread is 0: any change of value is drift, and normalised Wasserstein divides by the 0.001 floor instead of the standard deviation.`,
      );
    }
  }
  return warnings;
}
