import { describe, expect, it } from "vitest";
import { AwsModelRegistry, mlflowStatements } from "../../../components/aws/modelRegistry";
import { ArgsValidationError } from "../../../components/core/validation";
import { ofType } from "../../helpers/capture";
import {
  childrenOf,
  expectSecureBuckets,
  expectStatefulProtected,
  expectTagged,
  KEY_ARN,
  resolved,
  tags,
} from "./helpers";

new AwsModelRegistry("reg", {
  tags,
  kmsKeyArn: KEY_ARN,
  models: ["fraud-detector", "churn"],
  crossAccountReaders: ["444455556666"],
});
new AwsModelRegistry("ext", {
  tags,
  kmsKeyArn: KEY_ARN,
  artifactStoreUri: "s3://acme-models/mlflow",
  mlflow: false,
});

const TYPE = "mlops:index:AwsModelRegistry";

describe("AwsModelRegistry", () => {
  it("creates the artifact bucket encrypted with the platform key, versioned, private and TLS-only", async () => {
    const children = await childrenOf(TYPE, "reg");
    expect(expectSecureBuckets(children, KEY_ARN)).toBe(1);
  });

  it("uses a given artifact store instead of creating a bucket", async () => {
    const children = await childrenOf(TYPE, "ext");
    expect(children.filter((c) => c.type === "aws:s3/bucket:Bucket")).toHaveLength(0);
    expect(
      children.filter((c) => c.type === "aws:sagemaker/mlflowTrackingServer:MlflowTrackingServer"),
    ).toHaveLength(0);
  });

  it("creates an ECR repository with immutable tags, scan on push, KMS and a lifecycle policy", async () => {
    const [repo] = await ofType("aws:ecr/repository:Repository", "reg");
    expect(repo!.props).toMatchObject({
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY_ARN }],
      forceDelete: false,
    });
    const [lifecycle] = await ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy", "reg");
    const rules = JSON.parse(lifecycle!.props.policy).rules;
    expect(rules[0].selection).toMatchObject({
      tagStatus: "untagged",
      countType: "sinceImagePushed",
      countNumber: 14,
    });
  });

  it("creates one model package group per model, with a cross-account read policy", async () => {
    const groups = await ofType("aws:sagemaker/modelPackageGroup:ModelPackageGroup", "reg");
    expect(groups.map((g) => g.props.modelPackageGroupName).sort()).toEqual([
      "reg-churn",
      "reg-fraud-detector",
    ]);
    const policies = await ofType("aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy", "reg");
    expect(policies).toHaveLength(2);
  });

  it("runs a managed MLflow tracking server on the artifact store with a least-privilege role", async () => {
    const [server] = await ofType("aws:sagemaker/mlflowTrackingServer:MlflowTrackingServer", "reg");
    expect(server!.props).toMatchObject({
      trackingServerSize: "Small",
      weeklyMaintenanceWindowStart: "Sun:03:00",
      automaticModelRegistration: false,
    });
    const [role] = await ofType("aws:iam/role:Role", "reg-mlflow");
    expect(role).toBeDefined();
    expect(role!.props.assumeRolePolicy).toBeDefined();
    expect(await ofType("aws:iam/rolePolicy:RolePolicy", "reg-mlflow")).toHaveLength(1);
    const statements = await resolved(mlflowStatements("arn:aws:s3:::b", KEY_ARN));
    expect(statements).toEqual([
      { Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: "arn:aws:s3:::b" },
      {
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: "arn:aws:s3:::b/*",
      },
      {
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        Resource: KEY_ARN,
      },
    ]);
  });

  it("protects the bucket, repository, package groups and tracking server, and tags everything", async () => {
    const children = await childrenOf(TYPE, "reg");
    const stateful = expectStatefulProtected(children);
    expect(stateful.map((s) => s.type).sort()).toEqual([
      "aws:ecr/repository:Repository",
      "aws:s3/bucket:Bucket",
      "aws:sagemaker/mlflowTrackingServer:MlflowTrackingServer",
      "aws:sagemaker/modelPackageGroup:ModelPackageGroup",
      "aws:sagemaker/modelPackageGroup:ModelPackageGroup",
    ]);
    expectTagged(children, tags);
  });

  it("refuses bad args with the field named", () => {
    const bad = (args: Record<string, unknown>) => () =>
      new AwsModelRegistry("bad", { tags, kmsKeyArn: KEY_ARN, ...args } as never);
    expect(bad({ artifactStoreUri: "gs://x/y" })).toThrow(
      /args\.artifactStoreUri = "gs:\/\/x\/y": must be an s3:\/\/ URI/,
    );
    expect(bad({ crossAccountReaders: ["1234"] })).toThrow(/args\.crossAccountReaders\[0\]/);
    expect(bad({ models: ["fraud_detector"] })).toThrow(/args\.models\[0\].*SageMaker name/);
    expect(bad({ kmsKeyArn: "alias/foo" })).toThrow(ArgsValidationError);
    expect(bad({ mlflowMaintenanceWindow: "TUE:03:30" })).toThrow(
      /args\.mlflowMaintenanceWindow = "TUE:03:30": .*title case/,
    );
  });
});
