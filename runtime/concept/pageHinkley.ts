import { type ConceptDriftDetector, DetectorName, type DriftDirection } from "./types";

/** Page–Hinkley's parameters, with river's defaults (`river.drift.PageHinkley`). */
export interface PageHinkleyOptions {
  /**
   * Observations before a change can be signalled.
   * @default 30
   */
  minInstances?: number;
  /**
   * Magnitude of change tolerated (δ).
   * @default 0.005
   */
  delta?: number;
  /**
   * Detection threshold (λ).
   * @default 50
   */
  threshold?: number;
  /**
   * Forgetting factor of the cumulative sums.
   * @default 0.9999
   */
  alpha?: number;
  /**
   * Which changes to detect: `up` (increases), `down`, or `both`.
   * @default both
   */
  mode?: "up" | "down" | "both";
}

/**
 * The Page–Hinkley test (Page, "Continuous Inspection Schemes", Biometrika 41, 1954), in river's
 * form: with x̄ the running mean, m⁺ = α·m⁺ + (x − x̄ − δ) and m⁻ = α·m⁻ + (x − x̄ + δ); an increase
 * is signalled when m⁺ − min m⁺ > λ, a decrease when max m⁻ − m⁻ > λ (max m⁻ starts at −1, as in river).
 */
export class PageHinkley implements ConceptDriftDetector {
  readonly name = DetectorName.pageHinkley;
  readonly minInstances: number;
  readonly delta: number;
  readonly threshold: number;
  readonly alpha: number;
  readonly mode: "up" | "down" | "both";
  driftDetected = false;
  readonly warningDetected = false;
  direction: DriftDirection | null = null;
  private n = 0;
  private mean = 0;
  private sumIncrease = 0;
  private sumDecrease = 0;
  private minIncrease = Number.POSITIVE_INFINITY;
  private maxDecrease = -1;

  constructor(options: PageHinkleyOptions = {}) {
    this.minInstances = options.minInstances ?? 30;
    this.delta = options.delta ?? 0.005;
    this.threshold = options.threshold ?? 50;
    this.alpha = options.alpha ?? 1 - 0.0001;
    this.mode = options.mode ?? "both";
  }

  private reset(): void {
    this.driftDetected = false;
    this.n = 0;
    this.mean = 0;
    this.sumIncrease = 0;
    this.sumDecrease = 0;
    this.minIncrease = Number.POSITIVE_INFINITY;
    this.maxDecrease = -1;
  }

  update(x: number): void {
    if (this.driftDetected) this.reset();
    this.n++;
    this.mean += (x - this.mean) / this.n;
    const deviation = x - this.mean;
    this.sumIncrease = this.alpha * this.sumIncrease + deviation - this.delta;
    this.sumDecrease = this.alpha * this.sumDecrease + deviation + this.delta;
    if (this.sumIncrease < this.minIncrease) this.minIncrease = this.sumIncrease;
    if (this.sumDecrease > this.maxDecrease) this.maxDecrease = this.sumDecrease;
    if (this.n < this.minInstances) return;
    const up = this.mode !== "down" && this.sumIncrease - this.minIncrease > this.threshold;
    const down = this.mode !== "up" && this.maxDecrease - this.sumDecrease > this.threshold;
    this.driftDetected = up || down;
    if (this.driftDetected) this.direction = up ? "increase" : "decrease";
  }
}
