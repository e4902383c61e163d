import { StatsInputError } from "../stats/errors";
import type { ColumnKind, DefaultMethodRules, DriftMethodName, ScoreKind } from "./types";

/** What the engine needs to know about a method to apply its threshold. */
export interface DriftMethodInfo {
  readonly scoreKind: ScoreKind;
  /** How the score is compared with the threshold to declare drift. */
  readonly comparison: "<=" | "<" | ">=" | ">";
  readonly defaultThreshold: number;
  /** Column kinds the method accepts (numbers with few distinct values can also go to categorical methods). */
  readonly kinds: readonly ColumnKind[];
}

/**
 * Direction and default threshold of every method. The values are Evidently's `StatTest` declarations
 * (`ks` p ≤ 0.05; `chisquare` and `z` p < 0.05; distances ≥ 0.1), and SageMaker/Deequ's for `linf`
 * (distance > 0.1).
 */
export const DRIFT_METHODS: Readonly<Record<DriftMethodName, DriftMethodInfo>> = {
  ks: { scoreKind: "p-value", comparison: "<=", defaultThreshold: 0.05, kinds: ["numerical"] },
  chisquare: { scoreKind: "p-value", comparison: "<", defaultThreshold: 0.05, kinds: ["categorical"] },
  z: { scoreKind: "p-value", comparison: "<", defaultThreshold: 0.05, kinds: ["categorical"] },
  wasserstein: { scoreKind: "distance", comparison: ">=", defaultThreshold: 0.1, kinds: ["numerical"] },
  psi: {
    scoreKind: "distance",
    comparison: ">=",
    defaultThreshold: 0.1,
    kinds: ["numerical", "categorical"],
  },
  kl_div: {
    scoreKind: "distance",
    comparison: ">=",
    defaultThreshold: 0.1,
    kinds: ["numerical", "categorical"],
  },
  jensenshannon: {
    scoreKind: "distance",
    comparison: ">=",
    defaultThreshold: 0.1,
    kinds: ["numerical", "categorical"],
  },
  hellinger: {
    scoreKind: "distance",
    comparison: ">=",
    defaultThreshold: 0.1,
    kinds: ["numerical", "categorical"],
  },
  linf: {
    scoreKind: "distance",
    comparison: ">",
    defaultThreshold: 0.1,
    kinds: ["numerical", "categorical"],
  },
};

export const DRIFT_METHOD_NAMES = Object.keys(DRIFT_METHODS) as DriftMethodName[];

/** Evidently's default selection rules. */
export const DEFAULT_METHOD_RULES: Required<DefaultMethodRules> = {
  smallReferenceMaxRows: 1000,
  lowCardinalityMaxDistinct: 5,
  binaryMaxDistinct: 2,
};

/**
 * Evidently's default method (`stattests/registry.py::_get_default_stattest`), with its cut-offs configurable:
 *
 * | reference rows | column      | distinct values (reference ∪ current) | method          |
 * |----------------|-------------|---------------------------------------|-----------------|
 * | ≤ 1000         | numerical   | > 5                                   | `ks`            |
 * | ≤ 1000         | numerical   | 3–5                                   | `chisquare`     |
 * | ≤ 1000         | numerical   | ≤ 2                                   | `z`             |
 * | ≤ 1000         | categorical | > 2                                   | `chisquare`     |
 * | ≤ 1000         | categorical | ≤ 2                                   | `z`             |
 * | > 1000         | numerical   | > 5                                   | `wasserstein`   |
 * | > 1000         | numerical   | ≤ 5                                   | `jensenshannon` |
 * | > 1000         | categorical | any                                   | `jensenshannon` |
 *
 * Why switch on size: p-values of KS and χ² become "too sensitive" on large samples (evidently#50: with all data
 * nearly every feature drifts), so large references use distances with an effect-size threshold instead.
 *
 * @param referenceRows non-null reference rows.
 * @param distinctValues distinct non-null values of reference ∪ current (`Infinity` when unknown, e.g. a
 *   numeric sketch without a distinct count).
 */
export function selectDefaultMethod(
  kind: ColumnKind,
  referenceRows: number,
  distinctValues: number,
  rules: DefaultMethodRules = {},
): DriftMethodName {
  const r = resolveRules(rules);
  if (referenceRows <= r.smallReferenceMaxRows) {
    if (kind === "numerical" && distinctValues > r.lowCardinalityMaxDistinct) return "ks";
    return distinctValues > r.binaryMaxDistinct ? "chisquare" : "z";
  }
  if (kind === "numerical" && distinctValues > r.lowCardinalityMaxDistinct) return "wasserstein";
  return "jensenshannon";
}

function resolveRules(rules: DefaultMethodRules): Required<DefaultMethodRules> {
  const r = { ...DEFAULT_METHOD_RULES, ...stripUndefined(rules) };
  for (const [field, value] of Object.entries(r)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new StatsInputError("invalid-option", `rules.${field}`, String(value), "Use a whole number ≥ 0.");
    }
  }
  return r;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Throws unless `method` is a known method name. */
export function assertMethodName(method: unknown, field: string): asserts method is DriftMethodName {
  if (typeof method !== "string" || !(method in DRIFT_METHODS)) {
    throw new StatsInputError(
      "invalid-option",
      field,
      JSON.stringify(method),
      `Use one of: ${DRIFT_METHOD_NAMES.join(", ")}.`,
    );
  }
}

/** Throws unless the threshold makes sense for the method's score. */
export function assertThreshold(method: DriftMethodName, threshold: number, field: string): void {
  const info = DRIFT_METHODS[method];
  const ok =
    info.scoreKind === "p-value"
      ? Number.isFinite(threshold) && threshold > 0 && threshold <= 1
      : Number.isFinite(threshold) && threshold >= 0;
  if (!ok) {
    throw new StatsInputError(
      "invalid-option",
      field,
      String(threshold),
      info.scoreKind === "p-value"
        ? `'${method}' is a p-value test: use a threshold in (0, 1], e.g. 0.05.`
        : `'${method}' is a distance: use a finite threshold ≥ 0, e.g. 0.1.`,
    );
  }
}

/** Apply the method's comparison. */
export function isDrift(method: DriftMethodName, score: number, threshold: number): boolean {
  switch (DRIFT_METHODS[method].comparison) {
    case "<=":
      return score <= threshold;
    case "<":
      return score < threshold;
    case ">=":
      return score >= threshold;
    case ">":
      return score > threshold;
  }
}
