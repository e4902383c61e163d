import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { RuntimeInputError } from "../../runtime/errors";
import { openTabular } from "../../runtime/io/open";
import { type RecordBatch, sourceRowIndex } from "../../runtime/io/types";

const dir = mkdtempSync(join(tmpdir(), "mlops-io-"));

async function rows(
  path: string,
  options: Parameters<typeof openTabular>[1] = {},
): Promise<Record<string, unknown>[]> {
  const source = await openTabular(path, options);
  const out: Record<string, unknown>[] = [];
  for await (const batch of source.batches()) out.push(...toRows(batch));
  return out;
}

function toRows(batch: RecordBatch): Record<string, unknown>[] {
  return Array.from({ length: batch.length }, (_, i) => {
    const row: Record<string, unknown> = { _row: sourceRowIndex(batch, i) };
    for (const [name, cells] of batch.columns) row[name] = cells[i] === undefined ? null : cells[i];
    return row;
  });
}

describe("readers", () => {
  const csvPath = join(dir, "a.csv");
  writeFileSync(csvPath, 'x,label\n1.5,"a, quoted"\n2,b\n,c\n');

  it("reads CSV with quoting, keeping cells as text for the profile to type", async () => {
    expect(await rows(csvPath)).toEqual([
      { _row: 0, x: "1.5", label: "a, quoted" },
      { _row: 1, x: "2", label: "b" },
      { _row: 2, x: "", label: "c" },
    ]);
  });

  it("splits CSV into batches whose column arrays are not shared, across batch boundaries", async () => {
    const path = join(dir, "batches.csv");
    writeFileSync(path, `a,b,c\n${Array.from({ length: 7 }, (_, i) => `${i},x${i},${i * 10}`).join("\n")}\n`);
    const source = await openTabular(path, { batchSize: 3, columns: ["c", "a"] });
    const batches: RecordBatch[] = [];
    for await (const batch of source.batches()) batches.push(batch);
    expect(batches.map((batch) => [batch.rowOffset, batch.length])).toEqual([
      [0, 3],
      [3, 3],
      [6, 1],
    ]);
    // Each batch owns its arrays: a later batch must not overwrite an earlier one's cells.
    expect(batches[0]?.columns.get("a")).not.toBe(batches[1]?.columns.get("a"));
    expect(batches.flatMap(toRows)).toEqual(
      Array.from({ length: 7 }, (_, i) => ({ _row: i, a: String(i), c: String(i * 10) })),
    );
  });

  it("reads JSON Lines, with keys that come and go", async () => {
    const path = join(dir, "a.jsonl");
    writeFileSync(path, '{"x":1}\n\n{"x":2,"y":"b"}\n');
    expect(await rows(path)).toEqual([
      { _row: 0, x: 1, y: null },
      { _row: 1, x: 2, y: "b" },
    ]);
  });

  it("reads Parquet by row group, only the selected columns", async () => {
    const path = join(dir, "a.parquet");
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: "x", data: Float64Array.from([1, 2, 3, 4, 5]), type: "DOUBLE" },
        { name: "label", data: ["a", "b", "c", "d", null], type: "STRING" },
      ],
      rowGroupSize: 2,
    });
    writeFileSync(path, Buffer.from(buffer));
    const read = await rows(path, { columns: ["label"] });
    expect(read.map((r) => r.label)).toEqual(["a", "b", "c", "d", null]);
    expect(read.every((r) => !("x" in r))).toBe(true);
    // Sharded: row groups dealt round-robin, so shard 1/2 holds the second group only.
    expect((await rows(path, { shard: { index: 1, count: 2 } })).map((r) => r.x)).toEqual([3, 4]);
  });

  it("reads stdin when the path is -", async () => {
    const stdin = Readable.from(["x\n7\n", "8\n"]);
    expect((await rows("-", { format: "csv", stdin })).map((r) => r.x)).toEqual(["7", "8"]);
  });

  it("deals text rows round-robin to shards, keeping their source row numbers", async () => {
    const path = join(dir, "shard.csv");
    writeFileSync(path, `v\n${Array.from({ length: 10 }, (_, i) => i).join("\n")}\n`);
    const shard = await rows(path, { shard: { index: 1, count: 3 } });
    expect(shard.map((r) => [r._row, r.v])).toEqual([
      [1, "1"],
      [4, "4"],
      [7, "7"],
    ]);
  });

  it("rejects a malformed CSV row, naming the file and the row", async () => {
    const path = join(dir, "bad.csv");
    writeFileSync(path, "a,b\n1,2\n3,4\n5\n6,7\n");
    const error = await rows(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeInputError);
    expect((error as RuntimeInputError).message).toMatch(/bad\.csv, row 3: malformed CSV at line 4/);
    expect((error as RuntimeInputError).row).toBe(3);
  });

  it("rejects a JSON Lines line that is not an object, naming the line", async () => {
    const path = join(dir, "bad.jsonl");
    writeFileSync(path, '{"a":1}\n[1,2]\n');
    await expect(rows(path)).rejects.toThrow(/bad\.jsonl, row 2: line 2 holds an array, not an object/);
  });

  it("rejects duplicate CSV header names and unknown extensions", async () => {
    const path = join(dir, "dup.csv");
    writeFileSync(path, "a,a\n1,2\n");
    await expect(rows(path)).rejects.toThrow(/column "a": the header names this column twice/);
    await expect(openTabular(join(dir, "x.xlsx"))).rejects.toThrow(/extension ".xlsx" names no known format/);
    await expect(openTabular("-")).rejects.toThrow(/format of stdin is unknown\. Pass --format/);
  });

  it("rejects a file that is not Parquet", async () => {
    const path = join(dir, "fake.parquet");
    writeFileSync(path, "not parquet at all");
    await expect(rows(path)).rejects.toThrow(/fake\.parquet: not a readable Parquet file/);
  });
});
