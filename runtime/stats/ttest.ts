import betainc from "@stdlib/math-base-special-betainc";

export interface TTestResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly degreesOfFreedom: number;
}

/** What a two-sample t-test needs of each side: size, mean and sample variance (ddof = 1). */
export interface Moments {
  readonly count: number;
  readonly mean: number;
  readonly variance: number;
}

/** Count, mean and sample variance (ddof = 1), two-pass. */
export function sampleMoments(values: Float64Array): Moments {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i]! - mean) ** 2;
  return { count: values.length, mean, variance: values.length > 1 ? ss / (values.length - 1) : Number.NaN };
}

/**
 * Two-sided two-sample t-test from each side's moments, as `scipy.stats.ttest_ind(a, b, equal_var)`: Student's
 * pooled-variance test when `equalVar` (scipy's default, and so Evidently's `t_test`), Welch's otherwise.
 * Two constant samples give t = 0 and p = 1 when their means agree, t = ±∞ and p = 0 when they differ (scipy
 * returns NaN for both).
 */
export function tTest(a: Moments, b: Moments, equalVar: boolean): TTestResult {
  let df: number;
  let denom: number;
  if (equalVar) {
    df = a.count + b.count - 2;
    const svar = ((a.count - 1) * a.variance + (b.count - 1) * b.variance) / df;
    denom = Math.sqrt(svar * (1 / a.count + 1 / b.count));
  } else {
    const vn1 = a.variance / a.count;
    const vn2 = b.variance / b.count;
    df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (a.count - 1) + vn2 ** 2 / (b.count - 1));
    denom = Math.sqrt(vn1 + vn2);
  }
  const diff = a.mean - b.mean;
  if (denom === 0) {
    return diff === 0
      ? { statistic: 0, pValue: 1, degreesOfFreedom: df }
      : { statistic: Math.sign(diff) * Number.POSITIVE_INFINITY, pValue: 0, degreesOfFreedom: df };
  }
  const t = diff / denom;
  // P(|T| ≥ |t|) = I_{df/(df + t²)}(df/2, 1/2).
  const pValue = betainc(df / (df + t * t), df / 2, 0.5);
  return { statistic: t, pValue, degreesOfFreedom: df };
}
