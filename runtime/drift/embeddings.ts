import { StatsInputError } from "../stats/errors";
import { normalizedWasserstein, populationStd, wassersteinDistance } from "../stats/index";
import { sortedCopy } from "../stats/sorting";
import { domainClassifier, standardisedRows } from "./domain-classifier";

/**
 * Drift of an embedding column (one vector per row), as Evidently's `EmbeddingsDriftMetric` computes it
 * (`legacy/metrics/data_drift/embedding_drift_methods.py`), with its defaults:
 *
 * | method     | score                                                                  | drift when     |
 * |------------|------------------------------------------------------------------------|----------------|
 * | `distance` | distance between the mean reference and mean current vectors (euclidean by default) | > 0.2 |
 * | `ratio`    | share of components whose own drift test (normed Wasserstein ≥ 0.1) fires | > 0.2       |
 * | `mmd`      | unbiased MMD² with an RBF kernel, σ² = median reference–current distance² (floored at 0) | > 0.015 |
 *
 * | `model`    | ROC AUC of a domain classifier telling current from reference vectors (see `domain-classifier.ts`) | > 0.55, or, below 1,000 reference rows, > the 95th percentile of random AUCs |
 *
 * `model` is Evidently's default. The PCA reduction and the bootstrap variants of the other methods are not
 * provided.
 */
export const EMBEDDING_METHODS = {
  model: { defaultThreshold: 0.55 },
  distance: { defaultThreshold: 0.2 },
  ratio: { defaultThreshold: 0.2 },
  mmd: { defaultThreshold: 0.015 },
} as const;

export type EmbeddingMethod = keyof typeof EMBEDDING_METHODS;
export type EmbeddingDistance = "euclidean" | "cosine" | "cityblock" | "chebyshev";

export interface EmbeddingDriftOptions {
  /** @default "model" (Evidently's) */
  readonly method?: EmbeddingMethod;
  /** Score above which the column drifts. @default the method's (0.2, 0.2, 0.015) */
  readonly threshold?: number;
  /** `distance`: metric between the mean vectors (scipy.spatial.distance's). @default "euclidean" */
  readonly distance?: EmbeddingDistance;
  /** `ratio`: threshold of each component's normed Wasserstein distance. @default 0.1 */
  readonly componentThreshold?: number;
}

export interface EmbeddingDriftResult {
  readonly column: string;
  readonly method: EmbeddingMethod;
  readonly score: number;
  readonly threshold: number;
  readonly drifted: boolean;
  readonly referenceCount: number;
  readonly currentCount: number;
  readonly dimensions: number;
  readonly details: Readonly<Record<string, string | number>>;
}

/** Above this many vectors in all, `mmd`'s kernel matrix would not fit a job's memory. */
export const EMBEDDING_MMD_MAX_ROWS = 4000;

/**
 * Drift of one embedding column. Every vector must have the same length and finite components.
 * @throws StatsInputError for empty sides, ragged or non-finite vectors, or a bad option.
 */
export function detectEmbeddingDrift(
  column: string,
  reference: readonly ArrayLike<number>[],
  current: readonly ArrayLike<number>[],
  options: EmbeddingDriftOptions = {},
): EmbeddingDriftResult {
  const method = options.method ?? "model";
  if (!(method in EMBEDDING_METHODS)) {
    throw new StatsInputError(
      "invalid-option",
      "method",
      JSON.stringify(method),
      'Use "model", "distance", "ratio" or "mmd".',
    );
  }
  const threshold = options.threshold ?? EMBEDDING_METHODS[method].defaultThreshold;
  if (!(Number.isFinite(threshold) && threshold >= 0)) {
    throw new StatsInputError(
      "invalid-option",
      "threshold",
      String(threshold),
      "Use a finite threshold ≥ 0.",
    );
  }
  const d = checkVectors(reference, "reference", undefined);
  checkVectors(current, "current", d);
  let score: number;
  let details: Record<string, string | number>;
  if (method === "model") {
    const r = domainClassifier(standardisedRows([...reference, ...current], d), reference.length, d);
    // Evidently's default: below 1,000 reference rows, compare with random classifiers instead of 0.55.
    const bootstrap = options.threshold === undefined && reference.length < 1000;
    const cutoff = bootstrap ? r.randomAucPercentile : threshold;
    return {
      column,
      method,
      score: r.rocAuc,
      threshold: cutoff,
      drifted: r.rocAuc > cutoff,
      referenceCount: reference.length,
      currentCount: current.length,
      dimensions: d,
      details: { cutoff: bootstrap ? "random-auc-95th-percentile" : "threshold", testRows: r.testRows },
    };
  }
  if (method === "distance") {
    const metric = options.distance ?? "euclidean";
    score = vectorDistance(meanVector(reference, d), meanVector(current, d), metric);
    details = { distance: metric };
  } else if (method === "ratio") {
    const componentThreshold = options.componentThreshold ?? 0.1;
    const drifted = componentsDrifted(reference, current, d, componentThreshold);
    score = drifted / d;
    details = { componentMethod: "wasserstein", componentThreshold, driftedComponents: drifted };
  } else {
    const r = mmdUnbiased(reference, current, d);
    score = Math.max(r.mmd2, 0);
    details = { sigma2: r.sigma2 };
  }
  return {
    column,
    method,
    score,
    threshold,
    drifted: score > threshold,
    referenceCount: reference.length,
    currentCount: current.length,
    dimensions: d,
    details,
  };
}

function checkVectors(rows: readonly ArrayLike<number>[], side: string, dims: number | undefined): number {
  if (rows.length === 0)
    throw new StatsInputError("empty-sample", side, undefined, `Pass at least one vector in ${side}.`);
  const d = dims ?? rows[0]!.length;
  if (d === 0)
    throw new StatsInputError(
      "empty-sample",
      `${side}[0]`,
      "[]",
      "Pass vectors with at least one component.",
    );
  rows.forEach((row, i) => {
    if (row.length !== d) {
      throw new StatsInputError(
        "length-mismatch",
        `${side}[${i}]`,
        `length ${row.length}`,
        `Every vector must have ${d} components, as the first reference vector has.`,
      );
    }
    for (let k = 0; k < d; k++) {
      if (!Number.isFinite(row[k]!)) {
        throw new StatsInputError(
          "non-finite-value",
          `${side}[${i}][${k}]`,
          String(row[k]),
          "Embeddings must be finite.",
        );
      }
    }
  });
  return d;
}

function meanVector(rows: readonly ArrayLike<number>[], d: number): Float64Array {
  const m = new Float64Array(d);
  for (const row of rows) for (let k = 0; k < d; k++) m[k]! += row[k]!;
  for (let k = 0; k < d; k++) m[k] = m[k]! / rows.length;
  return m;
}

/** scipy.spatial.distance's euclidean, cosine (1 − cos), cityblock and chebyshev. */
export function vectorDistance(u: Float64Array, v: Float64Array, metric: EmbeddingDistance): number {
  let s = 0;
  let uu = 0;
  let vv = 0;
  for (let k = 0; k < u.length; k++) {
    const diff = u[k]! - v[k]!;
    if (metric === "euclidean") s += diff * diff;
    else if (metric === "cityblock") s += Math.abs(diff);
    else if (metric === "chebyshev") s = Math.max(s, Math.abs(diff));
    else {
      s += u[k]! * v[k]!;
      uu += u[k]! * u[k]!;
      vv += v[k]! * v[k]!;
    }
  }
  if (metric === "euclidean") return Math.sqrt(s);
  if (metric === "cosine") return 1 - s / Math.sqrt(uu * vv);
  return s;
}

function componentsDrifted(
  reference: readonly ArrayLike<number>[],
  current: readonly ArrayLike<number>[],
  d: number,
  componentThreshold: number,
): number {
  let drifted = 0;
  const r = new Float64Array(reference.length);
  const c = new Float64Array(current.length);
  for (let k = 0; k < d; k++) {
    reference.forEach((row, i) => {
      r[i] = row[k]!;
    });
    current.forEach((row, i) => {
      c[i] = row[k]!;
    });
    const rs = sortedCopy(r);
    const w = normalizedWasserstein(
      wassersteinDistance(rs, sortedCopy(c), { presorted: true }),
      populationStd(rs),
    );
    if (w >= componentThreshold) drifted++;
  }
  return drifted;
}

/**
 * Evidently's embeddings MMD: σ² = median of the euclidean distances between reference and current vectors
 * (all pairs, as Evidently's sample of up to 1,000 rows a side is every row below that size; above it, the first
 * 1,000 here, a random 1,000 there), squared; K = exp(−‖x − y‖²/σ²); the unbiased MMD².
 */
function mmdUnbiased(
  x: readonly ArrayLike<number>[],
  y: readonly ArrayLike<number>[],
  d: number,
): { mmd2: number; sigma2: number } {
  const m = x.length;
  const n = y.length;
  if (m < 2 || n < 2) {
    throw new StatsInputError(
      "empty-sample",
      "vectors",
      `${Math.min(m, n)}`,
      "Pass at least two vectors per side.",
    );
  }
  if (m + n > EMBEDDING_MMD_MAX_ROWS) {
    throw new StatsInputError(
      "invalid-option",
      "method",
      `mmd on ${m + n} vectors`,
      `The MMD kernel is (m + n)²; use at most ${EMBEDDING_MMD_MAX_ROWS} vectors in all (a sample), or the 'distance' or 'ratio' method.`,
    );
  }
  const sq = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += (a[k]! - b[k]!) ** 2;
    return s;
  };
  const xs = x.slice(0, 1000);
  const ys = y.slice(0, 1000);
  const dists = new Float64Array(xs.length * ys.length);
  let at = 0;
  for (const a of xs) for (const b of ys) dists[at++] = Math.sqrt(sq(a, b));
  dists.sort();
  const mid = dists.length >> 1;
  const median = dists.length % 2 ? dists[mid]! : (dists[mid - 1]! + dists[mid]!) / 2;
  const sigma2 = median * median;
  const gamma = 1 / sigma2;
  let kx = 0;
  let ky = 0;
  let kxy = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) kx += 2 * Math.exp(-gamma * sq(x[i]!, x[j]!));
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) ky += 2 * Math.exp(-gamma * sq(y[i]!, y[j]!));
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) kxy += Math.exp(-gamma * sq(x[i]!, y[j]!));
  return { mmd2: kx / (m * (m - 1)) + ky / (n * (n - 1)) - (2 * kxy) / (m * n), sigma2 };
}
