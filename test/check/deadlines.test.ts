/**
 * `mlops check` never hangs: a program that collides or never settles, and a pack that exits or never
 * answers, each end the run with exit 1 and a message naming the stage, the resource or output, and the fix.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type CheckRun, FIXTURES, REPO_ROOT, runCheck } from "./helpers";

const MISBEHAVING_PACK = path.join(FIXTURES, "packs/misbehaving");

/** A project running the repository's platform program, with a stack of two endpoints of one name. */
const platform = mkdtempSync(path.join(tmpdir(), "mlops-check-deadlines-"));
afterAll(() => rmSync(platform, { recursive: true, force: true }));

const runs: Record<string, CheckRun> = {};

beforeAll(async () => {
  const project = parse(readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
  delete project.stackConfigDir;
  writeFileSync(
    path.join(platform, "Pulumi.yaml"),
    stringify({ ...project, main: path.join(REPO_ROOT, "stacks/index.ts") }),
  );
  const local = parse(readFileSync(path.join(REPO_ROOT, "stacks/Pulumi.local.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  const endpoints = local.config["mlops:servingEndpoints"] as unknown[];
  writeFileSync(
    path.join(platform, "Pulumi.dup.yaml"),
    stringify({ config: { ...local.config, "mlops:servingEndpoints": [...endpoints, endpoints[0]] } }),
  );
  // The pack is compiled once (ts-node caches it) before the runs that need it go side by side.
  runs.exited = await runCheck({ stack: "dev", pack: MISBEHAVING_PACK, env: { FIXTURE_PACK_MODE: "exit" } });
  const [stalled, duplicate, pending] = await Promise.all([
    runCheck({
      stack: "dev",
      pack: MISBEHAVING_PACK,
      env: { FIXTURE_PACK_MODE: "hang" },
      extraArgs: ["--timeout", "4"],
    }),
    runCheck({ stack: "dup", program: platform }),
    runCheck({
      stack: "dev",
      program: path.join(REPO_ROOT, "test/offline/fixtures/pending"),
      extraArgs: ["--timeout", "2"],
    }),
  ]);
  Object.assign(runs, { stalled, duplicate, pending });
}, 300_000);

describe("mlops check under a program that cannot finish", () => {
  it("refuses two serving endpoints of one name at construction instead of hanging", () => {
    const r = runs.duplicate!;
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      'mlops:servingEndpoints[1].name = "recommender": gives the v1/Service "recommender" in namespace "mlops"',
    );
    expect(r.stderr).toContain("Fix: give each a different name");
  });

  it("ends a program whose output never settles at the deadline", () => {
    const r = runs.pending!;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "program test/offline/fixtures/pending/index.ts did not finish within 2 s: stack output 'stuck' never settled.",
    );
  });
});

describe("mlops check under a pack that fails mid-run", () => {
  it("reports a pack that exits as its exit, with its code and stderr", () => {
    const r = runs.exited!;
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /policy pack at ".*misbehaving" exited with code 7 during Analyze; its stderr:\nmisbehaving-policy: out of memory on (lake|open)-bucket/,
    );
    expect(r.stderr).not.toContain("Connection dropped");
  });

  it("ends a policy that never answers at the deadline, naming the call", () => {
    const r = runs.stalled!;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /Analyze of urn:pulumi:dev::check-fixture::fixture:index:DataLake\$aws:s3\/bucket:Bucket::(lake|open)-bucket did not answer within 4 s\. Fix: find the policy that never returns/,
    );
  });

  it("checks the output paths before running anything", async () => {
    const sarif = path.join(platform, "missing", "out.sarif");
    const r = await runCheck({ stack: "dev", extraArgs: ["--sarif", sarif] });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: --sarif ${sarif}: the directory ${path.dirname(sarif)} does not exist. Create it first, or write elsewhere\n`,
    );
  });
});
