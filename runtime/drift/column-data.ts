import { assertFiniteSample, StatsInputError } from "../stats/errors";
import { sortedCopy } from "../stats/sorting";
import { type AlignedCounts, alignCounts, countsTotal } from "./categorical";
import { allIntegerLabels, canonicalCounts, numericToCounts } from "./labels";
import { describeSortedPair, type SortedNumericPair } from "./numeric";
import { OTHER_LABEL } from "./outcome";
import { DEFAULT_METHOD_RULES } from "./selection";
import { alignWithTopK, type SketchedComparison, sketchedComparison, validateNumericSummary } from "./sketch";
import type {
  CategoricalReferenceSummary,
  ColumnKind,
  CurrentColumn,
  DefaultMethodRules,
  DriftColumnInput,
  DriftComputation,
  NumericCurrentSummary,
  NumericReferenceSummary,
  ReferenceColumn,
} from "./types";

interface Common {
  readonly kind: ColumnKind;
  /** Why the kind differs from the reference's, when it was inferred (reported in the result's details). */
  readonly kindNote?: string;
  readonly referenceCount: number;
  readonly currentCount: number;
  readonly referenceNullCount: number;
  readonly currentNullCount: number;
  /** Distinct values of reference ∪ current, for the default selection (`Infinity` when unknown). */
  readonly distinct: number;
}

/**
 * A column's data in the form the methods take: category counts, two exact numeric samples (which a method
 * chosen by default for few distinct values may also see as counts), or a numeric profile to compare through
 * its sketch. Counts are built lazily, since most numeric columns never need them.
 */
export type ColumnData = Common &
  (
    | { readonly type: "counts"; counts(): AlignedCounts; readonly computation: DriftComputation }
    | {
        readonly type: "numbers";
        readonly pair: SortedNumericPair;
        counts(): AlignedCounts;
        readonly computation: DriftComputation;
      }
    | { readonly type: "sketch"; comparison(): SketchedComparison }
  );

const EXACT: DriftComputation = { mode: "exact" };

/** Checks the two sides, decides the column's kind and prepares its data. */
export function prepareColumn(
  column: DriftColumnInput,
  forcedKind: ColumnKind | undefined,
  rules: DefaultMethodRules | undefined,
): ColumnData {
  const { reference, current } = column;
  checkSides(reference, current, forcedKind);
  const nulls = {
    referenceNullCount: checkNullCount(reference.nullCount, "reference.nullCount"),
    currentNullCount: checkNullCount(current.nullCount, "current.nullCount"),
  };
  const maxDistinct = rules?.lowCardinalityMaxDistinct ?? DEFAULT_METHOD_RULES.lowCardinalityMaxDistinct;
  switch (reference.kind) {
    case "categorical": {
      const counts = alignCounts(
        canonicalCounts(reference.counts),
        canonicalCounts(categoricalCurrent(current).counts),
      );
      return countsData(counts, EXACT, { kind: "categorical", ...nulls });
    }
    case "categorical-summary":
      return topKData(reference, categoricalCurrent(current).counts, nulls);
    case "numerical": {
      assertFiniteSample(reference.values, "reference.values");
      const values = (current as { values: Float64Array }).values;
      assertFiniteSample(values, "current.values");
      const pair = describeSortedPair(sortedCopy(reference.values), sortedCopy(values));
      const inferred = forcedKind === undefined && pair.referenceDistinct <= maxDistinct && allIntegers(pair);
      const counts = () => alignCounts(numericToCounts(pair.reference), numericToCounts(pair.current));
      const kind = forcedKind ?? (inferred ? "categorical" : "numerical");
      const common = {
        kind,
        ...(inferred ? { kindNote: lowCardinalityNote(maxDistinct) } : {}),
        referenceCount: pair.reference.length,
        currentCount: pair.current.length,
        distinct: pair.unionDistinct,
        ...nulls,
      };
      if (kind === "categorical") return countsData(counts(), EXACT, common);
      return { type: "numbers", pair, counts: memo(counts), computation: EXACT, ...common };
    }
    case "numerical-summary":
      return summaryData(reference, current as Float64ArraySide, forcedKind, maxDistinct, nulls);
    default:
      throw new StatsInputError(
        "invalid-summary",
        "reference.kind",
        String((reference as { kind: unknown }).kind),
        'Use "numerical", "categorical", "numerical-summary" or "categorical-summary".',
      );
  }
}

type Float64ArraySide = { kind: "numerical"; values: Float64Array } | NumericCurrentSummary;

function lowCardinalityNote(maxDistinct: number): string {
  return `integer column with at most ${maxDistinct} distinct reference values, compared as categories (Evidently's rule); set its kind to "numerical" to compare it as numbers`;
}

function allIntegers(pair: SortedNumericPair): boolean {
  for (const v of pair.reference) if (!Number.isInteger(v)) return false;
  return true;
}

function countsData(
  counts: AlignedCounts,
  computation: DriftComputation,
  common: Omit<Common, "referenceCount" | "currentCount" | "distinct">,
): ColumnData {
  return {
    type: "counts",
    counts: () => counts,
    computation,
    referenceCount: counts.referenceTotal,
    currentCount: counts.currentTotal,
    distinct: counts.categories.length,
    ...common,
  };
}

function topKData(
  reference: CategoricalReferenceSummary,
  current: ReadonlyMap<string, number>,
  nulls: { referenceNullCount: number; currentNullCount: number },
): ColumnData {
  const topK = canonicalCounts(new Map(reference.topK.map((e) => [e.value, e.count])));
  const summary =
    topK.size === reference.topK.length
      ? reference
      : { ...reference, topK: [...topK].map(([value, count]) => ({ value, count })) };
  const cur = canonicalCounts(current);
  const { aligned, exact } = alignWithTopK(summary, cur, OTHER_LABEL);
  const computation: DriftComputation = exact
    ? EXACT
    : {
        mode: "sketch",
        rankErrorBound: 0,
        rankErrorConfidence: 1,
        note: `Reference profile keeps the top ${summary.topK.length} categories; all other categories, on both sides, are compared as one '${OTHER_LABEL}' bucket.`,
      };
  return {
    type: "counts",
    counts: () => aligned,
    computation,
    kind: "categorical",
    referenceCount: aligned.referenceTotal,
    currentCount: countsTotal(cur, "current"),
    distinct: Math.max(reference.distinctCount ?? 0, aligned.categories.length),
    ...nulls,
  };
}

/**
 * A numeric profile. When it kept every value's count and the column is an integer one with few values (or is
 * forced categorical), it is compared as categories, as raw data would be; otherwise through its sketch.
 */
function summaryData(
  reference: NumericReferenceSummary,
  current: Float64ArraySide,
  forcedKind: ColumnKind | undefined,
  maxDistinct: number,
  nulls: { referenceNullCount: number; currentNullCount: number },
): ColumnData {
  validateNumericSummary(reference);
  const refCounts = reference.valueCounts;
  const inferred =
    forcedKind === undefined &&
    refCounts !== undefined &&
    canonicalCounts(refCounts).size <= maxDistinct &&
    allIntegerLabels(refCounts);
  if (forcedKind === "categorical" || inferred) {
    const curCounts = current.kind === "numerical" ? numericToCounts(current.values) : current.valueCounts;
    if (refCounts === undefined || curCounts === undefined) {
      throw new StatsInputError(
        "kind-mismatch",
        "kind",
        "categorical",
        "A numeric profile without per-value counts cannot be compared as categories; compare it as numerical, profile it with the column declared categorical, or pass raw reference values.",
      );
    }
    const counts = alignCounts(canonicalCounts(refCounts), canonicalCounts(curCounts));
    return countsData(counts, EXACT, {
      kind: "categorical",
      ...(inferred ? { kindNote: lowCardinalityNote(maxDistinct) } : {}),
      ...nulls,
    });
  }
  let side: Float64Array | NumericCurrentSummary;
  if (current.kind === "numerical") {
    assertFiniteSample(current.values, "current.values");
    side = sortedCopy(current.values);
  } else {
    side = current;
  }
  return {
    type: "sketch",
    comparison: memo(() => sketchedComparison(reference, side)),
    kind: "numerical",
    referenceCount: reference.count,
    currentCount: current.kind === "numerical" ? current.values.length : current.count,
    // A sketch cannot tell how many distinct values it saw unless the profile says so.
    distinct: reference.distinctCount ?? Number.POSITIVE_INFINITY,
    ...nulls,
  };
}

function memo<T>(f: () => T): () => T {
  let value: T | undefined;
  return () => {
    if (value === undefined) value = f();
    return value;
  };
}

function categoricalCurrent(current: CurrentColumn): { counts: ReadonlyMap<string, number> } {
  return current as { counts: ReadonlyMap<string, number> };
}

function referenceKind(reference: ReferenceColumn): ColumnKind {
  return reference.kind === "numerical" || reference.kind === "numerical-summary"
    ? "numerical"
    : "categorical";
}

function checkNullCount(n: number | undefined, field: string): number {
  const v = n ?? 0;
  if (!Number.isInteger(v) || v < 0) {
    throw new StatsInputError(
      "invalid-option",
      field,
      String(v),
      "Use the number of dropped nulls, a whole number ≥ 0.",
    );
  }
  return v;
}

/** The pairings of reference and current kinds the engine can compare. */
function checkSides(reference: ReferenceColumn, current: CurrentColumn, kind: ColumnKind | undefined): void {
  if (!reference || !current) {
    throw new StatsInputError(
      "invalid-option",
      reference ? "current" : "reference",
      "undefined",
      "Pass both columns.",
    );
  }
  if (
    current.kind !== "numerical" &&
    current.kind !== "categorical" &&
    current.kind !== "numerical-summary"
  ) {
    throw new StatsInputError(
      "kind-mismatch",
      "current.kind",
      String((current as CurrentColumn).kind),
      'Use "numerical", "categorical" or "numerical-summary".',
    );
  }
  if (current.kind === "numerical-summary" && reference.kind !== "numerical-summary") {
    throw new StatsInputError(
      "kind-mismatch",
      "current.kind",
      "numerical-summary",
      "A current-side summary is compared only with a reference summary; pass the reference's profile (or raw current values).",
    );
  }
  const refKind = referenceKind(reference);
  if (refKind === "categorical" && (kind === "numerical" || current.kind !== "categorical")) {
    throw new StatsInputError(
      "kind-mismatch",
      kind === "numerical" ? "kind" : "current.kind",
      "numerical",
      "The reference is categorical; compare it with categorical current counts (numbers cannot be recovered from labels).",
    );
  }
  if (refKind === "numerical" && current.kind === "categorical") {
    throw new StatsInputError(
      "kind-mismatch",
      "current.kind",
      "categorical",
      "The reference is numerical; pass the current column as numbers too.",
    );
  }
}
