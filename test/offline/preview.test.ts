import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CapturedResource } from "../../offline/capture";
import { UNKNOWN } from "../../offline/properties";
import { type CliResult, REPO_ROOT, runCli } from "../helpers/cli";

const fixture = (name: string) => path.join(REPO_ROOT, "test/offline/fixtures", name);

describe("mlops preview on a program outside stacks/ (nested components)", () => {
  let run: CliResult;
  let plan: {
    resources: CapturedResource[];
    stackOutputs: Record<string, unknown>;
    stack: string;
    project: string;
  };
  const byName = (name: string) => plan.resources.find((r) => r.name === name)!;

  beforeAll(() => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "mlops-preview-")), "plan.json");
    run = runCli(["preview", "--stack", "dev", "--program", fixture("nested"), "--json", out]);
    expect(run.stderr).toBe("");
    plan = JSON.parse(readFileSync(out, "utf8"));
  });

  it("exits 0 and prints the tree grouped by component with counts and the outputs", () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("pulumi:pulumi:Stack  nested-dev  (7 resources)");
    expect(run.stdout).toContain("├─ test:index:Outer  outer  (4 resources)");
    expect(run.stdout).toMatch(/│ {2}└─ test:index:Inner {2}outer-inner {2}\(3 resources\)/);
    expect(run.stdout).toContain("test:index:Leaf  outer-inner-leaf0  [protect retainOnDelete]");
    expect(run.stdout).toContain("test:index:Leaf  outer-inner-leaf1  [ignoreChanges=size]");
    expect(run.stdout).toContain("Resources: 8 to create (5 resources, 3 components; 1 protected)");
    expect(run.stdout).toContain('label: "from-project"');
    expect(run.stdout).toContain("firstArn: (known after apply)");
    expect(run.stdout).toContain("Offline approximation");
  });

  it("forms URNs as the engine does: full parent type chain, no root stack type", () => {
    expect(byName("outer").urn).toBe("urn:pulumi:dev::nested::test:index:Outer::outer");
    expect(byName("outer-inner").urn).toBe(
      "urn:pulumi:dev::nested::test:index:Outer$test:index:Inner::outer-inner",
    );
    expect(byName("outer-inner-leaf1").urn).toBe(
      "urn:pulumi:dev::nested::test:index:Outer$test:index:Inner$test:index:Leaf::outer-inner-leaf1",
    );
    expect(byName("nested-dev").urn).toBe("urn:pulumi:dev::nested::pulumi:pulumi:Stack::nested-dev");
    expect(byName("outer").parent).toBe(byName("nested-dev").urn);
    expect(byName("outer-inner-leaf0").parent).toBe(byName("outer-inner").urn);
  });

  it("resolves structured aliases to the URNs the engine would match", () => {
    expect(byName("outer-inner").options.aliases).toEqual([
      "urn:pulumi:dev::nested::test:index:OldInner::inner",
      "urn:pulumi:dev::nested::test:index:Legacy::legacy",
    ]);
  });

  it("records options, explicit providers, dependencies and property dependencies", () => {
    const leaf0 = byName("outer-inner-leaf0");
    expect(leaf0.custom).toBe(true);
    expect(leaf0.options.protect).toBe(true);
    expect(leaf0.options.retainOnDelete).toBe(true);
    const provider = byName("explicit");
    expect(provider.type).toBe("pulumi:providers:test");
    expect(leaf0.provider).toBe(`${provider.urn}::${UNKNOWN}`);
    const leaf2 = byName("outer-inner-leaf2");
    expect(leaf2.options.ignoreChanges).toEqual(["size"]);
    expect(leaf2.dependencies).toEqual([leaf0.urn]);
    expect(leaf2.propertyDependencies.source).toEqual([leaf0.urn]);
    // Depending on a component means depending on every resource inside it, as the SDK expands it.
    expect([...byName("standalone").dependencies].sort()).toEqual(
      ["outer-inner-leaf0", "outer-inner-leaf1", "outer-inner-leaf2"].map((n) => byName(n).urn).sort(),
    );
    expect(byName("outer").custom).toBe(false);
  });

  it("keeps computed values unknown, as a preview does", () => {
    expect(byName("outer-inner-leaf1").inputs.source).toBe(UNKNOWN);
    expect(plan.stackOutputs.firstArn).toBe(UNKNOWN);
  });

  it("merges Pulumi.yaml defaults under the stack file and turns secure values into placeholder secrets", () => {
    expect(byName("outer-inner").outputs).toBeDefined();
    // size 3 from the stack file beats the project default of 2
    expect(
      plan.resources.filter((r) => r.type === "test:index:Leaf" && r.name.startsWith("outer-inner-")),
    ).toHaveLength(3);
    expect(byName("standalone").inputs.label).toBe("from-project");
    expect(byName("standalone").inputs.secret).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: "offline-placeholder-secret",
    });
  });
});

describe("mlops preview failures", () => {
  it("refuses a duplicate URN as the engine does", () => {
    const r = runCli(["preview", "--stack", "dev", "--program", fixture("duplicate")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Duplicate resource URN 'urn:pulumi:dev::duplicate::test:index:Thing::same'");
  });

  it("refuses a missing required config key, naming it", () => {
    const r = runCli(["preview", "--stack", "dev", "--program", fixture("failing")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("missing required configuration variable 'failing:replicas'");
  });

  it("refuses a config value of the wrong type, naming the key and the fix", () => {
    const r = runCli(["preview", "--stack", "typo", "--program", fixture("failing")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "config 'failing:replicas' is string \"three\", but Pulumi.yaml declares it integer. Fix: give a integer value.",
    );
  });

  it("reports a program error without a stack trace and exits non-zero", () => {
    const r = runCli(["preview", "--stack", "thrown", "--program", fixture("failing")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: program test/offline/fixtures/failing/index.ts failed: refusing to build 2 replicas: this fixture always fails\n",
    );
  });

  it("refuses an unknown stack, listing where it looked", () => {
    const r = runCli(["preview", "--stack", "nope", "--program", fixture("nested")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Pulumi\.nope\.yaml: no such stack file/);
  });
});
