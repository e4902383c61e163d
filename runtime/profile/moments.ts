/**
 * Count, mean, sum of squared deviations (M2), min and max of a stream of numbers. Values are folded
 * in with Welford's update and partial results merged with Chan et al.'s pairwise formula, so shards
 * merge to the same moments as one pass over all rows (up to floating-point rounding).
 */
export class Moments {
  count = 0;
  mean = 0;
  /** Sum of squared deviations from the mean. */
  m2 = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  add(value: number): void {
    this.count++;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** Chan, Golub, LeVeque (1979): combines two partial (count, mean, M2). */
  merge(other: Moments): void {
    if (other.count === 0) return;
    if (this.count === 0) {
      Object.assign(this, {
        count: other.count,
        mean: other.mean,
        m2: other.m2,
        min: other.min,
        max: other.max,
      });
      return;
    }
    const count = this.count + other.count;
    const delta = other.mean - this.mean;
    this.mean += (delta * other.count) / count;
    this.m2 += other.m2 + (delta * delta * this.count * other.count) / count;
    this.count = count;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  /** Population variance (ddof = 0), the convention of numpy and of the drift engine. */
  get variance(): number {
    return this.count === 0 ? Number.NaN : this.m2 / this.count;
  }

  static from(state: { count: number; mean: number; m2: number; min: number; max: number }): Moments {
    return Object.assign(new Moments(), state);
  }
}
