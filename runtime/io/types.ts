/** The file formats the runtime reads. */
export type DataFormat = "csv" | "jsonl" | "parquet";

/**
 * A block of consecutive rows held column by column. Readers hand these to the profile builder so
 * that no reader ever holds more than one batch of a file in memory.
 */
export interface RecordBatch {
  /** Zero-based index, within the whole source, of the first row in this batch. */
  readonly rowOffset: number;
  /**
   * Zero-based source row index of each row, present only when the rows are not consecutive
   * (a sharded read of a text file keeps every n-th row).
   * @default rows rowOffset, rowOffset+1, …
   */
  readonly rowIndices?: ArrayLike<number>;
  /** Number of rows in this batch. */
  readonly length: number;
  /**
   * Cell values by column name. A column absent from the map is missing in every row of the batch
   * (JSON Lines may add keys part-way through a file).
   */
  readonly columns: ReadonlyMap<string, ArrayLike<unknown>>;
}

/** Which part of the rows one process of a sharded run handles. */
export interface Shard {
  /** Zero-based shard index, `0 <= index < count`. */
  readonly index: number;
  /** Total number of shards. */
  readonly count: number;
}

/** Options shared by every reader. */
export interface ReadOptions {
  /**
   * Only these columns are decoded (Parquet skips the others entirely).
   * @default every column in the source
   */
  readonly columns?: readonly string[];
  /**
   * Only the rows of this shard are returned.
   * @default the whole source
   */
  readonly shard?: Shard;
  /**
   * Rows per batch of the text readers (CSV, JSON Lines).
   * @default 1024
   */
  readonly batchSize?: number;
  /**
   * Called with the cumulative bytes read, to drive a progress bar.
   * @default no callback
   */
  readonly onBytes?: (bytesRead: number) => void;
}

/** An opened tabular input: its name for messages, its format, its size when known, and its batches. */
export interface TabularSource {
  /** The path, or `stdin`, used in every message about this input. */
  readonly name: string;
  readonly format: DataFormat;
  /** Total bytes, when the input is a regular file; undefined for stdin. */
  readonly byteSize?: number;
  /** Streams the rows as batches, reporting cumulative bytes read to `onBytes`. May be iterated once. */
  batches(onBytes?: (bytesRead: number) => void): AsyncIterable<RecordBatch>;
}

/**
 * Rows per batch of the text readers. Small on purpose: every cell of a pending batch is a live
 * string, and a batch that outlives V8's young generation gets copied and promoted to the old one.
 * At 1,024 rows × 25 columns a batch stays well inside it, which cut garbage-collection time on the
 * CSV benchmark by about three quarters against 8,192 rows; per-batch overhead is negligible.
 */
export const DEFAULT_BATCH_SIZE = 1024;

/** True when the shard keeps the row with this zero-based index (rows are dealt round-robin). */
export function shardKeepsRow(shard: Shard | undefined, rowIndex: number): boolean {
  return shard === undefined || rowIndex % shard.count === shard.index;
}

/** Zero-based source row index of row `i` of a batch. */
export function sourceRowIndex(batch: RecordBatch, i: number): number {
  return batch.rowIndices === undefined ? batch.rowOffset + i : (batch.rowIndices[i] as number);
}
