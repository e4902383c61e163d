import type { DriftReport } from "../../../runtime/report/schema";
import { driftReportSchema } from "../../../runtime/report/schema";

/**
 * A schema-valid drift report with two numeric columns, `amount` drifted (KS p = 0.001) and `age`
 * not, and the given verdict; the summary is consistent with the columns.
 */
export function driftReport(verdict: "drift" | "no-drift" | "error" = "drift"): DriftReport {
  const column = (name: string, drifted: boolean) => ({
    name,
    role: "feature" as const,
    status: "ok" as const,
    drift: {
      kind: "numerical" as const,
      method: "ks",
      methodSource: "default" as const,
      scoreKind: "p-value" as const,
      statistic: drifted ? 0.31 : 0.04,
      score: drifted ? 0.001 : 0.42,
      threshold: 0.05,
      comparison: "<=" as const,
      drifted,
      referenceCount: 500,
      currentCount: 200,
      referenceNullCount: 0,
      currentNullCount: 0,
      computation: { mode: "exact" as const },
      histogram: {
        kind: "numerical" as const,
        edges: [0, 1, 2],
        referenceShares: [0.5, 0.5],
        currentShares: [0.2, 0.8],
        currentBelowShare: 0,
        currentAboveShare: 0,
      },
    },
    error: null,
    quality: {
      referenceMissingShare: 0,
      currentMissingShare: 0,
      typeMismatchShare: 0,
      outOfRangeShare: 0,
      newCategoryShare: 0,
      newCategories: [],
    },
    warnings: [],
  });
  const drift = verdict === "drift";
  return driftReportSchema.parse({
    kind: "mlops-drift-report",
    schemaVersion: 1,
    generatedAt: "2026-03-01T10:00:00.000Z",
    reference: { source: "/ref/reference.profile.json", mode: "sketch", rowCount: 500 },
    current: { source: "/capture/fraud", mode: "exact", rowCount: 200 },
    summary: {
      verdict,
      exitCode: verdict === "drift" ? 2 : verdict === "error" ? 1 : 0,
      datasetDrift: drift,
      driftShare: drift ? 0.5 : 0,
      driftShareThreshold: 0.5,
      evaluatedCount: 2,
      driftedCount: drift ? 1 : 0,
      errorCount: verdict === "error" ? 1 : 0,
      correction: "none",
      qualityViolationCount: 0,
    },
    columns: [column("amount", drift), column("age", false)],
    qualityViolations: [],
  });
}
