import { type ClassifierScores, descendingOrder, predictedClass, probability } from "./classifier";
import { type ScoreColumn, sweep, thin, type Weights, weightOf } from "./curves";

/** Probabilities are clipped to [1e-15, 1] before the log, as scikit-learn did before 1.5, so one confident miss is finite. */
export const LOG_LOSS_EPSILON = 1e-15;
/** Equal-width bins of the calibration curve and the expected calibration error. */
export const CALIBRATION_BINS = 10;

export interface ClassMetrics {
  readonly class: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface Averages {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

export interface ClassificationMetrics {
  readonly rows: number;
  readonly accuracy: number;
  /** Of class 1, for two classes (scikit-learn's average="binary"); absent for more. */
  readonly precision?: number;
  readonly recall?: number;
  readonly f1?: number;
  readonly perClass: ClassMetrics[];
  readonly macro: Averages;
  readonly weighted: Averages;
  /** Binary: ROC AUC of P(class 1). Multi-class: the unweighted mean of one-vs-rest AUCs. */
  readonly rocAuc: number;
  /** Average precision, with the same averaging as rocAuc. */
  readonly prAuc: number;
  readonly logLoss: number;
  /** Binary: mean (p₁ − y)². Multi-class: mean Σₖ (pₖ − 1[y = k])² (Brier's original form). */
  readonly brier: number;
  /**
   * Expected calibration error over 10 equal-width bins: binary on P(class 1) against the share of
   * positives, multi-class on the top-class probability against accuracy.
   */
  readonly ece: number;
  /** Rows are true classes, columns predicted classes. */
  readonly confusionMatrix: number[][];
}

/** The plots' data, computed once on the whole holdout (not per bootstrap resample). */
export interface ClassificationCurves {
  /** Binary only. */
  readonly roc?: [number, number][];
  readonly pr?: [number, number][];
  readonly calibration: CalibrationBin[];
}

function prf(tp: number, fp: number, fn: number): Averages {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function confusion(labels: Int32Array, s: ClassifierScores, w: Weights): number[][] {
  const k = s.classes;
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < labels.length; i++) {
    (m[labels[i] as number] as number[])[predictedClass(s, i)] += weightOf(w, i);
  }
  return m;
}

function averages(perClass: ClassMetrics[]): { macro: Averages; weighted: Averages } {
  const total = perClass.reduce((a, c) => a + c.support, 0);
  const mean = (key: keyof Averages, weighted: boolean) =>
    perClass.reduce((a, c) => a + c[key] * (weighted ? c.support / total : 1 / perClass.length), 0);
  return {
    macro: { precision: mean("precision", false), recall: mean("recall", false), f1: mean("f1", false) },
    weighted: { precision: mean("precision", true), recall: mean("recall", true), f1: mean("f1", true) },
  };
}

/** Calibration bins, and the expected calibration error Σ (nᵦ/N)·|mean confidence − observed rate|. */
export function calibration(
  labels: Int32Array,
  s: ClassifierScores,
  w: Weights,
): { bins: CalibrationBin[]; ece: number } {
  const count = new Float64Array(CALIBRATION_BINS);
  const sumP = new Float64Array(CALIBRATION_BINS);
  const hits = new Float64Array(CALIBRATION_BINS);
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const wi = weightOf(w, i);
    if (wi === 0) continue;
    let confidence: number;
    let hit: boolean;
    if (s.classes === 2) {
      confidence = probability(s, i, 1);
      hit = labels[i] === 1;
    } else {
      const predicted = predictedClass(s, i);
      confidence = probability(s, i, predicted);
      hit = labels[i] === predicted;
    }
    const b = Math.min(Math.max(Math.floor(confidence * CALIBRATION_BINS), 0), CALIBRATION_BINS - 1);
    count[b] += wi;
    sumP[b] += wi * confidence;
    if (hit) hits[b] += wi;
    total += wi;
  }
  const bins: CalibrationBin[] = [];
  let ece = 0;
  for (let b = 0; b < CALIBRATION_BINS; b++) {
    const n = count[b] as number;
    if (n === 0) continue;
    const meanPredicted = (sumP[b] as number) / n;
    const observedRate = (hits[b] as number) / n;
    ece += (n / total) * Math.abs(meanPredicted - observedRate);
    bins.push({
      lower: b / CALIBRATION_BINS,
      upper: (b + 1) / CALIBRATION_BINS,
      count: n,
      meanPredicted,
      observedRate,
    });
  }
  return { bins, ece };
}

type ConfusionMetrics = Pick<
  ClassificationMetrics,
  "rows" | "accuracy" | "precision" | "recall" | "f1" | "perClass" | "macro" | "weighted" | "confusionMatrix"
>;

/** The metrics of the decisions: the confusion matrix and what follows from it. */
function confusionMetrics(labels: Int32Array, s: ClassifierScores, weights: Weights): ConfusionMetrics {
  const k = s.classes;
  const matrix = confusion(labels, s, weights);
  const perClass: ClassMetrics[] = [];
  let correct = 0;
  let total = 0;
  for (let c = 0; c < k; c++) {
    const row = matrix[c] as number[];
    const tp = row[c] as number;
    const fn = row.reduce((a, v) => a + v, 0) - tp;
    const fp = matrix.reduce((a, r) => a + (r[c] as number), 0) - tp;
    correct += tp;
    total += tp + fn;
    perClass.push({ class: String(c), ...prf(tp, fp, fn), support: tp + fn });
  }
  const binary = k === 2 ? (perClass[1] as ClassMetrics) : undefined;
  return {
    rows: total,
    accuracy: correct / total,
    ...(binary ? { precision: binary.precision, recall: binary.recall, f1: binary.f1 } : {}),
    perClass,
    ...averages(perClass),
    confusionMatrix: matrix,
  };
}

/** Log loss and Brier score: the metrics of the probabilities themselves. */
function probabilityLosses(
  labels: Int32Array,
  s: ClassifierScores,
  weights: Weights,
): { logLoss: number; brier: number } {
  const k = s.classes;
  let logLoss = 0;
  let brier = 0;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const wi = weightOf(weights, i);
    if (wi === 0) continue;
    const y = labels[i] as number;
    total += wi;
    logLoss -= wi * Math.log(Math.max(probability(s, i, y), LOG_LOSS_EPSILON));
    if (k === 2) brier += wi * (probability(s, i, 1) - y) ** 2;
    else for (let c = 0; c < k; c++) brier += wi * (probability(s, i, c) - (c === y ? 1 : 0)) ** 2;
  }
  return { logLoss: logLoss / total, brier: brier / total };
}

/**
 * Every classification metric of one model on the holdout. `orders` are the rows sorted by each
 * class's probability (`descendingOrder`); `weights` are bootstrap multiplicities (none: every row once).
 */
export function classificationMetrics(
  labels: Int32Array,
  s: ClassifierScores,
  orders: readonly Uint32Array[],
  weights?: Weights,
): ClassificationMetrics {
  return {
    ...confusionMetrics(labels, s, weights),
    ...rankMetrics(labels, s, orders, weights),
    ...probabilityLosses(labels, s, weights),
    ece: calibration(labels, s, weights).ece,
  };
}

/**
 * One named metric with row weights, computing only what it needs: a bootstrap resample asks for
 * one metric a thousand times. Undefined for a metric the classifier does not have.
 */
export function classificationMetric(
  name: string,
  labels: Int32Array,
  s: ClassifierScores,
  orders: readonly Uint32Array[],
  weights: Weights,
): number | undefined {
  switch (name) {
    case "rocAuc":
    case "prAuc":
      return rankMetrics(labels, s, orders, weights)[name];
    case "logLoss":
    case "brier":
      return probabilityLosses(labels, s, weights)[name];
    case "ece":
      return calibration(labels, s, weights).ece;
    default: {
      const m = confusionMetrics(labels, s, weights);
      const [average, part] = /^(macro|weighted)(Precision|Recall|F1)$/.exec(name)?.slice(1) ?? [];
      if (average !== undefined && part !== undefined) {
        const key = part === "F1" ? "f1" : (part.toLowerCase() as "precision" | "recall");
        return m[average as "macro" | "weighted"][key];
      }
      return m[name as "accuracy" | "precision" | "recall" | "f1"];
    }
  }
}

/** Class c's scores; a one-column binary output holds P(class 1) only, which is all a sweep asks for. */
function scoreColumn(s: ClassifierScores, c: number): ScoreColumn {
  return { values: s.values, width: s.width, column: s.width === 1 ? 0 : c };
}

function rankMetrics(
  labels: Int32Array,
  s: ClassifierScores,
  orders: readonly Uint32Array[],
  weights: Weights,
): { rocAuc: number; prAuc: number } {
  const classes = s.classes === 2 ? [1] : Array.from({ length: s.classes }, (_, c) => c);
  let auc = 0;
  let ap = 0;
  for (const c of classes) {
    const result = sweep(orders[c] as Uint32Array, scoreColumn(s, c), labels, c, weights);
    auc += result.rocAuc;
    ap += result.averagePrecision;
  }
  return { rocAuc: auc / classes.length, prAuc: ap / classes.length };
}

/** The sort orders `classificationMetrics` needs (class 1 only for a binary classifier). */
export function classOrders(s: ClassifierScores, rows: number): Uint32Array[] {
  return Array.from({ length: s.classes }, (_, c) =>
    s.classes === 2 && c === 0 ? new Uint32Array(0) : descendingOrder(s, rows, c),
  );
}

/** ROC and PR points (binary) and calibration bins, for the report's plots. */
export function classificationCurves(
  labels: Int32Array,
  s: ClassifierScores,
  orders: readonly Uint32Array[],
): ClassificationCurves {
  const { bins } = calibration(labels, s, undefined);
  if (s.classes !== 2) return { calibration: bins };
  const result = sweep(orders[1] as Uint32Array, scoreColumn(s, 1), labels, 1, undefined, true);
  return { roc: thin(result.roc ?? []), pr: thin(result.pr ?? []), calibration: bins };
}

export interface RegressionMetrics {
  readonly rows: number;
  readonly mae: number;
  readonly rmse: number;
  /** Mean of |y − ŷ| / max(|y|, ε), ε the float64 machine epsilon (scikit-learn's definition). */
  readonly mape: number;
  readonly r2: number;
}

/** MAE, RMSE, MAPE and R² of predictions against targets, with optional row weights. */
export function regressionMetrics(
  targets: Float64Array,
  predictions: Float32Array,
  weights?: Weights,
): RegressionMetrics {
  let n = 0;
  let sumY = 0;
  for (let i = 0; i < targets.length; i++) {
    const wi = weightOf(weights, i);
    n += wi;
    sumY += wi * (targets[i] as number);
  }
  const meanY = sumY / n;
  let abs = 0;
  let sq = 0;
  let pct = 0;
  let tot = 0;
  for (let i = 0; i < targets.length; i++) {
    const wi = weightOf(weights, i);
    if (wi === 0) continue;
    const y = targets[i] as number;
    const e = y - (predictions[i] as number);
    abs += wi * Math.abs(e);
    sq += wi * e * e;
    pct += (wi * Math.abs(e)) / Math.max(Math.abs(y), Number.EPSILON);
    tot += wi * (y - meanY) ** 2;
  }
  return { rows: n, mae: abs / n, rmse: Math.sqrt(sq / n), mape: pct / n, r2: 1 - sq / tot };
}
