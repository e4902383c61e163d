/** How a profile treats values; stored in the profile so a merge can refuse incompatible shards. */
export interface ProfileSettings {
  /**
   * KLL accuracy parameter of every numeric sketch.
   * @default 400 (rank error ≈ 0.68% at 99% confidence)
   */
  readonly kllK: number;
  /**
   * Distinct values tracked per column. A categorical column with more is reported as errored (it is
   * most likely an identifier); numeric columns just stop counting distinct values.
   * @default 10000
   */
  readonly maxCategories: number;
  /**
   * A column whose non-numeric share is at most this is numerical (the non-numbers are type
   * mismatches); above it, categorical. Same default as SageMaker's `datatype_check_threshold`.
   * @default 0.1
   */
  readonly typeMismatchTolerance: number;
  /**
   * What NaN and ±Infinity mean: `error` marks the column as errored, naming the first row; `missing`
   * counts them as missing values (what pandas and Evidently do silently).
   * @default "error"
   */
  readonly nonFinite: "error" | "missing";
}

export const DEFAULT_PROFILE_SETTINGS: ProfileSettings = {
  kllK: 400,
  maxCategories: 10_000,
  typeMismatchTolerance: 0.1,
  nonFinite: "error",
};
