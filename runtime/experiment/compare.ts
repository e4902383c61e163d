import betainc from "@stdlib/math-base-special-betainc";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { twoProportionZTest } from "../stats/ztest";
import type { MetricSummary } from "./summary";

/** Which test compares the variants: conversion-like 0/1 outcomes, or continuous values. */
export const MetricKind = { proportion: "proportion", continuous: "continuous" } as const;
export type MetricKind = (typeof MetricKind)[keyof typeof MetricKind];

/** A challenger compared with the control at a fixed horizon. Differences are challenger − control. */
export interface Comparison {
  /** `two-proportion-z` (pooled) or `welch-t`. */
  test: "two-proportion-z" | "welch-t";
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Welch–Satterthwaite degrees of freedom (t-test only). */
  degreesOfFreedom: number | null;
  /** Challenger mean (rate) minus control mean (rate). */
  difference: number;
  /** Two-sided (1 − alpha) interval of the difference. */
  differenceInterval: [number, number];
  /** difference / control mean; null when the control mean is 0. */
  relativeLift: number | null;
  /** Delta-method (1 − alpha) interval of the relative lift; null when the control mean is 0. */
  relativeLiftInterval: [number, number] | null;
  /** Cohen's h (proportions: 2·asin√p₁ − 2·asin√p₀) or Cohen's d (pooled standard deviation). */
  standardizedEffect: { name: "cohen-h" | "cohen-d"; value: number };
}

/** The normal quantile z₁₋α/₂ of a two-sided interval. */
export function normalCritical(alpha: number): number {
  return normalQuantile(1 - alpha / 2, 0, 1);
}

/**
 * Interval of the relative lift r = μ₁/μ₀ − 1 by the delta method:
 * Var(μ̂₁/μ̂₀) ≈ Var(μ̂₁)/μ₀² + μ₁²·Var(μ̂₀)/μ₀⁴ (the two samples independent).
 */
function liftInterval(
  m1: number,
  v1: number,
  m0: number,
  v0: number,
  critical: number,
): [number, number] | null {
  if (m0 === 0) return null;
  const lift = m1 / m0 - 1;
  const se = Math.sqrt(v1 / (m0 * m0) + (m1 * m1 * v0) / m0 ** 4);
  return [lift - critical * se, lift + critical * se];
}

/**
 * Two-proportion z-test of the challenger against the control: the pooled z and its two-sided
 * p-value (as statsmodels' `proportions_ztest`), with the difference of the rates, its Wald
 * (unpooled) interval, the relative lift with its delta-method interval, and Cohen's h.
 */
export function compareProportions(
  challenger: MetricSummary,
  control: MetricSummary,
  alpha: number,
): Comparison {
  const x1 = Math.round(challenger.sum);
  const x0 = Math.round(control.sum);
  const { statistic, pValue } = twoProportionZTest(x1, challenger.count, x0, control.count);
  const p1 = x1 / challenger.count;
  const p0 = x0 / control.count;
  const v1 = (p1 * (1 - p1)) / challenger.count;
  const v0 = (p0 * (1 - p0)) / control.count;
  const z = normalCritical(alpha);
  const se = Math.sqrt(v1 + v0);
  const difference = p1 - p0;
  return {
    test: "two-proportion-z",
    statistic,
    pValue,
    degreesOfFreedom: null,
    difference,
    differenceInterval: [difference - z * se, difference + z * se],
    relativeLift: p0 === 0 ? null : difference / p0,
    relativeLiftInterval: liftInterval(p1, v1, p0, v0, z),
    standardizedEffect: {
      name: "cohen-h",
      value: 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p0)),
    },
  };
}

/**
 * Welch's t-test (unequal variances), as `scipy.stats.ttest_ind(challenger, control,
 * equal_var=False)`: t = (x̄₁ − x̄₀)/√(s₁²/n₁ + s₀²/n₀), the Welch–Satterthwaite degrees of freedom,
 * and the two-sided p-value I_{ν/(ν+t²)}(ν/2, ½) (the regularised incomplete beta function, which
 * keeps tiny p-values exact instead of computing 1 − CDF). The interval of the difference uses the
 * t quantile with the same ν, as scipy's `confidence_interval()`.
 */
export function compareMeans(challenger: MetricSummary, control: MetricSummary, alpha: number): Comparison {
  const n1 = challenger.count;
  const n0 = control.count;
  const a = challenger.variance / n1;
  const b = control.variance / n0;
  const se = Math.sqrt(a + b);
  const difference = challenger.mean - control.mean;
  const df = (a + b) ** 2 / ((a * a) / (n1 - 1) + (b * b) / (n0 - 1));
  let statistic: number;
  let pValue: number;
  let half: number;
  if (se > 0) {
    statistic = difference / se;
    pValue = betainc(df / (df + statistic * statistic), df / 2, 0.5, true, false);
    half = tQuantile(1 - alpha / 2, df) * se;
  } else {
    // Both variants constant: the difference is known exactly.
    statistic = difference === 0 ? 0 : Math.sign(difference) * Number.POSITIVE_INFINITY;
    pValue = difference === 0 ? 1 : 0;
    half = 0;
  }
  const pooledSd = Math.sqrt((challenger.m2 + control.m2) / (n1 + n0 - 2));
  return {
    test: "welch-t",
    statistic,
    pValue,
    degreesOfFreedom: se > 0 ? df : null,
    difference,
    differenceInterval: [difference - half, difference + half],
    relativeLift: control.mean === 0 ? null : difference / control.mean,
    relativeLiftInterval: liftInterval(challenger.mean, a, control.mean, b, normalCritical(alpha)),
    standardizedEffect: { name: "cohen-d", value: pooledSd > 0 ? difference / pooledSd : 0 },
  };
}
