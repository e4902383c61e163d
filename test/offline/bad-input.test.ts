/**
 * `mlops preview` under bad input never hangs and never exits in silence: every case below exits 1 with a
 * message that names the key, output or resource and the fix. The slow runs start side by side.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type CliResult, REPO_ROOT, runCli, runCliAsync } from "../helpers/cli";

const fixture = (name: string) => path.join(REPO_ROOT, "test/offline/fixtures", name);

/** A project running the repository's platform program (stacks/index.ts) with stack files of the test's own. */
const platform = mkdtempSync(path.join(tmpdir(), "mlops-bad-input-"));
afterAll(() => rmSync(platform, { recursive: true, force: true }));
const project = parse(readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
delete project.stackConfigDir;
writeFileSync(
  path.join(platform, "Pulumi.yaml"),
  stringify({ ...project, main: path.join(REPO_ROOT, "stacks/index.ts") }),
);
const local = parse(readFileSync(path.join(REPO_ROOT, "stacks/Pulumi.local.yaml"), "utf8")) as {
  config: Record<string, unknown>;
};

const runs: Record<string, CliResult> = {};

beforeAll(async () => {
  // Two endpoints of one name: the second's URNs collide with the first's.
  const endpoints = local.config["mlops:servingEndpoints"] as { name: string }[];
  const duplicate = {
    config: { ...local.config, "mlops:servingEndpoints": [...endpoints, { ...endpoints[0] }] },
  };
  writeFileSync(path.join(platform, "Pulumi.dup.yaml"), stringify(duplicate));
  // A section that is not a map, and typos under mlops:kubernetes.
  writeFileSync(
    path.join(platform, "Pulumi.typo.yaml"),
    "config:\n  mlops:owner: a\n  mlops:costCenter: b\n  mlops:environment: dev\n  mlops:featureStore: yes\n  mlops:kubernetes:\n    namespce: ml\n    createNamespce: false\n",
  );
  const [dup, typo, pending, stalled, planOnStdout] = await Promise.all([
    runCliAsync(["preview", "--stack", "dup", "--program", platform]),
    runCliAsync(["preview", "--stack", "typo", "--program", platform]),
    runCliAsync(["preview", "--stack", "dev", "--program", fixture("pending")]),
    runCliAsync(["preview", "--stack", "dev", "--program", fixture("pending"), "--timeout", "1"], {
      env: { FIXTURE_KEEP_ALIVE: "1" },
    }),
    runCliAsync(["preview", "--stack", "dev", "--program", fixture("nested"), "--json", "-"]),
  ]);
  Object.assign(runs, { dup, typo, pending, stalled, planOnStdout });
}, 240_000);

describe("mlops preview never hangs or exits in silence", () => {
  it("refuses two serving endpoints of one name at construction, naming the stack key and the fix", () => {
    // The platform claims each endpoint's physical names before its URNs can collide, so the
    // clash is reported against the stack key rather than as a duplicate URN (which
    // test/offline/preview.test.ts covers for any program).
    const r = runs.dup!;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'mlops:servingEndpoints[1].name = "recommender": gives the v1/Service "recommender" in namespace "mlops"',
    );
    expect(r.stderr).toContain("Fix: give each a different name");
    expect(r.stderr).not.toContain("promises were still active");
  });

  it("names the stack output that never settles, once nothing is left to settle it", () => {
    const r = runs.pending!;
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      "program test/offline/fixtures/pending/index.ts stopped without finishing: stack output 'stuck' never settled.",
    );
  });

  it("ends a program that stays busy at the deadline, naming the output and the flag", () => {
    const r = runs.stalled!;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "program test/offline/fixtures/pending/index.ts did not finish within 1 s: stack output 'stuck' never settled.",
    );
    expect(r.stderr).toContain("raise --timeout or MLOPS_TIMEOUT");
  });

  it("refuses a deadline that is not a positive number", () => {
    const flag = runCli(["preview", "--stack", "dev", "--program", fixture("nested"), "--timeout", "abc"]);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('--timeout must be a positive number of seconds, got "abc"');
    const env = runCli(["preview", "--stack", "dev", "--program", fixture("nested")], {
      env: { MLOPS_TIMEOUT: "-3" },
    });
    expect(env.code).toBe(1);
    expect(env.stderr).toContain('MLOPS_TIMEOUT must be a positive number of seconds, got "-3"');
  });
});

describe("typos in the stack file do not vanish", () => {
  it("refuses unknown keys under mlops:kubernetes with the nearest known key, and a section of the wrong type", () => {
    const r = runs.typo!;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "mlops:featureStore = \"yes\": must be a map of settings (YAML 'field: value' lines). Fix: indent its settings under 'mlops:featureStore:'",
    );
    expect(r.stderr).toContain("mlops:kubernetes.namespce: unknown key (did you mean 'namespace'?)");
    expect(r.stderr).toContain(
      "mlops:kubernetes.createNamespce: unknown key (did you mean 'createNamespace'?)",
    );
  });

  it("refuses a stack file whose root is a list, naming the fix", () => {
    writeFileSync(path.join(platform, "Pulumi.list.yaml"), "- mlops:owner: a\n- mlops:costCenter: b\n");
    const r = runCli(["preview", "--stack", "list", "--program", platform]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "Pulumi.list.yaml: the file is a list, but a stack file is a map with a 'config' key. Fix: start the file with 'config:'",
    );
  });
});

describe("mlops preview output streams", () => {
  it("writes the plan to stdout for --json -, and the tree to stderr", () => {
    const r = runs.planOnStdout!;
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { resources: { name: string }[] };
    expect(plan.resources.map((x) => x.name)).toContain("outer-inner-leaf0");
    expect(r.stderr).toContain("pulumi:pulumi:Stack  nested-dev  (7 resources)");
  });

  it("checks the --json path before running the program", () => {
    const r = runCli([
      "preview",
      "--stack",
      "dev",
      "--program",
      fixture("pending"),
      "--json",
      path.join(platform, "no-such-dir", "plan.json"),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    // The program (whose output never settles) never ran: the path was refused first.
    expect(r.stderr).toBe(
      `error: --json ${path.join(platform, "no-such-dir", "plan.json")}: the directory ${path.join(platform, "no-such-dir")} does not exist. Create it first, or write elsewhere\n`,
    );
  });
});
