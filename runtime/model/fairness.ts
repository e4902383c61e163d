import { RuntimeInputError } from "../errors";
import { type ClassifierScores, predictedClass } from "./classifier";

export interface GroupRates {
  readonly group: string;
  readonly count: number;
  readonly positives: number;
  /** P(ŷ = 1 | group). */
  readonly selectionRate: number;
  /** P(ŷ = 1 | y = 1, group); NaN when the group has no positives. */
  readonly truePositiveRate: number;
  /** P(ŷ = 1 | y = 0, group); NaN when the group has no negatives. */
  readonly falsePositiveRate: number;
}

/** AIF360's metrics of one unprivileged group against the privileged one (difference = unprivileged − privileged). */
export interface GroupComparison {
  readonly group: string;
  readonly statisticalParityDifference: number;
  readonly disparateImpact: number;
  readonly equalOpportunityDifference: number;
  readonly averageOddsDifference: number;
}

export interface FairnessResult {
  readonly attribute: string;
  readonly privileged: string;
  /** How the privileged group was chosen. */
  readonly privilegedSource: "configured" | "largest group";
  readonly groups: GroupRates[];
  readonly comparisons: GroupComparison[];
}

/**
 * Group fairness of a binary classifier's decisions over a protected attribute, as AIF360's
 * ClassificationMetric defines it, with class 1 the favourable outcome. Every other group is compared
 * with the privileged one: the configured group, else the largest.
 */
export function fairness(
  attribute: string,
  labels: Int32Array,
  groups: Int32Array,
  groupNames: readonly string[],
  s: ClassifierScores,
  privileged?: string,
): FairnessResult {
  if (s.classes !== 2) {
    throw new RuntimeInputError({
      source: "--protected",
      problem: `fairness needs a binary classifier (class 1 the favourable outcome); this model has ${s.classes} classes`,
      fix: "Leave out --protected for multi-class models and regressors",
    });
  }
  if (groupNames.length < 2) {
    throw new RuntimeInputError({
      source: "--protected",
      column: attribute,
      problem: `has one group only (${groupNames[0] ?? "none"}); there is nothing to compare`,
      fix: "Pass a holdout holding at least two groups of the protected attribute",
    });
  }
  const g = groupNames.length;
  const count = new Float64Array(g);
  const selected = new Float64Array(g);
  const pos = new Float64Array(g);
  const tp = new Float64Array(g);
  const fp = new Float64Array(g);
  for (let i = 0; i < labels.length; i++) {
    const k = groups[i] as number;
    const yhat = predictedClass(s, i);
    count[k] += 1;
    selected[k] += yhat;
    if (labels[i] === 1) {
      pos[k] += 1;
      tp[k] += yhat;
    } else fp[k] += yhat;
  }
  const rates: GroupRates[] = groupNames.map((group, k) => ({
    group,
    count: count[k] as number,
    positives: pos[k] as number,
    selectionRate: (selected[k] as number) / (count[k] as number),
    truePositiveRate: (tp[k] as number) / (pos[k] as number),
    falsePositiveRate: (fp[k] as number) / ((count[k] as number) - (pos[k] as number)),
  }));
  if (privileged !== undefined && !groupNames.includes(privileged)) {
    throw new RuntimeInputError({
      source: "gates fairness.privileged",
      column: attribute,
      problem: `the privileged group "${privileged}" is not in the holdout (groups: ${groupNames.join(", ")})`,
      fix: "Name one of the groups the protected column holds",
    });
  }
  const largest = rates.reduce((a, b) => (b.count > a.count ? b : a));
  const priv = rates.find((r) => r.group === (privileged ?? largest.group)) as GroupRates;
  const comparisons = rates
    .filter((r) => r !== priv)
    .map((r) => ({
      group: r.group,
      statisticalParityDifference: r.selectionRate - priv.selectionRate,
      disparateImpact: r.selectionRate / priv.selectionRate,
      equalOpportunityDifference: r.truePositiveRate - priv.truePositiveRate,
      averageOddsDifference:
        (r.falsePositiveRate - priv.falsePositiveRate + (r.truePositiveRate - priv.truePositiveRate)) / 2,
    }));
  return {
    attribute,
    privileged: priv.group,
    privilegedSource: privileged === undefined ? "largest group" : "configured",
    groups: rates,
    comparisons,
  };
}
