/**
 * Typed input errors of the statistics layer.
 *
 * The statistics functions see arrays, not columns, so they name the *argument* (`field`, e.g. "reference") and
 * the bad value; the drift engine catches {@link StatsInputError}, attaches the column name with
 * {@link StatsInputError.forColumn}, and records the column as an error without aborting the others.
 */

/** Stable machine-readable reasons, safe to switch on and to put in a JSON report. */
export type StatsInputErrorCode =
  | "empty-sample"
  | "non-finite-value"
  | "negative-count"
  | "non-integer-count"
  | "length-mismatch"
  | "invalid-option"
  | "not-binary"
  | "kind-mismatch"
  | "invalid-summary"
  | "needs-raw-data";

export class StatsInputError extends Error {
  override readonly name = "StatsInputError";

  constructor(
    /** Why the input was rejected. */
    readonly code: StatsInputErrorCode,
    /** The argument or field that was bad, e.g. `reference`, `current`, `options.jsBase`. */
    readonly field: string,
    /** The offending value (already stringified for messages), when there is one. */
    readonly value: string | undefined,
    /** What to do about it. */
    readonly fix: string,
    /** The column, once the drift engine knows it. */
    readonly column?: string,
  ) {
    super(
      `${column === undefined ? "" : `Column '${column}': `}${field}` +
        `${value === undefined ? "" : ` has bad value ${value}`}: ${describe(code)}. ${fix}`,
    );
  }

  /** The same error, with the column name attached (the message is rebuilt to name it). */
  forColumn(column: string): StatsInputError {
    return new StatsInputError(this.code, this.field, this.value, this.fix, column);
  }
}

function describe(code: StatsInputErrorCode): string {
  switch (code) {
    case "empty-sample":
      return "the sample is empty, so no distribution can be compared";
    case "non-finite-value":
      return "NaN and ±Infinity are not numbers a distribution can be built from";
    case "negative-count":
      return "a count cannot be negative";
    case "non-integer-count":
      return "a count must be a whole number";
    case "length-mismatch":
      return "the two arrays must have the same length";
    case "invalid-option":
      return "the option is out of its allowed range";
    case "not-binary":
      return "the Z-test compares two proportions and needs at most two distinct values";
    case "kind-mismatch":
      return "reference and current columns must be of the same kind";
    case "invalid-summary":
      return "the reference summary is inconsistent";
    case "needs-raw-data":
      return "the method needs every value, which a profile does not keep";
  }
}

/**
 * Throw unless `values` is non-empty and every element is finite. Returns nothing; one pass, no allocation.
 * @param field name of the argument, used in the message (e.g. "reference").
 */
export function assertFiniteSample(values: ArrayLike<number>, field: string): void {
  if (values.length === 0) {
    throw new StatsInputError(
      "empty-sample",
      field,
      undefined,
      `Pass at least one non-null value in ${field}.`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new StatsInputError(
        "non-finite-value",
        `${field}[${i}]`,
        String(v),
        "Drop missing values before drift (report them as nulls) and replace or drop infinities.",
      );
    }
  }
}
