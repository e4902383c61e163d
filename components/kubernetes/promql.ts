/**
 * The PromQL that both sides of "the alerts feed the rollback" share: the serving endpoint's canary
 * analysis (an Argo Rollouts `AnalysisTemplate`) and the monitoring component's alert rules are built
 * from the same functions, so a rollback and an alert can never disagree on what "error rate" or
 * "p99" means.
 *
 * The series come from the capture sidecar (`runtime/capture`) that fronts every model container, so
 * they exist for any model server, whatever it exports itself:
 *
 * - `mlops_requests_total{endpoint, variant, revision, code}`: counter of proxied requests by HTTP
 *   status code (`code` is the numeric status, e.g. `200`, `503`). When the model server does not
 *   answer the proxy returns 502 (504 on timeout); a client that gives up before the answer is
 *   counted as `499`. All three are failed requests ({@link ERROR_CODES}).
 * - `mlops_request_duration_seconds{endpoint, variant, revision}`: histogram of the time from request
 *   received to response fully sent, in seconds.
 * - `mlops_requests_in_flight{endpoint, variant, revision}`: gauge of requests being served.
 *
 * `revision` is the pod's `rollouts-pod-template-hash` (set by Argo Rollouts on every pod of a
 * rollout), so a canary analysis can look at the new pods only; the alert rules aggregate it away.
 *
 * Everything here is a pure string builder: no Pulumi, no I/O.
 */

/** Metric names exported by the capture sidecar. */
export const SERVING_METRICS = {
  requests: "mlops_requests_total",
  duration: "mlops_request_duration_seconds",
  inFlight: "mlops_requests_in_flight",
} as const;

/** Label names on the serving metrics. */
export const SERVING_METRIC_LABELS = {
  endpoint: "endpoint",
  variant: "variant",
  revision: "revision",
  code: "code",
} as const;

/**
 * Bucket upper bounds (seconds) of `mlops_request_duration_seconds`. Dense around typical SLOs
 * (100 ms – 1 s) so that `histogram_quantile` interpolates within a narrow bucket at the threshold.
 */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 2.5, 5, 10, 30,
];

/** Which series a query looks at. */
export interface ServingSeriesSelector {
  /** Endpoint name (the `endpoint` label). */
  endpoint: string;
  /**
   * Variant name (the `variant` label).
   * @default all variants of the endpoint
   */
  variant?: string;
  /**
   * Pod template hash (the `revision` label). May be an Argo Rollouts template placeholder such as
   * `{{args.canary-hash}}`, which is inserted verbatim.
   * @default all revisions
   */
  revision?: string;
  /**
   * Kubernetes namespace (the `namespace` label that Prometheus' Kubernetes discovery attaches).
   * @default any namespace
   */
  namespace?: string;
}

/** Options of the rate-based queries. */
export interface WindowOptions {
  /**
   * Range of the `rate()` window, a Prometheus duration such as `1m`, `5m`, `1h`.
   * @default "5m"
   */
  window?: string;
}

/**
 * The one definition of a failed request, which the canary analysis, the alerts and the dashboard
 * share: a 5xx answer (including the sidecar's 502/504 when the model server does not answer) or no
 * answer at all (499: the client gave up first, as it does when a model hangs).
 */
export const ERROR_CODES = "5..|499";

/** Grafana's rate window variable, accepted wherever a window is. */
export const GRAFANA_RATE_INTERVAL = "$__rate_interval";

const DURATION_PATTERN = /^([0-9]+(ms|s|m|h|d|w|y))+$/;
/** Argo Rollouts argument placeholders (`{{args.name}}`) pass through label values unescaped. */
const ARGO_PLACEHOLDER = /^\{\{\s*args\.[A-Za-z0-9_.-]+\s*\}\}$/;

function checkWindow(window: string): string {
  if (window !== GRAFANA_RATE_INTERVAL && !DURATION_PATTERN.test(window)) {
    throw new Error(
      `PromQL window ${JSON.stringify(window)} is not a Prometheus duration. Fix: use e.g. "1m", "5m" or "1h30m".`,
    );
  }
  return window;
}

function checkThreshold(name: string, value: number, max = Number.POSITIVE_INFINITY): number {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new Error(
      `PromQL threshold ${name} = ${String(value)} is out of range. Fix: use a finite number from 0 to ${String(max)}.`,
    );
  }
  return value;
}

/** A PromQL string literal for a label value (double-quoted, backslashes and quotes escaped). */
function labelValue(value: string): string {
  if (ARGO_PLACEHOLDER.test(value)) return `"${value}"`;
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** The label matchers of a selector, e.g. `endpoint="fraud",variant="champion"`. */
export function seriesMatchers(selector: ServingSeriesSelector, extra: string[] = []): string {
  if (!selector.endpoint) throw new Error("PromQL selector needs an endpoint. Fix: set selector.endpoint.");
  const m = [`${SERVING_METRIC_LABELS.endpoint}=${labelValue(selector.endpoint)}`];
  if (selector.variant !== undefined)
    m.push(`${SERVING_METRIC_LABELS.variant}=${labelValue(selector.variant)}`);
  if (selector.revision !== undefined)
    m.push(`${SERVING_METRIC_LABELS.revision}=${labelValue(selector.revision)}`);
  if (selector.namespace !== undefined) m.push(`namespace=${labelValue(selector.namespace)}`);
  return [...m, ...extra].join(",");
}

/** Options of {@link errorRateQuery}. */
export interface ErrorRateOptions extends WindowOptions {
  /**
   * Labels to keep, one ratio per value (e.g. `["variant"]`).
   * @default [] (one ratio for the whole selection)
   */
  by?: string[];
}

/**
 * Share of requests (0–1) that failed ({@link ERROR_CODES}: 5xx or unanswered), over `window`.
 * Returns no sample when the selection had no requests in the window (there is no rate to judge).
 */
export function errorRateQuery(selector: ServingSeriesSelector, options: ErrorRateOptions = {}): string {
  const w = checkWindow(options.window ?? "5m");
  const errors = seriesMatchers(selector, [`${SERVING_METRIC_LABELS.code}=~"${ERROR_CODES}"`]);
  const all = seriesMatchers(selector);
  const sum = options.by && options.by.length > 0 ? `sum by (${options.by.join(", ")})` : "sum";
  const total = `${sum} (rate(${SERVING_METRICS.requests}{${all}}[${w}]))`;
  // A selection that never failed has no error series at all: its numerator is 0 times the total,
  // so it keeps the total's labels and still has no sample when there were no requests.
  return `(${sum} (rate(${SERVING_METRICS.requests}{${errors}}[${w}])) or 0 * ${total}) / ${total}`;
}

/** Options of {@link latencyQuantileQuery}. */
export interface QuantileOptions extends WindowOptions {
  /**
   * The quantile, 0–1.
   * @default 0.99
   */
  quantile?: number;
}

/**
 * Latency quantile in seconds (p99 by default) from the duration histogram, over `window`, across
 * every pod of the selection. NaN when the selection had no requests in the window.
 */
export function latencyQuantileQuery(selector: ServingSeriesSelector, options: QuantileOptions = {}): string {
  const w = checkWindow(options.window ?? "5m");
  const q = checkThreshold("quantile", options.quantile ?? 0.99, 1);
  return `histogram_quantile(${q}, sum by (le) (rate(${SERVING_METRICS.duration}_bucket{${seriesMatchers(selector)}}[${w}])))`;
}

/** p99 latency in seconds; shorthand for {@link latencyQuantileQuery} with `quantile: 0.99`. */
export function p99LatencyQuery(selector: ServingSeriesSelector, options: WindowOptions = {}): string {
  return latencyQuantileQuery(selector, { ...options, quantile: 0.99 });
}

/**
 * Saturation: the mean number of requests in flight per pod, averaged over `window`. A model server
 * that queues requests shows it here before latency climbs; compare it with the server's worker count.
 */
export function saturationQuery(selector: ServingSeriesSelector, options: WindowOptions = {}): string {
  const w = checkWindow(options.window ?? "5m");
  return `avg(avg_over_time(${SERVING_METRICS.inFlight}{${seriesMatchers(selector)}}[${w}]))`;
}

/** Request rate (requests per second) of the selection over `window`. */
export function requestRateQuery(selector: ServingSeriesSelector, options: WindowOptions = {}): string {
  const w = checkWindow(options.window ?? "5m");
  return `sum(rate(${SERVING_METRICS.requests}{${seriesMatchers(selector)}}[${w}]))`;
}

/** Alert expression: the error rate is above `maxErrorRate` (0–1). */
export function errorRateAboveExpr(
  selector: ServingSeriesSelector,
  maxErrorRate: number,
  options: WindowOptions = {},
): string {
  return `(${errorRateQuery(selector, options)}) > ${checkThreshold("maxErrorRate", maxErrorRate, 1)}`;
}

/** Alert expression: p99 latency is above `maxP99LatencyMs` milliseconds. */
export function p99LatencyAboveExpr(
  selector: ServingSeriesSelector,
  maxP99LatencyMs: number,
  options: WindowOptions = {},
): string {
  const seconds = checkThreshold("maxP99LatencyMs", maxP99LatencyMs) / 1000;
  return `(${p99LatencyQuery(selector, options)}) > ${seconds}`;
}

/** Alert expression: mean in-flight requests per pod are above `maxInFlight`. */
export function saturationAboveExpr(
  selector: ServingSeriesSelector,
  maxInFlight: number,
  options: WindowOptions = {},
): string {
  return `(${saturationQuery(selector, options)}) > ${checkThreshold("maxInFlight", maxInFlight)}`;
}
