/**
 * The capture proxy sidecar of the Kubernetes serving endpoint: `mlops capture`. Pure Node (http,
 * prom-client); nothing here imports `@pulumi/*`, so it runs from the runtime image.
 */
export { registerCaptureCommand } from "./command";
export { CAPTURE_KEYS, flattenExchange, requestRows, responsePredictions } from "./flatten";
export { CAPTURE_DURATION_BUCKETS, CAPTURE_METRIC_NAMES, createCaptureMetrics } from "./metrics";
export { type CaptureProxy, type CaptureProxyOptions, startCaptureProxy } from "./proxy";
export { CaptureWriter, type CaptureWriterOptions, hourPartition } from "./writer";
