import { stat } from "node:fs/promises";
import { extname } from "node:path";
import type { Readable } from "node:stream";
import { RuntimeInputError } from "../errors";
import { type CaptureReading, readCapture } from "./capture/read";
import { fileStream, readCsv } from "./csv";
import { readJsonLines } from "./jsonl";
import { isObjectUri, objectSize, openObjectStream } from "./objects";
import { parquetFileBuffer, parquetObjectBuffer, parquetStreamBuffer, readParquet } from "./parquet";
import type { DataFormat, ReadOptions, TabularSource } from "./types";

/** The path that means "read standard input". */
export const STDIN_PATH = "-";

const EXTENSIONS: Record<string, DataFormat> = {
  ".csv": "csv",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".parquet": "parquet",
  ".pq": "parquet",
};

/** The format a path's extension implies, or undefined when it implies none. */
export function formatFromPath(path: string): DataFormat | undefined {
  return EXTENSIONS[extname(path).toLowerCase()];
}

/**
 * Opens a data file (or stdin, as `-`, or one object in object storage) for streaming. The format
 * comes from `format`, else from the extension; stdin needs `format` because it has no name.
 */
export async function openTabular(
  path: string,
  options: ReadOptions & {
    /**
     * Input format.
     * @default from the file extension (.csv, .jsonl/.ndjson, .parquet/.pq)
     */
    format?: DataFormat;
    /**
     * Read the input as a serving capture in this format (JSON Lines, one capture record a line).
     * @default not a capture: the format decides
     */
    capture?: CaptureReading;
    /**
     * The object's size when a listing already gave it (saves a request per object).
     * @default asked of the store or the file system
     */
    byteSize?: number;
    /**
     * The stream to read when `path` is `-`.
     * @default process.stdin
     */
    stdin?: Readable;
  } = {},
): Promise<TabularSource> {
  const isStdin = path === STDIN_PATH;
  const name = isStdin ? "stdin" : path;
  const format =
    options.capture !== undefined
      ? "jsonl"
      : (options.format ?? (isStdin ? undefined : formatFromPath(path)));
  if (format === undefined) {
    throw new RuntimeInputError({
      source: name,
      problem: isStdin
        ? "the format of stdin is unknown"
        : `the extension "${extname(path)}" names no known format`,
      fix: "Pass --format csv|jsonl|parquet, or use a .csv, .jsonl or .parquet file",
    });
  }
  const isObject = isObjectUri(path);
  let byteSize: number | undefined;
  if (isObject) byteSize = options.byteSize ?? (await objectSize(path));
  else if (!isStdin) {
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new Error("not a regular file");
      byteSize = info.size;
    } catch (error) {
      throw new RuntimeInputError({
        source: name,
        problem: `cannot read the file (${error instanceof Error ? error.message : String(error)})`,
        fix: "Check the path and that the job can read it",
      });
    }
  }
  const stdin = options.stdin ?? process.stdin;
  // Text is streamed from the object as from a file; the stream is opened on the first read.
  const text = async (): Promise<Readable> =>
    isStdin ? stdin : isObject ? await openObjectStream(path) : fileStream(path);
  return {
    name,
    format,
    byteSize,
    batches(onBytes) {
      const readOptions = onBytes === undefined ? options : { ...options, onBytes };
      const capture = options.capture;
      if (capture !== undefined) {
        return (async function* () {
          yield* readCapture(await text(), name, capture, readOptions);
        })();
      }
      switch (format) {
        case "csv":
          return (async function* () {
            yield* readCsv(await text(), name, readOptions);
          })();
        case "jsonl":
          return (async function* () {
            yield* readJsonLines(await text(), name, readOptions);
          })();
        case "parquet":
          return (async function* () {
            const file = isStdin
              ? await parquetStreamBuffer(stdin)
              : isObject
                ? parquetObjectBuffer(path, byteSize as number)
                : await parquetFileBuffer(path);
            try {
              yield* readParquet(file, name, readOptions);
            } finally {
              await file.close?.();
            }
          })();
      }
    },
  };
}
