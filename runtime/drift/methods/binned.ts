import { alignedShares, categoricalHistogram } from "../categorical";
import { binnedDetails, binnedShares, binnedStatistic } from "../numeric";
import { binnedSketchNote, referenceBinned, sketchComputation } from "../sketch";
import type { DriftMethod } from "./contract";

/**
 * The three methods on binned shares (`psi`, `kl_div`, `jensenshannon`) share their binning: Evidently's
 * (`get_binned_data`) on raw numbers, one bin per category, and the reference histogram fitted at profiling time
 * (plus below/above-range bins) against a profile. Each method's own file states its descriptor.
 */
export function binnedMethod(
  name: "psi" | "kl_div" | "jensenshannon",
  descriptor: Pick<DriftMethod, "summary" | "options">,
): DriftMethod {
  return {
    name,
    kinds: ["numerical", "categorical"],
    scoreKind: "distance",
    comparison: ">=",
    defaultThreshold: 0.1,
    ...descriptor,
    numeric(pair, o) {
      const b = binnedShares(pair, o.bins);
      return {
        method: name,
        ...binnedStatistic(name, b.reference, b.current, o),
        computation: { mode: "exact" },
        histogram: b.histogram,
        details: { binning: b.binning, bins: b.reference.length, ...binnedDetails(name, o) },
      };
    },
    categorical(a, o, computation) {
      const s = alignedShares(a);
      return {
        method: name,
        ...binnedStatistic(name, s.reference, s.current, o),
        computation,
        histogram: categoricalHistogram(a),
        details: { bins: s.reference.length, ...binnedDetails(name, o) },
      };
    },
    sketch(c, o) {
      const { histogram, r, c: cur } = referenceBinned(c.reference, c.current);
      return {
        method: name,
        statistic: binnedStatistic(name, r, cur, o).statistic,
        computation: sketchComputation(c.reference, c.current, undefined, binnedSketchNote(c.current)),
        histogram,
        details: { binning: "reference-histogram", bins: r.length, ...binnedDetails(name, o) },
      };
    },
  };
}
