import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../../core/naming";
import type { StandardTags } from "../../../core/tags";
import { KMS_DATA_ACTIONS, type ServiceRole, type Statement, serviceRole } from "../iam";

/** The EventBridge event the drift job emits when its verdict is drift (the retraining trigger's pattern). */
export const DRIFT_EVENT = { source: "pulumi-mlops", detailType: "mlops.drift.detected" } as const;

/** The CloudWatch namespace of the drift job's metrics. */
export const DRIFT_METRICS_NAMESPACE = "PulumiMlops/Drift";

/** Where the job reads and writes, as bucket ARNs plus key prefixes. */
export interface DriftJobAccess {
  captureBucketArn: pulumi.Input<string>;
  capturePrefix: pulumi.Input<string>;
  referenceBucketArn: pulumi.Input<string>;
  referenceKey: pulumi.Input<string>;
  reportsBucketArn: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  eventBusArn: pulumi.Input<string>;
}

/**
 * The task (job) role: read the capture prefix and the reference, write reports, put its metrics
 * in its own namespace and its drift event on the default bus, and nothing else.
 */
export function driftTaskStatements(o: DriftJobAccess): Statement[] {
  return [
    {
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: o.captureBucketArn,
      Condition: {
        StringLike: { "s3:prefix": pulumi.interpolate`${o.capturePrefix}*` as unknown as string },
      },
    },
    {
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: [
        pulumi.interpolate`${o.captureBucketArn}/${o.capturePrefix}*`,
        pulumi.interpolate`${o.referenceBucketArn}/${o.referenceKey}`,
      ],
    },
    {
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject"],
      Resource: pulumi.interpolate`${o.reportsBucketArn}/*`,
    },
    { Effect: "Allow", Action: "s3:ListBucket", Resource: o.reportsBucketArn },
    { Effect: "Allow", Action: KMS_DATA_ACTIONS, Resource: o.kmsKeyArn },
    {
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": DRIFT_METRICS_NAMESPACE } },
    },
    { Effect: "Allow", Action: "events:PutEvents", Resource: o.eventBusArn },
  ];
}

/** The execution role: pull the image and write the job's logs. */
export function driftExecutionStatements(logGroupArn: pulumi.Input<string>): Statement[] {
  return [
    { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Effect: "Allow",
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      Resource: "*",
    },
    {
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: pulumi.interpolate`${logGroupArn}:*`,
    },
  ];
}

/** The container settings shared by the ECS task and the Batch job: read-only root, non-root, logs to the group. */
export function driftContainer(o: {
  image: string;
  command: pulumi.Input<string[]>;
  environment: Record<string, pulumi.Input<string>>;
  logGroup: pulumi.Input<string>;
  region: pulumi.Input<string>;
}) {
  return {
    image: o.image,
    command: o.command,
    environment: Object.entries(o.environment).map(([name, value]) => ({ name, value })),
    // The runtime image's non-root user; /tmp is the one writable mount.
    user: "1000:1000",
    readonlyRootFilesystem: true,
    logConfiguration: {
      logDriver: "awslogs",
      options: { "awslogs-group": o.logGroup, "awslogs-region": o.region, "awslogs-stream-prefix": "drift" },
    },
  };
}

/** Roles of the drift job, for ECS (`ecs-tasks.amazonaws.com`; Batch on Fargate runs ECS tasks too). */
export function driftRoles(
  name: string,
  access: DriftJobAccess,
  logGroupArn: pulumi.Input<string>,
  tags: StandardTags,
  parent: pulumi.Resource,
): { task: ServiceRole; execution: ServiceRole } {
  return {
    task: serviceRole(
      childName(name, "drift-task"),
      "ecs-tasks.amazonaws.com",
      driftTaskStatements(access),
      tags,
      parent,
    ),
    execution: serviceRole(
      childName(name, "drift-exec"),
      "ecs-tasks.amazonaws.com",
      driftExecutionStatements(logGroupArn),
      tags,
      parent,
    ),
  };
}

/** The scheduler's role: start the job, and pass its two roles, nothing else. */
export function schedulerStatements(o: {
  runAction: "ecs:RunTask" | "batch:SubmitJob";
  runResources: pulumi.Input<string>[];
  passRoles: pulumi.Input<string>[];
}): Statement[] {
  return [
    { Effect: "Allow", Action: o.runAction, Resource: o.runResources },
    { Effect: "Allow", Action: "iam:PassRole", Resource: o.passRoles },
  ];
}
