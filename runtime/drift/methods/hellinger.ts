import { histogramCountsSorted, sturgesEdges, toShares } from "../../stats/histogram";
import { hellingerDistance } from "../../stats/index";
import { alignedShares, categoricalHistogram } from "../categorical";
import { combinedHistogram } from "../numeric";
import { binnedSketchNote, hellingerOnShares, referenceBinned, sketchComputation } from "../sketch";
import type { DriftMethod } from "./contract";

/**
 * Hellinger distance, Evidently's: on numbers, Sturges edges over the *distinct* values of reference ∪ current,
 * BC = Σ √(h1·h2)·width — which on equal-width bins equals Σ √(p_i·q_i) on the shares; on categories, on the
 * shares. Drift when ≥ threshold.
 */
export const hellinger: DriftMethod = {
  name: "hellinger",
  kinds: ["numerical", "categorical"],
  scoreKind: "distance",
  comparison: ">=",
  defaultThreshold: 0.1,
  summary: "Hellinger distance √(1 − Σ √(p·q))",
  numeric(pair) {
    const { reference: r, current: c } = pair;
    const min = Math.min(r[0]!, c[0]!);
    const max = Math.max(r[r.length - 1]!, c[c.length - 1]!);
    const edges = sturgesEdges(min, max, pair.unionDistinct);
    const p = toShares(histogramCountsSorted(r, edges).counts, r.length);
    const q = toShares(histogramCountsSorted(c, edges).counts, c.length);
    return {
      method: "hellinger",
      statistic: hellingerDistance(p, q),
      computation: { mode: "exact" },
      histogram: combinedHistogram(pair),
      details: { binning: "sturges-over-distinct", bins: edges.length - 1 },
    };
  },
  categorical(a, _o, computation) {
    const s = alignedShares(a);
    return {
      method: "hellinger",
      statistic: hellingerDistance(s.reference, s.current),
      computation,
      histogram: categoricalHistogram(a),
    };
  },
  sketch(c) {
    const { histogram, r, c: cur } = referenceBinned(c.reference, c.current);
    return {
      method: "hellinger",
      statistic: hellingerOnShares(r, cur),
      computation: sketchComputation(c.reference, c.current, undefined, binnedSketchNote(c.current)),
      histogram,
      details: { binning: "reference-histogram", bins: r.length },
    };
  },
};
