import type { DriftComputation, DriftMethodName, DriftMethodOptions, HistogramPair } from "./types";

/** What a method computation yields before thresholds and corrections are applied. */
export interface MethodOutput {
  readonly method: DriftMethodName;
  readonly statistic: number;
  readonly pValue?: number;
  readonly degreesOfFreedom?: number;
  readonly computation: DriftComputation;
  readonly histogram: HistogramPair;
  readonly details?: Record<string, string | number | boolean>;
}

/** Options with their defaults filled in. */
export interface ResolvedOptions {
  readonly ksMode: "auto" | "exact" | "asymp";
  readonly wassersteinNormalize: boolean;
  readonly wassersteinMinStd: number;
  readonly jsBase: number;
  readonly jsDivergence: boolean;
  readonly bins: "evidently" | number;
  readonly chiSquareYates: boolean;
}

export const DEFAULT_OPTIONS: ResolvedOptions = {
  ksMode: "auto",
  wassersteinNormalize: true,
  wassersteinMinStd: 0.001,
  jsBase: Math.E,
  jsDivergence: false,
  bins: "evidently",
  chiSquareYates: true,
};

/** Later sources win; `undefined` never overrides. */
export function resolveOptions(...sources: (DriftMethodOptions | undefined)[]): ResolvedOptions {
  const out: Record<string, unknown> = { ...DEFAULT_OPTIONS };
  for (const s of sources) {
    if (!s) continue;
    for (const key of Object.keys(DEFAULT_OPTIONS)) {
      const v = (s as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = v;
    }
  }
  return out as unknown as ResolvedOptions;
}

/** Categories beyond this many are folded into one "other" bar in the plotting histogram (not in the statistic). */
export const MAX_PLOTTED_CATEGORIES = 50;
export const OTHER_LABEL = "(other)";
