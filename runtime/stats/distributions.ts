import erfc from "@stdlib/math-base-special-erfc";
import gammainc from "@stdlib/math-base-special-gammainc";

/**
 * Tail probabilities from @stdlib's special functions (not simple-statistics, whose normal CDF is a 0.01-step
 * lookup table rounded to 4 decimals). Upper tails are computed directly, never as 1 − CDF, so tiny p-values keep
 * their relative precision.
 */

/** Standard normal survival function Pr(Z > z) = ½·erfc(z/√2). */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Two-sided standard normal p-value Pr(|Z| ≥ |z|) = erfc(|z|/√2). */
export function normalTwoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** χ² survival function Pr(X > x) for `df` degrees of freedom: the regularised upper incomplete gamma Q(df/2, x/2). */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0)) return Number.NaN;
  if (x <= 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return gammainc(x / 2, df / 2, true, true);
}
