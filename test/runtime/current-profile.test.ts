import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDriftCommand } from "../../runtime/commands/drift";
import { runProfileCommand } from "../../runtime/commands/profile";
import { type DriftReport, driftReportSchema } from "../../runtime/report/schema";
import { captureIo, DATA, tempDir } from "./helpers";

const reference = join(DATA, "reference.csv");
const dir = tempDir("mlops-current-profile-");

async function profile(input: string, output: string, shard?: string): Promise<string> {
  const code = await runProfileCommand(
    { input, output, quiet: true, ...(shard ? { shard } : {}) },
    captureIo(),
  );
  expect(code).toBe(0);
  return output;
}

async function drift(current: string | string[], name: string) {
  const io = captureIo();
  const json = join(dir, `report-${name}.json`);
  const html = join(dir, `report-${name}.html`);
  const code = await runDriftCommand({ reference, current, json, html, quiet: true }, io);
  const report: DriftReport | undefined = existsSync(json)
    ? driftReportSchema.parse(JSON.parse(readFileSync(json, "utf8")))
    : undefined;
  return { code, report, html: existsSync(html) ? readFileSync(html, "utf8") : "", stderr: io.err() };
}

describe("mlops drift with the current window given as a profile", () => {
  for (const [file, verdict] of [
    ["current-same.csv", "no-drift"],
    ["current-drift.csv", "drift"],
  ] as const) {
    it(`${file}: the same verdict as the raw rows; numeric statistics within their bounds of the exact ones`, async () => {
      const data = join(DATA, file);
      const exact = await drift(data, `${file}-exact`);
      const sketched = await drift(await profile(data, join(dir, `${file}.profile.json`)), `${file}-sketch`);
      expect(exact.report?.summary.verdict).toBe(verdict);
      expect(sketched.code).toBe(exact.code);
      const a = exact.report as DriftReport;
      const b = sketched.report as DriftReport;
      expect(b.summary).toEqual(a.summary);
      expect(b.current).toMatchObject({ mode: "sketch", rowCount: a.current.rowCount });
      expect(a.current.mode).toBe("exact");
      for (const column of a.columns) {
        const mine = b.columns.find((c) => c.name === column.name);
        const x = column.drift;
        const y = mine?.drift;
        if (x === null || y === null || y === undefined) throw new Error(`${column.name}: no drift result`);
        expect(y.method).toBe(x.method);
        expect(y.drifted).toBe(x.drifted);
        // Categorical counts merge exactly; only numbers go through the sketches.
        if (x.kind === "categorical") {
          expect(y.statistic).toBe(x.statistic);
          expect(y.computation).toEqual({ mode: "exact" });
          continue;
        }
        if (y.computation.mode !== "sketch") throw new Error(`${column.name}: expected a sketch computation`);
        const [lo, hi] = y.computation.statisticBounds as [number, number];
        expect(x.statistic).toBeGreaterThanOrEqual(lo);
        expect(x.statistic).toBeLessThanOrEqual(hi);
        // KLL at k = 400 on each side.
        expect(y.computation.rankErrorBound).toBeGreaterThan(0.01);
        expect(y.computation.rankErrorBound).toBeLessThan(0.02);
        // Quality checks read the same counts either way; only the out-of-range share of a profile comes
        // from its sketch, within its rank error.
        const quality = column.quality as NonNullable<typeof column.quality>;
        expect(mine?.quality).toEqual({
          ...quality,
          outOfRangeShare: expect.closeTo(quality.outOfRangeShare, 2),
        });
      }
      expect(sketched.html).toMatch(
        /the reference and current profiles&#39; sketches|the reference and current profiles' sketches/,
      );
    });
  }

  it("refuses one shard's profile, and several profiles, with exit 1 and no report", async () => {
    const data = join(DATA, "current-drift.csv");
    const shard = await profile(data, join(dir, "shard0.json"), "0/2");
    const one = await drift(shard, "shard");
    expect(one.code).toBe(1);
    expect(one.report).toBeUndefined();
    expect(one.stderr).toMatch(
      /shard0\.json: the profile covers only shard 0\/2 of the current window\. Join the shards first with `mlops profile merge`/,
    );
    const two = await drift([shard, data], "mixed");
    expect(two.code).toBe(1);
    expect(two.report).toBeUndefined();
    expect(two.stderr).toMatch(/--current mixes profiles with other inputs, or names several profiles/);
  });

  it("refuses a current profile of another schema version like a reference one", async () => {
    const path = await profile(join(DATA, "current-same.csv"), join(dir, "old.json"));
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, "utf8")), schemaVersion: 99 }));
    const { code, report, stderr } = await drift(path, "old");
    expect(code).toBe(1);
    expect(report).toBeUndefined();
    expect(stderr).toMatch(/old\.json.*schema version 99/);
  });
});
