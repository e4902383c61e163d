import type {
  ColumnDriftConfig,
  ColumnDriftOutcome,
  DatasetDriftResult,
  DriftColumnInput,
  DriftConfig,
} from "./types";

/** Drift of every column, with the dataset verdict. One broken column never aborts the others. */
export function detectDrift(
  _columns: readonly DriftColumnInput[],
  _config: DriftConfig = {},
): DatasetDriftResult {
  throw new Error("detectDrift: not implemented yet");
}

/** Drift of one column (no multiple-testing correction). Never throws for bad data: returns an error outcome. */
export function detectColumnDrift(
  _column: DriftColumnInput,
  _config: ColumnDriftConfig & Omit<DriftConfig, "columns"> = {},
): ColumnDriftOutcome {
  throw new Error("detectColumnDrift: not implemented yet");
}
