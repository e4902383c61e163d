import {
  errorRateAboveExpr,
  p99LatencyAboveExpr,
  type ServingSeriesSelector,
  saturationAboveExpr,
} from "../promql";
import { DRIFT_METRICS, DRIFT_PUSH_JOB, PUSH_TIME_METRIC } from "./driftMetrics";

/** Alert names, exported so runbooks, silences and the platform's outputs can refer to them. */
export const ALERT_NAMES = {
  errorRate: "MlopsEndpointHighErrorRate",
  latency: "MlopsEndpointHighP99Latency",
  saturation: "MlopsEndpointSaturated",
  dataDrift: "MlopsDataDrift",
  columnDrift: "MlopsFeatureDrift",
  qualityViolations: "MlopsDataQualityViolations",
  driftErrors: "MlopsDriftColumnsErrored",
  driftStale: "MlopsDriftJobStale",
} as const;

/** One rule of a `PrometheusRule` (`monitoring.coreos.com/v1`, `spec.groups[].rules[]`). */
export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** One group of a `PrometheusRule` (`spec.groups[]`). */
export interface AlertGroup {
  name: string;
  interval?: string;
  rules: AlertRule[];
}

/** What the alert rules watch and when they fire. */
export interface AlertRulesOptions {
  /** The serving endpoint (the `endpoint` label of the capture sidecar's series). */
  endpoint: string;
  /** Namespace of the serving pods (the `namespace` label Prometheus attaches). */
  namespace: string;
  /** Variants to alert on one by one; empty alerts on the endpoint as a whole. */
  variants: readonly string[];
  /** Error rate (0–1) above which the error-rate alert fires. */
  errorRate: number;
  /** p99 latency in milliseconds above which the latency alert fires. */
  p99LatencyMs: number;
  /** Mean in-flight requests per pod above which the saturation alert fires. */
  maxInFlight: number;
  /** How long a serving condition must hold before it fires (`for:`), e.g. `5m`. */
  for: string;
  /** The `rate()` window of the serving queries, e.g. `5m`. */
  window: string;
  /** Seconds without a drift push after which the drift job is reported stale. */
  driftStaleSeconds: number;
  /** Severity of the serving alerts that should page (error rate, latency). */
  servingSeverity: string;
  /** Severity of drift, data-quality, saturation and job-health alerts. */
  driftSeverity: string;
  /** Base URL of the runbooks; each alert links `<base>#<alert name, lower case>`. */
  runbookBaseUrl?: string;
}

function runbook(options: AlertRulesOptions, alert: string): Record<string, string> {
  return options.runbookBaseUrl === undefined
    ? {}
    : { runbook_url: `${options.runbookBaseUrl.replace(/#.*$/, "")}#${alert.toLowerCase()}` };
}

/** A PromQL label matcher list for the drift job's pushed series of this endpoint. */
function driftMatchers(options: AlertRulesOptions): string {
  return `endpoint=${JSON.stringify(options.endpoint)},namespace=${JSON.stringify(options.namespace)}`;
}

/** A Prometheus duration for a number of seconds, in whole minutes (rounded up). */
export function minutes(seconds: number): string {
  return `${Math.max(1, Math.ceil(seconds / 60))}m`;
}

/**
 * The alert rules of one endpoint: error rate, p99 latency and saturation from the capture
 * sidecar's series, built by the same `promql.ts` functions as the canary analysis that rolls a bad
 * version back (so an alert and a rollback never disagree on what "error rate" means); and drift,
 * feature drift, data quality, errored columns and staleness from the drift job's pushed series.
 */
export function alertGroups(options: AlertRulesOptions): AlertGroup[] {
  const scopes: { selector: ServingSeriesSelector; labels: Record<string, string>; what: string }[] =
    options.variants.length === 0
      ? [
          {
            selector: { endpoint: options.endpoint, namespace: options.namespace },
            labels: {},
            what: `endpoint ${options.endpoint}`,
          },
        ]
      : options.variants.map((variant) => ({
          selector: { endpoint: options.endpoint, namespace: options.namespace, variant },
          labels: { variant },
          what: `variant ${variant} of endpoint ${options.endpoint}`,
        }));
  const base = { endpoint: options.endpoint, namespace: options.namespace };
  const window = { window: options.window };

  const serving: AlertRule[] = scopes.flatMap(({ selector, labels, what }) => [
    {
      alert: ALERT_NAMES.errorRate,
      expr: errorRateAboveExpr(selector, options.errorRate, window),
      for: options.for,
      labels: { severity: options.servingSeverity, ...base, ...labels },
      annotations: {
        summary: `High error rate on ${what}`,
        description: `{{ $value | humanizePercentage }} of requests to ${what} failed (5xx or no answer) over ${options.window}; the threshold is ${options.errorRate * 100}%.`,
        ...runbook(options, ALERT_NAMES.errorRate),
      },
    },
    {
      alert: ALERT_NAMES.latency,
      expr: p99LatencyAboveExpr(selector, options.p99LatencyMs, window),
      for: options.for,
      labels: { severity: options.servingSeverity, ...base, ...labels },
      annotations: {
        summary: `High p99 latency on ${what}`,
        description: `p99 latency of ${what} is {{ $value | humanizeDuration }} over ${options.window}; the threshold is ${options.p99LatencyMs} ms.`,
        ...runbook(options, ALERT_NAMES.latency),
      },
    },
    {
      alert: ALERT_NAMES.saturation,
      expr: saturationAboveExpr(selector, options.maxInFlight, window),
      for: options.for,
      labels: { severity: options.driftSeverity, ...base, ...labels },
      annotations: {
        summary: `Saturated pods on ${what}`,
        description: `Pods of ${what} hold {{ $value | printf "%.1f" }} requests in flight on average; the threshold is ${options.maxInFlight}. Scale out or raise the model server's workers.`,
        ...runbook(options, ALERT_NAMES.saturation),
      },
    },
  ]);

  const m = driftMatchers(options);
  const drift: AlertRule[] = [
    {
      alert: ALERT_NAMES.dataDrift,
      expr: `max(${DRIFT_METRICS.datasetDrift}{${m}}) == 1`,
      for: "0m",
      labels: { severity: options.driftSeverity, ...base },
      annotations: {
        summary: `Data drift on endpoint ${options.endpoint}`,
        description: `The last drift run found the share of drifted features at or above the dataset threshold. See the drift report and the per-feature scores on the dashboard.`,
        ...runbook(options, ALERT_NAMES.dataDrift),
      },
    },
    {
      alert: ALERT_NAMES.columnDrift,
      expr: `max by (column) (${DRIFT_METRICS.columnDrifted}{${m}}) == 1`,
      for: "0m",
      labels: { severity: "info", ...base },
      annotations: {
        summary: `Feature {{ $labels.column }} drifted on endpoint ${options.endpoint}`,
        description: `The last drift run found feature {{ $labels.column }} drifted against the reference.`,
        ...runbook(options, ALERT_NAMES.columnDrift),
      },
    },
    {
      alert: ALERT_NAMES.qualityViolations,
      expr: `max(${DRIFT_METRICS.qualityViolations}{${m}}) > 0`,
      for: "0m",
      labels: { severity: options.driftSeverity, ...base },
      annotations: {
        summary: `Data-quality violations on endpoint ${options.endpoint}`,
        description: `The last drift run found {{ $value }} data-quality violation(s) (missing values, type mismatches, out-of-range values, new categories or missing columns).`,
        ...runbook(options, ALERT_NAMES.qualityViolations),
      },
    },
    {
      alert: ALERT_NAMES.driftErrors,
      expr: `max(${DRIFT_METRICS.columnsErrored}{${m}}) > 0`,
      for: "0m",
      labels: { severity: options.driftSeverity, ...base },
      annotations: {
        summary: `Drift could not be computed for some features of endpoint ${options.endpoint}`,
        description: `{{ $value }} column(s) errored in the last drift run; the report names each column and the fix.`,
        ...runbook(options, ALERT_NAMES.driftErrors),
      },
    },
    {
      alert: ALERT_NAMES.driftStale,
      expr:
        `(time() - max(${PUSH_TIME_METRIC}{job="${DRIFT_PUSH_JOB}",${m}})) > ${options.driftStaleSeconds}` +
        ` or absent(${PUSH_TIME_METRIC}{job="${DRIFT_PUSH_JOB}",${m}})`,
      // Absent right after the first deployment: give the first run the same grace as a late one.
      for: minutes(options.driftStaleSeconds),
      labels: { severity: options.driftSeverity, ...base },
      annotations: {
        summary: `The drift job of endpoint ${options.endpoint} has not reported`,
        description: `No drift result was pushed for ${minutes(options.driftStaleSeconds)} or more: the CronJob is failing, suspended, or cannot reach the Pushgateway. Check the job's pods and logs.`,
        ...runbook(options, ALERT_NAMES.driftStale),
      },
    },
  ];

  return [
    { name: `mlops-${options.endpoint}-serving`, rules: serving },
    { name: `mlops-${options.endpoint}-drift`, interval: "1m", rules: drift },
  ];
}
