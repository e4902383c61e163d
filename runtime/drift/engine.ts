import { benjaminiHochberg, bonferroni } from "../stats/correction";
import { assertFiniteSample, StatsInputError } from "../stats/errors";
import { sortedCopy } from "../stats/sorting";
import { alignCounts, categoricalDrift, countsTotal } from "./categorical";
import { assertMethodName, assertThreshold, DRIFT_METHODS, isDrift, selectDefaultMethod } from "./methods";
import { describeSortedPair, numericDrift } from "./numeric";
import { type MethodOutput, OTHER_LABEL, resolveOptions } from "./outcome";
import { alignWithTopK, numericSketchDrift, validateNumericSummary } from "./sketch";
import type {
  CategoricalCounts,
  ColumnDriftConfig,
  ColumnDriftOutcome,
  ColumnDriftResult,
  ColumnKind,
  CurrentColumn,
  DatasetDriftResult,
  DriftColumnInput,
  DriftConfig,
  DriftMethodName,
  MultipleTestingCorrection,
  NumericCurrentSummary,
  NumericValues,
  ReferenceColumn,
} from "./types";

const CORRECTIONS: readonly MultipleTestingCorrection[] = ["none", "bonferroni", "benjamini-hochberg"];

/** Evidently's dataset rule: drift when at least half the columns drift. */
export const DEFAULT_DRIFT_SHARE = 0.5;

/**
 * Drift of every column, then the dataset verdict.
 *
 * Per column: the method is the column's `method`, else the dataset's `numericalMethod`/`categoricalMethod`, else
 * Evidently's default for the reference size and cardinality ({@link selectDefaultMethod}); the threshold is the
 * column's, else the dataset's, else the method's default. A column whose data is bad (empty, NaN, kind mismatch,
 * broken summary) becomes an `error` outcome naming the column, field, value and fix — it never aborts the others,
 * and it does not count towards the drift share.
 *
 * Then p-values are adjusted across all p-value columns with `correction` (Bonferroni or Benjamini–Hochberg), and
 * each test column drifts when its *adjusted* p-value passes its threshold. The dataset drifts when
 * drifted / evaluated ≥ `driftShare`.
 *
 * @throws StatsInputError only for a bad dataset-level config (drift share, correction); column problems are
 *   reported per column.
 */
export function detectDrift(
  columns: readonly DriftColumnInput[],
  config: DriftConfig = {},
): DatasetDriftResult {
  const driftShareThreshold = config.driftShare ?? DEFAULT_DRIFT_SHARE;
  if (!(driftShareThreshold >= 0 && driftShareThreshold <= 1)) {
    throw new StatsInputError(
      "invalid-option",
      "driftShare",
      String(driftShareThreshold),
      "Use a share in [0, 1], e.g. 0.5.",
    );
  }
  const correction = config.correction ?? "none";
  if (!CORRECTIONS.includes(correction)) {
    throw new StatsInputError(
      "invalid-option",
      "correction",
      JSON.stringify(correction),
      `Use one of: ${CORRECTIONS.join(", ")}.`,
    );
  }
  const outcomes: ColumnDriftOutcome[] = columns.map((c) =>
    evaluateColumn(c, config, config.columns?.[c.name] ?? {}),
  );

  const tests = outcomes
    .map((o, i) => ({ o, i }))
    .filter((x): x is { o: ColumnDriftResult; i: number } => x.o.status === "ok" && x.o.pValue !== undefined);
  if (correction !== "none" && tests.length > 0) {
    const raw = tests.map((t) => t.o.pValue!);
    const adjusted = correction === "bonferroni" ? bonferroni(raw) : benjaminiHochberg(raw);
    tests.forEach((t, k) => {
      const adj = adjusted[k]!;
      outcomes[t.i] = {
        ...t.o,
        adjustedPValue: adj,
        score: adj,
        drifted: isDrift(t.o.method, adj, t.o.threshold),
      };
    });
  }

  let evaluatedCount = 0;
  let driftedCount = 0;
  for (const o of outcomes) {
    if (o.status !== "ok") continue;
    evaluatedCount++;
    if (o.drifted) driftedCount++;
  }
  const driftShare = evaluatedCount === 0 ? 0 : driftedCount / evaluatedCount;
  return {
    columns: outcomes,
    evaluatedCount,
    driftedCount,
    errorCount: outcomes.length - evaluatedCount,
    driftShare,
    driftShareThreshold,
    datasetDrift: evaluatedCount > 0 && driftShare >= driftShareThreshold,
    correction,
    correctedTests: correction === "none" ? 0 : tests.length,
  };
}

/**
 * Drift of one column, with no multiple-testing correction. `config` holds the dataset-level defaults and the
 * column's own overrides in one object. Never throws for bad data: returns an `error` outcome.
 */
export function detectColumnDrift(
  column: DriftColumnInput,
  config: ColumnDriftConfig & Omit<DriftConfig, "columns" | "correction" | "driftShare"> = {},
): ColumnDriftOutcome {
  return evaluateColumn(column, config, config);
}

function evaluateColumn(
  column: DriftColumnInput,
  dataset: DriftConfig,
  own: ColumnDriftConfig,
): ColumnDriftOutcome {
  try {
    return computeColumn(column, dataset, own);
  } catch (e) {
    if (e instanceof StatsInputError) {
      return {
        status: "error",
        column: column.name,
        error: { code: e.code, message: e.forColumn(column.name).message },
      };
    }
    const message = e instanceof Error ? e.message : String(e);
    return {
      status: "error",
      column: column.name,
      error: {
        code: "internal-error",
        message: `Column '${column.name}': drift computation failed: ${message}`,
      },
    };
  }
}

function referenceKind(reference: ReferenceColumn): ColumnKind {
  return reference.kind === "numerical" || reference.kind === "numerical-summary"
    ? "numerical"
    : "categorical";
}

/** Numbers as category labels (for numeric columns compared as categories). */
function numericToCounts(values: Float64Array): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const key = String(values[i]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
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

function computeColumn(
  column: DriftColumnInput,
  dataset: DriftConfig,
  own: ColumnDriftConfig,
): ColumnDriftResult {
  const { reference, current } = column;
  if (!reference || !current) {
    throw new StatsInputError(
      "invalid-option",
      reference ? "current" : "reference",
      "undefined",
      "Pass both columns.",
    );
  }
  if (own.method !== undefined) assertMethodName(own.method, "method");
  const kind: ColumnKind = own.kind ?? referenceKind(reference);
  const options = resolveOptions(dataset, own);
  const referenceNullCount = checkNullCount(reference.nullCount, "reference.nullCount");
  const currentNullCount = checkNullCount(current.nullCount, "current.nullCount");

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
  if (
    referenceKind(reference) === "categorical" &&
    (kind === "numerical" || current.kind !== "categorical")
  ) {
    throw new StatsInputError(
      "kind-mismatch",
      kind === "numerical" ? "kind" : "current.kind",
      "numerical",
      "The reference is categorical; compare it with categorical current counts (numbers cannot be recovered from labels).",
    );
  }
  if (referenceKind(reference) === "numerical" && current.kind === "categorical") {
    throw new StatsInputError(
      "kind-mismatch",
      "current.kind",
      "categorical",
      "The reference is numerical; pass the current column as numbers too.",
    );
  }

  const pick = (
    defaultFor: () => DriftMethodName,
  ): { method: DriftMethodName; source: "config" | "default" } => {
    const forced = own.method ?? (kind === "numerical" ? dataset.numericalMethod : dataset.categoricalMethod);
    if (forced !== undefined) {
      assertMethodName(forced, kind === "numerical" ? "numericalMethod" : "categoricalMethod");
      return { method: forced, source: "config" };
    }
    return { method: defaultFor(), source: "default" };
  };

  let out: MethodOutput;
  let chosen: { method: DriftMethodName; source: "config" | "default" };
  let referenceCount: number;
  let currentCount: number;

  if (reference.kind === "numerical" || reference.kind === "categorical") {
    if (reference.kind === "numerical") {
      const ref = reference as NumericValues;
      const cur = current as NumericValues;
      assertFiniteSample(ref.values, "reference.values");
      assertFiniteSample(cur.values, "current.values");
      referenceCount = ref.values.length;
      currentCount = cur.values.length;
      if (kind === "categorical") {
        const aligned = alignCounts(numericToCounts(ref.values), numericToCounts(cur.values));
        chosen = pick(() =>
          selectDefaultMethod("categorical", referenceCount, aligned.categories.length, dataset.rules),
        );
        out = categoricalDrift(chosen.method, aligned, options, { mode: "exact" });
      } else {
        const pair = describeSortedPair(sortedCopy(ref.values), sortedCopy(cur.values));
        chosen = pick(() =>
          selectDefaultMethod("numerical", referenceCount, pair.unionDistinct, dataset.rules),
        );
        if (chosen.method === "chisquare" || chosen.method === "z") {
          // Evidently treats numbers with few distinct values as categories.
          const aligned = alignCounts(numericToCounts(pair.reference), numericToCounts(pair.current));
          out = categoricalDrift(chosen.method, aligned, options, { mode: "exact" });
        } else {
          out = numericDrift(chosen.method, pair, options);
        }
      }
    } else {
      const ref = reference as CategoricalCounts;
      const cur = current as CategoricalCounts;
      const aligned = alignCounts(ref.counts, cur.counts);
      referenceCount = aligned.referenceTotal;
      currentCount = aligned.currentTotal;
      chosen = pick(() =>
        selectDefaultMethod("categorical", referenceCount, aligned.categories.length, dataset.rules),
      );
      out = categoricalDrift(chosen.method, aligned, options, { mode: "exact" });
    }
  } else if (reference.kind === "numerical-summary") {
    if (kind === "categorical") {
      throw new StatsInputError(
        "kind-mismatch",
        "kind",
        "categorical",
        "A numeric profile holds no per-value counts; compare it as numerical or pass raw reference values.",
      );
    }
    validateNumericSummary(reference);
    let currentSide: Float64Array | NumericCurrentSummary;
    if (current.kind === "numerical-summary") {
      currentSide = current;
      currentCount = current.count;
    } else {
      const cur = current as NumericValues;
      assertFiniteSample(cur.values, "current.values");
      currentSide = sortedCopy(cur.values);
      currentCount = cur.values.length;
    }
    referenceCount = reference.count;
    // A sketch cannot tell how many distinct values it saw unless the profile says so.
    const distinct = reference.distinctCount ?? Number.POSITIVE_INFINITY;
    chosen = pick(() => {
      const m = selectDefaultMethod("numerical", referenceCount, distinct, dataset.rules);
      // Low-cardinality defaults need per-value counts; a numeric profile falls back to the binned JS distance.
      return m === "chisquare" || m === "z" ? "jensenshannon" : m;
    });
    out = numericSketchDrift(chosen.method, reference, currentSide, options);
  } else if (reference.kind === "categorical-summary") {
    const cur = current as CategoricalCounts;
    const { aligned, exact } = alignWithTopK(reference, cur.counts, OTHER_LABEL);
    referenceCount = aligned.referenceTotal;
    currentCount = countsTotal(cur.counts, "current");
    const distinct = Math.max(reference.distinctCount ?? 0, aligned.categories.length);
    chosen = pick(() => selectDefaultMethod("categorical", referenceCount, distinct, dataset.rules));
    out = categoricalDrift(
      chosen.method,
      aligned,
      options,
      exact
        ? { mode: "exact" }
        : {
            mode: "sketch",
            rankErrorBound: 0,
            rankErrorConfidence: 1,
            note: `Reference profile keeps the top ${reference.topK.length} categories; all other categories, on both sides, are compared as one '${OTHER_LABEL}' bucket.`,
          },
    );
  } else {
    throw new StatsInputError(
      "invalid-summary",
      "reference.kind",
      String((reference as { kind: unknown }).kind),
      'Use "numerical", "categorical", "numerical-summary" or "categorical-summary".',
    );
  }

  const info = DRIFT_METHODS[chosen.method];
  const threshold = own.threshold ?? dataset.threshold ?? info.defaultThreshold;
  assertThreshold(chosen.method, threshold, own.threshold !== undefined ? "threshold" : "config.threshold");
  if (out.pValue !== undefined && Number.isNaN(out.pValue)) {
    throw new StatsInputError(
      "invalid-option",
      "ksMode",
      options.ksMode,
      "The asymptotic p-value is undefined for samples this small (scipy returns NaN too); use 'auto' or 'exact'.",
    );
  }
  const score = out.pValue ?? out.statistic;
  return {
    status: "ok",
    column: column.name,
    kind,
    method: chosen.method,
    methodSource: chosen.source,
    scoreKind: info.scoreKind,
    statistic: out.statistic,
    ...(out.pValue === undefined ? {} : { pValue: out.pValue, adjustedPValue: out.pValue }),
    ...(out.degreesOfFreedom === undefined ? {} : { degreesOfFreedom: out.degreesOfFreedom }),
    score,
    threshold,
    comparison: info.comparison,
    drifted: isDrift(chosen.method, score, threshold),
    referenceCount,
    currentCount,
    referenceNullCount,
    currentNullCount,
    computation: out.computation,
    histogram: out.histogram,
    ...(out.details ? { details: out.details } : {}),
  };
}
