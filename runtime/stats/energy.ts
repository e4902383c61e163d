import { prepare } from "./sorting";

/**
 * Energy distance between two empirical distributions, as `scipy.stats.energy_distance(u, v)` (unweighted):
 * √2 · √(∫ (F1 − F2)² dx), one merge walk over the sorted samples (scipy's `_cdf_distance` with p = 2).
 *
 * @throws StatsInputError for an empty sample or a NaN/±Infinity.
 */
export function energyDistance(sample1: Float64Array, sample2: Float64Array, presorted = false): number {
  const a = prepare(sample1, "sample1", presorted);
  const b = prepare(sample2, "sample2", presorted);
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let total = 0;
  let v = Math.min(a[0]!, b[0]!);
  while (i < n1 || j < n2) {
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    if (i === n1 && j === n2) break;
    const next = Math.min(
      i < n1 ? a[i]! : Number.POSITIVE_INFINITY,
      j < n2 ? b[j]! : Number.POSITIVE_INFINITY,
    );
    const gap = i / n1 - j / n2;
    total += gap * gap * (next - v);
    v = next;
  }
  return Math.SQRT2 * Math.sqrt(total);
}
