import { RuntimeInputError } from "../errors";
import type { DataFormat } from "../io/types";
import { type PairedInterval, pairedBootstrap } from "./bootstrap";
import type { ClassifierScores } from "./classifier";
import { type FairnessResult, fairness as groupFairness } from "./fairness";
import {
  DEFAULT_DISPARATE_IMPACT,
  type GateResult,
  type Gates,
  gate,
  METRIC_DIRECTION,
  type MetricName,
} from "./gates";
import { type Latency, latencyOf } from "./latency";
import {
  type ClassificationCurves,
  type ClassificationMetrics,
  classificationCurves,
  classificationMetric,
  classificationMetrics,
  classOrders,
  type RegressionMetrics,
  regressionMetrics,
} from "./metrics";
import { OutputKind } from "./outputs";
import { type ModelScores, type ScoredHoldout, scoreHoldout } from "./score";
import { loadModel } from "./session";

export const Task = { Classification: "classification", Regression: "regression" } as const;
export type Task = (typeof Task)[keyof typeof Task];

export interface EvaluateOptions {
  readonly model: string;
  readonly data: string;
  readonly label: string;
  readonly format?: DataFormat;
  readonly features?: readonly string[];
  readonly champion?: string;
  readonly protectedAttribute?: string;
  readonly gates?: Gates;
  /** @default inferred (see `resolveTask`) */
  readonly task?: Task;
  /** @default 8192 */
  readonly batchSize?: number;
  /** @default new Date() */
  readonly now?: Date;
}

/** One model's results. */
export interface ModelEvaluation {
  readonly path: string;
  readonly inputs: { name: string; type: string; columns: readonly string[] }[];
  readonly output: string;
  readonly outputDescription: string;
  readonly classification?: ClassificationMetrics;
  readonly regression?: RegressionMetrics;
  readonly latency: Latency;
}

export interface ChampionComparison {
  readonly metric: MetricName;
  /** Improvement of the candidate over the champion, oriented so that positive is better. */
  readonly improvement: PairedInterval;
  readonly margin: number;
  readonly resamples: number;
  readonly confidence: number;
  readonly seed: number;
}

export interface EvaluationReport {
  readonly kind: "mlops.evaluation";
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly data: { source: string; rows: number; label: string; protectedAttribute?: string };
  readonly task: Task;
  readonly taskSource: "flag" | "output" | "labels";
  /** Decision threshold on P(class 1); binary classifiers only. */
  readonly threshold?: number;
  readonly candidate: ModelEvaluation;
  readonly champion?: ModelEvaluation;
  readonly comparison?: ChampionComparison;
  readonly curves?: ClassificationCurves;
  readonly fairness?: FairnessResult;
  readonly gates: GateResult[];
  readonly verdict: "pass" | "fail";
  /** 0 every gate passed, 2 a gate failed. */
  readonly exitCode: 0 | 2;
}

/** A model's scores read as the task says, with the labels it is judged against. */
interface Prepared {
  readonly scores: ModelScores;
  readonly classifier?: ClassifierScores;
  readonly orders?: Uint32Array[];
}

/**
 * Classification or regression: `--task` when given; a per-class output is a classifier; a
 * single-value output is a binary classifier when every label is 0 or 1 and every score a
 * probability, else a regressor.
 */
export function resolveTask(
  holdout: ScoredHoldout,
  requested: Task | undefined,
): { task: Task; source: EvaluationReport["taskSource"] } {
  if (requested !== undefined) return { task: requested, source: "flag" };
  const first = holdout.models[0] as ModelScores;
  if (first.output.kind === OutputKind.Columns || first.width > 1)
    return { task: Task.Classification, source: "output" };
  const labels = holdout.labels as Float64Array;
  let binaryLabels = true;
  for (let i = 0; i < labels.length && binaryLabels; i++) binaryLabels = labels[i] === 0 || labels[i] === 1;
  let probabilities = true;
  const values = first.values;
  for (let i = 0; i < values.length && probabilities; i++)
    probabilities = (values[i] as number) >= 0 && (values[i] as number) <= 1;
  return { task: binaryLabels && probabilities ? Task.Classification : Task.Regression, source: "labels" };
}

/**
 * Each row's class index (its probability column). Labels are the indices themselves, or, when the
 * model names its classes (ZipMap's class labels), those names.
 */
function classLabels(
  holdout: ScoredHoldout,
  label: string,
  classes: number,
  names: readonly (number | string)[] | undefined,
): Int32Array {
  if (names?.some((n) => typeof n === "string")) {
    throw new RuntimeInputError({
      source: (holdout.models[0] as ModelScores).model.path,
      problem: `the model's classes are strings (${names.slice(0, 5).join(", ")}); labels are read as numbers`,
      fix: "Export the classifier with integer class labels (encode the target as 0..k-1 before training)",
    });
  }
  const index = new Map<number, number>((names ?? []).map((n, c) => [n as number, c]));
  const labels = holdout.labels as Float64Array;
  const out = new Int32Array(labels.length);
  const seen = new Uint8Array(classes);
  for (let i = 0; i < labels.length; i++) {
    const y = names === undefined ? (labels[i] as number) : (index.get(labels[i] as number) ?? -1);
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new RuntimeInputError({
        source: holdout.source,
        row: i + 1,
        column: label,
        problem: `holds ${labels[i]}, which is not a class of this model (${names === undefined ? `0 to ${classes - 1}, one per output column` : names.join(", ")})`,
        fix: "Labels must be the classes the model's probability columns stand for",
      });
    }
    out[i] = y;
    seen[y] = 1;
  }
  const present = seen.reduce((a, v) => a + v, 0);
  if (present < 2) {
    throw new RuntimeInputError({
      source: holdout.source,
      column: label,
      problem: `holds one class only (${labels[0]}): ROC AUC and PR AUC are undefined, and precision and recall say nothing`,
      fix: "Evaluate on a holdout that holds every class",
    });
  }
  if (present < classes) {
    const absent = [...seen.keys()].filter((c) => seen[c] === 0).map((c) => names?.[c] ?? c);
    throw new RuntimeInputError({
      source: holdout.source,
      column: label,
      problem: `holds no row of class ${absent.join(", ")}: one-vs-rest ROC AUC is undefined for it`,
      fix: "Evaluate on a holdout that holds every class the model predicts",
    });
  }
  return out;
}

/** A score that is not a finite number (a NaN fed for a missing feature, usually) makes every metric NaN. */
function checkFinite(scores: ModelScores): void {
  const values = scores.values;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i] as number)) {
      throw new RuntimeInputError({
        source: scores.model.path,
        row: Math.floor(i / scores.width) + 1,
        problem: `the model returned ${values[i]} for this holdout row`,
        fix: "Missing feature cells are fed as NaN: impute them in the holdout, or export a model that handles missing values",
      });
    }
  }
}

function prepare(scores: ModelScores, task: Task, threshold: number, rows: number): Prepared {
  checkFinite(scores);
  if (task === Task.Regression) {
    if (scores.width !== 1) {
      throw new RuntimeInputError({
        source: scores.model.path,
        problem: `output "${scores.output.name}" has ${scores.width} values per row; a regressor has one`,
        fix: "Pass --task classification, or a model with one prediction per row",
      });
    }
    return { scores };
  }
  const classifier: ClassifierScores = {
    classes: scores.width === 1 ? 2 : scores.width,
    values: scores.values,
    width: scores.width,
    threshold,
  };
  return { scores, classifier, orders: classOrders(classifier, rows) };
}

function flatMetrics(e: ModelEvaluation): Partial<Record<MetricName, number>> {
  if (e.regression) {
    const { mae, rmse, mape, r2 } = e.regression;
    return { mae, rmse, mape, r2 };
  }
  const c = e.classification as ClassificationMetrics;
  return {
    accuracy: c.accuracy,
    precision: c.precision,
    recall: c.recall,
    f1: c.f1,
    macroPrecision: c.macro.precision,
    macroRecall: c.macro.recall,
    macroF1: c.macro.f1,
    weightedPrecision: c.weighted.precision,
    weightedRecall: c.weighted.recall,
    weightedF1: c.weighted.f1,
    rocAuc: c.rocAuc,
    prAuc: c.prAuc,
    logLoss: c.logLoss,
    brier: c.brier,
    ece: c.ece,
  };
}

function metricValue(e: ModelEvaluation, metric: MetricName, gateName: string): number {
  const value = flatMetrics(e)[metric];
  if (value === undefined) {
    throw new RuntimeInputError({
      source: "gates",
      problem: `${gateName} names ${metric}, which a ${e.regression ? "regressor" : "multi-class classifier"} does not have`,
      fix: e.regression
        ? "Regression gates use mae, rmse, mape and r2"
        : "Multi-class gates use accuracy, macro*/weighted* averages, rocAuc, prAuc, logLoss, brier, ece",
    });
  }
  return value;
}

/**
 * `mlops evaluate`: scores the holdout with the candidate (and the champion), computes the metrics,
 * fairness and the champion comparison, and judges every gate. Bad input throws `RuntimeInputError`.
 */
export async function evaluateModel(options: EvaluateOptions): Promise<EvaluationReport> {
  const gates = options.gates ?? {};
  const models = [await loadModel(options.model)];
  if (options.champion !== undefined) models.push(await loadModel(options.champion));
  const holdout = await scoreHoldout(models, {
    data: options.data,
    format: options.format,
    label: options.label,
    protectedAttribute: options.protectedAttribute,
    features: options.features,
    batchSize: options.batchSize,
  });
  const { task, source: taskSource } = resolveTask(holdout, options.task);
  const threshold = gates.threshold ?? 0.5;
  const prepared = holdout.models.map((m) => prepare(m, task, threshold, holdout.rows));
  const widths = new Set(prepared.map((p) => p.classifier?.classes ?? 1));
  if (widths.size > 1) {
    throw new RuntimeInputError({
      source: options.champion as string,
      problem: "the champion and the candidate predict different numbers of classes",
      fix: "Compare models trained for the same task",
    });
  }
  const labels =
    task === Task.Classification
      ? classLabels(
          holdout,
          options.label,
          prepared[0]?.classifier?.classes as number,
          holdout.models[0]?.output.classLabels,
        )
      : undefined;
  const evaluations = prepared.map((p) => describeModel(p, holdout, labels));
  const candidate = evaluations[0] as ModelEvaluation;
  const champion = evaluations[1];
  const results: GateResult[] = [];
  for (const [metric, b] of Object.entries(gates.metrics ?? {}) as [
    MetricName,
    { min?: number; max?: number },
  ][]) {
    const value = metricValue(candidate, metric, `metrics.${metric}`);
    if (b.min !== undefined) results.push(gate(`metrics.${metric}.min`, value, ">=", b.min));
    if (b.max !== undefined) results.push(gate(`metrics.${metric}.max`, value, "<=", b.max));
  }
  const comparison =
    champion === undefined
      ? undefined
      : compare(prepared, holdout, labels, task, candidate, champion, gates, results);
  let fair: FairnessResult | undefined;
  if (options.protectedAttribute !== undefined) {
    const classifier = prepared[0]?.classifier;
    if (classifier === undefined || labels === undefined) {
      throw new RuntimeInputError({
        source: "--protected",
        problem: "fairness is defined for binary classifiers; this model is a regressor",
        fix: "Leave out --protected for regressors",
      });
    }
    fair = groupFairness(
      options.protectedAttribute,
      labels,
      holdout.groups as Int32Array,
      holdout.groupNames,
      classifier,
      gates.fairness?.privileged,
    );
    results.push(...fairnessGates(fair, gates));
  }
  if (gates.latency !== undefined) {
    results.push(gate("latency.p95BatchMs", candidate.latency.p95BatchMs, "<=", gates.latency.p95BatchMs));
  }
  const failed = results.some((r) => !r.passed);
  const first = prepared[0] as Prepared;
  return {
    kind: "mlops.evaluation",
    schemaVersion: 1,
    generatedAt: (options.now ?? new Date()).toISOString(),
    data: {
      source: holdout.source,
      rows: holdout.rows,
      label: options.label,
      ...(options.protectedAttribute ? { protectedAttribute: options.protectedAttribute } : {}),
    },
    task,
    taskSource,
    // The threshold decides binary predictions only; more classes take the most probable.
    ...(first.classifier?.classes === 2 ? { threshold } : {}),
    candidate,
    ...(champion ? { champion } : {}),
    ...(comparison ? { comparison } : {}),
    ...(first.classifier && labels
      ? { curves: classificationCurves(labels, first.classifier, first.orders as Uint32Array[]) }
      : {}),
    ...(fair ? { fairness: fair } : {}),
    gates: results,
    verdict: failed ? "fail" : "pass",
    exitCode: failed ? 2 : 0,
  };
}

function describeModel(p: Prepared, holdout: ScoredHoldout, labels: Int32Array | undefined): ModelEvaluation {
  const base = {
    path: p.scores.model.path,
    inputs: p.scores.inputs.map((b) => ({ name: b.name, type: b.type, columns: b.columns })),
    output: p.scores.output.name,
    outputDescription: p.scores.output.description,
    latency: latencyOf(p.scores.batchMs, holdout.rows, holdout.batchSize),
  };
  if (p.classifier && labels) {
    const metrics = classificationMetrics(labels, p.classifier, p.orders as Uint32Array[]);
    const names = p.scores.output.classLabels;
    // Per-class rows carry the model's class names where it has them.
    const perClass = names
      ? metrics.perClass.map((c, k) => ({ ...c, class: String(names[k] ?? c.class) }))
      : metrics.perClass;
    return { ...base, classification: { ...metrics, perClass } };
  }
  return { ...base, regression: regressionMetrics(holdout.labels as Float64Array, p.scores.values) };
}

function statistic(
  p: Prepared,
  holdout: ScoredHoldout,
  labels: Int32Array | undefined,
  metric: MetricName,
  weights: Uint32Array | undefined,
): number {
  if (p.classifier && labels) {
    return classificationMetric(metric, labels, p.classifier, p.orders as Uint32Array[], weights) as number;
  }
  const m = regressionMetrics(holdout.labels as Float64Array, p.scores.values, weights);
  return flatMetrics({ regression: m } as ModelEvaluation)[metric] as number;
}

function compare(
  prepared: Prepared[],
  holdout: ScoredHoldout,
  labels: Int32Array | undefined,
  task: Task,
  candidate: ModelEvaluation,
  champion: ModelEvaluation,
  gates: Gates,
  results: GateResult[],
): ChampionComparison {
  const settings = gates.champion ?? { margin: 0, resamples: 1000, confidence: 0.95, seed: 42 };
  const metric: MetricName = settings.metric ?? (task === Task.Classification ? "rocAuc" : "rmse");
  metricValue(candidate, metric, "champion.metric");
  const sign = METRIC_DIRECTION[metric] === "higher" ? 1 : -1;
  const [cand, champ] = prepared as [Prepared, Prepared];
  const improvement = pairedBootstrap(
    holdout.rows,
    // `+ 0` turns the −0 of a turned-around zero difference into 0 in the report.
    (w) =>
      sign * (statistic(cand, holdout, labels, metric, w) - statistic(champ, holdout, labels, metric, w)) + 0,
    settings,
  );
  results.push(gate(`champion.${metric}.improvementLowerBound`, improvement.lower, ">=", settings.margin));
  for (const [name, limit] of Object.entries(settings.maxRegression ?? {}) as [MetricName, number][]) {
    const s = METRIC_DIRECTION[name] === "higher" ? 1 : -1;
    const loss =
      s *
      (metricValue(champion, name, "champion.maxRegression") -
        metricValue(candidate, name, "champion.maxRegression"));
    results.push(gate(`champion.maxRegression.${name}`, loss, "<=", limit));
  }
  return {
    metric,
    improvement,
    margin: settings.margin,
    resamples: settings.resamples,
    confidence: settings.confidence,
    seed: settings.seed,
  };
}

function fairnessGates(fair: FairnessResult, gates: Gates): GateResult[] {
  const f = gates.fairness ?? {};
  const di = f.disparateImpact ?? DEFAULT_DISPARATE_IMPACT;
  const out: GateResult[] = [];
  for (const c of fair.comparisons) {
    const at = `[${c.group}]`;
    if (di.min !== undefined)
      out.push(gate(`fairness.disparateImpact.min${at}`, c.disparateImpact, ">=", di.min));
    if (di.max !== undefined)
      out.push(gate(`fairness.disparateImpact.max${at}`, c.disparateImpact, "<=", di.max));
    for (const key of [
      "statisticalParityDifference",
      "equalOpportunityDifference",
      "averageOddsDifference",
    ] as const) {
      const limit = f[key];
      if (limit !== undefined)
        out.push(gate(`fairness.${key}.maxAbs${at}`, Math.abs(c[key]), "<=", limit.maxAbs));
    }
  }
  return out;
}
