import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "vitest";
import { awsTags } from "../../../components/core/tags";
import { descendantsOf, one, type PlainResource } from "../../helpers/capture";

export const tags = {
  owner: "ml-platform@example.com",
  costCenter: "cc-42",
  environment: "dev",
  dataClassification: "confidential",
} as const;

export const prodTags = { ...tags, environment: "prod" } as const;

export const KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
export const SUBNETS = ["subnet-0aaa1111", "subnet-0bbb2222"];
export const SECURITY_GROUPS = ["sg-0ccc3333"];

/** Resource types that hold data or identity and must be protected wherever they appear. */
export const STATEFUL_TYPES = [
  "aws:s3/bucket:Bucket",
  "aws:kms/key:Key",
  "aws:sagemaker/featureGroup:FeatureGroup",
  "aws:sagemaker/modelPackageGroup:ModelPackageGroup",
  "aws:sagemaker/mlflowTrackingServer:MlflowTrackingServer",
  "aws:ecr/repository:Repository",
];

/** Every child of the component `type`/`name`. */
export async function childrenOf(type: string, name: string): Promise<PlainResource[]> {
  const component = await one(type, name);
  return descendantsOf(component.urn);
}

/** Whether a resource type's Args interface in the installed @pulumi/aws typings has a `tags` input. */
export function takesTags(type: string): boolean {
  const [, path, cls] = /^aws:([^:]+):(.+)$/.exec(type)!;
  const file = join(AWS_TYPINGS, `${path}.d.ts`);
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(`export interface ${cls}Args {`);
  if (start < 0) throw new Error(`no ${cls}Args in ${file}`);
  const body = text.slice(start, text.indexOf("\n}", start));
  return /\n {4}tags\?: /.test(body);
}

// Tests run from the repository root.
const AWS_TYPINGS = join(process.cwd(), "node_modules", "@pulumi", "aws");

/** Asserts every taggable child carries the governance tags exactly as `awsTags` renders them. */
export function expectTagged(children: PlainResource[], standard: Parameters<typeof awsTags>[0]): void {
  const expected = awsTags(standard);
  const taggable = children.filter((c) => c.type.startsWith("aws:") && takesTags(c.type));
  expect(taggable.length).toBeGreaterThan(0);
  for (const c of taggable) {
    expect(c.props.tags, `${c.type} ${c.name}`).toMatchObject(expected);
  }
}

/** Asserts every stateful child is protected and retained, and returns them. */
export function expectStatefulProtected(children: PlainResource[]): PlainResource[] {
  const stateful = children.filter((c) => STATEFUL_TYPES.includes(c.type));
  for (const c of stateful) {
    expect(c.options.protect, `${c.type} ${c.name} protect`).toBe(true);
    expect(c.options.retainOnDelete, `${c.type} ${c.name} retainOnDelete`).toBe(true);
  }
  return stateful;
}

/** Asserts each bucket among `children` is KMS-encrypted with `keyArn`, versioned, private and TLS-only. */
export function expectSecureBuckets(children: PlainResource[], keyArn: string): number {
  const buckets = children.filter((c) => c.type === "aws:s3/bucket:Bucket");
  const sibling = (type: string, name: string) => {
    const found = children.filter((c) => c.type === type && c.name === name);
    expect(found, `${type} for bucket ${name}`).toHaveLength(1);
    return found[0]!;
  };
  for (const b of buckets) {
    expect(b.props.forceDestroy).toBe(false);
    expect(b.props.bucketPrefix).toMatch(/^[a-z0-9][a-z0-9-]{0,35}-$/);
    const sse = sibling(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      b.name,
    );
    expect(sse.props.rules[0].applyServerSideEncryptionByDefault).toEqual({
      sseAlgorithm: "aws:kms",
      kmsMasterKeyId: keyArn,
    });
    expect(
      sibling("aws:s3/bucketVersioning:BucketVersioning", b.name).props.versioningConfiguration.status,
    ).toBe("Enabled");
    const pab = sibling("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", b.name).props;
    expect([
      pab.blockPublicAcls,
      pab.blockPublicPolicy,
      pab.ignorePublicAcls,
      pab.restrictPublicBuckets,
    ]).toEqual([true, true, true, true]);
    expect(
      sibling("aws:s3/bucketOwnershipControls:BucketOwnershipControls", b.name).props.rule.objectOwnership,
    ).toBe("BucketOwnerEnforced");
    const policy = sibling("aws:s3/bucketPolicy:BucketPolicy", b.name);
    expect(policy.dependencies.length).toBeGreaterThan(0);
    const rules = sibling("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", b.name).props
      .rules;
    expect(
      rules.find((r: { id: string }) => r.id === "noncurrent-versions").noncurrentVersionExpiration
        .noncurrentDays,
    ).toBeGreaterThan(0);
  }
  return buckets.length;
}

/** The plain value of an Input holding Outputs (resolves with known values outside a deployment). */
export function resolved<T>(value: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
  return new Promise((resolve) => pulumi.output(value).apply((v) => resolve(v)));
}
