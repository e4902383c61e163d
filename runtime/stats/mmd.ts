import { StatsInputError } from "./errors";
import { seededRandom, shuffleFirst } from "./permutation";

/** Above this many values in all, the (n + m)² kernel matrix would not fit a job's memory. */
export const MMD_MAX_VALUES = 4000;

/**
 * Evidently's `empirical_mmd` on two one-dimensional samples: an RBF kernel whose σ is √(½·median) of the squared
 * reference–reference distances (numpy's "nearest" median over all n² pairs, diagonal included; √½ when that is
 * 0), the unbiased MMD² with the kernel's diagonal zeroed, and the share of label permutations whose MMD² is at
 * least the observed one.
 *
 * @throws StatsInputError with fewer than 2 values on a side, or more than {@link MMD_MAX_VALUES} in all.
 */
export function mmdPermutationTest(
  x: Float64Array,
  y: Float64Array,
  permutations: number,
  seed: number,
): { statistic: number; pValue: number; sigma: number } {
  const nx = x.length;
  const ny = y.length;
  const N = nx + ny;
  if (nx < 2 || ny < 2) {
    throw new StatsInputError(
      "empty-sample",
      "sample",
      `${Math.min(nx, ny)} value(s)`,
      "Pass at least two values per side.",
    );
  }
  if (N > MMD_MAX_VALUES) {
    throw new StatsInputError(
      "invalid-option",
      "method",
      `empirical_mmd on ${N} values`,
      `The MMD permutation test holds an (n + m)² kernel matrix; use it on at most ${MMD_MAX_VALUES} values in all (a sample), or use 'ed', 'ks' or 'wasserstein'.`,
    );
  }
  const sigma = medianSigma(x);
  const gamma = 1 / (2 * sigma * sigma);
  const v = new Float64Array(N);
  v.set(x);
  v.set(y, nx);
  // Squared distance as numpy's squared_paired_dist writes it: (b² − 2ab) + a².
  const k = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      if (i === j) continue;
      const a = v[i]!;
      const b = v[j]!;
      k[i * N + j] = Math.exp(-gamma * (b * b - 2 * a * b + a * a));
    }
  }
  const labels = new Int32Array(N);
  for (let i = 0; i < N; i++) labels[i] = i;
  const statistic = mmd2(k, N, labels, nx);
  const random = seededRandom(seed);
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    shuffleFirst(labels, nx, random);
    if (statistic <= mmd2(k, N, labels, nx)) atLeast++;
  }
  return { statistic, pValue: atLeast / permutations, sigma };
}

/** Unbiased MMD² of the first `nx` entries of `order` against the rest, on a kernel with a zero diagonal. */
function mmd2(k: Float64Array, N: number, order: Int32Array, nx: number): number {
  const ny = N - nx;
  const inX = new Uint8Array(N);
  for (let i = 0; i < nx; i++) inX[order[i]!] = 1;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let i = 0; i < N; i++) {
    const row = i * N;
    const ix = inX[i]!;
    for (let j = 0; j < N; j++) {
      const kij = k[row + j]!;
      if (ix === inX[j]) {
        if (ix) xx += kij;
        else yy += kij;
      } else if (ix) {
        xy += kij;
      }
    }
  }
  return xx / (nx * (nx - 1)) + yy / (ny * (ny - 1)) - (2 * xy) / (nx * ny);
}

/** σ = √(½·median of the n² squared distances within x), numpy's "nearest" percentile; √½ when 0. */
function medianSigma(x: Float64Array): number {
  const n = x.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = x[i]!;
      const b = x[j]!;
      d[i * n + j] = b * b - 2 * a * b + a * a;
    }
  }
  d.sort();
  // numpy rounds the index 0.5·(L − 1) half to even.
  const pos = 0.5 * (d.length - 1);
  const floor = Math.floor(pos);
  const index = pos - floor === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(pos);
  const sigma = Math.sqrt(0.5 * d[index]!);
  return sigma === 0 ? Math.SQRT1_2 : sigma;
}
