/**
 * The example workflow in examples/ci/policy-check.yml is consistent with this repository: its stack
 * discovery finds the stack files, every environment it can derive has a policy config, the SARIF file the
 * check writes is the one it uploads, and dependencies are installed before anything runs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "./helpers";

interface Step {
  id?: string;
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  steps: Step[];
  permissions?: Record<string, string>;
}

const workflow = parse(readFileSync(path.join(REPO_ROOT, "examples/ci/policy-check.yml"), "utf8")) as {
  jobs: Record<string, Job>;
};
const jobs = workflow.jobs;
const hasJq = spawnSync("jq", ["--version"]).status === 0;
/** A GitHub Actions expression, `${{ ... }}`, as the workflow spells it. */
const expr = (body: string) => `\${{ ${body} }}`;

describe("examples/ci/policy-check.yml", () => {
  it.skipIf(!hasJq)(
    "lists every stack file of the repository with an environment that has a policy config",
    () => {
      const script = jobs.stacks!.steps.find((s) => s.id === "list")!.run!;
      const dir = mkdtempSync(path.join(tmpdir(), "mlops-ci-"));
      try {
        const output = path.join(dir, "out");
        const run = spawnSync("bash", ["-euo", "pipefail", "-c", script], {
          cwd: REPO_ROOT,
          env: { ...process.env, GITHUB_OUTPUT: output },
          encoding: "utf8",
        });
        expect(run.stderr).toBe("");
        expect(run.status).toBe(0);
        const line = readFileSync(output, "utf8").trim();
        const targets = JSON.parse(line.replace(/^stacks=/, "")) as { stack: string; environment: string }[];
        expect(targets.length).toBeGreaterThan(0);
        for (const t of targets) {
          expect(existsSync(path.join(REPO_ROOT, "stacks", `Pulumi.${t.stack}.yaml`))).toBe(true);
          expect(["dev", "staging", "prod"]).toContain(t.environment);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("has a policy config for every environment it can derive", () => {
    for (const env of ["dev", "staging", "prod"]) {
      expect(existsSync(path.join(REPO_ROOT, "policies/config", `${env}.json`)), env).toBe(true);
    }
  });

  it("installs dependencies, runs mlops check, and uploads the SARIF file the check wrote", () => {
    const steps = jobs["offline-check"]!.steps;
    const install = steps.findIndex((s) => s.run === "npm ci");
    const checkIndex = steps.findIndex((s) => s.run?.includes("bin/mlops.cjs check"));
    const upload = steps.findIndex((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(checkIndex).toBeGreaterThan(install);
    expect(upload).toBeGreaterThan(checkIndex);
    const command = steps[checkIndex]!.run!;
    const sarifArg = /--sarif "([^"]+)"/.exec(command)![1];
    expect(steps[upload]!.with!.sarif_file).toBe(sarifArg);
    expect(command).toContain(
      `--policy-pack-config "policies/config/${expr("matrix.target.environment")}.json"`,
    );
    expect(jobs["offline-check"]!.permissions!["security-events"]).toBe("write");
  });

  it("runs pulumi preview with the pack only where the Pulumi token exists, after npm ci", () => {
    const preview = jobs.preview!;
    expect(preview.if).toBe(expr("needs.credentials.outputs.available == 'true'"));
    const steps = preview.steps;
    const install = steps.findIndex((s) => s.run === "npm ci");
    const action = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(action).toBeGreaterThan(install);
    expect(install).toBeGreaterThanOrEqual(0);
    expect(steps[action]!.with).toMatchObject({
      command: "preview",
      policyPacks: "policies",
      policyPackConfigs: `policies/config/${expr("matrix.target.environment")}.json`,
    });
  });
});
