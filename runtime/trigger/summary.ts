import type { DriftReport } from "../report/schema";

/** The `kind` of the payload a retraining trigger sends. */
export const TRIGGER_PAYLOAD_KIND = "mlops-retrain-trigger";
/** Its schema version; it changes when a field changes meaning. */
export const TRIGGER_PAYLOAD_VERSION = 1;

/** Where a drift run happened, for the payload and the retraining Job's labels. */
export interface TriggerContext {
  /** Unique id of the run (the Kubernetes Job name of a CronJob run); the idempotency key. */
  runId: string;
  /**
   * The serving endpoint whose captured traffic drifted.
   * @default none
   */
  endpoint?: string;
  /**
   * Set when the endpoint's labelled predictions show an accuracy drop (the concept-drift
   * detectors of `monitor-run --labels`): retraining is triggered even without data drift.
   * @default none
   */
  accuracyDrop?: AccuracyDrop;
}

/** The concept-drift evidence a trigger carries. */
export interface AccuracyDrop {
  /** Detectors that saw the error rate rise. */
  detectors: string[];
  /** Error rate over the window's labelled predictions. */
  errorRate: number;
  /** Labelled predictions in the window. */
  labelled: number;
}

/**
 * What a retraining trigger receives: the drift report's summary and the drifted columns, not the
 * whole report (a CI webhook has no use for histograms, and payload limits are often small).
 */
export interface TriggerPayload {
  kind: typeof TRIGGER_PAYLOAD_KIND;
  schemaVersion: typeof TRIGGER_PAYLOAD_VERSION;
  runId: string;
  endpoint: string | null;
  generatedAt: string;
  verdict: DriftReport["summary"]["verdict"];
  driftShare: number;
  driftShareThreshold: number;
  evaluatedCount: number;
  driftedCount: number;
  errorCount: number;
  qualityViolationCount: number;
  /** Why retraining was triggered: data drift, an accuracy drop, or both. */
  reasons: ("data-drift" | "accuracy-drop")[];
  /** The accuracy-drop evidence, when there is one. */
  accuracyDrop: AccuracyDrop | null;
  /** Drifted columns, with their method, score and threshold, most drifted first. */
  driftedColumns: { name: string; method: string; score: number; threshold: number }[];
  reference: DriftReport["reference"];
  current: DriftReport["current"];
}

/** Builds the trigger payload from a drift report. */
export function triggerPayload(report: DriftReport, context: TriggerContext): TriggerPayload {
  const drifted = report.columns.flatMap((column) =>
    column.drift?.drifted
      ? [
          {
            name: column.name,
            method: column.drift.method,
            score: column.drift.score,
            threshold: column.drift.threshold,
          },
        ]
      : [],
  );
  return {
    kind: TRIGGER_PAYLOAD_KIND,
    schemaVersion: TRIGGER_PAYLOAD_VERSION,
    runId: context.runId,
    endpoint: context.endpoint ?? null,
    generatedAt: report.generatedAt,
    verdict: report.summary.verdict,
    reasons: [
      ...(report.summary.verdict === "drift" ? (["data-drift"] as const) : []),
      ...(context.accuracyDrop === undefined ? [] : (["accuracy-drop"] as const)),
    ],
    accuracyDrop: context.accuracyDrop ?? null,
    driftShare: report.summary.driftShare,
    driftShareThreshold: report.summary.driftShareThreshold,
    evaluatedCount: report.summary.evaluatedCount,
    driftedCount: report.summary.driftedCount,
    errorCount: report.summary.errorCount,
    qualityViolationCount: report.summary.qualityViolationCount,
    driftedColumns: drifted,
    reference: report.reference,
    current: report.current,
  };
}
