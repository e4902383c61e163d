/**
 * The sufficient statistics of one variant's metric: count, mean and the sum of squared deviations
 * (Welford's running update, merged with Chan et al.'s pairwise formula), so per-request rows and
 * pre-aggregated counts end in the same summary and no variant's values are ever held in memory.
 */
export class MetricSummary {
  /** Observations (requests or users). */
  count = 0;
  /** Their mean: the conversion rate of a 0/1 metric. */
  mean = 0;
  /** Σ (x − mean)²; the sample variance is m2 / (count − 1). */
  m2 = 0;

  /** Adds one observation. */
  add(value: number): void {
    this.count++;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
  }

  /** Adds a block summarised elsewhere: `count` observations with this mean and sample variance (ddof 1). */
  addAggregate(count: number, mean: number, variance: number): void {
    if (count === 0) return;
    const m2 = variance * Math.max(0, count - 1);
    const total = this.count + count;
    const delta = mean - this.mean;
    this.mean += (delta * count) / total;
    this.m2 += m2 + (delta * delta * this.count * count) / total;
    this.count = total;
  }

  /** Sample variance (ddof 1), as numpy's `var(ddof=1)` and scipy's t-test use; 0 below two observations. */
  get variance(): number {
    return this.count > 1 ? this.m2 / (this.count - 1) : 0;
  }

  /** Sum of the values: the number of conversions of a 0/1 metric. */
  get sum(): number {
    return this.mean * this.count;
  }

  clone(): MetricSummary {
    const copy = new MetricSummary();
    copy.count = this.count;
    copy.mean = this.mean;
    copy.m2 = this.m2;
    return copy;
  }
}
