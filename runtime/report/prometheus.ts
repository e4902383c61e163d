import { Gauge, Pushgateway, Registry } from "prom-client";
import type { DriftReport } from "./schema";

/** Prefix of every metric name, so dashboards can find the drift job's series. */
export const METRIC_PREFIX = "mlops_drift";

/**
 * Builds a prom-client registry holding the report as gauges: the dataset verdict and share, and
 * per column the score, threshold, drift flag and missing share (label `column`). A fresh registry
 * per run keeps the default process metrics out of a batch job's push.
 */
export function reportRegistry(report: DriftReport): Registry {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name: `${METRIC_PREFIX}_${name}`, help, labelNames, registers: [registry] });
  gauge("dataset_drift", "1 when the share of drifted columns reached the dataset threshold, else 0").set(
    report.summary.datasetDrift ? 1 : 0,
  );
  gauge("share", "Share of evaluated columns that drifted").set(report.summary.driftShare);
  gauge("columns_drifted", "Number of columns that drifted").set(report.summary.driftedCount);
  gauge("columns_errored", "Number of columns whose drift could not be computed").set(
    report.summary.errorCount,
  );
  gauge("quality_violations", "Number of data-quality constraint violations").set(
    report.summary.qualityViolationCount,
  );
  gauge("exit_code", "Exit code of the run: 0 no drift, 2 drift, 1 error").set(report.summary.exitCode);
  gauge("current_rows", "Rows in the current data").set(report.current.rowCount);
  const score = gauge("column_score", "The column's drift score (p-value or distance)", ["column", "method"]);
  const threshold = gauge("column_threshold", "The threshold the column's score is compared with", [
    "column",
    "method",
  ]);
  const drifted = gauge("column_drifted", "1 when the column drifted, else 0", ["column"]);
  const missing = gauge("column_missing_share", "Share of current rows where the column is missing", [
    "column",
  ]);
  const errored = gauge("column_error", "1 when the column's drift could not be computed", ["column"]);
  for (const column of report.columns) {
    errored.set({ column: column.name }, column.status === "error" ? 1 : 0);
    if (column.quality !== null) missing.set({ column: column.name }, column.quality.currentMissingShare);
    if (column.drift === null) continue;
    score.set({ column: column.name, method: column.drift.method }, column.drift.score);
    threshold.set({ column: column.name, method: column.drift.method }, column.drift.threshold);
    drifted.set({ column: column.name }, column.drift.drifted ? 1 : 0);
  }
  return registry;
}

/** The report in Prometheus text exposition format (version 0.0.4). */
export async function prometheusText(report: DriftReport): Promise<string> {
  return reportRegistry(report).metrics();
}

/**
 * PUTs the metrics to a Pushgateway (replacing the job's group, so a column that disappears does
 * not linger). The gateway adds `push_time_seconds`; alert on staleness with it.
 */
export async function pushToGateway(
  report: DriftReport,
  url: string,
  jobName = "mlops_drift",
): Promise<void> {
  await pushRegistry(reportRegistry(report), url, jobName);
}

/** PUTs a registry's metrics to a Pushgateway as `jobName`'s group; a non-2xx answer is an error. */
export async function pushRegistry(registry: Registry, url: string, jobName: string): Promise<void> {
  const gateway = new Pushgateway(url, { timeout: 10_000 }, registry);
  const { resp } = await gateway.push({ jobName });
  const status = (resp as { statusCode?: number } | undefined)?.statusCode;
  if (status !== undefined && (status < 200 || status >= 300)) {
    throw new Error(`the Pushgateway at ${url} answered HTTP ${status}`);
  }
}

/** True when a `--prometheus` target is a Pushgateway URL rather than a file path. */
export function isPushgatewayUrl(target: string): boolean {
  return /^https?:\/\//i.test(target);
}
