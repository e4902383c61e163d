import type { Adwin } from "./adwin";
import type { Ddm } from "./ddm";
import type { Eddm } from "./eddm";
import type { LabelledStreamResult } from "./labels";
import type { PageHinkley } from "./pageHinkley";
import type { Detection } from "./stream";
import type { ConceptDriftDetector, DetectorName } from "./types";

export const CONCEPT_REPORT_KIND = "mlops-concept-drift-report";
export const CONCEPT_REPORT_VERSION = 1;

/** The JSON report of `mlops drift --labels`. */
export interface ConceptDriftReport {
  kind: typeof CONCEPT_REPORT_KIND;
  schemaVersion: typeof CONCEPT_REPORT_VERSION;
  generatedAt: string;
  sources: string[];
  columns: { prediction: string; labels: string; timestamp: string | null };
  classes: string[];
  rows: number;
  labelled: number;
  unlabelled: number;
  errorRate: number;
  /** Each detector with its parameters and where it fired. */
  detectors: { name: DetectorName; parameters: Record<string, number | string>; detections: Detection[] }[];
  /** Error rate per block of `blockSize` labelled predictions, for the chart. */
  errorRateSeries: { blockSize: number; rates: number[] };
  /** Detectors that must see the error rate rise for an accuracy drop. */
  quorum: number;
  /** True when at least `quorum` detectors saw the error rate rise. */
  accuracyDrop: boolean;
  /** 2 on an accuracy drop, else 0. */
  exitCode: 0 | 2;
}

function parameters(detector: ConceptDriftDetector): Record<string, number | string> {
  switch (detector.name) {
    case "adwin": {
      const d = detector as Adwin;
      return {
        delta: d.delta,
        clock: d.clock,
        maxBuckets: d.maxBuckets,
        minWindowLength: d.minWindowLength,
        gracePeriod: d.gracePeriod,
      };
    }
    case "ddm": {
      const d = detector as Ddm;
      return {
        warmStart: d.warmStart,
        warningThreshold: d.warningThreshold,
        driftThreshold: d.driftThreshold,
      };
    }
    case "eddm": {
      const d = detector as Eddm;
      return { warmStart: d.warmStart, alpha: d.alpha, beta: d.beta };
    }
    case "page-hinkley": {
      const d = detector as PageHinkley;
      return {
        minInstances: d.minInstances,
        delta: d.delta,
        threshold: d.threshold,
        alpha: d.alpha,
        mode: d.mode,
      };
    }
  }
}

/** Builds the report of a labelled stream. */
export function conceptDriftReport(
  result: LabelledStreamResult,
  columns: { prediction: string; labels: string },
  now: Date = new Date(),
): ConceptDriftReport {
  const m = result.monitor;
  return {
    kind: CONCEPT_REPORT_KIND,
    schemaVersion: CONCEPT_REPORT_VERSION,
    generatedAt: now.toISOString(),
    sources: result.sources,
    columns: { ...columns, timestamp: result.timestampColumn },
    classes: result.classes,
    rows: result.rows,
    labelled: m.count,
    unlabelled: result.unlabelled,
    errorRate: m.count === 0 ? 0 : m.errors / m.count,
    detectors: m.detectors.map((d) => ({
      name: d.name,
      parameters: parameters(d),
      detections: m.detections.filter((x) => x.detector === d.name),
    })),
    errorRateSeries: {
      blockSize: m.blockSize,
      rates: m.blockErrors.map((errors, i) => errors / Math.min(m.blockSize, m.count - i * m.blockSize)),
    },
    quorum: m.quorum,
    accuracyDrop: m.accuracyDrop,
    exitCode: m.accuracyDrop ? 2 : 0,
  };
}
