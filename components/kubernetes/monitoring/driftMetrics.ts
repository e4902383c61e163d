/**
 * The Prometheus series the drift job publishes, as written by the runtime's
 * `runtime/report/prometheus.ts` (`METRIC_PREFIX` + the gauge names there). Components import nothing
 * from `runtime/` (the runtime is a separate image with its own dependencies), so the names are
 * repeated here; a test renders a real report through the runtime's registry and checks that every
 * name below is in it, so the two cannot drift apart unnoticed.
 *
 * `mlops monitor-run` pushes them to a Pushgateway grouped by `endpoint` (and `namespace`), so every
 * series carries the endpoint it describes; the Pushgateway itself adds `push_time_seconds`.
 */
export const DRIFT_METRICS = {
  /** 1 when the share of drifted columns reached the dataset threshold, else 0. */
  datasetDrift: "mlops_drift_dataset_drift",
  /** Share (0–1) of evaluated columns that drifted. */
  share: "mlops_drift_share",
  /** Number of columns that drifted. */
  columnsDrifted: "mlops_drift_columns_drifted",
  /** Number of columns whose drift could not be computed. */
  columnsErrored: "mlops_drift_columns_errored",
  /** Number of data-quality constraint violations. */
  qualityViolations: "mlops_drift_quality_violations",
  /** Rows in the current window. */
  currentRows: "mlops_drift_current_rows",
  /** Per column (`column`, `method`): the drift score (a p-value or a distance). */
  columnScore: "mlops_drift_column_score",
  /** Per column (`column`, `method`): the threshold the score is compared with. */
  columnThreshold: "mlops_drift_column_threshold",
  /** Per column (`column`): 1 when the column drifted. */
  columnDrifted: "mlops_drift_column_drifted",
  /** Per column (`column`): share of current rows where the column is missing. */
  columnMissingShare: "mlops_drift_column_missing_share",
} as const;

/** Added by the Pushgateway to every pushed group: when it was last pushed (Unix seconds). */
export const PUSH_TIME_METRIC = "push_time_seconds";

/** The Pushgateway job name under which `mlops monitor-run` pushes. */
export const DRIFT_PUSH_JOB = "mlops_drift";
