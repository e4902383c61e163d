import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { RuntimeInputError } from "../errors";
import { BatchBuilder } from "./columnar";
import { type ReadOptions, type RecordBatch, shardKeepsRow } from "./types";

/**
 * Streams a CSV file (RFC 4180, first line is the header) as column batches. csv-parse does the
 * quoting and escaping; this reader adds header checks and turns parse errors into messages that
 * name the row. Every cell stays a string here: typing happens in the profile, which must also
 * count values that do not parse.
 */
export async function* readCsv(
  input: Readable,
  name: string,
  options: ReadOptions = {},
): AsyncGenerator<RecordBatch> {
  const parser = input.pipe(
    parse({
      bom: true,
      skip_empty_lines: true,
      // Rows with the wrong number of fields are errors, not silently padded: a shifted row would
      // put values under the wrong column.
      relax_column_count: false,
    }),
  );
  let bytes = 0;
  if (options.onBytes !== undefined) {
    const report = options.onBytes;
    input.on("data", (chunk: Buffer | string) => {
      bytes += chunk.length;
      report(bytes);
    });
  }
  let header: string[] | undefined;
  let keepIndices: number[] = [];
  let keepNames: string[] = [];
  const builder = new BatchBuilder(options.batchSize);
  let rowIndex = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header === undefined) {
        header = checkHeader(record, name);
        ({ keepIndices, keepNames } = selectColumns(header, options.columns));
        continue;
      }
      const index = rowIndex++;
      if (!shardKeepsRow(options.shard, index)) continue;
      const values = keepIndices.length === header.length ? record : keepIndices.map((i) => record[i]);
      const batch = builder.addArrayRow(keepNames, values, index);
      if (batch !== undefined) yield batch;
    }
  } catch (error) {
    throw csvError(error, name);
  }
  if (header === undefined) {
    throw new RuntimeInputError({
      source: name,
      problem: "the CSV input is empty (no header line)",
      fix: "Pass a CSV file whose first line names the columns",
    });
  }
  const last = builder.flush();
  if (last !== undefined) yield last;
}

function checkHeader(record: string[], name: string): string[] {
  const seen = new Set<string>();
  record.forEach((column, i) => {
    if (column.trim() === "") {
      throw new RuntimeInputError({
        source: name,
        row: 0,
        problem: `header field ${i + 1} is empty`,
        fix: "Give every CSV column a name in the header line",
      });
    }
    if (seen.has(column)) {
      throw new RuntimeInputError({
        source: name,
        column,
        problem: "the header names this column twice",
        fix: "Rename one of the duplicate columns",
      });
    }
    seen.add(column);
  });
  return record;
}

function selectColumns(header: string[], wanted: readonly string[] | undefined) {
  if (wanted === undefined) return { keepIndices: header.map((_, i) => i), keepNames: header };
  const keepIndices: number[] = [];
  const keepNames: string[] = [];
  header.forEach((column, i) => {
    if (wanted.includes(column)) {
      keepIndices.push(i);
      keepNames.push(column);
    }
  });
  return { keepIndices, keepNames };
}

function csvError(error: unknown, name: string): unknown {
  if (!(error instanceof CsvError)) return error;
  // csv-parse counts the header among `records`; the failing record is the next one.
  const records = typeof error.records === "number" ? error.records : undefined;
  const line = typeof error.lines === "number" ? error.lines : undefined;
  return new RuntimeInputError({
    source: name,
    row: records,
    problem: `malformed CSV${line !== undefined ? ` at line ${line}` : ""} (${error.code}): ${error.message}`,
    fix: "Fix the row so that it has as many fields as the header and balanced quotes",
  });
}

/**
 * Opens a text file as a stream with 256 KiB reads. The parser turns a whole chunk into rows before
 * the first row is consumed, so a chunk's worth of rows is live at once; 256 KiB keeps that inside
 * V8's young generation (1 MiB chunks had them promoted, and collected at far higher cost).
 */
export function fileStream(path: string): Readable {
  return createReadStream(path, { highWaterMark: 256 << 10 });
}
