import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { sagemakerName } from "../core/awsNaming";
import { childName } from "../core/naming";
import { statefulOptions } from "../core/protection";
import { awsTags, type StandardTags } from "../core/tags";
import { validateArgs } from "../core/validation";
// The neutral feature-store rules; they move to `spec/featureStore.ts` with the platform restructure.
import { checkFeatureStoreSpec, featureStoreSpecShape } from "../kubernetes/feast/specSchema";
import type { FeatureStoreSpec, FeatureValueType } from "../spec";
import { createSecureBucket } from "./private/bucket";
import { KMS_DATA_ACTIONS, type ServiceRole, type Statement, serviceRole } from "./private/iam";
import { awsBaseShape } from "./private/schemas";

/** Table formats of the SageMaker offline store. */
export const OfflineTableFormat = { Glue: "Glue", Iceberg: "Iceberg" } as const;
/** A table format of the SageMaker offline store. */
export type OfflineTableFormat = (typeof OfflineTableFormat)[keyof typeof OfflineTableFormat];

/** Throughput modes of a feature group. */
export const FeatureStoreThroughputMode = { OnDemand: "OnDemand", Provisioned: "Provisioned" } as const;
/** A throughput mode of a feature group. */
export type FeatureStoreThroughputMode =
  (typeof FeatureStoreThroughputMode)[keyof typeof FeatureStoreThroughputMode];

/** How the event-time column is written by the ingestion. */
export const EventTimeFormat = { Iso8601: "String", UnixSeconds: "Fractional" } as const;
/** How the event-time column is written by the ingestion. */
export type EventTimeFormat = (typeof EventTimeFormat)[keyof typeof EventTimeFormat];

/** Arguments of {@link AwsFeatureStore}. */
export interface AwsFeatureStoreArgs extends FeatureStoreSpec, AwsFeatureStoreOptions {
  /** Governance tags, on every resource. */
  tags: StandardTags;
  /** ARN of the platform's KMS key: the online store, offline store and bucket are encrypted with it. */
  kmsKeyArn: pulumi.Input<string>;
  /**
   * Protect the feature groups and the offline bucket.
   * @default true
   */
  protect?: boolean;
}

/** The AWS-specific options of the feature store, beyond the neutral {@link FeatureStoreSpec}. */
export interface AwsFeatureStoreOptions {
  /**
   * Table format of the offline store in the Glue Data Catalog.
   * @default "Glue"
   */
  tableFormat?: OfflineTableFormat;
  /**
   * Throughput mode of the feature groups.
   * @default "OnDemand"
   */
  throughputMode?: FeatureStoreThroughputMode;
  /**
   * Type of the event-time column: `String` (ISO-8601) or `Fractional` (Unix seconds).
   * @default "String"
   */
  eventTimeFormat?: EventTimeFormat;
  /**
   * Days a replaced or deleted offline-store object version is kept.
   * @default 30
   */
  noncurrentVersionDays?: number;
  /**
   * Name of the bucket receiving S3 server access logs.
   * @default no access logging
   */
  accessLogBucket?: pulumi.Input<string>;
}

/**
 * SageMaker's three feature types (`FeatureType` in the API: `Integral`, `Fractional`, `String`).
 * SageMaker has no boolean or binary type: booleans are stored as 0/1 and bytes as base64 strings.
 */
export const SAGEMAKER_FEATURE_TYPES: Readonly<
  Record<FeatureValueType, "Integral" | "Fractional" | "String">
> = {
  int32: "Integral",
  int64: "Integral",
  float32: "Fractional",
  float64: "Fractional",
  string: "String",
  bool: "Integral",
  bytes: "String",
  unix_timestamp: "Integral",
};

/** SageMaker's feature name rule (`FeatureName` in the API model): the spec's names must also end in a letter or digit. */
const FEATURE_NAME = /^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/;

const argsSchema = z
  .strictObject({
    ...awsBaseShape,
    project: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .optional(),
    ...featureStoreSpecShape,
    tableFormat: z.enum(OfflineTableFormat).default("Glue"),
    throughputMode: z.enum(FeatureStoreThroughputMode).default("OnDemand"),
    eventTimeFormat: z.enum(EventTimeFormat).default("String"),
    noncurrentVersionDays: z.number().int().min(1).default(30),
    accessLogBucket: z.any().optional(),
  })
  .superRefine((a, ctx) => {
    checkFeatureStoreSpec(a, ctx);
    a.featureViews.forEach((view, v) => {
      if (view.entities.length > 1) {
        ctx.addIssue({
          code: "custom",
          path: ["featureViews", v, "entities"],
          message:
            "names several entities, but a SageMaker feature group has exactly one record identifier. Fix: key the view by one entity (combine the keys into one column upstream)",
        });
      }
      view.features.forEach((f, i) => {
        if (!FEATURE_NAME.test(f.name)) {
          ctx.addIssue({
            code: "custom",
            path: ["featureViews", v, "features", i, "name"],
            message:
              "is not a SageMaker feature name (it must end with a letter or digit). Fix: drop the trailing '_'",
          });
        }
      });
    });
  });

type Parsed = z.output<typeof argsSchema>;

/**
 * What the feature groups' role may do: write the offline store's objects, create and update its
 * Glue tables in SageMaker's `sagemaker_featurestore` database, and use the key
 * (docs.aws.amazon.com/sagemaker/latest/dg/feature-store-adding-policies.html).
 */
export function featureStoreStatements(
  bucketArn: pulumi.Input<string>,
  kmsKeyArn: pulumi.Input<string>,
  glueArnPrefix: pulumi.Input<string>,
): Statement[] {
  return [
    { Effect: "Allow", Action: ["s3:GetBucketAcl", "s3:ListBucket"], Resource: bucketArn },
    {
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject"],
      Resource: pulumi.interpolate`${bucketArn}/*`,
    },
    {
      Effect: "Allow",
      Action: [
        "glue:GetDatabase",
        "glue:CreateDatabase",
        "glue:GetTable",
        "glue:CreateTable",
        "glue:UpdateTable",
      ],
      Resource: [
        pulumi.interpolate`${glueArnPrefix}:catalog`,
        pulumi.interpolate`${glueArnPrefix}:database/sagemaker_featurestore`,
        pulumi.interpolate`${glueArnPrefix}:table/sagemaker_featurestore/*`,
      ],
    },
    { Effect: "Allow", Action: KMS_DATA_ACTIONS, Resource: kmsKeyArn },
  ];
}

/**
 * The feature store on SageMaker Feature Store: one `FeatureGroup` per feature view, keyed by its
 * entity's join key with the view's `timestampField` as event time; an online store (KMS, the
 * view's TTL) for online views and an offline store in a private, versioned, KMS-encrypted bucket
 * with a Glue or Iceberg table. Ingestion (`PutRecord`, or a processing job reading `sourcePath`)
 * is the pipelines' job, not this component's.
 */
export class AwsFeatureStore extends pulumi.ComponentResource {
  /** The feature group name of each feature view. */
  readonly featureGroupNames: pulumi.Output<Record<string, string>>;
  /** `s3://` URI of the offline store. */
  readonly offlineStoreUri: pulumi.Output<string>;
  /** ARN of the role the feature groups use. */
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: AwsFeatureStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = validateArgs("AwsFeatureStore", name, argsSchema, args);
    super("mlops:index:AwsFeatureStore", name, args, opts);

    const store = createSecureBucket(
      childName(name, "offline"),
      {
        tags: a.tags,
        kmsKeyArn: a.kmsKeyArn,
        protect: a.protect,
        noncurrentVersionDays: a.noncurrentVersionDays,
        accessLogBucket: a.accessLogBucket,
      },
      this,
    );
    this.offlineStoreUri = pulumi.interpolate`${store.uri}/offline`;
    const glue = pulumi.interpolate`arn:${aws.getPartitionOutput({}, { parent: this }).partition}:glue:${aws.getRegionOutput({}, { parent: this }).region}:${aws.getCallerIdentityOutput({}, { parent: this }).accountId}`;
    const role = serviceRole(
      childName(name, "feature-groups"),
      "sagemaker.amazonaws.com",
      featureStoreStatements(store.bucket.arn, a.kmsKeyArn, glue),
      a.tags,
      this,
    );
    this.roleArn = role.role.arn;

    const names: Record<string, string> = {};
    for (const view of a.featureViews) {
      const group = this.createFeatureGroup(name, a, view, role);
      names[view.name] = group.groupName;
    }
    this.featureGroupNames = pulumi.output(names);
    this.registerOutputs({
      featureGroupNames: this.featureGroupNames,
      offlineStoreUri: this.offlineStoreUri,
      roleArn: this.roleArn,
    });
  }

  private createFeatureGroup(
    name: string,
    a: Parsed,
    view: Parsed["featureViews"][number],
    role: ServiceRole,
  ): { groupName: string } {
    const entity = a.entities.find((e) => e.name === view.entities[0])!;
    const recordId = entity.joinKeys[0]!;
    const groupName = sagemakerName(64, name, view.name);
    new aws.sagemaker.FeatureGroup(
      childName(name, view.name.replaceAll("_", "-")),
      {
        featureGroupName: groupName,
        description: `Feature view ${view.name} (source ${view.sourcePath}), pulumi-mlops`,
        recordIdentifierFeatureName: recordId,
        eventTimeFeatureName: view.timestampField,
        featureDefinitions: [
          { featureName: recordId, featureType: SAGEMAKER_FEATURE_TYPES[entity.valueType] },
          { featureName: view.timestampField, featureType: a.eventTimeFormat },
          ...view.features.map((f) => ({
            featureName: f.name,
            featureType: SAGEMAKER_FEATURE_TYPES[f.type],
          })),
        ],
        onlineStoreConfig: {
          enableOnlineStore: view.online,
          ...(view.online
            ? {
                storageType: "Standard",
                securityConfig: { kmsKeyId: a.kmsKeyArn },
                // TTL applies to online records only (docs.aws.amazon.com/sagemaker/latest/dg/feature-store-time-to-live.html).
                ...(view.ttlSeconds > 0 ? { ttlDuration: { unit: "Seconds", value: view.ttlSeconds } } : {}),
              }
            : {}),
        },
        offlineStoreConfig: {
          s3StorageConfig: { s3Uri: this.offlineStoreUri, kmsKeyId: a.kmsKeyArn },
          tableFormat: a.tableFormat,
        },
        throughputConfig: { throughputMode: a.throughputMode },
        roleArn: role.role.arn,
        tags: awsTags(a.tags),
      },
      // The role's policy must exist before SageMaker checks it at creation.
      statefulOptions({ parent: this, dependsOn: [role.policy] }, a.protect),
    );
    return { groupName };
  }
}
