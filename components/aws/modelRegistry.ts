import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { sagemakerName } from "../core/awsNaming";
import { childName } from "../core/naming";
import { statefulOptions } from "../core/protection";
import { awsTags, type StandardTags } from "../core/tags";
import { validateArgs } from "../core/validation";
import type { ModelRegistrySpec } from "../spec";
import { createSecureBucket } from "./private/bucket";
import { KMS_DATA_ACTIONS, type Statement, serviceRole } from "./private/iam";
import { accountIdSchema, awsBaseShape } from "./private/schemas";

/** Sizes of a SageMaker managed MLflow tracking server. */
export const MlflowTrackingServerSize = { Small: "Small", Medium: "Medium", Large: "Large" } as const;
/** A size of a SageMaker managed MLflow tracking server. */
export type MlflowTrackingServerSize =
  (typeof MlflowTrackingServerSize)[keyof typeof MlflowTrackingServerSize];

/** Arguments of {@link AwsModelRegistry}. */
export interface AwsModelRegistryArgs extends ModelRegistrySpec, AwsModelRegistryOptions {
  /** Governance tags, on every resource. */
  tags: StandardTags;
  /** ARN of the platform's KMS key: the artifact bucket and the ECR repository are encrypted with it. */
  kmsKeyArn: pulumi.Input<string>;
  /**
   * Protect the bucket, the repository, the model package groups and the tracking server.
   * @default true
   */
  protect?: boolean;
}

/** The AWS-specific options of the registry, beyond the neutral {@link ModelRegistrySpec}. */
export interface AwsModelRegistryOptions {
  /**
   * Registered model names: one SageMaker model package group each.
   * @default []
   */
  models?: string[];
  /**
   * AWS account ids allowed to read (describe, list, pull) the model package groups, e.g. a prod
   * account deploying models trained in a dev account.
   * @default []
   */
  crossAccountReaders?: string[];
  /**
   * Create a SageMaker managed MLflow tracking server, so `models:/` URIs work as on Kubernetes.
   * @default true
   */
  mlflow?: boolean;
  /**
   * Size of the MLflow tracking server.
   * @default "Small"
   */
  mlflowSize?: MlflowTrackingServerSize;
  /**
   * Weekly maintenance window of the tracking server, `Ddd:HH:MM` in UTC. The API takes the day in
   * title case (`WeeklyMaintenanceWindowStart` pattern in the SageMaker API model), not `TUE` as the
   * provider's example shows.
   * @default "Sun:03:00"
   */
  mlflowMaintenanceWindow?: string;
  /**
   * Days a replaced or deleted artifact version is kept.
   * @default 90
   */
  noncurrentVersionDays?: number;
  /**
   * Untagged images older than this many days are expired from the ECR repository.
   * @default 14
   */
  untaggedImageDays?: number;
  /**
   * Name of the bucket receiving S3 server access logs.
   * @default no access logging
   */
  accessLogBucket?: pulumi.Input<string>;
}

const argsSchema = z
  .strictObject({
    ...awsBaseShape,
    artifactStoreUri: z
      .string()
      .regex(
        /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/\S*)?$/,
        "must be an s3:// URI on AWS. Fix: e.g. 's3://acme-models/mlflow', or leave it unset to create the bucket",
      )
      .optional(),
    models: z
      .array(
        z
          .string()
          .regex(
            /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
            "must be a SageMaker name (letters, digits and '-', at most 63). Fix: e.g. 'fraud-detector'",
          ),
      )
      .default([]),
    crossAccountReaders: z.array(accountIdSchema).default([]),
    mlflow: z.boolean().default(true),
    mlflowSize: z.enum(MlflowTrackingServerSize).default("Small"),
    mlflowMaintenanceWindow: z
      .string()
      .regex(
        /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01][0-9]|2[0-3]):[0-5][0-9]$/,
        "must be 'Ddd:HH:MM' in UTC, day in title case. Fix: e.g. 'Sun:03:00'",
      )
      .default("Sun:03:00"),
    noncurrentVersionDays: z.number().int().min(1).default(90),
    untaggedImageDays: z.number().int().min(1).default(14),
    accessLogBucket: z.any().optional(),
  })
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    a.models.forEach((m, i) => {
      if (seen.has(m))
        ctx.addIssue({
          code: "custom",
          path: ["models", i],
          message: "is listed twice. Fix: list each model once",
        });
      seen.add(m);
    });
  });

/**
 * What the MLflow tracking server's role may do: read and write artifacts in the store, nothing else
 * (docs.aws.amazon.com/sagemaker/latest/dg/mlflow-create-tracking-server-iam.html).
 */
export function mlflowStatements(
  bucketArn: pulumi.Input<string>,
  kmsKeyArn: pulumi.Input<string>,
): Statement[] {
  return [
    { Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: bucketArn },
    {
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: pulumi.interpolate`${bucketArn}/*`,
    },
    { Effect: "Allow", Action: KMS_DATA_ACTIONS, Resource: kmsKeyArn },
  ];
}

/**
 * The model registry on AWS: a SageMaker model package group per registered model (with a resource
 * policy for cross-account readers), the artifact bucket (KMS, versioned, private, TLS-only), an ECR
 * repository for model-server images (immutable tags, scan on push, KMS, lifecycle), and a SageMaker
 * managed MLflow tracking server whose ARN is the MLflow tracking URI (the `sagemaker-mlflow`
 * plugin resolves it), so `models:/name/version` URIs work as they do on Kubernetes.
 */
export class AwsModelRegistry extends pulumi.ComponentResource {
  /** `s3://` URI of the artifact store. */
  readonly artifactStoreUri: pulumi.Output<string>;
  /** Name of the artifact bucket this component created (empty when `artifactStoreUri` was given). */
  readonly artifactBucketName: pulumi.Output<string>;
  /** URL of the ECR repository (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
  readonly repositoryUrl: pulumi.Output<string>;
  /** ARN of each model package group, by model name. */
  readonly modelPackageGroupArns: pulumi.Output<Record<string, string>>;
  /** The MLflow tracking URI: the tracking server's ARN (empty without MLflow). */
  readonly registryUri: pulumi.Output<string>;

  constructor(name: string, args: AwsModelRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = validateArgs("AwsModelRegistry", name, argsSchema, args);
    super("mlops:index:AwsModelRegistry", name, args, opts);
    const tags = awsTags(a.tags);

    let bucketArn: pulumi.Input<string>;
    if (a.artifactStoreUri === undefined) {
      const store = createSecureBucket(
        childName(name, "artifacts"),
        {
          tags: a.tags,
          kmsKeyArn: a.kmsKeyArn,
          protect: a.protect,
          noncurrentVersionDays: a.noncurrentVersionDays,
          accessLogBucket: a.accessLogBucket,
        },
        this,
      );
      this.artifactStoreUri = store.uri;
      this.artifactBucketName = store.bucket.bucket;
      bucketArn = store.bucket.arn;
    } else {
      const bucket = a.artifactStoreUri.slice("s3://".length).split("/")[0]!;
      this.artifactStoreUri = pulumi.output(a.artifactStoreUri);
      this.artifactBucketName = pulumi.output("");
      bucketArn = pulumi.interpolate`arn:${aws.getPartitionOutput({}, { parent: this }).partition}:s3:::${bucket}`;
    }

    this.repositoryUrl = this.createRepository(name, a, tags).repositoryUrl;
    const groups = a.models.map((model) =>
      this.createPackageGroup(name, model, a.crossAccountReaders, a.protect, tags),
    );
    this.modelPackageGroupArns = pulumi
      .all(groups.map((g) => g.arn))
      .apply((arns) => Object.fromEntries(a.models.map((m, i) => [m, arns[i]!])));

    this.registryUri = a.mlflow ? this.createTrackingServer(name, a, bucketArn, tags).arn : pulumi.output("");

    this.registerOutputs({
      artifactStoreUri: this.artifactStoreUri,
      artifactBucketName: this.artifactBucketName,
      repositoryUrl: this.repositoryUrl,
      modelPackageGroupArns: this.modelPackageGroupArns,
      registryUri: this.registryUri,
    });
  }

  private createRepository(name: string, a: z.output<typeof argsSchema>, tags: Record<string, string>) {
    const repo = new aws.ecr.Repository(
      childName(name, "images"),
      {
        // Immutable tags: a deployed model image can never be overwritten under the same tag
        // (docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html).
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: a.kmsKeyArn }],
        forceDelete: false,
        tags,
      },
      statefulOptions({ parent: this }, a.protect),
    );
    new aws.ecr.LifecyclePolicy(
      childName(name, "images"),
      {
        repository: repo.name,
        // docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: `Expire untagged images after ${a.untaggedImageDays} days`,
              selection: {
                tagStatus: "untagged",
                countType: "sinceImagePushed",
                countUnit: "days",
                countNumber: a.untaggedImageDays,
              },
              action: { type: "expire" },
            },
          ],
        }),
      },
      { parent: this },
    );
    return repo;
  }

  private createPackageGroup(
    name: string,
    model: string,
    readers: string[],
    protect: boolean,
    tags: Record<string, string>,
  ): aws.sagemaker.ModelPackageGroup {
    const group = new aws.sagemaker.ModelPackageGroup(
      childName(name, model),
      {
        modelPackageGroupName: sagemakerName(63, name, model),
        modelPackageGroupDescription: `Versions of the ${model} model (pulumi-mlops)`,
        tags,
      },
      statefulOptions({ parent: this }, protect),
    );
    if (readers.length > 0) {
      const partition = aws.getPartitionOutput({}, { parent: this }).partition;
      new aws.sagemaker.ModelPackageGroupPolicy(
        childName(name, model),
        {
          modelPackageGroupName: group.modelPackageGroupName,
          // Cross-account read of a model package group
          // (docs.aws.amazon.com/sagemaker/latest/dg/model-registry-ram.html).
          resourcePolicy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "CrossAccountRead",
                Effect: "Allow",
                Principal: {
                  AWS: readers.map((acct) => pulumi.interpolate`arn:${partition}:iam::${acct}:root`),
                },
                Action: [
                  "sagemaker:DescribeModelPackageGroup",
                  "sagemaker:DescribeModelPackage",
                  "sagemaker:ListModelPackages",
                ],
                Resource: [
                  group.arn,
                  pulumi.interpolate`${group.arn.apply((arn) => arn.replace(":model-package-group/", ":model-package/"))}/*`,
                ],
              },
            ],
          }),
        },
        { parent: this },
      );
    }
    return group;
  }

  private createTrackingServer(
    name: string,
    a: z.output<typeof argsSchema>,
    bucketArn: pulumi.Input<string>,
    tags: Record<string, string>,
  ): aws.sagemaker.MlflowTrackingServer {
    const role = serviceRole(
      childName(name, "mlflow"),
      "sagemaker.amazonaws.com",
      mlflowStatements(bucketArn, a.kmsKeyArn),
      a.tags,
      this,
    );
    return new aws.sagemaker.MlflowTrackingServer(
      childName(name, "mlflow"),
      {
        trackingServerName: sagemakerName(63, name, "mlflow"),
        artifactStoreUri: this.artifactStoreUri,
        roleArn: role.role.arn,
        trackingServerSize: a.mlflowSize,
        weeklyMaintenanceWindowStart: a.mlflowMaintenanceWindow,
        automaticModelRegistration: false,
        tags,
      },
      statefulOptions({ parent: this, dependsOn: [role.policy] }, a.protect),
    );
  }
}
