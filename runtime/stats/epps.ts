import { chiSquareSf } from "./distributions";
import { StatsInputError } from "./errors";

export interface EppsSingletonResult {
  readonly statistic: number;
  readonly pValue: number;
  /** Rank of the estimated covariance: the χ² degrees of freedom. */
  readonly degreesOfFreedom: number;
}

/**
 * Epps–Singleton two-sample test on the empirical characteristic function, as
 * `scipy.stats.epps_singleton_2samp(x, y, t=(0.4, 0.8))`: t rescaled by the semi-interquartile range of the
 * pooled sample, the biased covariance of (cos tx, sin tx), its pseudo-inverse, W = n·gᵀΣ⁺g, the small-sample
 * correction when both samples hold fewer than 25 values, and p from χ² with rank(Σ⁺) degrees of freedom.
 * Evidently's `es` refuses an interquartile range of 0, and so does this.
 *
 * @throws StatsInputError with fewer than 5 values on a side, or an interquartile range of 0.
 */
export function eppsSingleton2(
  x: Float64Array,
  y: Float64Array,
  t: readonly number[] = [0.4, 0.8],
): EppsSingletonResult {
  const nx = x.length;
  const ny = y.length;
  if (nx < 5 || ny < 5) {
    throw new StatsInputError(
      "empty-sample",
      "sample",
      `${Math.min(nx, ny)} values`,
      "Pass at least 5 values per side.",
    );
  }
  const n = nx + ny;
  const pooled = new Float64Array(n);
  pooled.set(x);
  pooled.set(y, nx);
  pooled.sort();
  const iqr = percentileLinear(pooled, 75) - percentileLinear(pooled, 25);
  if (iqr === 0) {
    throw new StatsInputError(
      "invalid-option",
      "sample",
      "interquartile range 0",
      "Epps–Singleton rescales by the interquartile range, which is 0 here; use a categorical method or 'ks'.",
    );
  }
  const sigma = iqr / 2;
  const ts = t.map((v) => v / sigma);
  const d = 2 * ts.length;
  const gx = features(x, ts);
  const gy = features(y, ts);
  const cov = new Float64Array(d * d);
  const meanX = new Float64Array(d);
  const meanY = new Float64Array(d);
  for (const [g, m, size] of [
    [gx, meanX, nx],
    [gy, meanY, ny],
  ] as const) {
    for (let r = 0; r < size; r++) for (let c = 0; c < d; c++) m[c]! += g[r * d + c]!;
    for (let c = 0; c < d; c++) m[c] = m[c]! / size;
    const scale = n / size / size;
    for (let r = 0; r < size; r++) {
      for (let c1 = 0; c1 < d; c1++) {
        const a = g[r * d + c1]! - m[c1]!;
        for (let c2 = 0; c2 < d; c2++) cov[c1 * d + c2]! += scale * a * (g[r * d + c2]! - m[c2]!);
      }
    }
  }
  const { values, vectors } = symmetricEigen(cov, d);
  const largest = Math.max(...values.map(Math.abs));
  let w = 0;
  let rank = 0;
  for (let k = 0; k < d; k++) {
    // numpy's pinv drops singular values under 1e-15 × the largest.
    if (!(Math.abs(values[k]!) > 1e-15 * largest)) continue;
    rank++;
    let proj = 0;
    for (let c = 0; c < d; c++) proj += vectors[c * d + k]! * (meanX[c]! - meanY[c]!);
    w += (proj * proj) / values[k]!;
  }
  w *= n;
  if (Math.max(nx, ny) < 25) {
    w *= 1 / (1 + n ** -0.45 + 10.1 * (nx ** -1.7 + ny ** -1.7));
  }
  return { statistic: w, pValue: chiSquareSf(w, rank), degreesOfFreedom: rank };
}

/** Rows (cos t₁x, cos t₂x, …, sin t₁x, sin t₂x, …), as scipy stacks them. */
function features(values: Float64Array, ts: readonly number[]): Float64Array {
  const d = 2 * ts.length;
  const out = new Float64Array(values.length * d);
  for (let r = 0; r < values.length; r++) {
    for (let k = 0; k < ts.length; k++) {
      out[r * d + k] = Math.cos(ts[k]! * values[r]!);
      out[r * d + ts.length + k] = Math.sin(ts[k]! * values[r]!);
    }
  }
  return out;
}

/** `numpy.percentile(sorted, q)` with linear interpolation, numpy's lerp included. */
export function percentileLinear(sorted: Float64Array, q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const frac = pos - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const diff = b - a;
  return frac >= 0.5 ? b - diff * (1 - frac) : a + diff * frac;
}

/** Eigenvalues and eigenvectors (columns of `vectors`) of a small symmetric matrix by cyclic Jacobi rotations. */
export function symmetricEigen(matrix: Float64Array, d: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! ** 2;
    if (off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (apq === 0) continue;
        const theta = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const tt = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(tt * tt + 1);
        const s = tt * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Array.from({ length: d }, (_, i) => a[i * d + i]!), vectors: v };
}
