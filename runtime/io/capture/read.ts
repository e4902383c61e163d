import type { Readable } from "node:stream";
import { RuntimeInputError } from "../../errors";
import { BatchBuilder } from "../columnar";
import { countedChunks, linesOf } from "../text";
import { type ReadOptions, type RecordBatch, shardKeepsRow } from "../types";
import { type CaptureFormat, CaptureRecordError, captureRows } from "./formats";

/** How capture files are read. */
export interface CaptureReading {
  readonly format: CaptureFormat;
  /**
   * Names of the fields of a headerless CSV payload (SageMaker), in order.
   * @default _c0, _c1, …
   */
  readonly csvColumns?: readonly string[];
  /**
   * Skip (and count) truncated or malformed lines instead of failing.
   * @default false
   */
  readonly skipBadRecords?: boolean;
  /** Receives each skipped line's object or file, line number and problem. */
  readonly onBadRecord?: (source: string, line: number, problem: string) => void;
}

/**
 * Streams one capture file or object as rows: each line is parsed as JSON and turned into zero or
 * more rows by its format. A truncated or malformed line is an error naming the object and the line,
 * or with `skipBadRecords` is skipped and reported to `onBadRecord`. Sharding deals rows round-robin,
 * as the JSON Lines reader does.
 */
export async function* readCapture(
  input: Readable,
  name: string,
  capture: CaptureReading,
  options: ReadOptions = {},
): AsyncGenerator<RecordBatch> {
  const keep = options.columns === undefined ? undefined : new Set(options.columns);
  const builder = new BatchBuilder(options.batchSize);
  let lineNumber = 0;
  let rowIndex = 0;
  for await (const lines of linesOf(countedChunks(input, options.onBytes))) {
    for (const line of lines) {
      lineNumber++;
      if (line.trim() === "") continue;
      let rows: Record<string, unknown>[];
      try {
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch (error) {
          throw new CaptureRecordError(`not valid JSON, truncated? (${(error as Error).message})`);
        }
        rows = captureRows(capture.format, record, capture.csvColumns);
      } catch (error) {
        if (!(error instanceof CaptureRecordError)) throw error;
        if (capture.skipBadRecords) {
          capture.onBadRecord?.(name, lineNumber, error.message);
          continue;
        }
        throw new RuntimeInputError({
          source: name,
          problem: `line ${lineNumber} is not a ${capture.format} capture record: ${error.message}`,
          fix: "Check the capture format (--capture-format), or pass --skip-bad-records to skip and count such lines",
        });
      }
      for (const row of rows) {
        const index = rowIndex++;
        if (!shardKeepsRow(options.shard, index)) continue;
        const batch = builder.addObjectRow(row, index, keep);
        if (batch !== undefined) yield batch;
      }
    }
  }
  const last = builder.flush();
  if (last !== undefined) yield last;
}
