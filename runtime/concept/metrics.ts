import { Gauge, Registry } from "prom-client";
import type { ConceptDriftReport } from "./report";

/** Prefix of the concept-drift series. */
export const CONCEPT_METRIC_PREFIX = "mlops_concept_drift";
/** CloudWatch namespace of its EMF metrics (beside the data-drift job's MLOps/Drift). */
export const CONCEPT_EMF_NAMESPACE = "MLOps/ConceptDrift";

/** The report as gauges: error rate, accuracy-drop flag, and detections per detector (label `detector`). */
export function conceptDriftRegistry(
  report: ConceptDriftReport,
  registry: Registry = new Registry(),
): Registry {
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name: `${CONCEPT_METRIC_PREFIX}_${name}`, help, labelNames, registers: [registry] });
  gauge("accuracy_drop", "1 when a detector saw the error rate rise, else 0").set(
    report.accuracyDrop ? 1 : 0,
  );
  gauge("error_rate", "Share of labelled predictions that were wrong").set(report.errorRate);
  gauge("labelled", "Labelled predictions fed to the detectors").set(report.labelled);
  const detections = gauge("detections", "Times the detector fired", ["detector"]);
  const last = gauge("last_detection_index", "Position of the detector's last detection in the stream", [
    "detector",
  ]);
  for (const d of report.detectors) {
    detections.set({ detector: d.name }, d.detections.length);
    const final = d.detections.at(-1);
    if (final !== undefined) last.set({ detector: d.name }, final.index);
  }
  return registry;
}

/** CloudWatch EMF lines: one per detector (dimension `Detector`). */
export function conceptDriftEmfLines(
  report: ConceptDriftReport,
  timestamp: number = Date.parse(report.generatedAt),
): string[] {
  return report.detectors.map((d) =>
    JSON.stringify({
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [
          {
            Namespace: CONCEPT_EMF_NAMESPACE,
            Dimensions: [["Detector"]],
            Metrics: [
              { Name: "Detections", Unit: "Count" },
              { Name: "ErrorRate", Unit: "None" },
              { Name: "AccuracyDrop", Unit: "None" },
            ],
          },
        ],
      },
      Detector: d.name,
      Detections: d.detections.length,
      ErrorRate: report.errorRate,
      AccuracyDrop: report.accuracyDrop ? 1 : 0,
    }),
  );
}
