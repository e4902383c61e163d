import { open, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import {
  type AsyncBuffer,
  parquetMetadataAsync,
  parquetScan,
  parquetSchema,
  type SchemaTree,
} from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { RuntimeInputError } from "../errors";
import { readObjectRange } from "./objects";
import type { ReadOptions, RecordBatch } from "./types";

/**
 * Reads a Parquet file one row group (or page range) at a time with hyparquet, decoding only the
 * selected columns. Parquet's footer sits at the end of the file, so stdin is buffered whole before
 * reading; a local path is read by ranges and never held whole. A sharded read deals row groups
 * round-robin, so each shard decodes only its own groups.
 */
export async function* readParquet(
  file: AsyncBuffer,
  name: string,
  options: ReadOptions = {},
): AsyncGenerator<RecordBatch> {
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new RuntimeInputError({
      source: name,
      problem: `not a readable Parquet file (${error instanceof Error ? error.message : String(error)})`,
      fix: "Check the file is complete Parquet, or pass --format csv|jsonl for text input",
    });
  }
  const tree = parquetSchema(metadata).children;
  const available = tree.map((child) => child.element.name);
  const columns =
    options.columns === undefined ? available : available.filter((c) => options.columns?.includes(c));
  refuseNested(tree, columns, name);
  const corrupt = (error: unknown, column?: string, rows?: { rowStart: number; rowEnd: number }) =>
    new RuntimeInputError({
      source: name,
      column,
      problem: `a corrupt Parquet ${rows ? `page in rows ${rows.rowStart + 1}–${rows.rowEnd}` : "file"} (${error instanceof Error ? error.message : String(error)})`,
      fix: "Rewrite the file from its source: it is damaged",
    });
  let scan: Awaited<ReturnType<typeof parquetScan>>;
  try {
    scan = await parquetScan({ file, metadata, columns, compressors });
  } catch (error) {
    throw corrupt(error);
  }
  const ranges = scan.ranges.filter(
    (_, i) => options.shard === undefined || i % options.shard.count === options.shard.index,
  );
  let done = 0;
  for (const range of ranges) {
    const map = new Map<string, ArrayLike<unknown>>();
    for (const column of columns) {
      try {
        map.set(column, await scan.readColumn({ column, rowStart: range.rowStart, rowEnd: range.rowEnd }));
      } catch (error) {
        throw corrupt(error, column, range);
      }
    }
    done += range.rowEnd - range.rowStart;
    options.onBytes?.(Math.round((done / Math.max(1, Number(metadata.num_rows))) * file.byteLength));
    yield { rowOffset: range.rowStart, length: range.rowEnd - range.rowStart, columns: map };
  }
}

/**
 * Refuses list, map and struct columns among those read: drift and quality compare flat values, and a
 * nested value read as JSON text would be profiled as a category of whole lists without a word.
 */
function refuseNested(tree: SchemaTree[], columns: readonly string[], name: string): void {
  for (const child of tree) {
    const element = child.element;
    if (!columns.includes(element.name)) continue;
    if (child.children.length === 0 && element.repetition_type !== "REPEATED") continue;
    const kind =
      element.converted_type === "LIST" ||
      element.logical_type?.type === "LIST" ||
      element.repetition_type === "REPEATED"
        ? "a list column"
        : element.converted_type === "MAP" ||
            element.converted_type === "MAP_KEY_VALUE" ||
            element.logical_type?.type === "MAP"
          ? "a map column"
          : "a struct column";
    throw new RuntimeInputError({
      source: name,
      column: element.name,
      problem: `it is ${kind}, and drift compares flat values (numbers or categories) only`,
      fix: "Name the flat columns to compare with --columns, or flatten it upstream (one column per field, or its length)",
    });
  }
}

/** An AsyncBuffer that may hold an open file handle. */
export type ClosableBuffer = AsyncBuffer & { close?: () => Promise<void> };

/** A random-access view of a local Parquet file, read by byte ranges. */
export async function parquetFileBuffer(path: string): Promise<ClosableBuffer> {
  const size = (await stat(path)).size;
  const handle = await open(path, "r");
  return {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = end ?? size;
      const buffer = Buffer.alloc(stop - start);
      await handle.read(buffer, 0, stop - start, start);
      return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
    },
    close: () => handle.close(),
  };
}

/**
 * A random-access view of a Parquet object in object storage: each slice is one ranged GET, so only
 * the footer and the selected columns' chunks are fetched, never the whole object.
 */
export function parquetObjectBuffer(uri: string, size: number): ClosableBuffer {
  return {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const buffer = await readObjectRange(uri, start, end ?? size);
      return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
    },
  };
}

/** Buffers a whole stream (stdin) for Parquet, which needs random access to its footer. */
export async function parquetStreamBuffer(input: Readable): Promise<ClosableBuffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  const whole = Buffer.concat(chunks);
  const bytes = whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.byteLength) as ArrayBuffer;
  return { byteLength: bytes.byteLength, slice: (start: number, end?: number) => bytes.slice(start, end) };
}
