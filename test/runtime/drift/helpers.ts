import type { NumericReferenceSummary, QuantileSketchView } from "../../../runtime/drift";
import { histogramCounts, sturgesEdges } from "../../../runtime/stats";

/** Stand-ins for the profile module's sketches and summaries, built from raw values, for the drift tests. */
export function sample(n: number, mean: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 1) / 4294967297;
  };
  return Float64Array.from(
    { length: n },
    () => mean + Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()),
  );
}

/**
 * A stand-in for the profile module's sketch, built from raw values: the exact ECDF, optionally pushed off by a
 * deterministic error of at most `eps` (so the engine's bounds are tested against a sketch that really errs).
 */
export function sketchOf(values: Float64Array, eps = 0): QuantileSketchView {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const exactCdf = (x: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo / n;
  };
  return {
    cdf: (x) => Math.min(1, Math.max(0, exactCdf(x) + eps * Math.sin(17 * x))),
    quantile: (q) => sorted[Math.min(n - 1, Math.floor(q * n))]!,
    rankErrorBound: eps,
    rankErrorConfidence: 0.99,
  };
}

export function summaryOf(values: Float64Array, eps = 0, bins = 20): NumericReferenceSummary {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const edges = sturgesEdges(min, max, bins === 20 ? n : bins);
  return {
    kind: "numerical-summary",
    count: n,
    nullCount: 4,
    mean,
    variance,
    min,
    max,
    sketch: sketchOf(values, eps),
    histogram: { edges, counts: Array.from(histogramCounts(values, edges).counts) },
  };
}
