/**
 * `mlops check` end to end on the fixture program and the fixture "basic" pack: exit codes, the printed
 * report, and how the policy pack config and remediations change the outcome.
 */
import { describe, expect, it } from "vitest";
import { fixtureUrn, runCheck } from "./helpers";

const OPEN_BUCKET = fixtureUrn("dev", "fixture:index:DataLake$aws:s3/bucket:Bucket", "open-bucket");

describe("mlops check exit code and report", () => {
  it("exits 1 on a mandatory violation and prints it grouped under the resource, as pulumi preview does", async () => {
    const run = await runCheck({ stack: "dev" });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      [
        "Policy Violations:",
        "    [mandatory]  fixture-basic v1.2.3  bucket-must-be-private  (aws:s3/bucket:Bucket: open-bucket)",
        "    S3 buckets must not be world-readable.",
        '    Bucket open-bucket has acl "public-read".',
        // Where the program declared the bucket: inside the DataLake component (index.ts line 21).
        "    declared at test/check/fixtures/programs/platform/index.ts:21:19",
        "    [advisory]  fixture-basic v1.2.3  bucket-should-have-owner  (aws:s3/bucket:Bucket: open-bucket)",
      ].join("\n"),
    );
    expect(run.stdout).toMatch(/^FAILED: 1 mandatory violation, 1 advisory violation in 1 of 8 resources/m);
    // The offline caveat is stated exactly once.
    expect(run.stdout.match(/Offline approximation/g)).toHaveLength(1);

    const report = run.report!;
    expect(report.passed).toBe(false);
    expect(report.summary).toEqual({ resources: 8, mandatory: 1, advisory: 1, remediations: 2 });
    expect(report.violations.map((v) => [v.policyName, v.enforcementLevel, v.urn])).toEqual([
      ["bucket-must-be-private", "mandatory", OPEN_BUCKET],
      ["bucket-should-have-owner", "advisory", OPEN_BUCKET],
    ]);
    // The JSON report says where the bucket and its component were declared.
    expect(report.violations[0]).toMatchObject({
      source: { file: expect.stringMatching(/platform\/index\.ts$/), line: 21, column: 19 },
      declaredIn: [{ name: "open", source: { line: 41, column: 1 } }],
    });
    // Schema defaults reach Configure when no config file is given.
    expect(report.config["max-buckets"]).toEqual({
      enforcementLevel: "advisory",
      properties: { maxBuckets: 5 },
    });
  });

  it("exits 0 when only advisory violations remain", async () => {
    const run = await runCheck({ stack: "clean" });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.report!.summary.mandatory).toBe(0);
    expect(run.report!.violations.map((v) => [v.policyName, v.enforcementLevel, v.resourceName])).toEqual([
      ["bucket-should-have-owner", "advisory", "open-bucket"],
    ]);
    expect(run.stdout).toMatch(/^PASSED: 0 mandatory violations, 1 advisory violation/m);
  });
});

describe("policy pack config changes the outcome", () => {
  it("a disabled policy reports nothing and the run passes", async () => {
    const run = await runCheck({ stack: "dev", config: { "bucket-must-be-private": "disabled" } });
    expect(run.code).toBe(0);
    expect(run.report!.config["bucket-must-be-private"]!.enforcementLevel).toBe("disabled");
    expect(run.report!.violations.map((v) => v.policyName)).toEqual(["bucket-should-have-owner"]);
  });

  it('"all" lowers every policy, then a named entry raises one back', async () => {
    const run = await runCheck({
      stack: "dev",
      config: { all: "advisory", "bucket-should-have-owner": { enforcementLevel: "mandatory" } },
    });
    expect(run.code).toBe(1);
    // "all" also lowers the remediation to advisory, so it no longer runs and the tag rule fires.
    expect(run.report!.violations.map((v) => [v.policyName, v.enforcementLevel, v.resourceName])).toEqual([
      ["managed-by-tag-required", "advisory", "lake-bucket"],
      ["bucket-must-be-private", "advisory", "open-bucket"],
      ["bucket-should-have-owner", "mandatory", "open-bucket"],
      ["managed-by-tag-required", "advisory", "open-bucket"],
    ]);
  });

  it("a config property reaches the stack policy through Configure", async () => {
    const run = await runCheck({ stack: "clean", config: { "max-buckets": { maxBuckets: 1 } } });
    expect(run.code).toBe(0);
    const stackViolation = run.report!.violations.find((v) => v.policyName === "max-buckets");
    expect(stackViolation).toMatchObject({
      enforcementLevel: "advisory",
      stage: "analyze-stack",
      urn: fixtureUrn("clean", "pulumi:pulumi:Stack", "check-fixture-clean"),
      resourceType: "pulumi:pulumi:Stack",
    });
    expect(stackViolation!.message).toContain("2 buckets exceed maxBuckets=1.");
  });

  it("remediation changes what Analyze sees: without it the tag rule fails both buckets", async () => {
    // With the remediation at its default level, the managed-by tag is added before Analyze runs ...
    const remediated = await runCheck({ stack: "clean" });
    expect(remediated.report!.remediations.map((r) => [r.policyName, r.urn, r.changedKeys])).toEqual([
      [
        "add-managed-by-tag",
        fixtureUrn("clean", "fixture:index:DataLake$aws:s3/bucket:Bucket", "lake-bucket"),
        ["tags"],
      ],
      [
        "add-managed-by-tag",
        fixtureUrn("clean", "fixture:index:DataLake$aws:s3/bucket:Bucket", "open-bucket"),
        ["tags"],
      ],
    ]);
    expect(remediated.report!.violations.some((v) => v.policyName === "managed-by-tag-required")).toBe(false);

    // ... and with it disabled, Analyze sees the program's own tags and the mandatory rule fires.
    const unremediated = await runCheck({ stack: "clean", config: { "add-managed-by-tag": "disabled" } });
    expect(unremediated.code).toBe(1);
    expect(unremediated.report!.remediations).toEqual([]);
    expect(
      unremediated
        .report!.violations.filter((v) => v.policyName === "managed-by-tag-required")
        .map((v) => v.resourceName),
    ).toEqual(["lake-bucket", "open-bucket"]);
  });
});
