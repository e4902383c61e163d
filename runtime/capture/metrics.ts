import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * Names of the serving metrics. They must equal `SERVING_METRICS` in
 * `components/kubernetes/promql.ts`, whose queries drive the canary rollback and the alert rules;
 * the runtime does not import the component library, so a test compares the two.
 */
export const CAPTURE_METRIC_NAMES = {
  requests: "mlops_requests_total",
  duration: "mlops_request_duration_seconds",
  inFlight: "mlops_requests_in_flight",
  captureRows: "mlops_capture_rows_total",
  captureSkipped: "mlops_capture_skipped_total",
} as const;

/** Histogram buckets in seconds; the same as `DURATION_BUCKETS_SECONDS` in `promql.ts`. */
export const CAPTURE_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 2.5, 5, 10, 30,
];

/** The metrics one capture proxy exports, in their own registry. */
export interface CaptureMetrics {
  registry: Registry;
  requests: Counter<"endpoint" | "variant" | "revision" | "code">;
  duration: Histogram<"endpoint" | "variant" | "revision">;
  inFlight: Gauge<"endpoint" | "variant" | "revision">;
  captureRows: Counter<"endpoint" | "variant" | "revision" | "outcome">;
  captureSkipped: Counter<"endpoint" | "variant" | "revision" | "reason">;
}

/**
 * Creates the proxy's registry: the request counter, latency histogram and in-flight gauge that make
 * error rate, p99 and saturation measurable for any model server, the capture's own counters, and
 * Node's process metrics.
 */
export function createCaptureMetrics(processMetrics = true): CaptureMetrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const base = ["endpoint", "variant", "revision"] as const;
  return {
    registry,
    requests: new Counter({
      name: CAPTURE_METRIC_NAMES.requests,
      help: "Inference requests proxied to the model server, by HTTP status code (499: client went away).",
      labelNames: [...base, "code"],
      registers: [registry],
    }),
    duration: new Histogram({
      name: CAPTURE_METRIC_NAMES.duration,
      help: "Time from request received to response fully sent, in seconds.",
      labelNames: [...base],
      buckets: CAPTURE_DURATION_BUCKETS,
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: CAPTURE_METRIC_NAMES.inFlight,
      help: "Inference requests being served.",
      labelNames: [...base],
      registers: [registry],
    }),
    captureRows: new Counter({
      name: CAPTURE_METRIC_NAMES.captureRows,
      help: "Capture rows queued for writing (outcome=queued) or dropped because the write queue was full (outcome=dropped).",
      labelNames: [...base, "outcome"],
      registers: [registry],
    }),
    captureSkipped: new Counter({
      name: CAPTURE_METRIC_NAMES.captureSkipped,
      help: "Sampled exchanges not captured, by reason (body-too-large, not-json, unrecognised-request, row-count-mismatch, error-response).",
      labelNames: [...base, "reason"],
      registers: [registry],
    }),
  };
}
