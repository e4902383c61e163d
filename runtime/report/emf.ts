import type { DriftReport } from "./schema";

/** CloudWatch namespace of the drift metrics. */
export const EMF_NAMESPACE = "MLOps/Drift";

/**
 * CloudWatch embedded metric format: one JSON log line per column plus one for the dataset. Printed
 * to stdout, the awslogs driver / CloudWatch agent / Lambda turns them into metrics with no SDK and
 * no network call from the job. Dimension `Column` keeps per-column series apart.
 */
export function emfLines(report: DriftReport, timestamp: number = Date.parse(report.generatedAt)): string[] {
  const lines: string[] = [];
  lines.push(
    JSON.stringify({
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [
          {
            Namespace: EMF_NAMESPACE,
            Dimensions: [[]],
            Metrics: [
              { Name: "DatasetDrift", Unit: "None" },
              { Name: "DriftShare", Unit: "None" },
              { Name: "ColumnsDrifted", Unit: "Count" },
              { Name: "ColumnsErrored", Unit: "Count" },
              { Name: "QualityViolations", Unit: "Count" },
            ],
          },
        ],
      },
      DatasetDrift: report.summary.datasetDrift ? 1 : 0,
      DriftShare: report.summary.driftShare,
      ColumnsDrifted: report.summary.driftedCount,
      ColumnsErrored: report.summary.errorCount,
      QualityViolations: report.summary.qualityViolationCount,
      Verdict: report.summary.verdict,
    }),
  );
  for (const column of report.columns) {
    const metrics: { Name: string; Unit: string }[] = [{ Name: "ColumnError", Unit: "None" }];
    const values: Record<string, number | string> = { ColumnError: column.status === "error" ? 1 : 0 };
    if (column.drift !== null) {
      metrics.push({ Name: "DriftScore", Unit: "None" }, { Name: "Drifted", Unit: "None" });
      values.DriftScore = column.drift.score;
      values.Drifted = column.drift.drifted ? 1 : 0;
      values.Method = column.drift.method;
      values.Threshold = column.drift.threshold;
    }
    if (column.quality !== null) {
      metrics.push({ Name: "MissingShare", Unit: "None" });
      values.MissingShare = column.quality.currentMissingShare;
    }
    lines.push(
      JSON.stringify({
        _aws: {
          Timestamp: timestamp,
          CloudWatchMetrics: [{ Namespace: EMF_NAMESPACE, Dimensions: [["Column"]], Metrics: metrics }],
        },
        Column: column.name,
        ...values,
      }),
    );
  }
  return lines;
}
