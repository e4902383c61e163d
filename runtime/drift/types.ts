/**
 * Public types of the drift engine: what a caller hands in (reference and current columns, config) and what it
 * gets back (per-column and dataset results).
 *
 * Inputs may carry typed arrays, maps and a sketch object; every *result* type is a plain, JSON-serialisable
 * object (numbers, strings, booleans, arrays) because the JSON report schema is built directly on them.
 *
 * Conventions used throughout:
 * - Nulls never appear inside value arrays. The caller drops missing values and reports how many it dropped in
 *   `nullCount`; drift is computed on the non-null values only (as Evidently, NannyML and whylogs do), and the
 *   missing rate is a data-quality signal of its own.
 * - A `NaN` or `±Infinity` inside a numeric array is an input error (typed {@link StatsInputError}), never
 *   silently dropped: by the time values reach the engine, the reader has already decided what a null is.
 */

/** Whether a column is compared as numbers (ordered, continuous) or as labels (unordered categories). */
export type ColumnKind = "numerical" | "categorical";

/**
 * The drift methods shipped with the engine, one file each under `runtime/drift/methods/` (the README's table
 * lists each one's kinds, score, direction, default threshold and whether it works from a profile). Directions
 * and defaults are Evidently's `StatTest` declarations, and SageMaker/Deequ's for `linf`.
 */
export type BuiltinDriftMethodName =
  | "ks"
  | "wasserstein"
  | "psi"
  | "kl_div"
  | "jensenshannon"
  | "hellinger"
  | "linf"
  | "chisquare"
  | "chi2_contingency"
  | "z"
  | "anderson"
  | "cramer_von_mises"
  | "ed"
  | "es"
  | "mannw"
  | "t_test"
  | "empirical_mmd"
  | "fisher_exact"
  | "g_test"
  | "TVD";

/** A built-in method's name, or the name of one registered from a plugin module (`drift.plugins`). */
export type DriftMethodName = BuiltinDriftMethodName | (string & {});

/** Whether a method's score is a p-value (small means drift) or a distance (large means drift). */
export type ScoreKind = "p-value" | "distance";

// ---------------------------------------------------------------------------------------------------------------
// Inputs: reference columns
// ---------------------------------------------------------------------------------------------------------------

/** Exact numeric reference: every non-null value. */
export interface NumericValues {
  readonly kind: "numerical";
  /** Non-null, finite values in any order (the engine sorts a copy; the array is never mutated). */
  readonly values: Float64Array;
  /** How many rows were null/missing and dropped by the caller. @default 0 */
  readonly nullCount?: number;
}

/** Exact categorical column: every non-null value, counted. */
export interface CategoricalCounts {
  readonly kind: "categorical";
  /** Category label → number of rows with it. Counts must be non-negative integers. */
  readonly counts: ReadonlyMap<string, number>;
  /** How many rows were null/missing and dropped by the caller. @default 0 */
  readonly nullCount?: number;
}

/**
 * A mergeable quantile sketch over the reference values (KLL, t-digest, DDSketch, …), seen through the two
 * queries the drift engine needs. The profile module owns the implementation; the engine depends only on this.
 */
export interface QuantileSketchView {
  /** Estimated fraction of reference values ≤ x, in [0, 1]; non-decreasing in x. */
  cdf(x: number): number;
  /** Estimated q-quantile of the reference values, q in [0, 1]; non-decreasing in q. */
  quantile(q: number): number;
  /**
   * Stated bound ε on the rank error of `cdf`: |cdf(x) − F_ref(x)| ≤ ε for every x (with probability
   * `rankErrorConfidence` for randomised sketches). Reported with every sketch-based result.
   */
  readonly rankErrorBound: number;
  /** Probability with which `rankErrorBound` holds (1 for deterministic sketches). @default 1 */
  readonly rankErrorConfidence?: number;
}

/** Histogram fitted on the reference: `edges.length === counts.length + 1`, edges strictly increasing. */
export interface ReferenceHistogram {
  /** Bin edges; the last bin is closed on the right, as in `numpy.histogram`. */
  readonly edges: readonly number[];
  /** Reference count per bin. */
  readonly counts: readonly number[];
}

/**
 * Summary of a numeric reference column as a stored profile holds it, for drift without the raw reference.
 * Results computed from it are marked `computation.mode = "sketch"` with the sketch's error bound.
 */
export interface NumericReferenceSummary {
  readonly kind: "numerical-summary";
  /** Number of non-null values summarised. */
  readonly count: number;
  /** Number of null/missing rows. */
  readonly nullCount: number;
  readonly mean: number;
  /** Population variance (ddof = 0), as merged with Chan's formula. */
  readonly variance: number;
  readonly min: number;
  readonly max: number;
  readonly sketch: QuantileSketchView;
  readonly histogram: ReferenceHistogram;
  /**
   * Exact or estimated number of distinct reference values, used only by default method selection (Evidently
   * treats numbers with ≤ 5 distinct values as categories). @default undefined (treated as "many")
   */
  readonly distinctCount?: number;
  /**
   * Count of each distinct value, labelled as written, when the profile kept them all (few distinct values).
   * Lets an integer column with few values be compared as categories from a profile, as from raw data.
   * @default undefined (no per-value counts)
   */
  readonly valueCounts?: ReadonlyMap<string, number>;
}

/**
 * Summary of a categorical reference column as a stored profile holds it: the top-k categories with exact
 * counts, and the total count of all other categories folded into one "other" bucket.
 */
export interface CategoricalReferenceSummary {
  readonly kind: "categorical-summary";
  /** Number of non-null values summarised (= sum of `topK` counts + `otherCount`). */
  readonly count: number;
  readonly nullCount: number;
  /** The most frequent categories with their exact counts. */
  readonly topK: readonly { readonly value: string; readonly count: number }[];
  /** Total count of every category not listed in `topK` (0 when `topK` lists every category). */
  readonly otherCount: number;
  /** Exact or estimated number of distinct categories. @default topK.length (+1 if otherCount > 0) */
  readonly distinctCount?: number;
}

/** Any way the reference side of a column can be given. */
export type ReferenceColumn =
  | NumericValues
  | CategoricalCounts
  | NumericReferenceSummary
  | CategoricalReferenceSummary;

/**
 * Summary of a numeric current column as a profile of the current window holds it (the merged shard profiles
 * of a sharded run, which never gathers the raw values in one place). Compared only with a
 * {@link NumericReferenceSummary}: both CDFs then come from sketches, and each result reports the two rank-error
 * bounds added together.
 */
export interface NumericCurrentSummary {
  readonly kind: "numerical-summary";
  /** Number of non-null values summarised. */
  readonly count: number;
  /** Number of null/missing rows. */
  readonly nullCount: number;
  readonly min: number;
  readonly max: number;
  readonly sketch: QuantileSketchView;
  /** Count of each distinct value, when the profile kept them all. @default undefined */
  readonly valueCounts?: ReadonlyMap<string, number>;
}

/** The current side of a column: raw values or counts, or a numeric summary (against a numeric summary). */
export type CurrentColumn = NumericValues | CategoricalCounts | NumericCurrentSummary;

// ---------------------------------------------------------------------------------------------------------------
// Inputs: configuration
// ---------------------------------------------------------------------------------------------------------------

/** How p-values of several columns are adjusted before comparison with their thresholds. */
export type MultipleTestingCorrection = "none" | "bonferroni" | "benjamini-hochberg";

/**
 * Options of the individual methods. Flat and plain so a thresholds file can hold them; each field names the
 * methods it affects.
 */
export interface DriftMethodOptions {
  /**
   * `ks`: p-value computation, as `scipy.stats.ks_2samp(method=…)`. `auto` is exact when max(n1, n2) ≤ 10,000.
   * Forcing `exact` on large samples can cost up to O(n1·n2) (the lattice-path recursion; about 1 s per 10⁸
   * cells), unless lcm(n1, n2) ≥ 2³¹, where scipy and this engine fall back to `asymp`.
   * @default "auto"
   */
  readonly ksMode?: "auto" | "exact" | "asymp";
  /** `wasserstein`: divide W1 by max(std_ref, `wassersteinMinStd`) as Evidently does. @default true */
  readonly wassersteinNormalize?: boolean;
  /** `wasserstein`: floor for the reference std when normalising. @default 0.001 */
  readonly wassersteinMinStd?: number;
  /** `jensenshannon`: logarithm base (2 gives range [0, 1], as NannyML). @default Math.E (Evidently) */
  readonly jsBase?: number;
  /** `jensenshannon`: report the divergence (squared distance, as Vertex AI) instead of the distance. @default false */
  readonly jsDivergence?: boolean;
  /**
   * `psi`, `kl_div`, `jensenshannon`, `hellinger` on numbers: binning. `"evidently"` = Sturges bins over the
   * combined sample when the reference has > 20 distinct values, else one bin per value. A number = that many
   * equal-width bins over the combined range. Ignored for sketch-based references (their fitted histogram is
   * used). @default "evidently"
   */
  readonly bins?: "evidently" | number;
  /**
   * `chi2_contingency`: Yates' continuity correction when the table has 1 degree of freedom (scipy's default).
   * @default true
   */
  readonly chiSquareYates?: boolean;
  /**
   * `mannw`: alternative hypothesis of `scipy.stats.mannwhitneyu(reference, current)`. Evidently passes `"less"`,
   * which sees only a current distribution shifted upwards; `"two-sided"` sees both directions.
   * @default "less"
   */
  readonly mannwAlternative?: "less" | "greater" | "two-sided";
  /**
   * `t_test`: pooled variance (Student's test, `scipy.stats.ttest_ind`'s and so Evidently's default) or not
   * (Welch's test). @default true
   */
  readonly tTestEqualVar?: boolean;
  /** `TVD`: label permutations of the permutation test. @default 1000 (Evidently's) */
  readonly tvdPermutations?: number;
  /** `empirical_mmd`: permutations of the permutation test. @default 100 (Evidently's) */
  readonly mmdPermutations?: number;
  /** `TVD`, `empirical_mmd`: seed of the permutations, so a rerun gives the same p-value. @default 0 */
  readonly permutationSeed?: number;
}

/** Per-column override of method, threshold and options. */
export interface ColumnDriftConfig extends DriftMethodOptions {
  /** Force a method. @default chosen by the default rules ({@link DefaultMethodRules}) */
  readonly method?: DriftMethodName;
  /** Threshold for the method's score. @default the method's default threshold (see {@link DriftMethodName}) */
  readonly threshold?: number;
  /**
   * Treat the column as this kind (e.g. integer codes as categories).
   * @default the reference column's kind, except that an integer column with at most
   *   `rules.lowCardinalityMaxDistinct` (5) distinct reference values is categorical (Evidently's rule)
   */
  readonly kind?: ColumnKind;
}

/** The size- and cardinality-based rules for choosing a method when none is given (Evidently's). */
export interface DefaultMethodRules {
  /** References with at most this many non-null rows use p-value tests; larger ones use distances. @default 1000 */
  readonly smallReferenceMaxRows?: number;
  /** Numbers with at most this many distinct values (reference ∪ current) are treated like categories. @default 5 */
  readonly lowCardinalityMaxDistinct?: number;
  /** Columns with at most this many distinct values use the Z-test (small references). @default 2 */
  readonly binaryMaxDistinct?: number;
}

/** Dataset-level configuration. */
export interface DriftConfig extends DriftMethodOptions {
  /** The dataset drifts when (drifted columns / evaluated columns) ≥ this. @default 0.5 (Evidently) */
  readonly driftShare?: number;
  /** Correction applied to p-value methods across columns. @default "none" (Evidently's behaviour) */
  readonly correction?: MultipleTestingCorrection;
  /** Method for every numerical column without a per-column method. @default chosen by `rules` */
  readonly numericalMethod?: DriftMethodName;
  /** Method for every categorical column without a per-column method. @default chosen by `rules` */
  readonly categoricalMethod?: DriftMethodName;
  /**
   * Method for every column without a per-column or per-kind method (Evidently's `method`).
   * @default chosen by `rules`
   */
  readonly method?: DriftMethodName;
  /** Threshold for every column without a per-column threshold. @default the method's default threshold */
  readonly threshold?: number;
  /** Threshold for numerical columns without a per-column threshold; wins over `threshold`. @default `threshold` */
  readonly numericalThreshold?: number;
  /** Threshold for categorical columns without a per-column threshold; wins over `threshold`. @default `threshold` */
  readonly categoricalThreshold?: number;
  /** Per-column overrides, by column name. @default {} */
  readonly columns?: Readonly<Record<string, ColumnDriftConfig>>;
  /** Default method selection rules. @default Evidently's (see {@link DefaultMethodRules}) */
  readonly rules?: DefaultMethodRules;
}

/** One column handed to the dataset-level engine. */
export interface DriftColumnInput {
  readonly name: string;
  readonly reference: ReferenceColumn;
  readonly current: CurrentColumn;
}

// ---------------------------------------------------------------------------------------------------------------
// Results (plain JSON)
// ---------------------------------------------------------------------------------------------------------------

/** Reference vs current, binned, ready to plot overlaid. Shares sum to 1 per side (0 for an empty side). */
export interface NumericHistogramPair {
  readonly kind: "numerical";
  /** Bin edges, length = bins + 1. */
  readonly edges: number[];
  readonly referenceShares: number[];
  readonly currentShares: number[];
  /**
   * Share of current values below the first edge / above the last edge (only non-zero when the edges come from
   * the reference, e.g. a sketch-based reference). @default 0
   */
  readonly currentBelowShare: number;
  readonly currentAboveShare: number;
}

/** Reference vs current category shares, ready to plot as grouped bars. */
export interface CategoricalHistogramPair {
  readonly kind: "categorical";
  /** Category labels, most frequent in the reference first; `otherLabel` (if present) last. */
  readonly categories: string[];
  readonly referenceShares: number[];
  readonly currentShares: number[];
  /** Label used for the folded "other" bucket, when the reference was a top-k summary or was truncated. */
  readonly otherLabel?: string;
}

export type HistogramPair = NumericHistogramPair | CategoricalHistogramPair;

/** How the statistic was obtained. */
export type DriftComputation =
  | { readonly mode: "exact" }
  | {
      readonly mode: "sketch";
      /** The rank-error bound ε of the reference sketch (plus the current one's, when both sides are sketches). */
      readonly rankErrorBound: number;
      readonly rankErrorConfidence: number;
      /**
       * Interval guaranteed (with `rankErrorConfidence`) to contain the statistic that exact data would give,
       * where the method allows one (KS D and L∞: ±ε; Wasserstein: ±ε·(max − min)). Absent when no bound is known.
       */
      readonly statisticBounds?: [number, number];
      /** Plain-language note on what the sketch approximates. */
      readonly note: string;
    };

/** Successful drift computation for one column. */
export interface ColumnDriftResult {
  readonly status: "ok";
  readonly column: string;
  readonly kind: ColumnKind;
  readonly method: DriftMethodName;
  /** Whether the method was forced by config or chosen by the default rules. */
  readonly methodSource: "config" | "default";
  readonly scoreKind: ScoreKind;
  /** The method's statistic: KS D, χ², z, or the distance itself. */
  readonly statistic: number;
  /** The raw p-value, for tests. */
  readonly pValue?: number;
  /** The p-value after the dataset's multiple-testing correction (= pValue when none). */
  readonly adjustedPValue?: number;
  /** Degrees of freedom (χ² only). */
  readonly degreesOfFreedom?: number;
  /** What is compared with the threshold: adjustedPValue for tests, the distance otherwise. */
  readonly score: number;
  readonly threshold: number;
  /** How `score` is compared with `threshold` to declare drift. */
  readonly comparison: "<=" | "<" | ">=" | ">";
  readonly drifted: boolean;
  readonly referenceCount: number;
  readonly currentCount: number;
  readonly referenceNullCount: number;
  readonly currentNullCount: number;
  readonly computation: DriftComputation;
  readonly histogram: HistogramPair;
  /** Method-specific details worth reporting (e.g. KS p-value mode actually used, log base). */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/** A column whose drift could not be computed. It never aborts the other columns. */
export interface ColumnDriftError {
  readonly status: "error";
  readonly column: string;
  readonly error: {
    /** Stable machine-readable code, e.g. `empty-sample`, `non-finite-value`, `kind-mismatch`. */
    readonly code: string;
    /** Sentence naming the column, the field, the bad value and the fix. */
    readonly message: string;
  };
}

export type ColumnDriftOutcome = ColumnDriftResult | ColumnDriftError;

/** Result over all columns. */
export interface DatasetDriftResult {
  readonly columns: ColumnDriftOutcome[];
  /** Columns with a result (errors excluded). */
  readonly evaluatedCount: number;
  readonly driftedCount: number;
  readonly errorCount: number;
  /** driftedCount / evaluatedCount (0 when nothing was evaluated). */
  readonly driftShare: number;
  readonly driftShareThreshold: number;
  /** driftShare ≥ driftShareThreshold, and at least one column evaluated. */
  readonly datasetDrift: boolean;
  readonly correction: MultipleTestingCorrection;
  /** Number of p-values the correction was applied over. */
  readonly correctedTests: number;
}
