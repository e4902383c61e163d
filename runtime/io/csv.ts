import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { CsvError, parse } from "csv-parse";
import { cutValue, RuntimeInputError } from "../errors";
import { BatchBuilder } from "./columnar";
import { QuoteFreeCsvSplitter } from "./quoteFreeCsv";
import { countedChunks, lineBoundedReads } from "./text";
import { type ReadOptions, type RecordBatch, shardKeepsRow } from "./types";

/** How the CSV reader parses; for tests that compare its two paths. */
export interface CsvParsing {
  /**
   * Split quote-free lines natively and leave only the rest of the file to csv-parse.
   * @default true
   */
  readonly quoteFreeFastPath?: boolean;
}

/**
 * Streams a CSV file (RFC 4180, first line is the header) as column batches. Every cell stays a
 * string here: typing happens in the profile, which must also count values that do not parse.
 *
 * csv-parse is the parser and the definition of what a record is. Most files quote nothing,
 * though, and for those `QuoteFreeCsvSplitter` produces the same records several times faster;
 * from the first line it cannot vouch for (a quote, a stray carriage return) csv-parse takes over,
 * shown the header again so that it checks record lengths as if it had read the whole file.
 */
export async function* readCsv(
  input: Readable,
  name: string,
  options: ReadOptions = {},
  parsing: CsvParsing = {},
): AsyncGenerator<RecordBatch> {
  const rows = new CsvRows(name, options);
  const reads = lineBoundedReads(countedChunks(input, options.onBytes));
  try {
    let carry: Buffer = Buffer.alloc(0);
    // Where csv-parse resumes: the lines and records already read, and the header to show it again.
    let resume: Resume = { lines: 0, records: 0 };
    if (parsing.quoteFreeFastPath !== false) {
      const splitter = new QuoteFreeCsvSplitter((cells, line, record) => {
        const header = rows.header;
        if (header !== undefined && cells.length !== header.length) {
          throw malformedCsv(name, {
            row: record - 1,
            line,
            code: "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH",
            message: `Invalid Record Length: expect ${header.length}, got ${cells.length} on line ${line}`,
          });
        }
        rows.add(cells);
      });
      for (;;) {
        const next = await reads.next();
        // Reads end at line boundaries, so the carry is empty but for a BOM's first bytes or the end.
        const bytes = next.done
          ? carry
          : carry.length === 0
            ? next.value
            : Buffer.concat([carry, next.value]);
        const consumed = splitter.feed(bytes, next.done === true);
        yield* rows.takeBatches();
        carry = bytes.subarray(consumed);
        if (splitter.declined) break;
        if (next.done) {
          yield* rows.finish();
          return;
        }
      }
      // With the header read, csv-parse is shown it again and counts it as its first line and record.
      resume =
        splitter.records > 0
          ? { lines: splitter.lines - 1, records: splitter.records - 1, header: splitter.headerLine }
          : { lines: splitter.lines, records: 0 };
      // Past the first line ending, csv-parse must not discover a record delimiter anew. (Before
      // it, the splitter's guess is no guide: that line ending may sit inside quotes.)
      if (splitter.lines > 0) resume.recordDelimiter = splitter.recordDelimiter;
    }
    yield* parseRest(rows, name, reads, carry, resume);
    yield* rows.finish();
  } finally {
    await reads.return(undefined);
  }
}

/** Where csv-parse takes over from the fast path. */
interface Resume {
  /** Lines already read, less the header line shown again. */
  lines: number;
  /** Records already read, less the header shown again. */
  records: number;
  /** The header line, shown to csv-parse again so that it checks record lengths against it. */
  header?: Buffer;
  /** The record delimiter already discovered. */
  recordDelimiter?: string;
}

/** Runs csv-parse over `carry` and the chunks still to come, after the header when one was read. */
async function* parseRest(
  rows: CsvRows,
  name: string,
  chunks: AsyncIterator<Buffer>,
  carry: Buffer,
  resume: Resume,
): AsyncGenerator<RecordBatch> {
  const source = (async function* () {
    if (resume.header !== undefined) yield resume.header;
    if (carry.length > 0) yield carry;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  let skipHeader = resume.header !== undefined;
  try {
    for await (const records of csvParseRecords(source, resume.recordDelimiter)) {
      for (const record of records) {
        if (skipHeader) {
          skipHeader = false;
          continue;
        }
        rows.add(record);
      }
      yield* rows.takeBatches();
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // csv-parse counts the header among `records`; the failing record is the next one.
    throw malformedCsv(name, {
      row: typeof error.records === "number" ? error.records + resume.records : undefined,
      line: typeof error.lines === "number" ? error.lines + resume.lines : undefined,
      code: error.code,
      // csv-parse's message names its own line count, which restarts where it took over.
      message: error.message.replace(/\bline (\d+)\b/g, (_, n: string) => `line ${Number(n) + resume.lines}`),
    });
  }
}

/**
 * csv-parse's records in file order, a chunk's worth at a time, and its error only after the
 * records that came before it. Records are taken from `on_record` rather than read from the
 * stream, because the stream drops what it still buffers when it fails: which error a bad file got
 * would depend on timing.
 */
async function* csvParseRecords(
  source: AsyncIterable<Buffer>,
  recordDelimiter: string | undefined,
): AsyncGenerator<string[][]> {
  let records: string[][] = [];
  let failure: unknown;
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    // Rows with the wrong number of fields are errors, not silently padded: a shifted row would
    // put values under the wrong column.
    relax_column_count: false,
    ...(recordDelimiter !== undefined ? { record_delimiter: recordDelimiter } : {}),
    on_record: (record: string[]) => {
      records.push(record);
      return null;
    },
  });
  parser.on("error", (error) => {
    failure ??= error;
  });
  // Nothing reaches the readable side; flowing lets it end.
  parser.resume();
  // The parser works synchronously inside write(); its error event comes on the next tick.
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  const taken = function* () {
    if (records.length > 0) {
      const done = records;
      records = [];
      yield done;
    }
    if (failure !== undefined) throw failure;
  };
  for await (const chunk of source) {
    parser.write(chunk);
    await settle();
    yield* taken();
  }
  parser.end();
  await finished(parser).catch((error: unknown) => {
    failure ??= error;
  });
  yield* taken();
}

/**
 * The records of one CSV input on their way to column batches: the header check, the column
 * selection, the shard filter and the batch builder, shared by both parsing paths.
 */
class CsvRows {
  header: string[] | undefined;
  private keepIndices: number[] = [];
  private keepNames: string[] = [];
  private readonly builder: BatchBuilder;
  private readonly ready: RecordBatch[] = [];
  private rowIndex = 0;
  private readonly name: string;
  private readonly options: ReadOptions;

  constructor(name: string, options: ReadOptions) {
    this.name = name;
    this.options = options;
    this.builder = new BatchBuilder(options.batchSize);
  }

  /** Takes one record: the header first, then data rows. */
  add(record: string[]): void {
    if (this.header === undefined) {
      this.header = checkHeader(record, this.name);
      ({ keepIndices: this.keepIndices, keepNames: this.keepNames } = selectColumns(
        this.header,
        this.options.columns,
      ));
      return;
    }
    const index = this.rowIndex++;
    if (!shardKeepsRow(this.options.shard, index)) return;
    const keep = this.keepIndices;
    const values = keep.length === record.length ? record : keep.map((i) => record[i]);
    const batch = this.builder.addArrayRow(this.keepNames, values, index);
    if (batch !== undefined) this.ready.push(batch);
  }

  /** The batches completed since the last call. */
  *takeBatches(): Generator<RecordBatch> {
    while (this.ready.length > 0) yield this.ready.shift() as RecordBatch;
  }

  /** The remaining batches, once the input has ended. */
  *finish(): Generator<RecordBatch> {
    yield* this.takeBatches();
    if (this.header === undefined) {
      throw new RuntimeInputError({
        source: this.name,
        problem: "the CSV input is empty (no header line)",
        fix: "Pass a CSV file whose first line names the columns",
      });
    }
    const last = this.builder.flush();
    if (last !== undefined) yield last;
  }
}

function malformedCsv(
  name: string,
  at: { row: number | undefined; line: number | undefined; code: string; message: string },
): RuntimeInputError {
  return new RuntimeInputError({
    source: name,
    row: at.row,
    // csv-parse quotes the field read so far, which can be megabytes: keep the message to its start.
    problem: `malformed CSV${at.line !== undefined ? ` at line ${at.line}` : ""} (${at.code}): ${cutValue(at.message, 300)}`,
    fix: "Fix the row so that it has as many fields as the header and balanced quotes",
  });
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

/**
 * Opens a text file as a stream with 256 KiB reads. Neither parser holds more than a read's worth of
 * rows at once: the fast path splits a read in 32 KiB pieces, and csv-parse turns a whole read into
 * rows before the first is consumed, which at 256 KiB still fits V8's young generation (1 MiB reads
 * had the rows promoted, and collected at far higher cost).
 */
export function fileStream(path: string): Readable {
  return createReadStream(path, { highWaterMark: 256 << 10 });
}
