/** Time spent in ONNX Runtime per batch, and the throughput it implies. */
export interface Latency {
  readonly batches: number;
  readonly batchSize: number;
  readonly p50BatchMs: number;
  readonly p95BatchMs: number;
  readonly maxBatchMs: number;
  /** Rows scored per second of inference time (reading and parsing excluded). */
  readonly inferenceRowsPerSecond: number;
}

/** Nearest-rank percentile of batch times. */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

export function latencyOf(batchMs: readonly number[], rows: number, batchSize: number): Latency {
  const sorted = [...batchMs].sort((a, b) => a - b);
  const total = batchMs.reduce((a, b) => a + b, 0);
  return {
    batches: batchMs.length,
    batchSize,
    p50BatchMs: percentile(sorted, 0.5),
    p95BatchMs: percentile(sorted, 0.95),
    maxBatchMs: sorted.at(-1) ?? 0,
    inferenceRowsPerSecond: total === 0 ? 0 : rows / (total / 1000),
  };
}
