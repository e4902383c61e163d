import { percentileLinear } from "../stats/epps";
import { seededRandom } from "../stats/permutation";
import { pooledMidranks } from "../stats/ranks";

/**
 * The domain classifier Evidently uses for text content and (by default) embeddings: label the reference rows 0
 * and the current rows 1, split them in half at random, train a linear classifier on one half and measure its
 * ROC AUC on the other. An AUC near 0.5 means the classifier cannot tell the two sets apart.
 *
 * Evidently trains scikit-learn's `SGDClassifier` (modified Huber loss, L1, 50 epochs, on TF-IDF for text);
 * this trains an L2-regularised logistic regression by full-batch gradient descent on the same kind of features.
 * The AUCs agree in what they measure, not to the digit; the split and the random-AUC percentile are seeded.
 */

/** A sparse feature row: parallel arrays of column indices and values. */
export interface SparseRow {
  readonly index: Int32Array;
  readonly value: Float64Array;
}

export interface DomainClassifierResult {
  /** ROC AUC of the classifier on the held-out half. */
  readonly rocAuc: number;
  /** 95th percentile of the AUC of random scores on the same held-out labels (the `bootstrap` cut-off). */
  readonly randomAucPercentile: number;
  readonly trainRows: number;
  readonly testRows: number;
}

/** ROC AUC of `scores` for `labels` (1 = positive), ties counted half, as `sklearn.metrics.roc_auc_score`. */
export function rocAuc(labels: Uint8Array, scores: Float64Array): number {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] ? pos : neg).push(scores[i]!);
  const p = Float64Array.from(pos).sort();
  const n = Float64Array.from(neg).sort();
  const { ranksA } = pooledMidranks(p, n);
  let r = 0;
  for (const v of ranksA) r += v;
  return (r - (p.length * (p.length + 1)) / 2) / (p.length * n.length);
}

/**
 * Trains on a random half and scores the other half. `rows` are the reference rows then the current rows.
 * @param referenceCount how many of `rows` are reference rows (label 0).
 */
export function domainClassifier(
  rows: readonly SparseRow[],
  referenceCount: number,
  dimensions: number,
  seed = 42,
): DomainClassifierResult {
  const n = rows.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const testRows = Math.ceil(n / 2);
  const train = order.subarray(testRows);
  const test = order.subarray(0, testRows);
  const label = (i: number) => (i >= referenceCount ? 1 : 0);
  const weights = trainLogistic(rows, train, label, dimensions);
  const labels = Uint8Array.from(test, label);
  const scores = Float64Array.from(test, (i) => linear(weights, rows[i]!));
  return {
    rocAuc: rocAuc(labels, scores),
    randomAucPercentile: randomAucPercentile(labels, seed),
    trainRows: train.length,
    testRows,
  };
}

function linear(w: Float64Array, row: SparseRow): number {
  let s = w[w.length - 1]!; // intercept
  for (let k = 0; k < row.index.length; k++) s += w[row.index[k]!]! * row.value[k]!;
  return s;
}

/** L2-regularised logistic regression, full-batch gradient descent with a fixed step and epoch count. */
function trainLogistic(
  rows: readonly SparseRow[],
  train: Int32Array,
  label: (i: number) => number,
  dimensions: number,
  epochs = 200,
  step = 0.5,
  l2 = 1e-4,
): Float64Array {
  const w = new Float64Array(dimensions + 1);
  const grad = new Float64Array(dimensions + 1);
  for (let epoch = 0; epoch < epochs; epoch++) {
    grad.fill(0);
    for (const i of train) {
      const row = rows[i]!;
      const p = 1 / (1 + Math.exp(-linear(w, row)));
      const e = p - label(i);
      for (let k = 0; k < row.index.length; k++) grad[row.index[k]!]! += e * row.value[k]!;
      grad[dimensions]! += e;
    }
    for (let k = 0; k <= dimensions; k++) {
      w[k] = w[k]! - step * (grad[k]! / train.length + (k < dimensions ? l2 * w[k]! : 0));
    }
  }
  return w;
}

/** The 95th percentile of the AUC of uniform random scores on `labels`, over 1000 seeded draws. */
function randomAucPercentile(labels: Uint8Array, seed: number): number {
  const random = seededRandom(seed + 1);
  const aucs = new Float64Array(1000);
  const scores = new Float64Array(labels.length);
  for (let t = 0; t < aucs.length; t++) {
    for (let i = 0; i < scores.length; i++) scores[i] = random();
    aucs[t] = rocAuc(labels, scores);
  }
  return percentileLinear(aucs.sort(), 95);
}

/** Dense vectors as sparse rows, each component standardised with the mean and std of all rows. */
export function standardisedRows(vectors: readonly ArrayLike<number>[], dimensions: number): SparseRow[] {
  const mean = new Float64Array(dimensions);
  const sd = new Float64Array(dimensions);
  for (const v of vectors) for (let k = 0; k < dimensions; k++) mean[k]! += v[k]! / vectors.length;
  for (const v of vectors)
    for (let k = 0; k < dimensions; k++) sd[k]! += (v[k]! - mean[k]!) ** 2 / vectors.length;
  const index = Int32Array.from({ length: dimensions }, (_, k) => k);
  return vectors.map((v) => ({
    index,
    value: Float64Array.from({ length: dimensions }, (_, k) =>
      sd[k]! > 0 ? (v[k]! - mean[k]!) / Math.sqrt(sd[k]!) : 0,
    ),
  }));
}

/**
 * TF-IDF rows as scikit-learn's `TfidfVectorizer(sublinear_tf=True, max_df=0.5)` builds them: tokens of two or more
 * word characters, lower-cased; terms in more than half of the texts dropped; tf = 1 + ln(count); idf =
 * ln((1 + n)/(1 + df)) + 1; rows L2-normalised. The vocabulary and idf are fitted on every text, labels unseen
 * (Evidently fits them on the training half, and also drops English stop words; this does neither).
 */
export function tfidfRows(texts: readonly string[]): {
  rows: SparseRow[];
  dimensions: number;
  terms: string[];
} {
  const tokenised = texts.map((t) => t.toLowerCase().match(/[\p{L}\p{N}_]{2,}/gu) ?? []);
  const df = new Map<string, number>();
  for (const tokens of tokenised) for (const term of new Set(tokens)) df.set(term, (df.get(term) ?? 0) + 1);
  const terms = [...df.entries()]
    .filter(([, d]) => d <= 0.5 * texts.length)
    .map(([t]) => t)
    .sort();
  const column = new Map(terms.map((t, i) => [t, i]));
  const n = texts.length;
  const rows = tokenised.map((tokens) => {
    const counts = new Map<number, number>();
    for (const t of tokens) {
      const c = column.get(t);
      if (c !== undefined) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const index = Int32Array.from(counts.keys()).sort();
    const value = Float64Array.from(index, (c) => {
      const idf = Math.log((1 + n) / (1 + df.get(terms[c]!)!)) + 1;
      return (1 + Math.log(counts.get(c)!)) * idf;
    });
    const norm = Math.sqrt(value.reduce((s, v) => s + v * v, 0));
    if (norm > 0) for (let k = 0; k < value.length; k++) value[k] = value[k]! / norm;
    return { index, value };
  });
  return { rows, dimensions: terms.length, terms };
}
