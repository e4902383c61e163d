/**
 * examples/ci/model-promotion.yml: its Evaluate step, run as the runner would (bash, with the
 * workflow's env pointed at the test models), passes a good candidate, blocks a worse one with
 * exit 2 and a summary naming the failed gate, and always leaves the reports the upload step takes.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO, tempDir } from "./helpers";

interface Step {
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}
const workflow = parse(readFileSync(join(REPO, "examples/ci/model-promotion.yml"), "utf8")) as {
  env: Record<string, string>;
  jobs: Record<string, { steps: Step[]; if?: string; needs?: string; outputs?: Record<string, string> }>;
};
const evaluate = workflow.jobs.evaluate?.steps.find((s) => s.id === "evaluate") as Step;
const upload = workflow.jobs.evaluate?.steps.find((s) =>
  s.uses?.startsWith("actions/upload-artifact"),
) as Step;
const models = join(REPO, "test/runtime/fixtures/models");
const hasJq = spawnSync("jq", ["--version"]).status === 0;

function runStep(candidate: string, champion: string, gates: string) {
  const work = tempDir("mlops-promotion-");
  // The step runs from the repository root, as after actions/checkout; reports land in the cwd.
  const script = (evaluate.run as string).replace(
    /node bin\/mlops\.cjs/g,
    `node ${join(REPO, "bin/mlops.cjs")}`,
  );
  const result = spawnSync("bash", ["-e", "-c", script], {
    cwd: work,
    encoding: "utf8",
    env: {
      ...process.env,
      CANDIDATE: join(models, candidate),
      CHAMPION: join(models, champion),
      HOLDOUT: join(models, "binary.csv"),
      LABEL: "label",
      PROTECTED: "group",
      GATES: gates,
      GITHUB_OUTPUT: join(work, "output"),
      GITHUB_STEP_SUMMARY: join(work, "summary.md"),
    },
    timeout: 120_000,
  });
  const read = (name: string) => (existsSync(join(work, name)) ? readFileSync(join(work, name), "utf8") : "");
  return {
    code: result.status,
    work,
    output: read("output"),
    summary: read("summary.md"),
    stdout: result.stdout,
  };
}

describe("examples/ci/model-promotion.yml", () => {
  const gates = join(tempDir("mlops-promotion-gates-"), "gates.yaml");
  writeFileSync(
    gates,
    "metrics:\n  rocAuc: {min: 0.75}\nchampion:\n  metric: rocAuc\n  margin: 0\n  maxRegression: {f1: 0.02}\n",
  );

  it("promotes only on a pass, and uploads the reports also after a failed gate", () => {
    expect(workflow.jobs.promote?.needs).toBe("evaluate");
    expect(workflow.jobs.promote?.if).toContain("needs.evaluate.outputs.verdict == 'pass'");
    expect(workflow.jobs.evaluate?.outputs?.verdict).toBe(`\${{ steps.evaluate.outputs.verdict }}`);
    expect(upload.if).toContain("!cancelled()");
    expect(upload.with?.path).toContain("evaluation.html");
  });

  it.skipIf(!hasJq)("passes a candidate that beats the champion", () => {
    const r = runStep("logreg.onnx", "champion.onnx", gates);
    expect(r.code).toBe(0);
    expect(r.output).toContain("verdict=pass");
    expect(r.summary).toContain("| champion.rocAuc.improvementLowerBound |");
    expect(r.summary).not.toContain("FAIL");
    expect(existsSync(join(r.work, "evaluation.html"))).toBe(true);
  });

  it.skipIf(!hasJq)(
    "fails the job with exit 2 and names the failed gates when the candidate is worse",
    () => {
      const r = runStep("champion.onnx", "logreg.onnx", gates);
      expect(r.code).toBe(2);
      expect(r.output).toContain("verdict=fail");
      expect(r.stdout).toContain("::error title=Promotion blocked::");
      expect(r.summary).toMatch(/\| metrics\.rocAuc\.min \| 0\.74\d* \| >= 0\.75 \| \*\*FAIL\*\* \|/);
      expect(r.summary).toMatch(/\| champion\.maxRegression\.f1 \| .* \| <= 0\.02 \| \*\*FAIL\*\* \|/);
      expect(existsSync(join(r.work, "evaluation.json"))).toBe(true);
    },
  );

  it.skipIf(!hasJq)("reports an error (exit 1, no report) on bad input", () => {
    const r = runStep("binary.csv", "champion.onnx", gates);
    expect(r.code).toBe(1);
    expect(r.output).toContain("verdict=error");
    expect(r.summary).toBe("");
  });
});
