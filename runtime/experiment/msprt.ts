/**
 * The mixture sequential probability ratio test (mSPRT) of Johari, Koomen, Pekelis and Walsh,
 * "Peeking at A/B Tests: Why it matters, and what to do about it" (KDD 2017), and Johari, Pekelis,
 * Koomen and Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests" (Operations
 * Research 70(3), 2022; arXiv:1512.04922): the method behind Optimizely's Stats Engine.
 *
 * For the difference θ̂ of two means, asymptotically normal with variance V = s₁²/n₁ + s₀²/n₀,
 * and a normal mixing distribution N(0, τ²) over the alternative θ, the mixture likelihood ratio
 * against H₀: θ = 0 is
 *
 *     Λ = √(V / (V + τ²)) · exp( τ²·θ̂² / (2·V·(V + τ²)) ).
 *
 * Λ is a nonnegative martingale under H₀, so by Ville's inequality P(sup Λ ≥ 1/α) ≤ α: the
 * always-valid p-value pₙ = min(1, min over looks of 1/Λ) can be read after every new observation
 * and the test stopped whenever pₙ ≤ α, without inflating the false-positive rate. Inverting the
 * test gives the always-valid (1 − α) confidence sequence
 *
 *     θ̂ ± √( V(V + τ²)/τ² · (2·ln(1/α) + ln((V + τ²)/V)) ).
 */
export interface MsprtLook {
  /** 1/Λ at this look, capped at 1. */
  pValue: number;
  /** The confidence-sequence interval of the difference at this look. */
  interval: [number, number];
}

/** One look of the mSPRT at a difference `difference` whose estimate has variance `variance`. */
export function msprtLook(difference: number, variance: number, tau: number, alpha: number): MsprtLook {
  if (!(variance > 0) || !(tau > 0)) {
    return { pValue: 1, interval: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] };
  }
  const t2 = tau * tau;
  const logLambda =
    0.5 * Math.log(variance / (variance + t2)) +
    (t2 * difference * difference) / (2 * variance * (variance + t2));
  const half = Math.sqrt(
    ((variance * (variance + t2)) / t2) * (2 * Math.log(1 / alpha) + Math.log((variance + t2) / variance)),
  );
  return {
    pValue: Math.min(1, Math.exp(-logLambda)),
    interval: [difference - half, difference + half],
  };
}

/**
 * The always-valid p-value and confidence sequence over a series of looks: the running minimum of
 * the p-values and the running intersection of the intervals (both stay valid at any stopping time).
 */
export class MsprtMonitor {
  readonly tau: number;
  private readonly alpha: number;
  /** Looks taken. */
  looks = 0;
  pValue = 1;
  interval: [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  /** 1-based look at which the p-value first fell to alpha or below, if it has. */
  firstRejection: number | null = null;

  constructor(tau: number, alpha: number) {
    this.tau = tau;
    this.alpha = alpha;
  }

  look(difference: number, variance: number): void {
    const look = msprtLook(difference, variance, this.tau, this.alpha);
    this.looks++;
    this.pValue = Math.min(this.pValue, look.pValue);
    this.interval = [
      Math.max(this.interval[0], look.interval[0]),
      Math.min(this.interval[1], look.interval[1]),
    ];
    if (this.firstRejection === null && this.pValue <= this.alpha) this.firstRejection = this.looks;
  }
}
