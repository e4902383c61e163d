/**
 * The runtime's commands under bad input (issue 9, "The CLI under bad input"): corrupt profiles, huge
 * cells, nested and corrupt Parquet, clashing output streams, output paths, repeated shards and capture
 * flags. Each case exits 1 with a message naming the file, field or flag and the fix, and writes nothing.
 */
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { beforeAll, describe, expect, it } from "vitest";
import { runDriftCommand } from "../../runtime/commands/drift";
import { runProfileCommand, runProfileMergeCommand } from "../../runtime/commands/profile";
import type { ProfileJson } from "../../runtime/profile/schema";
import { captureIo, DATA, filesIn, runMain, tempDir } from "./helpers";

const reference = join(DATA, "reference.csv");
const current = join(DATA, "current-same.csv");
const dir = tempDir("mlops-bad-cli-");
let profileText: string;

beforeAll(async () => {
  const file = join(dir, "reference.json");
  expect(await runProfileCommand({ input: reference, output: file, quiet: true }, captureIo())).toBe(0);
  profileText = readFileSync(file, "utf8");
});

/** A copy of the good profile with `edit` applied, written under a fresh directory. */
function corruptProfile(edit: (p: ProfileJson) => void): { file: string; out: string } {
  const out = tempDir("mlops-corrupt-");
  const profile = JSON.parse(profileText) as ProfileJson;
  edit(profile);
  const file = join(out, "profile.json");
  writeFileSync(file, JSON.stringify(profile));
  return { file, out };
}

async function driftAgainst(ref: string, out: string, extra = {}) {
  const io = captureIo();
  const code = await runDriftCommand(
    { reference: ref, current, json: join(out, "report.json"), quiet: true, ...extra },
    io,
  );
  return { code, stderr: io.err(), stdout: io.out() };
}

const numericIndex = (p: ProfileJson) => p.columns.findIndex((c) => c.numeric !== null);

describe("corrupt profiles are refused when read, naming the field", () => {
  it("unsorted histogram edges", async () => {
    let at = 0;
    const { file, out } = corruptProfile((p) => {
      at = numericIndex(p);
      const edges = p.columns[at]!.numeric!.histogram.edges;
      [edges[1], edges[2]] = [edges[2]!, edges[1]!];
    });
    const r = await driftAgainst(file, out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `profile\\.json: the profile is corrupt: columns\\[${at}\\]\\.numeric\\.histogram\\.edges\\[2\\] is .*; edges strictly increase\\. Rebuild the profile`,
      ),
    );
    expect(filesIn(out)).toEqual(["profile.json"]);
  });

  it("a duplicated column", async () => {
    const { file, out } = corruptProfile((p) => {
      p.columns.push(structuredClone(p.columns[0]!));
    });
    const r = await driftAgainst(file, out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `the profile is corrupt: columns[4].name repeats the name of columns[0] ("age")`,
    );
    expect(filesIn(out)).toEqual(["profile.json"]);
  });

  it("counts that do not add up, and histogram counts that do not match", async () => {
    let at = 0;
    const { file, out } = corruptProfile((p) => {
      at = numericIndex(p);
      p.columns[at]!.nullCount += 3;
      p.columns[at]!.numeric!.histogram.counts[0]! += 1;
    });
    const r = await driftAgainst(file, out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`columns\\[${at}\\]\\.rowCount is \\d+, but nullCount \\d+ \\+`));
    expect(r.stderr).toMatch(
      new RegExp(`columns\\[${at}\\]\\.numeric\\.histogram\\.counts add up to \\d+, but count is \\d+`),
    );
  });

  it("a category listed twice, and a mean outside its bounds", async () => {
    const { file, out } = corruptProfile((p) => {
      const cat = p.columns.find((c) => c.kind === "categorical")!;
      cat.categories!.push([cat.categories![0]![0], 0]);
      const num = p.columns[numericIndex(p)]!.numeric!;
      num.mean = num.max + 10;
    });
    const r = await driftAgainst(file, out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/categories\[\d+\] repeats the value "/);
    expect(r.stderr).toMatch(/numeric\.mean is [\d.]+, outside \[min/);
  });
});

describe("a 10 MB cell is quoted by a short prefix only", () => {
  const huge = "x".repeat(10_000_000);

  it("in the profile and on stderr", async () => {
    const out = tempDir("mlops-huge-");
    const lines = readFileSync(current, "utf8").trimEnd().split("\n");
    const header = lines[0]!.split(",");
    const score = header.indexOf("score");
    const row = lines[5]!.split(",");
    row[score] = huge;
    lines[5] = row.join(",");
    const data = join(out, "current.csv");
    writeFileSync(data, `${lines.join("\n")}\n`);
    const profile = join(out, "profile.json");
    expect(await runProfileCommand({ input: data, output: profile, quiet: true }, captureIo())).toBe(0);
    expect(statSync(profile).size).toBeLessThan(200_000);
    const column = (JSON.parse(readFileSync(profile, "utf8")) as ProfileJson).columns[score]!;
    expect(column.firstText).toEqual({ row: 5, value: `${"x".repeat(64)}…` });

    const io = captureIo();
    await runDriftCommand({ reference, current: data, json: join(out, "r.json"), quiet: true }, io);
    const report = readFileSync(join(out, "r.json"), "utf8");
    expect(report.length).toBeLessThan(1_000_000);
    expect(report).not.toContain("x".repeat(2000));
    expect(io.err().length).toBeLessThan(5000);
  });
});

describe("a malformed row with a huge field", () => {
  it("is named by its row, with only the start of the field", async () => {
    const out = tempDir("mlops-huge-");
    const data = join(out, "current.csv");
    writeFileSync(data, `a,b\n1,x\n2,${"y".repeat(5_000_000)}"z\n`);
    const io = captureIo();
    expect(await runProfileCommand({ input: data, output: join(out, "p.json"), quiet: true }, io)).toBe(1);
    expect(io.err()).toMatch(/current\.csv, row 2: malformed CSV at line 3 \(INVALID_OPENING_QUOTE\)/);
    expect(io.err().length).toBeLessThan(1000);
  });
});

describe("Parquet", () => {
  it("refuses a list column, naming the file, the column and the fix", async () => {
    const out = tempDir("mlops-pq-");
    const file = join(out, "lists.parquet");
    const buffer = parquetWriteBuffer({
      schema: [
        { name: "root", num_children: 2 },
        { name: "age", type: "DOUBLE", repetition_type: "REQUIRED" },
        { name: "tags", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        { name: "element", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
      ],
      columnData: [
        { name: "age", data: [31, 42, 27] },
        { name: "tags", data: [["a", "b"], [], ["c"]] },
      ],
    } as unknown as Parameters<typeof parquetWriteBuffer>[0]);
    writeFileSync(file, Buffer.from(buffer));
    const io = captureIo();
    expect(await runProfileCommand({ input: file, output: join(out, "p.json"), quiet: true }, io)).toBe(1);
    expect(io.err()).toContain(
      `lists.parquet, column "tags": it is a list column, and drift compares flat values (numbers or categories) only. Name the flat columns to compare with --columns`,
    );
    // Leaving it out reads the rest.
    const ok = captureIo();
    expect(
      await runProfileCommand(
        { input: file, output: join(out, "p.json"), columns: ["age"], quiet: true },
        ok,
      ),
    ).toBe(0);
  });

  it("names the file, column and rows of a corrupt page", async () => {
    const out = tempDir("mlops-pq-");
    const file = join(out, "corrupt.parquet");
    const bytes = Buffer.from(
      parquetWriteBuffer({
        columnData: [{ name: "x", data: Float64Array.from({ length: 5000 }, (_, i) => i), type: "DOUBLE" }],
      }),
    );
    bytes.fill(0xff, 100, 400);
    writeFileSync(file, bytes);
    const io = captureIo();
    expect(await runProfileCommand({ input: file, output: join(out, "p.json"), quiet: true }, io)).toBe(1);
    expect(io.err()).toMatch(
      /corrupt\.parquet, column "x": a corrupt Parquet page in rows \d+–\d+ \(.+\)\. Rewrite the file/,
    );
    expect(filesIn(out)).toEqual(["corrupt.parquet"]);
  });
});

describe("output streams and paths", () => {
  it("refuses --json - with --emf: both would take stdout", async () => {
    const io = captureIo();
    const code = await runDriftCommand({ reference, current, json: "-", emf: true, quiet: true }, io);
    expect(code).toBe(1);
    expect(io.out()).toBe("");
    expect(io.err()).toContain(
      "--json - --emf: both would be written to stdout, mixed into one stream no reader can parse. Write the JSON report to a file",
    );
  });

  it("checks every output path before the work, so nothing is written", async () => {
    const out = tempDir("mlops-paths-");
    const io = captureIo();
    const code = await runDriftCommand(
      { reference, current, json: join(out, "r.json"), html: join(out, "missing", "r.html"), quiet: true },
      io,
    );
    expect(code).toBe(1);
    expect(io.err()).toContain(
      `--html ${join(out, "missing", "r.html")}: the directory ${join(out, "missing")} does not exist.`,
    );
    expect(filesIn(out)).toEqual([]);
    const profile = captureIo();
    expect(await runProfileCommand({ input: reference, output: out, quiet: true }, profile)).toBe(1);
    expect(profile.err()).toContain(`--output ${out}: the path is a directory. Give a file name`);
  });
});

describe("profile merge", () => {
  it("refuses the same profile twice, by path or as a copy, even with --allow-partial", async () => {
    const out = tempDir("mlops-merge-");
    const a = join(out, "a.json");
    writeFileSync(a, profileText);
    const twice = captureIo();
    expect(
      await runProfileMergeCommand({ inputs: [a, a], output: join(out, "m.json"), quiet: true }, twice),
    ).toBe(1);
    expect(twice.err()).toContain(
      `a.json: it is the same profile as ${a}, and merging it twice would count its`,
    );
    const b = join(out, "b.json");
    copyFileSync(a, b);
    const copy = captureIo();
    expect(
      await runProfileMergeCommand(
        { inputs: [a, b], output: join(out, "m.json"), allowPartial: true, quiet: true },
        copy,
      ),
    ).toBe(1);
    expect(copy.err()).toContain(`b.json: it is the same profile as ${a}`);
    expect(existsSync(join(out, "m.json"))).toBe(false);
  });
});

describe("mlops capture flags", () => {
  const base = ["capture", "--listen", "0", "--upstream", "http://127.0.0.1:9", "--metrics-port", "0"];

  it("refuses an --instance, --endpoint or --variant that would leave its partition", () => {
    for (const [flag, value, message] of [
      ["--instance", "../x", "becomes part of the capture file names, so it must not hold '/' or '..'"],
      ["--endpoint", "a/b", "must be a DNS label"],
      ["--variant", "..", "must be a DNS label"],
    ] as const) {
      const args = [...base, "--endpoint", "e", "--variant", "v", "--out", dir];
      const i = args.indexOf(flag);
      if (i >= 0) args[i + 1] = value;
      else args.push(flag, value);
      const r = runMain(args);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`capture: ${flag} ${JSON.stringify(value)} ${message}`);
    }
  });

  it("refuses a --shutdown-delay that is not a whole number of milliseconds", () => {
    const r = runMain([
      ...base,
      "--endpoint",
      "e",
      "--variant",
      "v",
      "--out",
      dir,
      "--shutdown-delay",
      "abc",
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--shutdown-delay needs a whole number of milliseconds ≥ 0, got "abc"');
  });
});
