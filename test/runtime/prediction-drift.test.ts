import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDriftCommand } from "../../runtime/commands/drift";
import type { DriftReport } from "../../runtime/report/schema";
import { captureIo, tempDir } from "./helpers";

// `mlops drift --model`: the holdout of the evaluate tests split in two halves, scored by the
// logistic regression. The stored-prediction run uses numpy's probabilities from
// scripts/build-eval-models.py, so both runs must reach the same statistic.
const MODELS = join(__dirname, "fixtures/models");
const expected = JSON.parse(readFileSync(join(MODELS, "expected.json"), "utf8"));
const dir = tempDir("mlops-prediction-drift-");
const lines = readFileSync(join(MODELS, "binary.csv"), "utf8").trim().split("\n");
const header = lines[0] as string;
const rows = lines.slice(1);

function write(name: string, text: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${text.join("\n")}\n`);
  return path;
}

async function drift(
  reference: string,
  current: string,
  extra: Record<string, unknown>,
): Promise<DriftReport> {
  const io = captureIo();
  const out = join(dir, "report.json");
  const code = await runDriftCommand(
    { reference, current, target: "label", json: out, quiet: true, ...extra },
    io,
  );
  expect(io.err()).toBe("");
  expect([0, 2]).toContain(code);
  return JSON.parse(readFileSync(out, "utf8")) as DriftReport;
}

describe("mlops drift --model (prediction drift)", () => {
  it("scores both sides and compares the prediction column as stored predictions would be", async () => {
    const ref = write("ref.csv", [header, ...rows.slice(0, 200)]);
    const cur = write("cur.csv", [header, ...rows.slice(200)]);
    const scored = await drift(ref, cur, {
      model: join(MODELS, "logreg.onnx"),
      modelFeatures: ["x0", "x1", "x2", "x3"],
    });
    const p: number[] = expected.logregPredictions;
    const withP = (from: number, to: number) => [
      `${header},prediction`,
      ...rows.slice(from, to).map((r, i) => `${r},${p[from + i]}`),
    ];
    const stored = await drift(write("ref-p.csv", withP(0, 200)), write("cur-p.csv", withP(200, 400)), {
      prediction: "prediction",
    });
    const a = scored.columns.find((c) => c.name === "prediction");
    const b = stored.columns.find((c) => c.name === "prediction");
    expect(a?.role).toBe("prediction");
    expect(a?.drift?.method).toBe(b?.drift?.method);
    expect(a?.drift?.statistic).toBeCloseTo(b?.drift?.statistic as number, 12);
    expect(a?.drift?.pValue).toBeCloseTo(b?.drift?.pValue as number, 9);
    expect(a?.drift?.drifted).toBe(b?.drift?.drifted);
  });

  it("reports drift of the predictions when a feature shifts", async () => {
    const shifted = rows.slice(200).map((r) => {
      const cells = r.split(",");
      cells[0] = String(Number(cells[0]) + 1.5);
      return cells.join(",");
    });
    const report = await drift(
      write("ref2.csv", [header, ...rows.slice(0, 200)]),
      write("cur2.csv", [header, ...shifted]),
      {
        model: join(MODELS, "logreg.onnx"),
        modelFeatures: ["x0", "x1", "x2", "x3"],
        columns: ["x1", "prediction"],
      },
    );
    expect(report.columns.map((c) => c.name)).toEqual(["x1", "prediction", "label"]);
    expect(report.columns.find((c) => c.name === "prediction")?.drift?.drifted).toBe(true);
    expect(report.columns.find((c) => c.name === "x1")?.drift?.drifted).toBe(false);
  });

  it("refuses a profile with --model, and a data file that already has the column", async () => {
    const io = captureIo();
    const ref = write("ref3.csv", [`${header},prediction`, ...rows.slice(0, 10).map((r) => `${r},0.5`)]);
    expect(
      await runDriftCommand(
        {
          reference: ref,
          current: ref,
          model: join(MODELS, "logreg.onnx"),
          modelFeatures: ["x0", "x1", "x2", "x3"],
          quiet: true,
        },
        io,
      ),
    ).toBe(1);
    expect(io.err()).toContain('column "prediction": already holds a column of that name');
    const io2 = captureIo();
    expect(
      await runDriftCommand(
        {
          reference: join(dir, "profile.json"),
          current: ref,
          model: join(MODELS, "logreg.onnx"),
          quiet: true,
        },
        io2,
      ),
    ).toBe(1);
    expect(io2.err()).toContain("--model scores data rows, and a profile holds none");
  });
});
