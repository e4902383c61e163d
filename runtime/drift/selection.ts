import { StatsInputError } from "../stats/errors";
import type { DriftMethod } from "./methods/contract";
import { getDriftMethod } from "./methods/index";
import type { ColumnKind, DefaultMethodRules, DriftMethodName } from "./types";

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

/** Throws unless the threshold makes sense for the method's score. */
export function assertThreshold(method: DriftMethod, threshold: number, field: string): void {
  const ok =
    method.scoreKind === "p-value"
      ? Number.isFinite(threshold) && threshold > 0 && threshold <= 1
      : Number.isFinite(threshold) && threshold >= 0;
  if (!ok) {
    throw new StatsInputError(
      "invalid-option",
      field,
      String(threshold),
      method.scoreKind === "p-value"
        ? `'${method.name}' is a p-value test: use a threshold in (0, 1], e.g. 0.05.`
        : `'${method.name}' is a distance: use a finite threshold ≥ 0, e.g. 0.1.`,
    );
  }
}

/** Apply the method's comparison. */
export function isDrift(method: DriftMethodName | DriftMethod, score: number, threshold: number): boolean {
  const m = typeof method === "string" ? getDriftMethod(method) : method;
  switch (m.comparison) {
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
