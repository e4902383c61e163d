import { type ConceptDriftDetector, DetectorName, type DriftDirection } from "./types";

/** ADWIN's parameters, with river's defaults (`river.drift.ADWIN`). */
export interface AdwinOptions {
  /**
   * Confidence δ of the cut test.
   * @default 0.002
   */
  delta?: number;
  /**
   * The window is checked for a cut every `clock` updates.
   * @default 32
   */
  clock?: number;
  /**
   * Buckets of each size kept before two are merged.
   * @default 5
   */
  maxBuckets?: number;
  /**
   * Minimum length of each sub-window of a cut.
   * @default 5
   */
  minWindowLength?: number;
  /**
   * No cut is tested until the window holds more than this many values.
   * @default 10
   */
  gracePeriod?: number;
}

/** One row of the exponential histogram: up to maxBuckets + 1 buckets of 2^row values, oldest first. */
interface BucketRow {
  totals: number[];
  variances: number[];
}

/**
 * ADaptive WINdowing: Bifet and Gavaldà, "Learning from Time-Changing Data with Adaptive
 * Windowing", SIAM SDM 2007, as river implements it (`river/drift/adwin_c.pyx`). The window is
 * kept as an exponential histogram (rows of buckets of 2^i values, at most maxBuckets per row).
 * Every `clock` updates each cut W = W₀·W₁ at a bucket boundary is tested, oldest first:
 *
 *     |μ̂₀ − μ̂₁| > √(2·m·σ²_W·δ') + (2/3)·δ'·m,   m = 1/(n₀ − L + 1) + 1/(n₁ − L + 1),
 *     δ' = ln(2·ln|W| / δ),   L = minWindowLength,   σ²_W the variance of the whole window;
 *
 * on a cut the oldest bucket is dropped and the window tested again. As river's `ADWIN` does, a
 * detection restarts the detector on the next update.
 */
export class Adwin implements ConceptDriftDetector {
  readonly name = DetectorName.adwin;
  readonly delta: number;
  readonly clock: number;
  readonly maxBuckets: number;
  readonly minWindowLength: number;
  readonly gracePeriod: number;
  driftDetected = false;
  readonly warningDetected = false;
  direction: DriftDirection | null = null;
  /** Rows, newest (size-1 buckets) first. */
  private rows: BucketRow[] = [];
  private total = 0;
  private variance = 0;
  private tick = 0;
  /** Values in the window. */
  width = 0;

  constructor(options: AdwinOptions = {}) {
    this.delta = options.delta ?? 0.002;
    this.clock = options.clock ?? 32;
    this.maxBuckets = options.maxBuckets ?? 5;
    this.minWindowLength = options.minWindowLength ?? 5;
    this.gracePeriod = options.gracePeriod ?? 10;
    this.reset();
  }

  /** Mean of the values in the window. */
  get estimation(): number {
    return this.width === 0 ? 0 : this.total / this.width;
  }

  private reset(): void {
    this.driftDetected = false;
    this.rows = [{ totals: [], variances: [] }];
    this.total = 0;
    this.variance = 0;
    this.tick = 0;
    this.width = 0;
  }

  update(x: number): void {
    if (this.driftDetected) this.reset();
    this.insert(x);
    this.driftDetected = this.detectChange();
  }

  private insert(value: number): void {
    const row = this.rows[0] as BucketRow;
    row.totals.push(value);
    row.variances.push(0);
    this.width++;
    if (this.width > 1) {
      const previousMean = this.total / (this.width - 1);
      this.variance += ((this.width - 1) * (value - previousMean) * (value - previousMean)) / this.width;
    }
    this.total += value;
    this.compress();
  }

  /** Merges the two oldest buckets of any row holding maxBuckets + 1 into one bucket of the next row. */
  private compress(): void {
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i] as BucketRow;
      if (row.totals.length !== this.maxBuckets + 1) break;
      if (i + 1 === this.rows.length) this.rows.push({ totals: [], variances: [] });
      const next = this.rows[i + 1] as BucketRow;
      const size = 2 ** i;
      const [t0, t1] = row.totals as [number, number];
      const [v0, v1] = row.variances as [number, number];
      const mu0 = t0 / size;
      const mu1 = t1 / size;
      next.totals.push(t0 + t1);
      next.variances.push(v0 + v1 + (size * size * (mu0 - mu1) * (mu0 - mu1)) / (size + size));
      row.totals.splice(0, 2);
      row.variances.splice(0, 2);
      if (next.totals.length <= this.maxBuckets) break;
    }
  }

  /** Drops the oldest bucket; returns its size. */
  private deleteOldest(): number {
    const last = this.rows.length - 1;
    const row = this.rows[last] as BucketRow;
    const size = 2 ** last;
    const total = row.totals[0] as number;
    const mean = total / size;
    this.width -= size;
    this.total -= total;
    const windowMean = this.total / this.width;
    this.variance -=
      (row.variances[0] as number) +
      (size * this.width * (mean - windowMean) * (mean - windowMean)) / (size + this.width);
    row.totals.shift();
    row.variances.shift();
    if (row.totals.length === 0) this.rows.pop();
    return size;
  }

  private detectChange(): boolean {
    this.tick++;
    if (this.tick % this.clock !== 0 || this.width <= this.gracePeriod) return false;
    let detected = false;
    let again = true;
    while (again) {
      again = false;
      let n0 = 0;
      let n1 = this.width;
      let u0 = 0;
      let u1 = this.total;
      scan: for (let i = this.rows.length - 1; i >= 0; i--) {
        const row = this.rows[i] as BucketRow;
        const size = 2 ** i;
        // river tests the boundaries after all but the newest bucket of each row.
        for (let k = 0; k < row.totals.length - 1; k++) {
          n0 += size;
          n1 -= size;
          u0 += row.totals[k] as number;
          u1 -= row.totals[k] as number;
          const difference = u0 / n0 - u1 / n1;
          if (n1 >= this.minWindowLength && n0 >= this.minWindowLength && this.cut(n0, n1, difference)) {
            if (!detected) this.direction = difference < 0 ? "increase" : "decrease";
            detected = true;
            again = true;
            if (this.width > 0) this.deleteOldest();
            break scan;
          }
        }
      }
    }
    return detected;
  }

  private cut(n0: number, n1: number, difference: number): boolean {
    const deltaPrime = Math.log((2 * Math.log(this.width)) / this.delta);
    const m = 1 / (n0 - this.minWindowLength + 1) + 1 / (n1 - this.minWindowLength + 1);
    const epsilon = Math.sqrt(2 * m * (this.variance / this.width) * deltaPrime) + (2 / 3) * deltaPrime * m;
    return Math.abs(difference) > epsilon;
  }
}
