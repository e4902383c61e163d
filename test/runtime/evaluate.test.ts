import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEvaluateCommand } from "../../runtime/commands/evaluate";
import { type EvaluationReport, evaluateModel } from "../../runtime/model/evaluate";
import type { ClassificationMetrics } from "../../runtime/model/metrics";
import { captureIo, filesIn, runMain, tempDir } from "./helpers";

// Models, holdouts and expected values from scripts/build-eval-models.py (numpy/scipy, independent of
// this code). The expected probabilities come from numpy's float32 forward pass, ONNX Runtime's from
// its own kernels (MLAS's sigmoid is an approximation): they agree to a few float32 ulps, which can
// split or join tied scores. Hence 1e-6 on the smooth metrics and 1e-4 on average precision, whose
// steps move when a tie among positives splits; counts and ROC AUC (ties count one half) are exact.
const MODELS = join(__dirname, "fixtures/models");
const model = (name: string) => join(MODELS, name);
const expected = JSON.parse(readFileSync(model("expected.json"), "utf8"));
const dir = tempDir("mlops-evaluate-");

function expectClassification(actual: ClassificationMetrics, want: Record<string, unknown>): void {
  expect(actual.rows).toBe(want.rows);
  expect(actual.accuracy).toBeCloseTo(want.accuracy as number, 12);
  expect(actual.confusionMatrix).toEqual(want.confusionMatrix);
  expect(actual.rocAuc).toBeCloseTo(want.rocAuc as number, 6);
  expect(actual.prAuc).toBeCloseTo(want.prAuc as number, 4);
  expect(actual.logLoss).toBeCloseTo(want.logLoss as number, 6);
  expect(actual.brier).toBeCloseTo(want.brier as number, 6);
  expect(actual.ece).toBeCloseTo(want.ece as number, 6);
  for (const key of ["macro", "weighted"] as const) {
    for (const m of ["precision", "recall", "f1"] as const)
      expect(actual[key][m]).toBeCloseTo((want[key] as Record<string, number>)[m] as number, 12);
  }
  expect(actual.perClass).toHaveLength((want.perClass as unknown[]).length);
  (want.perClass as Record<string, number | string>[]).forEach((c, i) => {
    const a = actual.perClass[i] as (typeof actual.perClass)[number];
    expect(a.class).toBe(c.class);
    expect(a.support).toBe(c.support);
    expect(a.precision).toBeCloseTo(c.precision as number, 12);
    expect(a.recall).toBeCloseTo(c.recall as number, 12);
    expect(a.f1).toBeCloseTo(c.f1 as number, 12);
  });
  if (want.f1 !== undefined) expect(actual.f1).toBeCloseTo(want.f1 as number, 12);
}

describe("mlops evaluate: metrics against the independent reference", () => {
  it("logistic regression (one probability column)", async () => {
    const r = await evaluateModel({
      model: model("logreg.onnx"),
      data: model("binary.csv"),
      label: "label",
      features: ["x0", "x1", "x2", "x3"],
    });
    expect(r.task).toBe("classification");
    expect(r.taskSource).toBe("labels");
    expect(r.threshold).toBe(0.5);
    expectClassification(r.candidate.classification as ClassificationMetrics, expected.logreg);
    expect(r.verdict).toBe("pass");
  });

  it("MLP (one probability column per class), read from JSON Lines in small batches", async () => {
    const csv = readFileSync(model("binary.csv"), "utf8").trim().split("\n");
    const header = (csv[0] as string).split(",");
    const jsonl = csv
      .slice(1)
      .map((line) =>
        JSON.stringify(
          Object.fromEntries(line.split(",").map((v, i) => [header[i], i < 4 || i === 5 ? Number(v) : v])),
        ),
      )
      .join("\n");
    writeFileSync(join(dir, "binary.jsonl"), `${jsonl}\n`);
    const r = await evaluateModel({
      model: model("mlp.onnx"),
      data: join(dir, "binary.jsonl"),
      label: "label",
      protectedAttribute: "group",
      batchSize: 37,
    });
    expect(r.taskSource).toBe("output");
    expect(r.candidate.latency.batches).toBe(Math.ceil(400 / 37));
    expectClassification(r.candidate.classification as ClassificationMetrics, expected.mlp);
  });

  it("sklearn-onnx layout: a label output beside the probability tensor", async () => {
    const r = await evaluateModel({
      model: model("label-probabilities.onnx"),
      data: model("binary.csv"),
      label: "label",
      protectedAttribute: "group",
    });
    expect(r.candidate.output).toBe("probabilities");
    expect(r.candidate.outputDescription).toContain('label output "label"');
    expectClassification(r.candidate.classification as ClassificationMetrics, expected.labelProbabilities);
  });

  it("sklearn-onnx's ZipMap (a sequence of maps) is read through its input tensor and class labels", async () => {
    const r = await evaluateModel({
      model: model("zipmap.onnx"),
      data: model("binary.csv"),
      label: "label",
      protectedAttribute: "group",
    });
    expect(r.candidate.output).toBe("probability_tensor");
    expect(r.candidate.outputDescription).toContain('the input of the ZipMap behind "probabilities"');
    expectClassification(r.candidate.classification as ClassificationMetrics, expected.labelProbabilities);
    // Classes named 3 and 7 by ZipMap's classlabels_int64s: the labels are those names.
    const relabelled = readFileSync(model("binary.csv"), "utf8").replace(
      /,([01])$/gm,
      (_, y) => `,${y === "1" ? 7 : 3}`,
    );
    writeFileSync(join(dir, "binary-3-7.csv"), relabelled);
    const named = await evaluateModel({
      model: model("zipmap-3-7.onnx"),
      data: join(dir, "binary-3-7.csv"),
      label: "label",
      protectedAttribute: "group",
    });
    expect(named.candidate.classification?.perClass.map((c) => c.class)).toEqual(["3", "7"]);
    expect(named.candidate.classification?.rocAuc).toBeCloseTo(expected.labelProbabilities.rocAuc, 6);
    expect(named.candidate.classification?.confusionMatrix).toEqual(
      expected.labelProbabilities.confusionMatrix,
    );
    const io = captureIo();
    expect(
      await runEvaluateCommand(
        { model: model("zipmap-3-7.onnx"), data: model("binary.csv"), label: "label", protected: "group" },
        io,
      ),
    ).toBe(1);
    expect(io.err()).toContain('row 1, column "label": holds 1, which is not a class of this model (3, 7)');
  });

  it("multi-class softmax: per class, macro and weighted averages, one-vs-rest AUC", async () => {
    const r = await evaluateModel({
      model: model("multiclass.onnx"),
      data: model("multiclass.csv"),
      label: "species",
    });
    expectClassification(r.candidate.classification as ClassificationMetrics, expected.multiclass);
    expect(r.candidate.classification?.f1).toBeUndefined();
    expect(r.threshold).toBeUndefined();
    expect(r.curves?.roc).toBeUndefined();
  });

  it("linear regressor", async () => {
    const r = await evaluateModel({
      model: model("linear.onnx"),
      data: model("regression.csv"),
      label: "target",
    });
    expect(r.task).toBe("regression");
    const m = r.candidate.regression;
    for (const key of ["mae", "rmse", "mape", "r2"] as const)
      expect(m?.[key]).toBeCloseTo(expected.linear[key], 5);
    expect(m?.rows).toBe(expected.linear.rows);
  });

  it("fairness over the protected attribute, as AIF360 defines it", async () => {
    const r = await evaluateModel({
      model: model("logreg.onnx"),
      data: model("binary.csv"),
      label: "label",
      protectedAttribute: "group",
    });
    const want = expected.logregFairness;
    expect(r.fairness?.privileged).toBe(want.privileged);
    expect(r.fairness?.privilegedSource).toBe("largest group");
    for (const g of r.fairness?.groups ?? []) {
      const w = want.groups[g.group];
      expect(g.count).toBe(w.count);
      expect(g.positives).toBe(w.positives);
      for (const k of ["selectionRate", "truePositiveRate", "falsePositiveRate"] as const)
        expect(g[k]).toBeCloseTo(w[k], 12);
    }
    const c = r.fairness?.comparisons[0];
    const wc = want.comparisons[c?.group as string];
    for (const k of [
      "statisticalParityDifference",
      "disparateImpact",
      "equalOpportunityDifference",
      "averageOddsDifference",
    ] as const)
      expect(c?.[k]).toBeCloseTo(wc[k], 12);
    // The four-fifths rule applies by default.
    expect(r.gates.map((g) => g.name)).toEqual(["fairness.disparateImpact.min[b]"]);
    expect(r.gates[0]?.value).toBeCloseTo(wc.disparateImpact, 12);
  });

  it("ROC, PR and calibration curves end where the metrics say", async () => {
    const r = await evaluateModel({
      model: model("logreg.onnx"),
      data: model("binary.csv"),
      label: "label",
      protectedAttribute: "group",
    });
    expect(r.curves?.roc?.[0]).toEqual([0, 0]);
    expect(r.curves?.roc?.at(-1)).toEqual([1, 1]);
    expect(r.curves?.pr?.at(-1)?.[0]).toBe(1);
    const bins = r.curves?.calibration ?? [];
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(400);
    const ece = bins.reduce((a, b) => a + (b.count / 400) * Math.abs(b.meanPredicted - b.observedRate), 0);
    expect(ece).toBeCloseTo(expected.logreg.ece, 6);
  });
});

describe("mlops evaluate: champion and challenger", () => {
  const base = {
    model: model("logreg.onnx"),
    champion: model("champion.onnx"),
    data: model("binary.csv"),
    label: "label",
    protectedAttribute: "group",
  };

  it("judges the AUC improvement by a paired bootstrap interval, the same for the same seed", async () => {
    const a = await evaluateModel(base);
    const b = await evaluateModel(base);
    const c = a.comparison;
    expect(c?.metric).toBe("rocAuc");
    // The script replays the same mulberry32 draws and ranks each resample afresh with scipy.
    const want = expected.championBootstrap;
    expect([c?.resamples, c?.confidence, c?.seed]).toEqual([want.resamples, want.confidence, want.seed]);
    expect(c?.improvement.estimate).toBeCloseTo(want.estimate, 9);
    expect(c?.improvement.lower).toBeCloseTo(want.lower, 9);
    expect(c?.improvement.upper).toBeCloseTo(want.upper, 9);
    expect(c?.improvement.undefinedResamples).toBe(0);
    expect(b.comparison?.improvement).toEqual(c?.improvement);
    const other = await evaluateModel({
      ...base,
      gates: { champion: { margin: 0, resamples: 1000, confidence: 0.95, seed: 7 } },
    });
    expect(other.comparison?.improvement.lower).not.toBe(c?.improvement.lower);
  });

  it("a model against itself improves by exactly zero in every resample", async () => {
    const r = await evaluateModel({
      ...base,
      champion: model("logreg.onnx"),
      gates: { champion: { margin: -0.001, resamples: 200, confidence: 0.9, seed: 1 } },
    });
    expect(r.comparison?.improvement).toMatchObject({ estimate: 0, lower: 0, upper: 0 });
    expect(r.verdict).toBe("pass");
  });

  it("bootstraps any gated metric, oriented so that positive is better", async () => {
    const settings = { margin: -1, resamples: 200, confidence: 0.9, seed: 3 };
    const f1 = await evaluateModel({ ...base, gates: { champion: { ...settings, metric: "macroF1" } } });
    expect(f1.comparison?.improvement.estimate).toBeCloseTo(
      expected.logreg.macro.f1 - expected.champion.macro.f1,
      12,
    );
    const loss = await evaluateModel({ ...base, gates: { champion: { ...settings, metric: "logLoss" } } });
    expect(loss.comparison?.improvement.estimate).toBeCloseTo(
      expected.champion.logLoss - expected.logreg.logLoss,
      6,
    );
    const rmse = await evaluateModel({
      model: model("linear.onnx"),
      champion: model("linear.onnx"),
      data: model("regression.csv"),
      label: "target",
      gates: { champion: { ...settings, margin: 0 } },
    });
    expect(rmse.comparison?.metric).toBe("rmse");
    expect(rmse.comparison?.improvement).toMatchObject({ estimate: 0, lower: 0, upper: 0 });
    expect(rmse.exitCode).toBe(0);
  });

  it("fails the margin and the largest regression allowed, naming value and limit", async () => {
    // The champion is the weaker model: as the candidate it loses.
    const r = await evaluateModel({
      ...base,
      model: model("champion.onnx"),
      champion: model("logreg.onnx"),
      gates: {
        champion: {
          margin: 0,
          maxRegression: { accuracy: 0.01 },
          resamples: 500,
          confidence: 0.95,
          seed: 42,
        },
      },
    });
    expect(r.exitCode).toBe(2);
    const failed = r.gates.filter((g) => !g.passed).map((g) => g.name);
    expect(failed).toContain("champion.rocAuc.improvementLowerBound");
    expect(failed).toContain("champion.maxRegression.accuracy");
    const loss = r.gates.find((g) => g.name === "champion.maxRegression.accuracy");
    expect(loss?.value).toBeCloseTo(expected.logreg.accuracy - expected.champion.accuracy, 12);
    expect(loss?.limit).toBe(0.01);
  });
});

describe("mlops evaluate: gates and exit codes", () => {
  const gatesFile = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const args = { model: model("logreg.onnx"), data: model("binary.csv"), label: "label", protected: "group" };

  it("exit 0 when every gate passes, 2 when one fails, each failure named with value and limit", async () => {
    const pass = gatesFile(
      "pass.yaml",
      "metrics:\n  rocAuc: {min: 0.75}\n  logLoss: {max: 0.6}\nlatency: {p95BatchMs: 60000}\n",
    );
    const io = captureIo();
    expect(await runEvaluateCommand({ ...args, gates: pass }, io)).toBe(0);
    expect(io.err()).toContain("PASS");

    const fail = gatesFile(
      "fail.json",
      JSON.stringify({
        metrics: { rocAuc: { min: 0.9 }, accuracy: { min: 0.5 } },
        fairness: { statisticalParityDifference: { maxAbs: 0.01 } },
      }),
    );
    const out = join(dir, "fail-report.json");
    const io2 = captureIo();
    expect(await runEvaluateCommand({ ...args, gates: fail, json: out }, io2)).toBe(2);
    const report = JSON.parse(readFileSync(out, "utf8")) as EvaluationReport;
    const failed = report.gates.filter((g) => !g.passed);
    expect(failed.map((g) => g.name)).toEqual([
      "metrics.rocAuc.min",
      "fairness.statisticalParityDifference.maxAbs[b]",
    ]);
    expect(failed[0]).toMatchObject({ limit: 0.9, comparison: ">=" });
    expect(failed[0]?.value).toBeCloseTo(expected.logreg.rocAuc, 6);
    expect(io2.err()).toMatch(/gate failed: metrics\.rocAuc\.min: 0\.78\d+ is not >= 0\.9/);
  });

  it("refuses unknown keys and unknown metrics in the gates file (exit 1, no report)", async () => {
    const out = join(dir, "never.json");
    for (const text of [
      "metrics:\n  rocAuc: {minimum: 0.8}\n",
      "metric:\n  rocAuc: {min: 0.8}\n",
      "metrics:\n  auc: {min: 0.8}\n",
    ]) {
      const io = captureIo();
      expect(await runEvaluateCommand({ ...args, gates: gatesFile("bad.yaml", text), json: out }, io)).toBe(
        1,
      );
      expect(io.err()).toContain("the gates file is invalid");
    }
    expect(filesIn(dir)).not.toContain("never.json");
  });

  it("refuses a gate on a metric the task does not have", async () => {
    const io = captureIo();
    const gates = gatesFile("f1.yaml", "metrics:\n  f1: {min: 0.5}\n");
    expect(
      await runEvaluateCommand(
        { model: model("multiclass.onnx"), data: model("multiclass.csv"), label: "species", gates },
        io,
      ),
    ).toBe(1);
    expect(io.err()).toContain("names f1, which a multi-class classifier does not have");
  });
});

describe("mlops evaluate: bad input exits 1 with a clear message", () => {
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  async function error(options: Parameters<typeof runEvaluateCommand>[0]): Promise<string> {
    const io = captureIo();
    expect(await runEvaluateCommand(options, io)).toBe(1);
    return io.err();
  }
  const binary = model("binary.csv");

  it("a file that is not ONNX", async () => {
    expect(await error({ model: write("not.onnx", "hello"), data: binary, label: "label" })).toMatch(
      /not\.onnx: is not an ONNX model ONNX Runtime can load \(.*protobuf parsing failed.*\)/i,
    );
  });

  it("an input the columns cannot fill", async () => {
    expect(await error({ model: model("logreg.onnx"), data: binary, label: "label" })).toContain(
      'input "float_input" takes 4 features but 5 columns would fill it (x0, x1, x2, x3, group)',
    );
    expect(
      await error({
        model: model("linear.onnx"),
        data: binary,
        label: "label",
        features: ["x0", "x1", "x2", "x3"],
      }),
    ).toContain("takes 3 features but 4 columns");
  });

  it("a missing label or feature column", async () => {
    expect(await error({ model: model("logreg.onnx"), data: binary, label: "y" })).toContain(
      'has no label column "y"',
    );
    expect(
      await error({
        model: model("logreg.onnx"),
        data: binary,
        label: "label",
        features: ["x0", "x1", "x2", "x9"],
      }),
    ).toContain('the data has no column "x9"');
  });

  it("a label set with one class: AUC is undefined", async () => {
    const data = write("one-class.csv", "a,b,c,d,label\n1,2,3,4,1\n0,1,0,1,1\n");
    expect(await error({ model: model("logreg.onnx"), data, label: "label" })).toContain(
      "holds one class only (1): ROC AUC and PR AUC are undefined",
    );
  });

  it("a protected attribute with one group", async () => {
    const data = write("one-group.csv", "a,b,c,d,g,label\n1,2,3,4,x,1\n0,1,0,1,x,0\n");
    expect(await error({ model: model("logreg.onnx"), data, label: "label", protected: "g" })).toContain(
      'column "g": has one group only (x)',
    );
  });

  it("a non-numeric feature, with its row and column", async () => {
    const data = write("text.csv", "a,b,c,d,label\n1,2,3,4,1\n0,red,0,1,0\n");
    expect(await error({ model: model("logreg.onnx"), data, label: "label" })).toContain(
      'row 2, column "b": holds "red", which is not a number',
    );
  });

  it("a missing feature cell the model turns into NaN, with its row", async () => {
    const data = write("missing.csv", "a,b,c,d,label\n1,2,3,4,1\n0,,0,1,0\n");
    expect(await error({ model: model("logreg.onnx"), data, label: "label" })).toContain(
      "logreg.onnx, row 2: the model returned NaN for this holdout row",
    );
  });

  it("a label that is not one of the model's classes", async () => {
    const data = write("class.csv", "f0,f1,f2,f3,species\n1,2,3,4,0\n0,1,0,1,1\n1,1,1,1,2\n0,0,0,0,7\n");
    expect(await error({ model: model("multiclass.onnx"), data, label: "species" })).toContain(
      "holds 7, which is not a class of this model (0 to 2",
    );
  });
});

describe("mlops evaluate in the runtime image's bundle", () => {
  it("scores, writes both reports and returns the verdict", () => {
    const json = join(dir, "bundle.json");
    const html = join(dir, "bundle.html");
    const r = runMain([
      "evaluate",
      "--model",
      model("mlp.onnx"),
      "--data",
      model("binary.csv"),
      "--label",
      "label",
      "--protected",
      "group",
      "--json",
      json,
      "--html",
      html,
    ]);
    expect(r.stderr).toContain("PASS");
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(json, "utf8")) as EvaluationReport;
    expect(report.candidate.classification?.rocAuc).toBeCloseTo(expected.mlp.rocAuc, 6);
    expect(readFileSync(html, "utf8")).toMatch(/^<!doctype html>/);
  });
});
