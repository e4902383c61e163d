import type { Readable } from "node:stream";
import { RuntimeInputError } from "../errors";
import { BatchBuilder } from "./columnar";
import { countedChunks, linesOf } from "./text";
import { type ReadOptions, type RecordBatch, shardKeepsRow } from "./types";

/**
 * Streams JSON Lines (one JSON object per line, `\n` or `\r\n` line endings; blank lines are
 * skipped). Keys may differ between lines: a key a line lacks is a missing value there, and a key
 * first seen late is missing before.
 */
export async function* readJsonLines(
  input: Readable,
  name: string,
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
      const index = rowIndex++;
      if (!shardKeepsRow(options.shard, index)) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new RuntimeInputError({
          source: name,
          row: index + 1,
          problem: `line ${lineNumber} is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
          fix: "Write one complete JSON object per line",
        });
      }
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new RuntimeInputError({
          source: name,
          row: index + 1,
          problem: `line ${lineNumber} holds ${Array.isArray(value) ? "an array" : `a ${value === null ? "null" : typeof value}`}, not an object`,
          fix: "Write one JSON object per line, keyed by column name",
        });
      }
      const batch = builder.addObjectRow(value as Record<string, unknown>, index, keep);
      if (batch !== undefined) yield batch;
    }
  }
  const last = builder.flush();
  if (last !== undefined) yield last;
}
