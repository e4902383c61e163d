import { StatsInputError } from "./errors";

/**
 * Equal-width bin edges as `numpy.histogram_bin_edges(x, bins=k)` / `bins="sturges"` compute them, given the
 * sample's min, max and size: a constant sample gets the range [v − 0.5, v + 0.5]; edges are
 * `linspace(first, last, k + 1)` (edge i = first + i·step, the last edge exactly `last`).
 */
export function equalWidthEdges(min: number, max: number, binCount: number): number[] {
  if (!Number.isInteger(binCount) || binCount < 1) {
    throw new StatsInputError("invalid-option", "bins", String(binCount), "Use a whole number of bins ≥ 1.");
  }
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const step = (last - first) / binCount;
  const edges = new Array<number>(binCount + 1);
  for (let i = 0; i < binCount; i++) edges[i] = i * step + first;
  edges[binCount] = last;
  return edges;
}

/**
 * Number of bins numpy's `"sturges"` rule gives a sample of `size` values spanning [min, max]:
 * width = (max − min)/(log2(size) + 1), bins = ceil((max − min)/width), and 1 for a constant sample.
 */
export function sturgesBinCount(min: number, max: number, size: number): number {
  const ptp = max - min;
  const width = ptp / (Math.log2(size) + 1);
  if (!width) return 1;
  return Math.ceil(ptp / width);
}

/** `numpy.histogram_bin_edges(x, bins="sturges")` from the sample's min, max and size. */
export function sturgesEdges(min: number, max: number, size: number): number[] {
  return equalWidthEdges(min, max, sturgesBinCount(min, max, size));
}

/**
 * Counts per bin as `numpy.histogram(values, bins=edges)` with explicit edges: bin i holds edges[i] ≤ x <
 * edges[i+1], the last bin also holds x = last edge. Values outside [first, last] are counted in `below` /
 * `above` (numpy drops them).
 */
export function histogramCounts(
  values: ArrayLike<number>,
  edges: readonly number[],
): { counts: Float64Array; below: number; above: number } {
  const bins = edges.length - 1;
  if (bins < 1)
    throw new StatsInputError("invalid-option", "edges", String(edges.length), "Give at least 2 edges.");
  const counts = new Float64Array(bins);
  const first = edges[0]!;
  const last = edges[bins]!;
  let below = 0;
  let above = 0;
  for (let k = 0; k < values.length; k++) {
    const x = values[k]!;
    if (x < first) {
      below++;
      continue;
    }
    if (x > last) {
      above++;
      continue;
    }
    if (x === last) {
      counts[bins - 1]!++;
      continue;
    }
    // upper_bound: first edge index with edges[idx] > x, minus one.
    let lo = 0;
    let hi = bins;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid + 1]! <= x) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]!++;
  }
  return { counts, below, above };
}

/**
 * {@link histogramCounts} for values already sorted ascending: one linear walk instead of a binary search per
 * value, with the same bin semantics (half-open bins, last bin closed, out-of-range values counted apart).
 */
export function histogramCountsSorted(
  sorted: ArrayLike<number>,
  edges: readonly number[],
): { counts: Float64Array; below: number; above: number } {
  const bins = edges.length - 1;
  if (bins < 1)
    throw new StatsInputError("invalid-option", "edges", String(edges.length), "Give at least 2 edges.");
  const counts = new Float64Array(bins);
  const n = sorted.length;
  let i = 0;
  while (i < n && sorted[i]! < edges[0]!) i++;
  const below = i;
  for (let b = 0; b < bins - 1; b++) {
    const start = i;
    const upper = edges[b + 1]!;
    while (i < n && sorted[i]! < upper) i++;
    counts[b] = i - start;
  }
  const start = i;
  const last = edges[bins]!;
  while (i < n && sorted[i]! <= last) i++;
  counts[bins - 1] = i - start;
  return { counts, below, above: n - i };
}

/**
 * Evidently's empty-bin rule (`get_binned_data(..., feel_zeroes=True)`, used by PSI and KL): on each side
 * separately, every zero share is replaced by min(non-zero share)/10⁶ when that minimum is ≤ 10⁻⁴, else by 10⁻⁴.
 * There is no renormalisation. Returns a new array; an all-zero input is returned unchanged.
 */
export function fillZeroSharesEvidently(shares: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(shares as ArrayLike<number>);
  let minNonZero = Number.POSITIVE_INFINITY;
  for (let i = 0; i < out.length; i++) if (out[i]! !== 0 && out[i]! < minNonZero) minNonZero = out[i]!;
  if (minNonZero === Number.POSITIVE_INFINITY) return out;
  const fill = minNonZero <= 0.0001 ? minNonZero / 10 ** 6 : 0.0001;
  for (let i = 0; i < out.length; i++) if (out[i] === 0) out[i] = fill;
  return out;
}

/** counts / total as a new array. */
export function toShares(counts: ArrayLike<number>, total: number): Float64Array {
  const out = new Float64Array(counts.length);
  if (total <= 0) return out;
  for (let i = 0; i < counts.length; i++) out[i] = counts[i]! / total;
  return out;
}

/**
 * The largest double below `x` (x finite): where a CDF that counts values ≤ x gives the share strictly
 * below x, as a bin's open upper edge needs.
 */
export function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const bits = new Float64Array([x]);
  const word = new BigInt64Array(bits.buffer);
  word[0] = x > 0 ? word[0]! - 1n : word[0]! + 1n;
  return bits[0]!;
}
