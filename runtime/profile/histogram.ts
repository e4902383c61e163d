import type { ReferenceHistogram } from "../drift/types";
import type { KllSketch } from "./kll";

/**
 * Fits equal-width bins on the reference: Sturges' rule (⌈log₂ n⌉ + 1 bins, as numpy's "sturges"
 * and Evidently), capped at `maxBins`, over [min, max]. The reference count in each bin is read
 * from the sketch (n · (F(right) − F(left))), so it is within ±2εn of the exact count; the fit is a
 * pure function of the sketch, so merged shards refit to the same bins as one pass would.
 */
export function fitHistogram(sketch: KllSketch, maxBins = DEFAULT_MAX_BINS): ReferenceHistogram {
  const n = sketch.count;
  if (n === 0) return { edges: [], counts: [] };
  let lo = sketch.min;
  let hi = sketch.max;
  if (lo === hi) {
    // numpy's choice for a constant sample: one unit-wide bin centred on the value.
    lo -= 0.5;
    hi += 0.5;
  }
  const bins = Math.max(1, Math.min(maxBins, Math.ceil(Math.log2(n)) + 1));
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width));
  const counts: number[] = [];
  let previous = 0;
  for (let i = 1; i <= bins; i++) {
    // The first bin includes the minimum; F(x) counts values ≤ x, so F(edge) is "up to and including".
    const cumulative = i === bins ? n : Math.round(sketch.cdf(edges[i] as number) * n);
    counts.push(Math.max(0, cumulative - previous));
    previous = Math.max(previous, cumulative);
  }
  return { edges, counts };
}

/** Upper limit on reference histogram bins (Sturges gives 25 at 10 million rows). */
export const DEFAULT_MAX_BINS = 50;
