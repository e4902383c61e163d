import { createHash } from "node:crypto";
import {
  errorRateQuery,
  GRAFANA_RATE_INTERVAL,
  latencyQuantileQuery,
  requestRateQuery,
  SERVING_METRIC_LABELS,
  SERVING_METRICS,
  type ServingSeriesSelector,
  saturationQuery,
} from "../promql";
import { DRIFT_METRICS, DRIFT_PUSH_JOB, PUSH_TIME_METRIC } from "./driftMetrics";

/**
 * Grafana's dashboard JSON schema version this builder writes. Grafana migrates older versions on
 * load, and 39 is understood by Grafana 10.3 and every later release.
 */
export const DASHBOARD_SCHEMA_VERSION = 39;

/** Name of the dashboard's data-source variable; every panel queries `${datasource}`. */
export const DATASOURCE_VARIABLE = "datasource";

/** What the dashboard shows. */
export interface DashboardOptions {
  /** Dashboard title. */
  title: string;
  /** The serving endpoint (the `endpoint` label of the serving and drift series). */
  endpoint: string;
  /** Namespace of the serving pods and the drift job. */
  namespace: string;
  /** Regular expression matching the names of the endpoint's Deployments or Argo Rollouts. */
  workloadPattern: string;
  /** Error-rate alert threshold (0–1), drawn as a threshold line. */
  errorRate: number;
  /** p99 latency alert threshold in milliseconds, drawn as a threshold line. */
  p99LatencyMs: number;
  /** Dataset drift-share threshold (0–1), drawn on the drift-share panel. */
  driftShareThreshold: number;
  /** Extra dashboard tags. */
  tags: readonly string[];
}

interface Target {
  refId: string;
  expr: string;
  legendFormat: string;
}

const DATASOURCE = { type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` } as const;

/** A Grafana dashboard uid: at most 40 characters, stable for a given endpoint and namespace. */
export function dashboardUid(namespace: string, endpoint: string): string {
  const hash = createHash("sha256").update(`${namespace}/${endpoint}`).digest("hex").slice(0, 8);
  const prefix = `mlops-${endpoint}`.slice(0, 31).replace(/-+$/, "");
  return `${prefix}-${hash}`;
}

/**
 * The endpoint's Grafana dashboard as JSON: request rate, errors, latency percentiles, saturation and
 * replicas from the serving series; the dataset verdict, drift share, per-feature drift scores, missing
 * shares and the age of the last run from the drift job's series. It has a data-source variable, so
 * it works with whatever the Prometheus data source is called, and thresholds drawn from the same
 * values the alerts use.
 */
export function buildDashboard(options: DashboardOptions): Record<string, unknown> {
  const endpointOnly: ServingSeriesSelector = { endpoint: options.endpoint, namespace: options.namespace };
  const matchers = `endpoint=${JSON.stringify(options.endpoint)},namespace=${JSON.stringify(options.namespace)}`;
  const rateOf = (extra: string) =>
    `rate(${SERVING_METRICS.requests}{${matchers}${extra}}[$__rate_interval])`;
  const byVariant = `sum by (${SERVING_METRIC_LABELS.variant})`;

  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  const row = (title: string) => {
    panels.push({
      id: id++,
      type: "row",
      title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
  };
  const panel = (
    title: string,
    type: "timeseries" | "stat" | "bargauge",
    unit: string,
    targets: Target[],
    place: { w: number; x: number; h?: number },
    extra: { threshold?: number; description?: string; max?: number } = {},
  ) => {
    const h = place.h ?? 8;
    panels.push({
      id: id++,
      type,
      title,
      ...(extra.description ? { description: extra.description } : {}),
      datasource: DATASOURCE,
      gridPos: { h, w: place.w, x: place.x, y },
      targets: targets.map((t) => ({ ...t, datasource: DATASOURCE, range: true, instant: false })),
      fieldConfig: {
        defaults: {
          unit,
          ...(extra.max !== undefined ? { min: 0, max: extra.max } : {}),
          ...(extra.threshold !== undefined
            ? {
                thresholds: {
                  mode: "absolute",
                  steps: [
                    { color: "green", value: null },
                    { color: "red", value: extra.threshold },
                  ],
                },
                ...(type === "timeseries" ? { custom: { thresholdsStyle: { mode: "line" } } } : {}),
              }
            : {}),
        },
        overrides: [],
      },
      options:
        type === "timeseries"
          ? {
              legend: { displayMode: "list", placement: "bottom", showLegend: true },
              tooltip: { mode: "multi" },
            }
          : { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false } },
    });
  };
  const advance = (h = 8) => {
    y += h;
  };

  row("Serving");
  panel(
    "Request rate",
    "timeseries",
    "reqps",
    [
      { refId: "A", expr: `${byVariant} (${rateOf("")})`, legendFormat: "{{variant}}" },
      { refId: "B", expr: requestRateQuery(endpointOnly), legendFormat: "all variants" },
    ],
    { w: 12, x: 0 },
  );
  panel(
    "Error rate (5xx and unanswered)",
    "timeseries",
    "percentunit",
    [
      {
        refId: "A",
        expr: errorRateQuery(endpointOnly, {
          window: GRAFANA_RATE_INTERVAL,
          by: [SERVING_METRIC_LABELS.variant],
        }),
        legendFormat: "{{variant}}",
      },
      { refId: "B", expr: errorRateQuery(endpointOnly), legendFormat: "all variants" },
    ],
    { w: 12, x: 12 },
    { threshold: options.errorRate },
  );
  advance();
  panel(
    "Latency percentiles",
    "timeseries",
    "s",
    [0.5, 0.9, 0.99].map((q, i) => ({
      refId: String.fromCharCode(65 + i),
      expr: latencyQuantileQuery(endpointOnly, { quantile: q }),
      legendFormat: `p${Math.round(q * 100)}`,
    })),
    { w: 12, x: 0 },
    { threshold: options.p99LatencyMs / 1000 },
  );
  panel(
    "Saturation (requests in flight per pod)",
    "timeseries",
    "short",
    [{ refId: "A", expr: saturationQuery(endpointOnly), legendFormat: "mean in flight" }],
    { w: 6, x: 12 },
  );
  panel(
    "Replicas",
    "timeseries",
    "short",
    [
      {
        refId: "A",
        expr: `sum by (deployment) (kube_deployment_status_replicas_available{namespace=${JSON.stringify(options.namespace)},deployment=~${JSON.stringify(options.workloadPattern)}})`,
        legendFormat: "{{deployment}}",
      },
      {
        refId: "B",
        // The Argo Rollouts controller reports every rollout; scraped without honorLabels, the
        // rollout's namespace moves to `exported_namespace`. Either form matches.
        expr: ["namespace", "exported_namespace"]
          .map(
            (label) =>
              `sum by (name) (rollout_info_replicas_available{${label}=${JSON.stringify(options.namespace)},name=~${JSON.stringify(options.workloadPattern)}})`,
          )
          .join(" or "),
        legendFormat: "{{name}} (rollout)",
      },
    ],
    { w: 6, x: 18 },
    {
      description:
        "Available replicas from kube-state-metrics (Deployments) and the Argo Rollouts controller (Rollouts).",
    },
  );
  advance();

  const drift = (metric: string, by?: string) =>
    by === undefined ? `max(${metric}{${matchers}})` : `max by (${by}) (${metric}{${matchers}})`;
  row("Drift");
  panel(
    "Dataset drift",
    "stat",
    "short",
    [{ refId: "A", expr: drift(DRIFT_METRICS.datasetDrift), legendFormat: "drift" }],
    { w: 4, x: 0, h: 6 },
    { threshold: 1, description: "1 when the last run found dataset drift, else 0." },
  );
  panel(
    "Drift share",
    "stat",
    "percentunit",
    [{ refId: "A", expr: drift(DRIFT_METRICS.share), legendFormat: "share" }],
    { w: 4, x: 4, h: 6 },
    { threshold: options.driftShareThreshold, max: 1 },
  );
  panel(
    "Rows in the last window",
    "stat",
    "short",
    [{ refId: "A", expr: drift(DRIFT_METRICS.currentRows), legendFormat: "rows" }],
    { w: 4, x: 8, h: 6 },
  );
  panel(
    "Data-quality violations",
    "stat",
    "short",
    [{ refId: "A", expr: drift(DRIFT_METRICS.qualityViolations), legendFormat: "violations" }],
    { w: 4, x: 12, h: 6 },
    { threshold: 1 },
  );
  panel(
    "Time since the last drift run",
    "stat",
    "s",
    [
      {
        refId: "A",
        expr: `time() - max(${PUSH_TIME_METRIC}{job="${DRIFT_PUSH_JOB}",${matchers}})`,
        legendFormat: "age",
      },
    ],
    { w: 8, x: 16, h: 6 },
  );
  advance(6);
  panel(
    "Per-feature drift score",
    "timeseries",
    "short",
    [
      {
        refId: "A",
        expr: drift(DRIFT_METRICS.columnScore, "column, method"),
        legendFormat: "{{column}} ({{method}})",
      },
    ],
    { w: 12, x: 0 },
    {
      description: "p-values (drift when low) or distances (drift when high), per the method in the legend.",
    },
  );
  panel(
    "Drifted features",
    "bargauge",
    "short",
    [{ refId: "A", expr: drift(DRIFT_METRICS.columnDrifted, "column"), legendFormat: "{{column}}" }],
    { w: 6, x: 12 },
    { threshold: 1, max: 1 },
  );
  panel(
    "Missing share by feature",
    "bargauge",
    "percentunit",
    [{ refId: "A", expr: drift(DRIFT_METRICS.columnMissingShare, "column"), legendFormat: "{{column}}" }],
    { w: 6, x: 18 },
    { max: 1 },
  );
  advance();

  return {
    uid: dashboardUid(options.namespace, options.endpoint),
    title: options.title,
    description: `Serving health and data drift of endpoint ${options.endpoint} (namespace ${options.namespace}), generated by pulumi-mlops.`,
    tags: ["mlops", "pulumi-mlops", ...options.tags],
    timezone: "utc",
    editable: false,
    graphTooltip: 1,
    schemaVersion: DASHBOARD_SCHEMA_VERSION,
    version: 1,
    time: { from: "now-24h", to: "now" },
    refresh: "1m",
    templating: {
      list: [
        {
          name: DATASOURCE_VARIABLE,
          label: "Data source",
          type: "datasource",
          query: "prometheus",
          refresh: 1,
          hide: 0,
          current: {},
          options: [],
          regex: "",
        },
      ],
    },
    annotations: { list: [] },
    panels,
  };
}
