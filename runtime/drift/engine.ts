import { benjaminiHochberg, bonferroni } from "../stats/correction";
import { StatsInputError } from "../stats/errors";
import { type ColumnData, prepareColumn } from "./column-data";
import { type DriftMethod, getDriftMethod } from "./methods/index";
import { type MethodOutput, type ResolvedOptions, resolveOptions } from "./outcome";
import { assertThreshold, isDrift, selectDefaultMethod } from "./selection";
import type {
  ColumnDriftConfig,
  ColumnDriftOutcome,
  ColumnDriftResult,
  ColumnKind,
  DatasetDriftResult,
  DriftColumnInput,
  DriftConfig,
  MultipleTestingCorrection,
} from "./types";

const CORRECTIONS: readonly MultipleTestingCorrection[] = ["none", "bonferroni", "benjamini-hochberg"];

/** Evidently's dataset rule: drift when at least half the columns drift. */
export const DEFAULT_DRIFT_SHARE = 0.5;

/**
 * Drift of every column, then the dataset verdict.
 *
 * Per column: the method is the column's `method`, else the dataset's `numericalMethod`/`categoricalMethod`, else
 * the dataset's `method`, else Evidently's default for the reference size and cardinality
 * ({@link selectDefaultMethod}); every method comes from the registry (`methods/`). The threshold is the
 * column's, else the dataset's `numericalThreshold`/`categoricalThreshold`, else its `threshold`, else the
 * method's default. A column whose data is bad (empty, NaN, kind mismatch,
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

interface ChosenMethod {
  readonly method: DriftMethod;
  readonly source: "config" | "default";
}

/**
 * The column's method: its own, else the dataset's per-kind one, else the dataset's `method`, else Evidently's
 * default for the reference size and cardinality. A forced method must accept the column's kind (its descriptor
 * says which), on raw data and profiles alike.
 */
function chooseMethod(data: ColumnData, dataset: DriftConfig, own: ColumnDriftConfig): ChosenMethod {
  const perKind = data.kind === "numerical" ? dataset.numericalMethod : dataset.categoricalMethod;
  const forced = own.method ?? perKind ?? dataset.method;
  if (forced !== undefined) {
    const field =
      own.method !== undefined
        ? "method"
        : perKind !== undefined
          ? data.kind === "numerical"
            ? "numericalMethod"
            : "categoricalMethod"
          : "config.method";
    const method = getDriftMethod(forced, field);
    if (!method.kinds.includes(data.kind)) {
      throw new StatsInputError(
        "kind-mismatch",
        field,
        method.name,
        `'${method.name}' compares ${method.kinds.join(" or ")} columns and this one is ${data.kind}${
          data.kindNote ? ` (${data.kindNote})` : ""
        }; pick a ${data.kind} method${data.kind === "numerical" ? ', or set the column\'s kind to "categorical"' : ""}.`,
      );
    }
    return { method, source: "config" };
  }
  let name = selectDefaultMethod(data.kind, data.referenceCount, data.distinct, dataset.rules);
  if (data.type === "sketch" && getDriftMethod(name).sketch === undefined) {
    // Low-cardinality defaults need per-value counts; a numeric profile without them uses the binned JS distance.
    name = "jensenshannon";
  }
  return { method: getDriftMethod(name), source: "default" };
}

/** Run the method on the column's data, in the form the data allows. */
function runMethod(method: DriftMethod, data: ColumnData, options: ResolvedOptions): MethodOutput {
  switch (data.type) {
    case "counts":
      return method.categorical!(data.counts(), options, data.computation);
    case "numbers":
      // Numbers reach a categorical method only by the default selection (few distinct values).
      return method.kinds.includes("numerical")
        ? method.numeric!(data.pair, options)
        : method.categorical!(data.counts(), options, data.computation);
    case "sketch":
      if (method.sketch === undefined) {
        throw new StatsInputError(
          "needs-raw-data",
          "method",
          method.name,
          `'${method.name}' has no form that works from a profile${
            method.noSketchReason ? ` (${method.noSketchReason})` : ""
          }; pass the raw reference data, or pick a method the README lists as working from a profile.`,
        );
      }
      return method.sketch(data.comparison(), options);
  }
}

function computeColumn(
  column: DriftColumnInput,
  dataset: DriftConfig,
  own: ColumnDriftConfig,
): ColumnDriftResult {
  const options = resolveOptions(dataset, own);
  const data = prepareColumn(column, own.kind, dataset.rules);
  const chosen = chooseMethod(data, dataset, own);
  const out = runMethod(chosen.method, data, options);
  return finishResult(
    column.name,
    data,
    chosen,
    out,
    thresholdFor(chosen.method, data.kind, dataset, own),
    options,
  );
}

function thresholdFor(
  method: DriftMethod,
  kind: ColumnKind,
  dataset: DriftConfig,
  own: ColumnDriftConfig,
): number {
  const perKind = kind === "numerical" ? dataset.numericalThreshold : dataset.categoricalThreshold;
  const threshold = own.threshold ?? perKind ?? dataset.threshold ?? method.defaultThreshold;
  const field =
    own.threshold !== undefined
      ? "threshold"
      : perKind !== undefined
        ? `config.${kind}Threshold`
        : "config.threshold";
  assertThreshold(method, threshold, field);
  return threshold;
}

function finishResult(
  column: string,
  data: ColumnData,
  chosen: ChosenMethod,
  out: MethodOutput,
  threshold: number,
  options: ResolvedOptions,
): ColumnDriftResult {
  const { method } = chosen;
  if (out.pValue !== undefined && Number.isNaN(out.pValue)) {
    throw new StatsInputError(
      "invalid-option",
      "ksMode",
      options.ksMode,
      "The asymptotic p-value is undefined for samples this small (scipy returns NaN too); use 'auto' or 'exact'.",
    );
  }
  const score = out.pValue ?? out.statistic;
  const details = data.kindNote ? { ...out.details, kindInference: data.kindNote } : out.details;
  return {
    status: "ok",
    column,
    kind: data.kind,
    method: method.name,
    methodSource: chosen.source,
    scoreKind: method.scoreKind,
    statistic: out.statistic,
    ...(out.pValue === undefined ? {} : { pValue: out.pValue, adjustedPValue: out.pValue }),
    ...(out.degreesOfFreedom === undefined ? {} : { degreesOfFreedom: out.degreesOfFreedom }),
    score,
    threshold,
    comparison: method.comparison,
    drifted: isDrift(method, score, threshold),
    referenceCount: data.referenceCount,
    currentCount: data.currentCount,
    referenceNullCount: data.referenceNullCount,
    currentNullCount: data.currentNullCount,
    computation: out.computation,
    histogram: out.histogram,
    ...(details ? { details } : {}),
  };
}
