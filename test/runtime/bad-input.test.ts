import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDriftCommand } from "../../runtime/commands/drift";
import { runProfileCommand } from "../../runtime/commands/profile";
import { type DriftReport, driftReportSchema } from "../../runtime/report/schema";
import { captureIo, DATA, filesIn, tempDir } from "./helpers";

const reference = join(DATA, "reference.csv");
const lines = readFileSync(join(DATA, "current-same.csv"), "utf8").trimEnd().split("\n");
const header = lines[0] as string;
const body = lines.slice(1);

/** Writes a current CSV from the committed one, with `edit` applied to its data rows. */
function currentWith(dir: string, edit: (rows: string[][]) => string[][], head = header): string {
  const path = join(dir, "current.csv");
  const rows = edit(body.map((line) => line.split(",")));
  writeFileSync(path, `${[head, ...rows.map((r) => r.join(","))].join("\n")}\n`);
  return path;
}

async function drift(ref: string, current: string, dir: string, extra = {}) {
  const io = captureIo();
  const json = join(dir, "report.json");
  const code = await runDriftCommand(
    { reference: ref, current, json, html: join(dir, "report.html"), quiet: true, ...extra },
    io,
  );
  const report: DriftReport | undefined = existsSync(json)
    ? driftReportSchema.parse(JSON.parse(readFileSync(json, "utf8")))
    : undefined;
  return { code, report, stderr: io.err() };
}

const column = (report: DriftReport | undefined, name: string) =>
  report?.columns.find((c) => c.name === name);

describe("bad input", () => {
  it("NaN and ±Infinity: the column is errored naming the first row; the others go on; exit 1", async () => {
    const dir = tempDir("mlops-bad-");
    const current = currentWith(dir, (rows) => {
      (rows[9] as string[])[1] = "NaN";
      (rows[20] as string[])[1] = "-Infinity";
      return rows;
    });
    const { code, report, stderr } = await drift(reference, current, dir);
    expect(code).toBe(1);
    expect(column(report, "income")).toMatchObject({ status: "error", error: { code: "non-finite-value" } });
    expect(column(report, "income")?.error?.message).toBe(
      "Column 'income' holds 2 NaN or ±Infinity value(s) in the current data, the first at row 10 (NaN). Clean them upstream, or pass --non-finite missing to count them as missing values.",
    );
    expect(report?.columns.filter((c) => c.status === "ok").map((c) => c.name)).toEqual([
      "age",
      "plan",
      "score",
    ]);
    expect(report?.summary).toMatchObject({
      verdict: "error",
      exitCode: 1,
      errorCount: 1,
      evaluatedCount: 3,
    });
    expect(stderr).toMatch(/column error: Column 'income' holds 2 NaN/);

    const lenient = await drift(reference, current, tempDir("mlops-bad-"), { nonFinite: "missing" });
    expect(lenient.code).toBe(0);
    expect(column(lenient.report, "income")?.drift?.currentNullCount).toBe(2);
  });

  it("an empty current set: exit 1, a message naming it, and no report", async () => {
    const dir = tempDir("mlops-bad-");
    const current = currentWith(dir, () => []);
    const { code, report, stderr } = await drift(reference, current, dir);
    expect(code).toBe(1);
    expect(report).toBeUndefined();
    expect(stderr).toMatch(
      /current\.csv: the current set is empty \(no data rows\)\. Check the current window/,
    );
    expect(filesIn(dir)).toEqual(["current.csv"]);
  });

  it("an empty reference set: exit 1 and no report", async () => {
    const dir = tempDir("mlops-bad-");
    const empty = join(dir, "empty.csv");
    writeFileSync(empty, `${header}\n`);
    const { code, report, stderr } = await drift(empty, join(DATA, "current-same.csv"), dir);
    expect(code).toBe(1);
    expect(report).toBeUndefined();
    expect(stderr).toMatch(/empty\.csv: the reference set is empty/);
  });

  it("a column missing from one side: that column is errored and flagged by the quality check", async () => {
    const dir = tempDir("mlops-bad-");
    const current = currentWith(dir, (rows) => rows.map((r) => r.slice(0, 3)), "age,income,plan");
    const { code, report } = await drift(reference, current, dir);
    expect(code).toBe(1);
    expect(column(report, "score")?.error).toEqual({
      code: "missing-column",
      message: "Column 'score' is missing from the current data. Add it there, or leave it out of --columns.",
    });
    expect(report?.qualityViolations).toContainEqual(
      expect.objectContaining({ column: "score", check: "missing_column_check" }),
    );
    expect(column(report, "age")?.status).toBe("ok");
  });

  it("a numeric column holding strings: errored above the tolerance, a quality violation below it", async () => {
    const dir = tempDir("mlops-bad-");
    const many = currentWith(dir, (rows) =>
      rows.map((r, i) => (i % 3 === 1 ? [r[0], r[1], r[2], "high"] : r) as string[]),
    );
    const { report } = await drift(reference, many, dir);
    expect(column(report, "score")?.error?.code).toBe("type-mismatch");
    expect(column(report, "score")?.error?.message).toMatch(
      /^Column 'score' is numerical but 500 of 1500 current values are not numbers, the first at row 2 \("high"\)\. Fix the values, or declare the column categorical/,
    );

    const dir2 = tempDir("mlops-bad-");
    const few = currentWith(dir2, (rows) =>
      rows.map((r, i) => (i === 4 ? [r[0], r[1], r[2], "high"] : r) as string[]),
    );
    const fewRun = await drift(reference, few, dir2);
    expect(column(fewRun.report, "score")?.status).toBe("ok");
    expect(fewRun.report?.qualityViolations).toContainEqual(
      expect.objectContaining({
        column: "score",
        check: "data_type_check",
        description: expect.stringContaining('first at row 5: "high"'),
      }),
    );
  });

  it("a single constant value: drift is still computed, with a warning naming the column", async () => {
    const dir = tempDir("mlops-bad-");
    const constRef = join(dir, "ref.csv");
    writeFileSync(
      constRef,
      `flag,age\n${Array.from({ length: 300 }, (_, i) => `1,${20 + (i % 40)}`).join("\n")}\n`,
    );
    const constCur = join(dir, "cur.csv");
    writeFileSync(
      constCur,
      `flag,age\n${Array.from({ length: 300 }, (_, i) => `${i % 10 === 0 ? 2 : 1},${20 + (i % 40)}`).join("\n")}\n`,
    );
    const { report } = await drift(constRef, constCur, dir);
    const flag = column(report, "flag");
    expect(flag?.status).toBe("ok");
    expect(flag?.drift?.drifted).toBe(true);
    expect(flag?.warnings[0]).toMatch(/^Column 'flag' holds the single value 1 in every reference row/);
  });

  it("100,000 distinct categories: that column is errored as identifier-like; the others go on", async () => {
    const dir = tempDir("mlops-bad-");
    const make = (name: string, offset: number) => {
      const path = join(dir, name);
      const rows = Array.from({ length: 100_000 }, (_, i) => `user-${offset + i},${i % 5}`);
      writeFileSync(path, `user_id,bucket\n${rows.join("\n")}\n`);
      return path;
    };
    const { code, report } = await drift(make("ref.csv", 0), make("cur.csv", 50_000), dir, {
      columns: ["user_id:categorical", "bucket"],
    });
    expect(code).toBe(1);
    expect(column(report, "user_id")?.error).toEqual({
      code: "too-many-categories",
      message:
        "Column 'user_id' has more than 10000 distinct values in the reference data, so it looks like an identifier rather than a category. Leave it out of --columns, declare it numerical, or raise --max-categories.",
    });
    expect(column(report, "bucket")?.status).toBe("ok");
  });

  it("a profile of another schema version: exit 1, naming the file and the fix, no report", async () => {
    const dir = tempDir("mlops-bad-");
    const profile = join(dir, "profile.json");
    expect(await runProfileCommand({ input: reference, output: profile, quiet: true }, captureIo())).toBe(0);
    const json = JSON.parse(readFileSync(profile, "utf8"));
    writeFileSync(profile, JSON.stringify({ ...json, schemaVersion: 99 }));
    const { code, report, stderr } = await drift(profile, join(DATA, "current-same.csv"), dir);
    expect(code).toBe(1);
    expect(report).toBeUndefined();
    expect(stderr).toMatch(
      /profile\.json: the profile has schema version 99, but this runtime reads version 1\. Rebuild the profile/,
    );
  });

  it("a CSV row with a stray quote: exit 1 naming the row, no report", async () => {
    const dir = tempDir("mlops-bad-");
    const current = currentWith(dir, (rows) => {
      (rows[6] as string[])[2] = 'ba"sic';
      return rows;
    });
    const { code, report, stderr } = await drift(reference, current, dir);
    expect(code).toBe(1);
    expect(report).toBeUndefined();
    // rows[6] is data row 7, on line 8 after the header.
    expect(stderr).toMatch(/current\.csv, row 7: malformed CSV at line 8 \(INVALID_OPENING_QUOTE\)/);
  });
});
