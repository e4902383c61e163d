import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { RuntimeInputError } from "../errors";
import { BatchBuilder } from "./columnar";
import { type ReadOptions, type RecordBatch, shardKeepsRow } from "./types";

/**
 * Streams JSON Lines (one JSON object per line; blank lines are skipped). Keys may differ between
 * lines: a key a line lacks is a missing value there, and a key first seen late is missing before.
 */
export async function* readJsonLines(
  input: Readable,
  name: string,
  options: ReadOptions = {},
): AsyncGenerator<RecordBatch> {
  let bytes = 0;
  if (options.onBytes !== undefined) {
    const report = options.onBytes;
    input.on("data", (chunk: Buffer | string) => {
      bytes += chunk.length;
      report(bytes);
    });
  }
  const keep = options.columns === undefined ? undefined : new Set(options.columns);
  const builder = new BatchBuilder(options.batchSize);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let rowIndex = 0;
  for await (const line of lines) {
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
  const last = builder.flush();
  if (last !== undefined) yield last;
}
