import type { QuantileSketchView } from "../drift/types";

/**
 * KLL quantile sketch (Karnin, Lang, Liberty, "Optimal Quantile Approximation in Streams", FOCS 2016),
 * laid out as Apache DataSketches lays out its `KllDoublesSketch`: compactors whose capacities shrink
 * by 2/3 per level below the top, a minimum width of 8, lazy compaction of the lowest full level, and
 * a random (here seeded, for reproducible profiles) choice of which half a compaction keeps.
 *
 * Why KLL and not a package: the drift engine's sketch KS needs a bound on the *rank* error of the
 * CDF. KLL gives one that depends only on k (DataSketches measures ε ≈ 2.296 / k^0.9723 for the
 * worst rank over the whole domain at 99% confidence). DDSketch (`@datadog/sketches-js`) bounds the
 * relative error of quantile *values*, which says nothing about ranks: values 1000 ± 1 fall in one
 * 2%-wide bucket and the rank error reaches 100%. t-digest (`tdigest`) has no proven bound at all.
 * No KLL implementation is published on npm, so this ~200-line one is ours; its bound is checked
 * empirically in test/runtime/kll.test.ts, including after merges.
 */
export class KllSketch implements QuantileSketchView {
  /** Accuracy parameter: larger k, smaller rank error, more retained items (about 3k). */
  readonly k: number;
  private levels: number[][];
  private n = 0;
  private minValue = Number.POSITIVE_INFINITY;
  private maxValue = Number.NEGATIVE_INFINITY;
  private rngState: number;
  private sortedView: { values: Float64Array; cumulative: Float64Array } | undefined;
  /** Values held across all levels, and the sum of the level capacities (cached for `update`). */
  private retained = 0;
  private totalCapacity = 0;

  constructor(k: number = DEFAULT_KLL_K, seed = 0x9e3779b9) {
    if (!Number.isInteger(k) || k < MIN_WIDTH || k > 65535) {
      throw new RangeError(`KLL k must be an integer in [${MIN_WIDTH}, 65535], got ${k}`);
    }
    this.k = k;
    this.levels = [[]];
    this.rngState = seed >>> 0 || 1;
    this.updateCapacities();
  }

  /** Number of values summarised. */
  get count(): number {
    return this.n;
  }

  get min(): number {
    return this.minValue;
  }

  get max(): number {
    return this.maxValue;
  }

  /** Normalised rank error bound at 99% confidence, over every rank at once (DataSketches' fit). */
  get rankErrorBound(): number {
    return kllRankErrorBound(this.k);
  }

  readonly rankErrorConfidence = 0.99;

  /** Adds one finite value. */
  update(value: number): void {
    this.n++;
    if (value < this.minValue) this.minValue = value;
    if (value > this.maxValue) this.maxValue = value;
    const level0 = this.levels[0] as number[];
    level0.push(value);
    if (++this.retained >= this.totalCapacity) this.compress();
    this.sortedView = undefined;
  }

  /** Folds another sketch (of the same k) into this one. The other sketch is not changed. */
  merge(other: KllSketch): void {
    if (other.k !== this.k) {
      throw new RangeError(`cannot merge KLL sketches with different k (${this.k} and ${other.k})`);
    }
    if (other.n === 0) return;
    while (this.levels.length < other.levels.length) this.levels.push([]);
    other.levels.forEach((items, h) => {
      (this.levels[h] as number[]).push(...items);
    });
    this.retained += other.retained;
    this.updateCapacities();
    this.n += other.n;
    this.minValue = Math.min(this.minValue, other.minValue);
    this.maxValue = Math.max(this.maxValue, other.maxValue);
    this.compress();
    this.sortedView = undefined;
  }

  /** Estimated fraction of values ≤ x. Exact at and beyond the extremes. */
  cdf(x: number): number {
    if (this.n === 0) return Number.NaN;
    if (x < this.minValue) return 0;
    if (x >= this.maxValue) return 1;
    const { values, cumulative } = this.view();
    // Last index with values[i] <= x.
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((values[mid] as number) <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : (cumulative[lo - 1] as number) / this.n;
  }

  /** Estimated q-quantile; q = 0 and q = 1 give the exact min and max. */
  quantile(q: number): number {
    if (this.n === 0) return Number.NaN;
    if (q <= 0) return this.minValue;
    if (q >= 1) return this.maxValue;
    const { values, cumulative } = this.view();
    const target = q * this.n;
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    return values[lo] as number;
  }

  /** Plain-data form for the profile JSON. */
  toJSON(): KllSketchState {
    return {
      k: this.k,
      n: this.n,
      min: this.n === 0 ? null : this.minValue,
      max: this.n === 0 ? null : this.maxValue,
      levels: this.levels.map((level) => [...level]),
      rngState: this.rngState,
    };
  }

  static fromJSON(state: KllSketchState): KllSketch {
    const sketch = new KllSketch(state.k, state.rngState);
    sketch.levels = state.levels.map((level) => [...level]);
    if (sketch.levels.length === 0) sketch.levels = [[]];
    sketch.retained = sketch.levels.reduce((sum, level) => sum + level.length, 0);
    sketch.updateCapacities();
    sketch.n = state.n;
    sketch.minValue = state.min ?? Number.POSITIVE_INFINITY;
    sketch.maxValue = state.max ?? Number.NEGATIVE_INFINITY;
    const weight = sketch.levels.reduce((sum, level, h) => sum + level.length * 2 ** h, 0);
    if (weight !== state.n) {
      throw new RangeError(
        `KLL sketch state is inconsistent: its levels weigh ${weight} but n is ${state.n}`,
      );
    }
    return sketch;
  }

  private capacity(level: number): number {
    const depth = this.levels.length - 1 - level;
    return Math.max(MIN_WIDTH, Math.ceil(this.k * (2 / 3) ** depth));
  }

  /**
   * DataSketches' lazy rule: compact only once the sketch as a whole is full, and then only the
   * lowest level at or over its own capacity (adding a top level when that is the top, which
   * shifts every capacity). Waiting until the whole sketch is full lets low levels hold more than
   * their share, which is where KLL gets its accuracy per retained item.
   */
  private compress(): void {
    while (this.retained >= this.totalCapacity) {
      let h = 0;
      while (h < this.levels.length && (this.levels[h] as number[]).length < this.capacity(h)) h++;
      if (h >= this.levels.length) break;
      if (h === this.levels.length - 1) {
        this.levels.push([]);
        this.updateCapacities();
      }
      this.compactLevel(h);
    }
  }

  private updateCapacities(): void {
    this.totalCapacity = this.levels.reduce((sum, _, h) => sum + this.capacity(h), 0);
  }

  /** Sorts level h and promotes every other item (odd or even, at random) with doubled weight. */
  private compactLevel(h: number): void {
    const level = this.levels[h] as number[];
    // Most compactions are of a few dozen items (the lazy rule keeps low levels short once the
    // sketch is deep): an in-place insertion sort beats allocating a typed array to sort them.
    const items = level.length <= 64 ? insertionSort(level) : Float64Array.from(level).sort();
    // An odd item stays behind so the retained weight stays exact.
    const keepBehind = items.length % 2 === 1 ? [items[items.length - 1] as number] : [];
    const even = items.length - keepBehind.length;
    const offset = this.nextBit();
    const up = this.levels[h + 1] as number[];
    for (let i = offset; i < even; i += 2) up.push(items[i] as number);
    this.levels[h] = keepBehind;
    this.retained -= even / 2;
  }

  /** Number of values the sketch holds (about 3k, whatever the count). */
  get retainedItems(): number {
    return this.retained;
  }

  /** xorshift32: cheap, seeded, good enough to choose odd or even halves. */
  private nextBit(): number {
    let x = this.rngState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rngState = x >>> 0;
    return this.rngState & 1;
  }

  private view(): { values: Float64Array; cumulative: Float64Array } {
    if (this.sortedView !== undefined) return this.sortedView;
    const size = this.levels.reduce((sum, level) => sum + level.length, 0);
    const pairs: { value: number; weight: number }[] = new Array(size);
    let i = 0;
    this.levels.forEach((level, h) => {
      const weight = 2 ** h;
      for (const value of level) pairs[i++] = { value, weight };
    });
    pairs.sort((a, b) => a.value - b.value);
    const values = new Float64Array(size);
    const cumulative = new Float64Array(size);
    let running = 0;
    pairs.forEach((pair, j) => {
      running += pair.weight;
      values[j] = pair.value;
      cumulative[j] = running;
    });
    this.sortedView = { values, cumulative };
    return this.sortedView;
  }
}

/** Sorts a short array in place, ascending, and returns it. */
function insertionSort(values: number[]): number[] {
  for (let i = 1; i < values.length; i++) {
    const value = values[i] as number;
    let j = i - 1;
    while (j >= 0 && (values[j] as number) > value) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = value;
  }
  return values;
}

/** Minimum compactor width, as in DataSketches. */
const MIN_WIDTH = 8;

/**
 * Default k. At k = 400 the rank error bound is about 0.68%, so a sketch KS statistic is within
 * ±0.0068 of the exact one, well inside the 0.1 L∞ thresholds SageMaker uses; a column costs ~1,200
 * retained doubles (~10 KB) whatever the row count.
 */
export const DEFAULT_KLL_K = 400;

/** DataSketches' empirical single-sided normalised rank error of KLL at 99% confidence. */
export function kllRankErrorBound(k: number): number {
  return 2.296 / k ** 0.9723;
}

/** Serialised KLL sketch. */
export interface KllSketchState {
  k: number;
  n: number;
  min: number | null;
  max: number | null;
  levels: number[][];
  rngState: number;
}
