import { type ConceptDriftDetector, DetectorName, type DriftDirection } from "./types";

/** DDM's parameters, with river's defaults (`river.drift.binary.DDM`). */
export interface DdmOptions {
  /**
   * Observations before a change can be signalled.
   * @default 30
   */
  warmStart?: number;
  /**
   * Warning when p + s > p_min + warningThreshold·s_min.
   * @default 2.0
   */
  warningThreshold?: number;
  /**
   * Drift when p + s > p_min + driftThreshold·s_min.
   * @default 3.0
   */
  driftThreshold?: number;
}

/**
 * Drift Detection Method: Gama, Medas, Castillo, Rodrigues, "Learning with Drift Detection",
 * SBIA 2004. Tracks the error rate p and its binomial standard deviation s = √(p(1−p)/n), keeps
 * the (p, s) where p + s was lowest, and signals a drift when p + s exceeds p_min + 3·s_min (a
 * warning from 2·s_min). As river does, the minimum is only tracked after the warm start.
 */
export class Ddm implements ConceptDriftDetector {
  readonly name = DetectorName.ddm;
  readonly warmStart: number;
  readonly warningThreshold: number;
  readonly driftThreshold: number;
  driftDetected = false;
  warningDetected = false;
  readonly direction: DriftDirection | null = "increase";
  private n = 0;
  private p = 0;
  private pMin = Number.POSITIVE_INFINITY;
  private sMin = Number.POSITIVE_INFINITY;
  private psMin = Number.POSITIVE_INFINITY;

  constructor(options: DdmOptions = {}) {
    this.warmStart = options.warmStart ?? 30;
    this.warningThreshold = options.warningThreshold ?? 2.0;
    this.driftThreshold = options.driftThreshold ?? 3.0;
  }

  private reset(): void {
    this.driftDetected = false;
    this.warningDetected = false;
    this.n = 0;
    this.p = 0;
    this.pMin = Number.POSITIVE_INFINITY;
    this.sMin = Number.POSITIVE_INFINITY;
    this.psMin = Number.POSITIVE_INFINITY;
  }

  update(x: number): void {
    if (this.driftDetected) this.reset();
    this.n++;
    this.p += (x - this.p) / this.n;
    const s = Math.sqrt((this.p * (1 - this.p)) / this.n);
    if (this.n <= this.warmStart) return;
    if (this.p + s <= this.psMin) {
      this.pMin = this.p;
      this.sMin = s;
      this.psMin = this.p + s;
    }
    this.warningDetected = this.p + s > this.pMin + this.warningThreshold * this.sMin;
    if (this.p + s > this.pMin + this.driftThreshold * this.sMin) {
      this.driftDetected = true;
      this.warningDetected = false;
    }
  }
}
