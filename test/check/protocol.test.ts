/**
 * What `mlops check` sends over the analyzer protocol, as seen from inside a policy pack: the fixture
 * "introspect" pack reports each request's contents back as advisory violations whose message is JSON.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type CheckRun, fixtureUrn, INTROSPECT_PACK, runCheck } from "./helpers";

const urn = (qualifiedType: string, name: string) => fixtureUrn("dev", qualifiedType, name);
const LAKE = urn("fixture:index:DataLake", "lake");
const LAKE_BUCKET = urn("fixture:index:DataLake$aws:s3/bucket:Bucket", "lake-bucket");
const OPEN = urn("fixture:index:DataLake", "open");
const OPEN_BUCKET = urn("fixture:index:DataLake$aws:s3/bucket:Bucket", "open-bucket");

let run: CheckRun;

/** The JSON payloads a policy reported, keyed by resource name. */
function payloads(policy: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const v of run.report!.violations.filter((x) => x.policyName === policy)) {
    // The pack sends "<description>\n<message>".
    out.set(v.resourceName, JSON.parse(v.message.split("\n").slice(1).join("\n")) as Record<string, unknown>);
  }
  return out;
}

// Generous: a CLI run is a few seconds alone, much longer on a loaded 2-core CI machine.
beforeAll(async () => {
  run = await runCheck({ stack: "dev", pack: INTROSPECT_PACK });
}, 240_000);

describe("analyzer protocol as the pack sees it", () => {
  it("runs and passes: every diagnostic of this pack is advisory", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    // PulumiPolicy.yaml's version overrides package.json's, as in the CLI.
    expect(run.report!.policyPack).toMatchObject({ name: "fixture-introspect", version: "0.9.0" });
  });

  it("analyzes every registered resource: root stack, components, explicit provider and custom resources", () => {
    expect([...payloads("report-analyzed").values()].map((p) => `${p.type} ${p.name}`)).toEqual([
      "pulumi:pulumi:Stack check-fixture-dev",
      "fixture:index:DataLake lake",
      "aws:s3/bucket:Bucket lake-bucket",
      "aws:s3/bucketPolicy:BucketPolicy lake-policy",
      "pulumi:providers:aws east",
      "fixture:index:DataLake open",
      "aws:s3/bucket:Bucket open-bucket",
      "aws:s3/bucketPolicy:BucketPolicy open-policy",
    ]);
  });

  it("sends the resource options the program set", () => {
    const lake = payloads("report-resource").get("lake-bucket")!;
    expect(lake.opts).toEqual({
      protect: true,
      ignoreChanges: ["tags"],
      // @pulumi/aws's Bucket declares these aliases itself (it was BucketV2); the engine sends them resolved.
      aliases: [
        "urn:pulumi:dev::check-fixture::fixture:index:DataLake$aws:s3/bucketV2:BucketV2::lake-bucket",
        "urn:pulumi:dev::check-fixture::fixture:index:DataLake$aws:s3/bucketV2:BucketV2::lake-bucket",
      ],
      customTimeouts: { createSeconds: 300, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
      parent: LAKE,
    });
  });

  it("sends a default provider synthesised from stack config, and an explicit provider's own inputs", () => {
    const resources = payloads("report-resource");
    expect(resources.get("lake-bucket")!.provider).toEqual({
      type: "pulumi:providers:aws",
      name: "default_7_48_0",
      urn: "urn:pulumi:dev::check-fixture::pulumi:providers:aws::default_7_48_0",
      props: { region: "eu-west-1", version: "7.48.0" },
    });
    const explicit = resources.get("open-bucket")!.provider as {
      name: string;
      urn: string;
      props: { region: string };
    };
    expect(explicit.name).toBe("east");
    expect(explicit.urn).toBe("urn:pulumi:dev::check-fixture::pulumi:providers:aws::east");
    expect(explicit.props.region).toBe("us-east-1");
  });

  it("gives stack policies parents, dependencies and property dependencies", () => {
    const relations = payloads("report-relations");
    expect(relations.get("lake-policy")).toEqual({
      parent: LAKE,
      dependencies: [LAKE_BUCKET],
      propertyDependencies: { bucket: [LAKE_BUCKET] },
    });
    expect(relations.get("open-policy")).toEqual({
      parent: OPEN,
      dependencies: [OPEN_BUCKET],
      propertyDependencies: { bucket: [OPEN_BUCKET] },
    });
  });

  it("starts the pack with the stack's environment: config, project, stack, organization, dry run", () => {
    expect(payloads("report-environment").get("check-fixture-dev")).toEqual({
      stack: "dev",
      project: "check-fixture",
      organization: "organization",
      dryRun: true,
      region: "eu-west-1",
    });
  });
});
