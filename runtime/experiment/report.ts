import type { ExperimentAnalysis, MetricDirection } from "./analyze";
import type { MetricKind } from "./compare";

/** `kind` of the A/B test report. */
export const ABTEST_REPORT_KIND = "mlops-abtest-report";
/** Its schema version; it changes when a field changes meaning. */
export const ABTEST_REPORT_VERSION = 1;

/** The published method the sequential option implements. */
export const MSPRT_REFERENCE =
  "Johari, Pekelis, Koomen, Walsh. Always Valid Inference: Continuous Monitoring of A/B Tests. Operations Research 70(3), 2022 (arXiv:1512.04922)";

/**
 * The JSON report of `mlops abtest`. Unbounded interval ends (a confidence sequence before its
 * first look) are written as null.
 */
export interface ExperimentReport extends ExperimentAnalysis {
  kind: typeof ABTEST_REPORT_KIND;
  schemaVersion: typeof ABTEST_REPORT_VERSION;
  generatedAt: string;
  data: { source: string; rows: number; aggregated: boolean; variantColumn: string };
  metric: { column: string; kind: MetricKind; kindSource: "option" | "inferred"; direction: MetricDirection };
  alpha: number;
  minimumEffect: number;
  sequential: { method: "mSPRT"; reference: string; minSamples: number } | null;
}
