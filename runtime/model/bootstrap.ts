/** mulberry32: a small seeded generator, so a bootstrap with the same seed gives the same interval. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BootstrapSettings {
  /** @default 1000 */
  readonly resamples: number;
  /** Two-sided confidence level of the percentile interval. @default 0.95 */
  readonly confidence: number;
  /** @default 42 */
  readonly seed: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapSettings = { resamples: 1000, confidence: 0.95, seed: 42 };

export interface PairedInterval {
  /** Statistic on the whole holdout. */
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  /** Resamples whose statistic was undefined (a resample holding one class), left out of the interval. */
  readonly undefinedResamples: number;
}

/**
 * Paired percentile bootstrap of a statistic of the rows: each resample draws n rows with
 * replacement (as multiplicities, so sorted orders are reused) and the statistic sees the same rows
 * for both models, so their shared noise cancels out of the difference.
 */
export function pairedBootstrap(
  rows: number,
  statistic: (weights: Uint32Array | undefined) => number,
  settings: BootstrapSettings,
): PairedInterval {
  const random = mulberry32(settings.seed);
  const weights = new Uint32Array(rows);
  const values: number[] = [];
  let undefinedResamples = 0;
  for (let b = 0; b < settings.resamples; b++) {
    weights.fill(0);
    for (let j = 0; j < rows; j++) weights[Math.floor(random() * rows)] += 1;
    const v = statistic(weights);
    if (Number.isFinite(v)) values.push(v);
    else undefinedResamples++;
  }
  values.sort((a, b) => a - b);
  const alpha = (1 - settings.confidence) / 2;
  const at = (q: number) => {
    // Linear interpolation between order statistics (numpy's default percentile).
    const h = (values.length - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.ceil(h);
    return (values[lo] as number) + (h - lo) * ((values[hi] as number) - (values[lo] as number));
  };
  return {
    estimate: statistic(undefined),
    lower: values.length === 0 ? Number.NaN : at(alpha),
    upper: values.length === 0 ? Number.NaN : at(1 - alpha),
    undefinedResamples,
  };
}
