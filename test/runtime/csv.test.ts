import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RuntimeInputError } from "../../runtime/errors";
import { readCsv } from "../../runtime/io/csv";
import { type RecordBatch, sourceRowIndex } from "../../runtime/io/types";
import { cutAt } from "./helpers";

/** What a read gives: the rows with their source index, or the error's message and row. */
type Outcome =
  | { rows: { index: number; cells: Record<string, unknown> }[] }
  | { error: string; row: number | undefined };

async function read(chunks: Buffer[], fastPath: boolean, batchSize = 4): Promise<Outcome> {
  const rows: { index: number; cells: Record<string, unknown> }[] = [];
  try {
    const input = Readable.from(chunks);
    for await (const batch of readCsv(input, "in.csv", { batchSize }, { quoteFreeFastPath: fastPath })) {
      rows.push(...toRows(batch));
    }
    return { rows };
  } catch (error) {
    if (!(error instanceof RuntimeInputError)) throw error;
    return { error: error.message, row: error.row };
  }
}

function toRows(batch: RecordBatch) {
  return Array.from({ length: batch.length }, (_, i) => {
    const cells: Record<string, unknown> = {};
    for (const [name, values] of batch.columns) cells[name] = values[i];
    return { index: sourceRowIndex(batch, i), cells };
  });
}

/** Reads the same bytes both ways and expects the same outcome. */
async function expectSameAsCsvParse(text: string | Buffer, cuts: number[] = []) {
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  const viaCsvParse = await read([bytes], false);
  const viaFastPath = await read(cutAt(bytes, cuts), true);
  expect(viaFastPath).toEqual(viaCsvParse);
  return viaFastPath;
}

/** A cell as CSV files hold them: plain, numeric, empty, non-ASCII, or (sometimes) quoted. */
const cell = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z0-9 .-]{0,6}$/) },
  { weight: 3, arbitrary: fc.double({ noNaN: true }).map((x) => x.toFixed(3)) },
  { weight: 1, arbitrary: fc.constantFrom("é", "€uro", "日本", "\u00a0", "\t") },
  { weight: 1, arbitrary: fc.constantFrom('"a,b"', '"say ""hi"""', '"two\nlines"', 'in"side', '"', "\r") },
);

/** A CSV text: a header and rows of the same width, with a chosen line ending and optional BOM. */
const csvText = fc
  .record({
    width: fc.integer({ min: 1, max: 4 }),
    rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 30 }),
    ending: fc.constantFrom("\n", "\r\n", "\r"),
    bom: fc.constantFrom("", "", "\ufeff"),
    finalEnding: fc.boolean(),
    blankLines: fc.array(fc.nat(30), { maxLength: 3 }),
    mutate: fc.option(fc.record({ at: fc.nat(), cells: fc.array(cell, { maxLength: 6 }) }), { freq: 4 }),
  })
  .map(({ width, rows, ending, bom, finalEnding, blankLines, mutate }) => {
    const header = Array.from({ length: width }, (_, i) => `col${i}`);
    const body = rows.map((r) => Array.from({ length: width }, (_, i) => r[i % r.length] as string));
    // One row of the wrong width, somewhere, in a share of the cases.
    if (mutate !== null && body.length > 0) body[mutate.at % body.length] = mutate.cells;
    const lines = [header.join(","), ...body.map((r) => r.join(","))];
    for (const at of blankLines) lines.splice(1 + (at % lines.length), 0, "");
    return bom + lines.join(ending) + (finalEnding ? ending : "");
  });

describe("CSV reader: the quote-free fast path gives exactly csv-parse's result", () => {
  it("on generated CSV (quotes, CRLF, bare CR, BOMs, blank lines, bad widths, multi-byte text) cut into random chunks", async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.array(fc.nat(400), { maxLength: 6 }), async (text, cuts) => {
        await expectSameAsCsvParse(text, cuts);
      }),
      { numRuns: 400 },
    );
  });

  it("on arbitrary text over the bytes that matter to CSV", async () => {
    const char = fc.constantFrom("a", "1", ",", "\n", "\r", '"', " ", "é", "");
    await fc.assert(
      fc.asyncProperty(
        fc.array(char, { maxLength: 60 }).map((c) => c.join("")),
        fc.array(fc.nat(80), { maxLength: 4 }),
        async (text, cuts) => {
          await expectSameAsCsvParse(text, cuts);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("hands a file over to csv-parse at its first quoted line, keeping row numbers and error lines", async () => {
    const plain = Array.from({ length: 50 }, (_, i) => `${i},x${i}`);
    const quoted = ['50,"a, b"', '51,"say ""hi"""'];
    const text = `id,label\n${[...plain, ...quoted, "52,z", "53"].join("\n")}\n`;
    // Cut into small chunks so the fast path has read many rows before it meets the quote.
    const outcome = await expectSameAsCsvParse(text, [100, 200, 300, 400, 500]);
    expect(outcome).toEqual({
      error:
        "in.csv, row 54: malformed CSV at line 55 (CSV_RECORD_INCONSISTENT_FIELDS_LENGTH): Invalid Record Length: expect 2, got 1 on line 55. Fix the row so that it has as many fields as the header and balanced quotes",
      row: 54,
    });
    const valid = await read([Buffer.from(text.replace("\n53\n", "\n"))], true);
    expect("rows" in valid && valid.rows.slice(49, 52)).toEqual([
      { index: 49, cells: { id: "49", label: "x49" } },
      { index: 50, cells: { id: "50", label: "a, b" } },
      { index: 51, cells: { id: "51", label: 'say "hi"' } },
    ]);
  });

  it("reads CRLF files, a UTF-8 BOM and lines longer than its 32 KiB decoding pieces", async () => {
    const long = "w".repeat(80_000);
    // Reads inside the long line hold no line feed: they wait, and are joined once the line ends.
    const cuts = [3, 20_000, 40_000, 60_000, 70_000];
    const outcome = await expectSameAsCsvParse(`\ufeffa,b\r\n1,${long}\r\n\r\n2,é\r\n`, cuts);
    expect(outcome).toEqual({
      rows: [
        { index: 0, cells: { a: "1", b: long } },
        { index: 1, cells: { a: "2", b: "é" } },
      ],
    });
  });

  it("names the line of a short row found by the fast path as csv-parse does", async () => {
    const outcome = await expectSameAsCsvParse("a,b\n1,2\n\n3\n");
    expect(outcome).toMatchObject({
      row: 2,
      error: expect.stringMatching(/row 2: malformed CSV at line 4 /),
    });
  });
});
