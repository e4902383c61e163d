import { StatsInputError } from "../stats/errors";
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
  readonly mannwAlternative: "less" | "greater" | "two-sided";
  readonly tTestEqualVar: boolean;
  readonly tvdPermutations: number;
  readonly mmdPermutations: number;
  readonly permutationSeed: number;
}

export const DEFAULT_OPTIONS: ResolvedOptions = {
  ksMode: "auto",
  wassersteinNormalize: true,
  wassersteinMinStd: 0.001,
  jsBase: Math.E,
  jsDivergence: false,
  bins: "evidently",
  chiSquareYates: true,
  mannwAlternative: "less",
  tTestEqualVar: true,
  tvdPermutations: 1000,
  mmdPermutations: 100,
  permutationSeed: 0,
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
  return validateOptions(out as unknown as ResolvedOptions);
}

/** Reject option values the methods cannot use, naming the option. */
function validateOptions(o: ResolvedOptions): ResolvedOptions {
  const bad = (field: string, value: unknown, fix: string) =>
    new StatsInputError("invalid-option", field, JSON.stringify(value), fix);
  if (!["auto", "exact", "asymp"].includes(o.ksMode))
    throw bad("ksMode", o.ksMode, 'Use "auto", "exact" or "asymp".');
  if (!(Number.isFinite(o.jsBase) && o.jsBase > 0 && o.jsBase !== 1)) {
    throw bad("jsBase", o.jsBase, "Use a logarithm base > 0 other than 1, e.g. 2 or Math.E.");
  }
  if (!(Number.isFinite(o.wassersteinMinStd) && o.wassersteinMinStd > 0)) {
    throw bad("wassersteinMinStd", o.wassersteinMinStd, "Use a small positive number, e.g. 0.001.");
  }
  if (o.bins !== "evidently" && !(Number.isInteger(o.bins) && o.bins >= 1 && o.bins <= 100_000)) {
    throw bad("bins", o.bins, 'Use "evidently" or a whole number of bins between 1 and 100000.');
  }
  if (!["less", "greater", "two-sided"].includes(o.mannwAlternative)) {
    throw bad("mannwAlternative", o.mannwAlternative, 'Use "less" (Evidently\'s), "greater" or "two-sided".');
  }
  for (const field of ["tvdPermutations", "mmdPermutations"] as const) {
    if (!(Number.isInteger(o[field]) && o[field] >= 1 && o[field] <= 100_000)) {
      throw bad(field, o[field], "Use a whole number of permutations between 1 and 100000.");
    }
  }
  if (!(Number.isInteger(o.permutationSeed) && o.permutationSeed >= 0)) {
    throw bad("permutationSeed", o.permutationSeed, "Use a whole number ≥ 0.");
  }
  for (const flag of ["wassersteinNormalize", "jsDivergence", "chiSquareYates", "tTestEqualVar"] as const) {
    if (typeof o[flag] !== "boolean") throw bad(flag, o[flag], "Use true or false.");
  }
  return o;
}

/** Categories beyond this many are folded into one "other" bar in the plotting histogram (not in the statistic). */
export const MAX_PLOTTED_CATEGORIES = 50;
export const OTHER_LABEL = "(other)";
