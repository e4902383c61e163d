import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { machineTypeFor } from "../core/accelerators";
import { childName } from "../core/naming";
import { checkVariants } from "../core/servingRules";
import { awsTags, type StandardTags } from "../core/tags";
import { input, validateArgs } from "../core/validation";
import type { ServingEndpointSpec } from "../spec";
import { createSecureBucket } from "./private/bucket";
import { KMS_DATA_ACTIONS, type ServiceRole, type Statement, serviceRole } from "./private/iam";
import { awsBaseShape, idListSchema } from "./private/schemas";
import { rollbackAlarms } from "./private/serving/alarms";
import { maximumExecutionTimeout, rolloutProblems, trafficRouting } from "./private/serving/rollout";
import { rolloutSchema, type Variant, variantSchema } from "./private/serving/spec";

/** Arguments of {@link AwsServingEndpoint}. */
export interface AwsServingEndpointArgs extends ServingEndpointSpec, AwsServingEndpointOptions {
  /** Governance tags, on every resource. */
  tags: StandardTags;
  /** ARN of the platform's KMS key: capture data and (where the instance type allows) volumes are encrypted with it. */
  kmsKeyArn: pulumi.Input<string>;
  /**
   * Private subnets the models run in (required unless `serverless`).
   * @default none
   */
  subnetIds?: pulumi.Input<string>[];
  /**
   * Security groups of the models (required unless `serverless`).
   * @default none
   */
  securityGroupIds?: pulumi.Input<string>[];
  /**
   * Protect the capture bucket.
   * @default true
   */
  protect?: boolean;
}

/** The AWS-specific options of the endpoint, beyond the neutral {@link ServingEndpointSpec}. */
export interface AwsServingEndpointOptions {
  /**
   * Model-server image in ECR, for variants whose `modelUri` is an `s3://` artifact. Variants given a
   * SageMaker model package ARN take the package's own image.
   * @default none
   */
  image?: string;
  /**
   * Instance type of CPU variants.
   * @default "ml.m5.large"
   */
  instanceType?: string;
  /**
   * GPUs per instance of GPU variants; the catalogue picks the smallest SageMaker type carrying them.
   * @default 1
   */
  gpusPerReplica?: number;
  /**
   * SageMaker Serverless Inference (for dev): CPU only, one live variant, no VPC, no network
   * isolation and no data capture, which SageMaker does not support on serverless endpoints
   * (docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions).
   * @default false
   */
  serverless?: boolean;
  /**
   * Memory of a serverless variant, in MB (1024 to 6144, in steps of 1024).
   * @default 2048
   */
  serverlessMemoryMb?: number;
  /**
   * Concurrent invocations of a serverless variant (1–200).
   * @default 5
   */
  serverlessMaxConcurrency?: number;
  /**
   * Target of the autoscaling policy: invocations per instance per minute.
   * @default 70
   */
  targetInvocationsPerInstance?: number;
  /**
   * Physical endpoint name (SageMaker names are unique per account and region: set it when two
   * stacks share an account).
   * @default the spec's `name`
   */
  endpointName?: string;
  /**
   * Days captured requests are kept.
   * @default 30
   */
  captureRetentionDays?: number;
  /**
   * S3 buckets (ARNs) the models' artifacts live in, besides those named by `s3://` model URIs
   * (e.g. the registry's bucket for model packages).
   * @default []
   */
  modelArtifactBucketArns?: pulumi.Input<string>[];
  /**
   * Environment variables of the model containers.
   * @default {}
   */
  environment?: Record<string, string>;
  /**
   * Name of the bucket receiving S3 server access logs.
   * @default no access logging
   */
  accessLogBucket?: pulumi.Input<string>;
}

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/\S+$/;
const MODEL_PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:model-package\/\S+$/;
const ECR_IMAGE =
  /^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9._/-]+(:[\w.-]+|@sha256:[a-f0-9]{64})$/;

/**
 * Instance families with local NVMe instance storage, on which SageMaker refuses a KMS key for the
 * ML storage volume ("If you specify a KmsKeyId when using an instance type with local storage, the
 * call to CreateEndpointConfig fails"; the local disks are encrypted by the hardware):
 * docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-KmsKeyId.
 */
export function hasInstanceStorage(instanceType: string): boolean {
  const family = instanceType.replace(/^ml\./, "").split(".")[0]!;
  return /^(g4dn|g5|g6|g6e|p4d|p4de|p5|p5e|inf2|trn1)$/.test(family) || /^[a-z]+[0-9][a-z]*d$/.test(family);
}

const argsSchema = z
  .strictObject({
    ...awsBaseShape,
    name: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label. Fix: e.g. 'fraud'")
      .max(40),
    variants: z.array(variantSchema).min(1, "needs at least one variant. Fix: add a variant"),
    rollout: rolloutSchema,
    captureSamplingPercent: z
      .number()
      .int("SageMaker samples whole percents. Fix: use an integer")
      .min(0)
      .max(100)
      .default(100),
    subnetIds: idListSchema("subnet", "subnet", 1).optional(),
    securityGroupIds: idListSchema("sg", "security group", 1).optional(),
    image: z
      .string()
      .regex(
        ECR_IMAGE,
        "must be an ECR image URI (the models have no internet access). Fix: e.g. '111122223333.dkr.ecr.eu-west-1.amazonaws.com/serving:1.0'",
      )
      .optional(),
    instanceType: z
      .string()
      .regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, "must be a SageMaker instance type. Fix: e.g. 'ml.m5.large'")
      .default("ml.m5.large"),
    gpusPerReplica: z.number().int().min(1).max(8).default(1),
    serverless: z.boolean().default(false),
    serverlessMemoryMb: z
      .number()
      .refine(
        (m) => [1024, 2048, 3072, 4096, 5120, 6144].includes(m),
        "must be 1024 to 6144 in steps of 1024. Fix: e.g. 2048",
      )
      .default(2048),
    serverlessMaxConcurrency: z.number().int().min(1).max(200).default(5),
    targetInvocationsPerInstance: z.number().positive().default(70),
    endpointName: z
      .string()
      .regex(
        /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
        "must be a SageMaker endpoint name. Fix: letters, digits and '-'",
      )
      .optional(),
    captureRetentionDays: z.number().int().min(1).default(30),
    modelArtifactBucketArns: z.array(input(z.string())).default([]),
    environment: z.record(z.string(), z.string()).default({}),
    accessLogBucket: z.any().optional(),
  })
  .superRefine((a, ctx) => {
    checkVariants(a.variants, ctx);
    for (const p of rolloutProblems(a.rollout.steps)) {
      ctx.addIssue({ code: "custom", path: ["rollout", "steps", p.index, p.field], message: p.message });
    }
    checkAwsVariants(a, ctx);
  });

type Parsed = z.output<typeof argsSchema>;

/** The rules SageMaker adds to the neutral ones. */
function checkAwsVariants(a: Parsed, ctx: z.RefinementCtx): void {
  const shadows = a.variants.filter((v) => v.shadow);
  if (shadows.length > 1) {
    ctx.addIssue({
      code: "custom",
      path: ["variants"],
      message: "has several shadow variants; a SageMaker endpoint takes one. Fix: keep one shadow variant",
    });
  }
  a.variants.forEach((v, i) => {
    if (/^(models|runs):\//.test(v.modelUri)) {
      ctx.addIssue({
        code: "custom",
        path: ["variants", i, "modelUri"],
        message:
          "is an MLflow URI, which a network-isolated SageMaker model cannot resolve. Fix: give the SageMaker model package ARN registered from it (arn:aws:sagemaker:…:model-package/…) or its s3:// artifact",
      });
    } else if (!S3_URI.test(v.modelUri) && !MODEL_PACKAGE_ARN.test(v.modelUri)) {
      ctx.addIssue({
        code: "custom",
        path: ["variants", i, "modelUri"],
        message:
          "must be an s3:// artifact URI or a SageMaker model package ARN. Fix: e.g. 's3://models/fraud/model.tar.gz'",
      });
    } else if (S3_URI.test(v.modelUri) && a.image === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["image"],
        message: `is required to serve the s3:// artifact of variant '${v.name}'. Fix: give the model server's ECR image`,
      });
    }
    if (v.accelerator !== undefined) {
      if (a.serverless) {
        ctx.addIssue({
          code: "custom",
          path: ["variants", i, "accelerator"],
          message:
            "SageMaker Serverless Inference has no GPUs. Fix: remove the accelerator, or set serverless to false",
        });
      } else {
        try {
          const type = machineTypeFor("aws-sagemaker", v.accelerator, a.gpusPerReplica);
          if (!type.hosting) throw new Error(`${type.instanceType} cannot host endpoints`);
        } catch (e) {
          ctx.addIssue({
            code: "custom",
            path: ["variants", i, "accelerator"],
            message: `${(e as Error).message} Fix: pick an accelerator SageMaker hosting offers`,
          });
        }
      }
    }
  });
  if (a.serverless && a.variants.length > 1) {
    ctx.addIssue({
      code: "custom",
      path: ["variants"],
      message:
        "a serverless endpoint takes a single variant (no A/B split, no shadow). Fix: keep one variant, or set serverless to false",
    });
  }
  if (!a.serverless && (a.subnetIds === undefined || a.securityGroupIds === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: [a.subnetIds === undefined ? "subnetIds" : "securityGroupIds"],
      message:
        "is required: the models run in the platform's private subnets. Fix: pass the network's subnets and security group",
    });
  }
}

/** The SageMaker instance type of a variant. */
function instanceTypeOf(a: Parsed, v: Variant): string {
  return v.accelerator
    ? machineTypeFor("aws-sagemaker", v.accelerator, a.gpusPerReplica).instanceType
    : a.instanceType;
}

/**
 * What the models' execution role may do: pull the image, read the artifacts, write capture data,
 * logs and metrics, and manage the network interfaces of its VPC config
 * (docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createmodel-perms,
 * docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html).
 */
export function executionStatements(o: {
  artifactBucketArns: pulumi.Input<string>[];
  captureBucketArn?: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  logGroupArnPrefix: pulumi.Input<string>;
  vpc: boolean;
}): Statement[] {
  const s: Statement[] = [
    { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Effect: "Allow",
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      Resource: "*",
    },
    {
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: pulumi.interpolate`${o.logGroupArnPrefix}:log-group:/aws/sagemaker/*`,
    },
    {
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringLike: { "cloudwatch:namespace": "/aws/sagemaker/*" } },
    },
    { Effect: "Allow", Action: KMS_DATA_ACTIONS, Resource: o.kmsKeyArn },
  ];
  if (o.artifactBucketArns.length > 0) {
    s.push({
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: o.artifactBucketArns.map((b) => pulumi.interpolate`${b}/*`),
    });
  }
  if (o.captureBucketArn !== undefined) {
    s.push({
      Effect: "Allow",
      Action: "s3:PutObject",
      Resource: pulumi.interpolate`${o.captureBucketArn}/capture/*`,
    });
  }
  if (o.vpc) {
    s.push({
      Effect: "Allow",
      Action: [
        "ec2:CreateNetworkInterface",
        "ec2:CreateNetworkInterfacePermission",
        "ec2:DeleteNetworkInterface",
        "ec2:DeleteNetworkInterfacePermission",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeVpcs",
        "ec2:DescribeDhcpOptions",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
      ],
      Resource: "*",
    });
  }
  return s;
}

/**
 * A model serving endpoint on SageMaker real-time inference, with weighted A/B variants, one shadow
 * variant, blue/green deployments with canary or linear traffic shifting that roll back on
 * CloudWatch alarms (5xx, error rate, p99 latency), autoscaling per variant between the spec's
 * bounds, and request/response capture to a KMS-encrypted bucket.
 *
 * The EndpointConfiguration is never given a name: every change replaces it, and auto-naming lets
 * Pulumi create the new one before the endpoint moves to it and the old one is deleted
 * (hashicorp/terraform-provider-aws#21811, #40048). Variant names come from the spec and stay fixed,
 * as blue/green updates require (docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html).
 */
export class AwsServingEndpoint extends pulumi.ComponentResource {
  /** The SageMaker endpoint's name. */
  readonly endpointName: pulumi.Output<string>;
  /** The endpoint's ARN. */
  readonly endpointArn: pulumi.Output<string>;
  /** HTTPS URL of `InvokeEndpoint` (SigV4-signed POST). */
  readonly url: pulumi.Output<string>;
  /** Where captured requests land: `s3://<bucket>/capture/<endpoint>/<variant>/yyyy/mm/dd/hh/` (empty when capture is off). */
  readonly captureUri: pulumi.Output<string>;
  /** Names of the alarms the deployments roll back on. */
  readonly rollbackAlarmNames: pulumi.Output<string[]>;

  constructor(name: string, args: AwsServingEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = validateArgs("AwsServingEndpoint", name, argsSchema, args);
    super("mlops:index:AwsServingEndpoint", name, args, opts);
    const tags = awsTags(a.tags);
    const endpointName = a.endpointName ?? a.name;
    const region = aws.getRegionOutput({}, { parent: this }).region;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

    const capture = !a.serverless && a.captureSamplingPercent > 0;
    const captureBucket = capture
      ? createSecureBucket(
          childName(name, "capture"),
          {
            tags: a.tags,
            kmsKeyArn: a.kmsKeyArn,
            protect: a.protect,
            noncurrentVersionDays: 7,
            expireDays: a.captureRetentionDays,
            expirePrefix: "capture/",
            accessLogBucket: a.accessLogBucket,
          },
          this,
        )
      : undefined;

    const s3Buckets = [
      ...new Set(a.variants.map((v) => S3_URI.exec(v.modelUri)?.[1]).filter((b) => b !== undefined)),
    ];
    const role = serviceRole(
      childName(name, "models"),
      "sagemaker.amazonaws.com",
      executionStatements({
        artifactBucketArns: [
          ...s3Buckets.map((b) => pulumi.interpolate`arn:${partition}:s3:::${b}`),
          ...a.modelArtifactBucketArns,
        ],
        captureBucketArn: captureBucket?.bucket.arn,
        kmsKeyArn: a.kmsKeyArn,
        logGroupArnPrefix: pulumi.interpolate`arn:${partition}:logs:${region}:${account}`,
        vpc: !a.serverless,
      }),
      a.tags,
      this,
    );

    const models = new Map(a.variants.map((v) => [v.name, this.createModel(name, a, v, role, tags)]));
    const config = this.createConfig(name, a, models, captureBucket?.uri, tags);

    const alarms = a.variants
      .filter((v) => !v.shadow)
      .flatMap((v) =>
        rollbackAlarms(
          name,
          {
            endpointName,
            variant: v.name,
            maxErrorRate: a.rollout.maxErrorRate,
            maxP99LatencyMs: a.rollout.maxP99LatencyMs,
            tags,
          },
          this,
        ),
      );
    const endpoint = new aws.sagemaker.Endpoint(
      childName(name, "endpoint"),
      {
        name: endpointName,
        endpointConfigName: config.name,
        deploymentConfig: {
          blueGreenUpdatePolicy: {
            trafficRoutingConfiguration: trafficRouting(a.rollout.steps),
            maximumExecutionTimeoutInSeconds: maximumExecutionTimeout(a.rollout.steps),
            terminationWaitInSeconds: 0,
          },
          autoRollbackConfiguration: { alarms: alarms.map((al) => ({ alarmName: al.name })) },
        },
        tags,
      },
      { parent: this },
    );
    if (!a.serverless) this.createScaling(name, a, endpoint);

    this.endpointName = endpoint.name;
    this.endpointArn = endpoint.arn;
    this.url = pulumi.interpolate`https://runtime.sagemaker.${region}.amazonaws.com/endpoints/${endpointName}/invocations`;
    this.captureUri = captureBucket
      ? pulumi.interpolate`${captureBucket.uri}/capture/${endpointName}`
      : pulumi.output("");
    this.rollbackAlarmNames = pulumi.all(alarms.map((al) => al.name));
    this.registerOutputs({
      endpointName: this.endpointName,
      endpointArn: this.endpointArn,
      url: this.url,
      captureUri: this.captureUri,
      rollbackAlarmNames: this.rollbackAlarmNames,
    });
  }

  private createModel(
    name: string,
    a: Parsed,
    v: Variant,
    role: ServiceRole,
    tags: Record<string, string>,
  ): aws.sagemaker.Model {
    const container: aws.types.input.sagemaker.ModelPrimaryContainer = MODEL_PACKAGE_ARN.test(v.modelUri)
      ? { modelPackageName: v.modelUri, environment: a.environment }
      : { image: a.image!, modelDataUrl: v.modelUri, environment: a.environment };
    return new aws.sagemaker.Model(
      childName(name, v.name),
      {
        executionRoleArn: role.role.arn,
        primaryContainer: container,
        // No outbound network from the model container (docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html);
        // serverless endpoints support neither this nor a VPC.
        enableNetworkIsolation: !a.serverless,
        ...(a.serverless
          ? {}
          : { vpcConfig: { subnets: a.subnetIds!, securityGroupIds: a.securityGroupIds! } }),
        tags,
      },
      { parent: this, dependsOn: [role.policy] },
    );
  }

  private createConfig(
    name: string,
    a: Parsed,
    models: Map<string, aws.sagemaker.Model>,
    captureUri: pulumi.Output<string> | undefined,
    tags: Record<string, string>,
  ): aws.sagemaker.EndpointConfiguration {
    const variant = (v: Variant) => ({
      variantName: v.name,
      modelName: models.get(v.name)!.name,
      ...(a.serverless
        ? {
            serverlessConfig: {
              memorySizeInMb: a.serverlessMemoryMb,
              maxConcurrency: a.serverlessMaxConcurrency,
            },
          }
        : { instanceType: instanceTypeOf(a, v), initialInstanceCount: v.minReplicas }),
    });
    const live = a.variants.filter((v) => !v.shadow);
    const shadow = a.variants.filter((v) => v.shadow);
    const volumeKms = !a.serverless && a.variants.every((v) => !hasInstanceStorage(instanceTypeOf(a, v)));
    return new aws.sagemaker.EndpointConfiguration(
      // No `name` and no `namePrefix`: auto-named, so a change creates a new configuration first.
      childName(name, "config"),
      {
        productionVariants: live.map((v) => ({ ...variant(v), initialVariantWeight: v.weight ?? 100 })),
        ...(shadow.length > 0
          ? { shadowProductionVariants: shadow.map((v) => ({ ...variant(v), initialVariantWeight: 100 })) }
          : {}),
        ...(captureUri
          ? {
              dataCaptureConfig: {
                enableCapture: true,
                initialSamplingPercentage: a.captureSamplingPercent,
                destinationS3Uri: pulumi.interpolate`${captureUri}/capture`,
                kmsKeyId: a.kmsKeyArn,
                captureOptions: [{ captureMode: "Input" }, { captureMode: "Output" }],
                captureContentTypeHeader: {
                  jsonContentTypes: ["application/json"],
                  csvContentTypes: ["text/csv"],
                },
              },
            }
          : {}),
        ...(volumeKms ? { kmsKeyArn: a.kmsKeyArn } : {}),
        tags,
      },
      { parent: this },
    );
  }

  /** A scalable target and a target-tracking policy per live instance variant. */
  private createScaling(name: string, a: Parsed, endpoint: aws.sagemaker.Endpoint): void {
    for (const v of a.variants.filter((v) => !v.shadow)) {
      // docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-code-register.html
      const target = new aws.appautoscaling.Target(
        childName(name, v.name),
        {
          serviceNamespace: "sagemaker",
          scalableDimension: "sagemaker:variant:DesiredInstanceCount",
          resourceId: pulumi.interpolate`endpoint/${endpoint.name}/variant/${v.name}`,
          minCapacity: v.minReplicas,
          maxCapacity: v.maxReplicas,
          tags: awsTags(a.tags),
        },
        { parent: this },
      );
      new aws.appautoscaling.Policy(
        childName(name, v.name),
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          // docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-code-define.html
          targetTrackingScalingPolicyConfiguration: {
            targetValue: a.targetInvocationsPerInstance,
            predefinedMetricSpecification: { predefinedMetricType: "SageMakerVariantInvocationsPerInstance" },
            scaleInCooldown: 300,
            scaleOutCooldown: 60,
          },
        },
        { parent: this },
      );
    }
  }
}
