import { type ConceptDriftDetector, DetectorName, type DriftDirection } from "./types";

/** EDDM's parameters, with river's defaults (`river.drift.binary.EDDM`). */
export interface EddmOptions {
  /**
   * Observations, and errors, before a change can be signalled.
   * @default 30
   */
  warmStart?: number;
  /**
   * Warning when (p' + 2s')/(p'max + 2s'max) < alpha.
   * @default 0.95
   */
  alpha?: number;
  /**
   * Drift when (p' + 2s')/(p'max + 2s'max) < beta.
   * @default 0.9
   */
  beta?: number;
}

/**
 * Early Drift Detection Method: Baena-García, del Campo-Ávila, Fidalgo, Bifet, Gavaldà,
 * Morales-Bueno, "Early Drift Detection Method", 4th International Workshop on Knowledge Discovery
 * from Data Streams, 2006. Tracks the distance between consecutive errors: its mean p' and sample
 * standard deviation s' (ddof 1), and the largest p' + 2s' so far. Errors coming closer together
 * shrink the ratio (p' + 2s')/(p'max + 2s'max); below beta is a drift, below alpha a warning. As in
 * river, the statistics move only on errors, and the ratio is tested once more than `warmStart`
 * observations and errors have been seen and p' + 2s' is not a new maximum.
 */
export class Eddm implements ConceptDriftDetector {
  readonly name = DetectorName.eddm;
  readonly warmStart: number;
  readonly alpha: number;
  readonly beta: number;
  driftDetected = false;
  warningDetected = false;
  readonly direction: DriftDirection | null = "increase";
  private n = 0;
  private lastError = 0;
  private errors = 0;
  private distanceMean = 0;
  private distanceM2 = 0;
  private maxLevel = -1;

  constructor(options: EddmOptions = {}) {
    this.warmStart = options.warmStart ?? 30;
    this.alpha = options.alpha ?? 0.95;
    this.beta = options.beta ?? 0.9;
    if (this.alpha < this.beta) throw new RangeError("EDDM: alpha must be at least beta");
  }

  private reset(): void {
    this.driftDetected = false;
    this.warningDetected = false;
    this.n = 0;
    this.lastError = 0;
    this.errors = 0;
    this.distanceMean = 0;
    this.distanceM2 = 0;
    this.maxLevel = -1;
  }

  update(x: number): void {
    if (this.driftDetected) this.reset();
    this.n++;
    if (x !== 1) return;
    this.errors++;
    const distance = this.n - this.lastError;
    const delta = distance - this.distanceMean;
    this.distanceMean += delta / this.errors;
    this.distanceM2 += delta * (distance - this.distanceMean);
    if (this.n > this.warmStart) {
      const sd = Math.sqrt(this.errors > 1 ? this.distanceM2 / (this.errors - 1) : 0);
      const level = this.distanceMean + 2 * sd;
      if (level > this.maxLevel) {
        this.maxLevel = level;
      } else if (this.errors > this.warmStart) {
        const ratio = level / this.maxLevel;
        if (ratio < this.beta) this.driftDetected = true;
        else this.warningDetected = ratio < this.alpha;
      }
    }
    this.lastError = this.n;
  }
}
