import { Gauge, Registry } from "prom-client";
import type { ExperimentReport } from "./report";

/** Prefix of the A/B test's Prometheus series. */
export const ABTEST_METRIC_PREFIX = "mlops_abtest";
/** CloudWatch namespace of its EMF metrics. */
export const ABTEST_EMF_NAMESPACE = "MLOps/Experiments";

const RECOMMENDATION_CODE = { keep: 0, continue: 1, promote: 2 } as const;

/**
 * The report as gauges in a fresh registry: the SRM check, the recommendation (0 keep, 1 continue,
 * 2 promote, −1 blocked by SRM), and per variant the traffic and metric mean, per challenger the
 * difference, relative lift and p-values (label `variant`).
 */
export function experimentRegistry(report: ExperimentReport): Registry {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name: `${ABTEST_METRIC_PREFIX}_${name}`, help, labelNames, registers: [registry] });
  gauge("srm_p_value", "p-value of the sample-ratio chi-square test").set(report.srm.pValue);
  gauge("srm_mismatch", "1 when the observed split does not match the configured weights").set(
    report.srm.mismatch ? 1 : 0,
  );
  gauge("recommendation", "0 keep, 1 continue, 2 promote, -1 blocked by a sample-ratio mismatch").set(
    report.recommendation === null ? -1 : RECOMMENDATION_CODE[report.recommendation],
  );
  gauge("exit_code", "Exit code of the run: 0 keep or continue, 2 promote, 1 error or SRM").set(
    report.exitCode,
  );
  const observations = gauge("variant_observations", "Observations of the variant", ["variant"]);
  const mean = gauge("variant_mean", "Mean of the metric (conversion rate for 0/1 outcomes)", ["variant"]);
  for (const v of report.variants) {
    observations.set({ variant: v.name }, v.count);
    mean.set({ variant: v.name }, v.mean);
  }
  const difference = gauge("difference", "Challenger mean minus control mean", ["variant"]);
  const lift = gauge("relative_lift", "Difference over the control mean", ["variant"]);
  const p = gauge("p_value", "Fixed-horizon two-sided p-value", ["variant", "test"]);
  const seq = gauge("sequential_p_value", "Always-valid mSPRT p-value", ["variant"]);
  for (const c of report.challengers) {
    difference.set({ variant: c.challenger }, c.fixedHorizon.difference);
    if (c.fixedHorizon.relativeLift !== null)
      lift.set({ variant: c.challenger }, c.fixedHorizon.relativeLift);
    p.set({ variant: c.challenger, test: c.fixedHorizon.test }, c.fixedHorizon.pValue);
    if (c.sequential !== null) seq.set({ variant: c.challenger }, c.sequential.pValue);
  }
  return registry;
}

/** CloudWatch EMF lines: one for the experiment, one per challenger (dimension `Variant`). */
export function experimentEmfLines(
  report: ExperimentReport,
  timestamp: number = Date.parse(report.generatedAt),
): string[] {
  const lines = [
    JSON.stringify({
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [
          {
            Namespace: ABTEST_EMF_NAMESPACE,
            Dimensions: [[]],
            Metrics: [
              { Name: "SrmPValue", Unit: "None" },
              { Name: "SrmMismatch", Unit: "None" },
              { Name: "Recommendation", Unit: "None" },
            ],
          },
        ],
      },
      SrmPValue: report.srm.pValue,
      SrmMismatch: report.srm.mismatch ? 1 : 0,
      Recommendation: report.recommendation === null ? -1 : RECOMMENDATION_CODE[report.recommendation],
      Decision: report.recommendation ?? "blocked",
    }),
  ];
  for (const c of report.challengers) {
    const metrics = [
      { Name: "Difference", Unit: "None" },
      { Name: "PValue", Unit: "None" },
    ];
    const values: Record<string, number | string> = {
      Difference: c.fixedHorizon.difference,
      PValue: c.fixedHorizon.pValue,
    };
    if (c.fixedHorizon.relativeLift !== null) {
      metrics.push({ Name: "RelativeLift", Unit: "None" });
      values.RelativeLift = c.fixedHorizon.relativeLift;
    }
    if (c.sequential !== null) {
      metrics.push({ Name: "SequentialPValue", Unit: "None" });
      values.SequentialPValue = c.sequential.pValue;
    }
    lines.push(
      JSON.stringify({
        _aws: {
          Timestamp: timestamp,
          CloudWatchMetrics: [
            { Namespace: ABTEST_EMF_NAMESPACE, Dimensions: [["Variant"]], Metrics: metrics },
          ],
        },
        Variant: c.challenger,
        ...values,
        Recommendation: c.recommendation ?? "blocked",
      }),
    );
  }
  return lines;
}
