/**
 * Bad input to `mlops check` fails with exit 1 and an error that names the file, the policy, the field,
 * the bad value and the fix, in the Pulumi CLI's words where the CLI has words for it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES, REPO_ROOT, runCheck } from "./helpers";

const scratch = mkdtempSync(path.join(tmpdir(), "mlops-check-errors-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("bad policy pack config", () => {
  it("an invalid enforcement level is refused before anything runs", async () => {
    const run = await runCheck({ stack: "dev", config: { "bucket-must-be-private": "strict" } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^error: .*policy-config\.json: parsing enforcement level for "bucket-must-be-private": "strict" is not a valid enforcement level\. Fix: use one of "advisory", "mandatory", "remediate", "disabled"\.\n$/,
    );
  });

  it("a value of the wrong type is refused against the policy's configSchema", async () => {
    const run = await runCheck({ stack: "dev", config: { "max-buckets": { maxBuckets: "two" } } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      'error: validating policy config: fixture-basic 1.2.3  max-buckets: maxBuckets: Invalid type. Expected: integer, given: string "two"',
    );
    expect(run.stderr).toMatch(
      /Fix: correct this entry in .*policy-config\.json to match each policy's configSchema\./,
    );
  });

  it("a value outside the schema's bounds is refused with the value", async () => {
    const run = await runCheck({ stack: "dev", config: { "max-buckets": { maxBuckets: -1 } } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("max-buckets: maxBuckets: must be >= 0, given: -1");
  });

  it("an unknown policy name is refused and the pack's policy names are listed", async () => {
    const run = await runCheck({ stack: "dev", config: { "bucket-must-be-privat": "mandatory" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '"bucket-must-be-privat" is not a policy of policy pack fixture-basic 1.2.3. Fix: use one of "add-managed-by-tag", "bucket-must-be-private",',
    );
  });

  it("a config file that is not JSON is refused", async () => {
    const run = await runCheck({ stack: "dev", configText: "{ all: advisory }" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/policy-config\.json: not valid JSON: /);
  });
});

describe("bad pack or program", () => {
  it("a directory without PulumiPolicy.yaml is refused", async () => {
    const run = await runCheck({ stack: "dev", pack: scratch });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `failed to load Pulumi policy project located at "${scratch}": no PulumiPolicy.yaml.`,
    );
  });

  it("a pack that does not compile fails with the TypeScript error, as under the CLI", async () => {
    // Inside the repository (its gitignored tmp/) so that the pack resolves @pulumi/pulumi and @pulumi/policy,
    // and outside what tsc and git look at; not under node_modules, which ts-node does not compile.
    const pack = path.join(REPO_ROOT, "tmp/mlops-check-tests", `broken-${process.pid}`);
    mkdirSync(pack, { recursive: true });
    try {
      writeFileSync(path.join(pack, "PulumiPolicy.yaml"), "runtime: nodejs\n");
      writeFileSync(path.join(pack, "package.json"), '{"name":"broken","version":"0.0.1"}\n');
      writeFileSync(
        path.join(pack, "index.ts"),
        'import { PolicyPack } from "@pulumi/policy";\nconst n: number = "not a number";\nnew PolicyPack("broken", { policies: [] });\n',
      );
      const run = await runCheck({ stack: "dev", pack });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`policy pack at "${pack}" failed to start`);
      expect(run.stderr).toContain("Type 'string' is not assignable to type 'number'");
    } finally {
      rmSync(pack, { recursive: true, force: true });
    }
  });

  it("a policy that throws fails the check with the pack's error and the resource", async () => {
    const run = await runCheck({ stack: "dev", pack: path.join(FIXTURES, "packs/throwing") });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /Analyze of urn:pulumi:dev::check-fixture::fixture:index:DataLake\$aws:s3\/bucket:Bucket::(lake|open)-bucket failed: Error validating resource with policy 'buggy-policy' from policy pack 'fixture-throwing@v0\.0\.1':\nError: buggy-policy cannot handle (lake|open)-bucket/,
    );
  });

  it("a program that throws fails the check with the program's error", async () => {
    const run = await runCheck({ stack: "dev", program: path.join(FIXTURES, "programs/failing") });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      "failed: Error: the fixture program failed on purpose: no bucket name for stage 'qa'",
    );
  });

  it("an unknown stack names the missing stack file", async () => {
    const run = await runCheck({ stack: "nope" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Pulumi.nope.yaml: no such stack file.");
  });
});
