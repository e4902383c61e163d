import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { childName } from "../core/naming";
import { awsTags, type StandardTags } from "../core/tags";
import { input, validateArgs } from "../core/validation";
import type { MonitoringSpec } from "../spec";
import { createSecureBucket } from "./private/bucket";
import { serviceRole } from "./private/iam";
import { eventBridgeCron } from "./private/monitoring/cron";
import {
  DRIFT_EVENT,
  DRIFT_METRICS_NAMESPACE,
  driftContainer,
  driftRoles,
  schedulerStatements,
} from "./private/monitoring/driftJob";
import { awsBaseShape, idListSchema } from "./private/schemas";

/** Where the retraining trigger sends the drift event. */
export const RetrainTarget = {
  Sns: "sns",
  SageMakerPipeline: "sagemaker-pipeline",
  StepFunctions: "step-functions",
} as const;
/** Where the retraining trigger sends the drift event. */
export type RetrainTarget = (typeof RetrainTarget)[keyof typeof RetrainTarget];

/** Arguments of {@link AwsMonitoring}. */
export interface AwsMonitoringArgs extends MonitoringSpec, AwsMonitoringOptions {
  /** Governance tags, on every resource. */
  tags: StandardTags;
  /** ARN of the platform's KMS key (topic, logs, reports). */
  kmsKeyArn: pulumi.Input<string>;
  /** The SageMaker endpoint watched (`AwsServingEndpoint.endpointName`). */
  endpointName: pulumi.Input<string>;
  /** Its live variants, for the alarms and the dashboard. */
  variantNames: string[];
  /** Where its captured requests land (`AwsServingEndpoint.captureUri`, `s3://bucket/prefix`). */
  captureUri: pulumi.Input<string>;
  /** Private subnets of the drift job. */
  subnetIds: pulumi.Input<string>[];
  /** Security groups of the drift job. */
  securityGroupIds: pulumi.Input<string>[];
  /** The runtime image in ECR (the job has no route to other registries). */
  image: string;
  /**
   * Protect the reports bucket.
   * @default true
   */
  protect?: boolean;
}

/** The AWS-specific options of monitoring, beyond the neutral {@link MonitoringSpec}. */
export interface AwsMonitoringOptions {
  /**
   * E-mail addresses subscribed to the alarm topic (each must confirm the subscription).
   * @default []
   */
  alarmEmails?: string[];
  /**
   * Target of the retraining rule on the drift event.
   * @default "sns" (the alarm topic)
   */
  retrainTarget?: RetrainTarget;
  /**
   * ARN of the SageMaker pipeline or Step Functions state machine to start on drift.
   * @default none
   */
  retrainTargetArn?: pulumi.Input<string>;
  /**
   * Monthly budget in USD for the resources carrying this platform's `cost-center` tag (activate it
   * as a cost-allocation tag in Billing first). No budget when unset.
   * @default none
   */
  monthlyBudgetUsd?: number;
  /**
   * Notify at these percents of the budget (actual spend), and at 100% of the forecast.
   * @default [50, 80, 100]
   */
  budgetThresholdsPercent?: number[];
  /**
   * Hours of captured traffic each run compares with the reference.
   * @default 24
   */
  windowHours?: number;
  /**
   * vCPU of the drift task (Fargate: 0.25, 0.5, 1, 2, 4, 8 or 16).
   * @default 1
   */
  vcpu?: number;
  /**
   * Memory of the drift task, in MiB (within Fargate's range for the vCPU).
   * @default 2048
   */
  memoryMiB?: number;
  /**
   * Days the job's logs are kept.
   * @default 30
   */
  logRetentionDays?: number;
  /**
   * Name of the bucket receiving S3 server access logs.
   * @default no access logging
   */
  accessLogBucket?: pulumi.Input<string>;
}

const ECR_IMAGE =
  /^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9._/-]+(:[\w.-]+|@sha256:[a-f0-9]{64})$/;
/** CloudWatch Logs retention values (PutRetentionPolicy). */
const LOG_RETENTION = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
/** Fargate vCPU → allowed memory in MiB (docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size). */
export function fargateMemoryOk(vcpu: number, mib: number): boolean {
  const gb = mib / 1024;
  switch (vcpu) {
    case 0.25:
      return [512, 1024, 2048].includes(mib);
    case 0.5:
      return Number.isInteger(gb) && gb >= 1 && gb <= 4;
    case 1:
      return Number.isInteger(gb) && gb >= 2 && gb <= 8;
    case 2:
      return Number.isInteger(gb) && gb >= 4 && gb <= 16;
    case 4:
      return Number.isInteger(gb) && gb >= 8 && gb <= 30;
    case 8:
      return gb >= 16 && gb <= 60 && gb % 4 === 0;
    case 16:
      return gb >= 32 && gb <= 120 && gb % 8 === 0;
    default:
      return false;
  }
}

const argsSchema = z
  .strictObject({
    ...awsBaseShape,
    schedule: z.string().default("0 * * * *"),
    referenceUri: z
      .string()
      .regex(
        /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/\S+$/,
        "must be an s3:// URI on AWS. Fix: e.g. 's3://acme-ml/reference/fraud.profile.json'",
      ),
    driftShareThreshold: z.number().min(0).max(1).default(0.5),
    workers: z
      .number()
      .int()
      .min(1)
      .max(10_000, "AWS Batch array jobs have at most 10000 children. Fix: use fewer workers")
      .default(1),
    retrainWebhookUrl: z.string().url().optional(),
    errorRateAlertThreshold: z.number().min(0).max(1).default(0.05),
    p99LatencyAlertMs: z.number().positive().default(1000),
    endpointName: input(z.string().min(1)),
    variantNames: z
      .array(z.string().min(1))
      .min(1, "needs the endpoint's live variants. Fix: pass AwsServingEndpoint's variant names"),
    captureUri: input(
      z
        .string()
        .regex(
          /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/\S*)?$/,
          "must be an s3:// URI. Fix: pass AwsServingEndpoint.captureUri",
        ),
    ),
    subnetIds: idListSchema("subnet", "subnet", 1),
    securityGroupIds: idListSchema("sg", "security group", 1),
    image: z
      .string()
      .regex(
        ECR_IMAGE,
        "must be an ECR image URI (the job runs in private subnets). Fix: push the runtime image to ECR and give its URI",
      ),
    alarmEmails: z.array(z.email()).default([]),
    retrainTarget: z.enum(RetrainTarget).default("sns"),
    retrainTargetArn: input(
      z
        .string()
        .regex(
          /^arn:aws[a-z-]*:(sagemaker|states):/,
          "must be a SageMaker pipeline or Step Functions state machine ARN",
        ),
    ).optional(),
    monthlyBudgetUsd: z.number().positive().optional(),
    budgetThresholdsPercent: z.array(z.number().positive().max(1000)).min(1).default([50, 80, 100]),
    windowHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 31)
      .default(24),
    vcpu: z.number().default(1),
    memoryMiB: z.number().int().default(2048),
    logRetentionDays: z
      .number()
      .refine(
        (d) => LOG_RETENTION.includes(d),
        `must be one of CloudWatch Logs' retention periods. Fix: use one of ${LOG_RETENTION.join(", ")}`,
      )
      .default(30),
    accessLogBucket: z.any().optional(),
  })
  .superRefine((a, ctx) => {
    try {
      eventBridgeCron(a.schedule);
    } catch (e) {
      ctx.addIssue({ code: "custom", path: ["schedule"], message: (e as Error).message });
    }
    if (!fargateMemoryOk(a.vcpu, a.memoryMiB)) {
      ctx.addIssue({
        code: "custom",
        path: ["memoryMiB"],
        message: `is not a Fargate size for ${a.vcpu} vCPU. Fix: see docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size`,
      });
    }
    if (a.retrainTarget !== "sns" && a.retrainTargetArn === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["retrainTargetArn"],
        message: `is required when retrainTarget is '${a.retrainTarget}'. Fix: give the ARN to start on drift`,
      });
    }
  });

type Parsed = z.output<typeof argsSchema>;

/** Splits `s3://bucket/key` into the bucket's ARN and the key. */
function s3Parts(uri: pulumi.Input<string>, partition: pulumi.Input<string>) {
  const parts = pulumi.all([uri, partition]).apply(([u, p]) => {
    const [bucket, ...rest] = u.slice("s3://".length).split("/");
    const key = rest.join("/");
    return { arn: `arn:${p}:s3:::${bucket}`, key: key === "" || key.endsWith("/") ? key : `${key}/` };
  });
  return { arn: parts.arn, prefix: parts.key };
}

/**
 * Monitoring of a SageMaker endpoint on AWS: CloudWatch alarms (error rate, p99 latency, the drift
 * job's drift share) to a KMS-encrypted SNS topic, a dashboard, the drift job, the retraining
 * trigger and a budget.
 *
 * **The drift job** runs the runtime image (`mlops monitor-run`) as an ECS Fargate task started by
 * EventBridge Scheduler on the spec's cron (UTC), read-only root filesystem, non-root, in the
 * private subnets. With more than one worker it is an AWS Batch array job on Fargate, one child per
 * shard; child 0 waits for the other shards and merges, as on Kubernetes. Its task role reads the
 * capture prefix and the reference, writes reports, puts its metrics in `PulumiMlops/Drift` and its
 * drift event on the default bus, and nothing else.
 *
 * **The retraining trigger** is an EventBridge rule on that event (`source: pulumi-mlops`,
 * `detail-type: mlops.drift.detected`, `detail.endpoint`), targeting the topic, a SageMaker
 * pipeline or a Step Functions state machine.
 */
export class AwsMonitoring extends pulumi.ComponentResource {
  /** ARN of the alarm topic. */
  readonly topicArn: pulumi.Output<string>;
  /** `s3://` URI of the drift reports. */
  readonly reportsUri: pulumi.Output<string>;
  /** The EventBridge Scheduler expression of the drift job. */
  readonly scheduleExpression: string;
  /** ARN of the drift job's task (job) role: its identity. */
  readonly jobRoleArn: pulumi.Output<string>;

  constructor(name: string, args: AwsMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = validateArgs("AwsMonitoring", name, argsSchema, args);
    super("mlops:index:AwsMonitoring", name, args, opts);
    const tags = awsTags(a.tags);
    const parent = { parent: this };
    const partition = aws.getPartitionOutput({}, parent).partition;
    const region = aws.getRegionOutput({}, parent).region;
    const account = aws.getCallerIdentityOutput({}, parent).accountId;

    const topic = this.createTopic(name, a, tags, account);
    const reports = createSecureBucket(
      childName(name, "reports"),
      {
        tags: a.tags,
        kmsKeyArn: a.kmsKeyArn,
        protect: a.protect,
        noncurrentVersionDays: 30,
        accessLogBucket: a.accessLogBucket,
      },
      this,
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      childName(name, "drift"),
      { kmsKeyId: a.kmsKeyArn, retentionInDays: a.logRetentionDays, tags },
      parent,
    );
    const capture = s3Parts(a.captureUri, partition);
    const reference = s3Parts(a.referenceUri, partition);
    const roles = driftRoles(
      name,
      {
        captureBucketArn: capture.arn,
        capturePrefix: capture.prefix,
        referenceBucketArn: reference.arn,
        referenceKey: reference.prefix.apply((k) => k.replace(/\/$/, "")),
        reportsBucketArn: reports.bucket.arn,
        kmsKeyArn: a.kmsKeyArn,
        eventBusArn: pulumi.interpolate`arn:${partition}:events:${region}:${account}:event-bus/default`,
      },
      logGroup.arn,
      a.tags,
      this,
    );
    this.scheduleExpression = eventBridgeCron(a.schedule);
    const container = driftContainer({
      image: a.image,
      command: runArgs(a, reports.uri),
      environment: {
        HOME: "/tmp",
        MLOPS_CLOUDWATCH_NAMESPACE: DRIFT_METRICS_NAMESPACE,
        MLOPS_DRIFT_EVENT_SOURCE: DRIFT_EVENT.source,
        MLOPS_DRIFT_EVENT_DETAIL_TYPE: DRIFT_EVENT.detailType,
      },
      logGroup: logGroup.name,
      region,
    });
    if (a.workers === 1) this.ecsJob(name, a, container, roles, tags);
    else this.batchJob(name, a, container, roles, tags);

    this.createAlarms(name, a, topic.arn, tags);
    this.createRetrainRule(name, a, topic, tags);
    if (a.monthlyBudgetUsd !== undefined) this.createBudget(name, a, topic.arn, tags);

    this.topicArn = topic.arn;
    this.reportsUri = reports.uri;
    this.jobRoleArn = roles.task.role.arn;
    this.registerOutputs({
      topicArn: this.topicArn,
      reportsUri: this.reportsUri,
      scheduleExpression: this.scheduleExpression,
      jobRoleArn: this.jobRoleArn,
    });
  }

  private createTopic(
    name: string,
    a: Parsed,
    tags: Record<string, string>,
    account: pulumi.Output<string>,
  ): aws.sns.Topic {
    const topic = new aws.sns.Topic(
      childName(name, "alarms"),
      { kmsMasterKeyId: a.kmsKeyArn, tags },
      { parent: this },
    );
    new aws.sns.TopicPolicy(
      childName(name, "alarms"),
      {
        arn: topic.arn,
        // docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html; budgets: docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ServicesPublish",
              Effect: "Allow",
              Principal: {
                Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com", "budgets.amazonaws.com"],
              },
              Action: "sns:Publish",
              Resource: topic.arn,
              Condition: { StringEquals: { "aws:SourceAccount": account } },
            },
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "sns:Publish",
              Resource: topic.arn,
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      },
      { parent: this },
    );
    a.alarmEmails.forEach((email, i) => {
      new aws.sns.TopicSubscription(
        childName(name, "email", String(i)),
        { topic: topic.arn, protocol: "email", endpoint: email },
        { parent: this },
      );
    });
    return topic;
  }

  private ecsJob(
    name: string,
    a: Parsed,
    container: ReturnType<typeof driftContainer>,
    roles: ReturnType<typeof driftRoles>,
    tags: Record<string, string>,
  ): void {
    const cluster = new aws.ecs.Cluster(
      childName(name, "drift"),
      { settings: [{ name: "containerInsights", value: "enabled" }], tags },
      { parent: this },
    );
    const task = new aws.ecs.TaskDefinition(
      childName(name, "drift"),
      {
        family: childName(name, "drift"),
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(a.vcpu * 1024),
        memory: String(a.memoryMiB),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: roles.execution.role.arn,
        taskRoleArn: roles.task.role.arn,
        volumes: [{ name: "tmp" }],
        containerDefinitions: pulumi.jsonStringify([
          {
            name: "drift",
            essential: true,
            ...container,
            mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp" }],
          },
        ]),
        tags,
      },
      { parent: this, dependsOn: [roles.execution.policy, roles.task.policy] },
    );
    const role = serviceRole(
      childName(name, "scheduler"),
      "scheduler.amazonaws.com",
      schedulerStatements({
        runAction: "ecs:RunTask",
        // Any revision of the family, so a new task definition does not break the schedule mid-update.
        runResources: [task.arn.apply((arn) => arn.replace(/:[0-9]+$/, ":*"))],
        passRoles: [roles.task.role.arn, roles.execution.role.arn],
      }),
      a.tags,
      this,
    );
    this.schedule(
      name,
      {
        arn: cluster.arn,
        roleArn: role.role.arn,
        ecsParameters: {
          taskDefinitionArn: task.arn,
          launchType: "FARGATE",
          platformVersion: "LATEST",
          networkConfiguration: {
            subnets: a.subnetIds,
            securityGroups: a.securityGroupIds,
            assignPublicIp: false,
          },
          propagateTags: "TASK_DEFINITION",
          taskCount: 1,
        },
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
      },
      [role.policy],
    );
  }

  private batchJob(
    name: string,
    a: Parsed,
    container: ReturnType<typeof driftContainer>,
    roles: ReturnType<typeof driftRoles>,
    tags: Record<string, string>,
  ): void {
    const env = new aws.batch.ComputeEnvironment(
      childName(name, "drift"),
      {
        type: "MANAGED",
        computeResources: {
          type: "FARGATE",
          maxVcpus: Math.max(1, Math.ceil(a.workers * a.vcpu)),
          subnets: a.subnetIds,
          securityGroupIds: a.securityGroupIds,
        },
        tags,
      },
      { parent: this },
    );
    const queue = new aws.batch.JobQueue(
      childName(name, "drift"),
      {
        state: "ENABLED",
        priority: 1,
        computeEnvironmentOrders: [{ computeEnvironment: env.arn, order: 0 }],
        tags,
      },
      { parent: this },
    );
    const definition = new aws.batch.JobDefinition(
      childName(name, "drift"),
      {
        type: "container",
        platformCapabilities: ["FARGATE"],
        propagateTags: true,
        // docs.aws.amazon.com/batch/latest/APIReference/API_ContainerProperties.html
        containerProperties: pulumi.jsonStringify({
          ...container,
          jobRoleArn: roles.task.role.arn,
          executionRoleArn: roles.execution.role.arn,
          resourceRequirements: [
            { type: "VCPU", value: String(a.vcpu) },
            { type: "MEMORY", value: String(a.memoryMiB) },
          ],
          networkConfiguration: { assignPublicIp: "DISABLED" },
          fargatePlatformConfiguration: { platformVersion: "LATEST" },
          volumes: [{ name: "tmp" }],
          mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp" }],
        }),
        retryStrategy: { attempts: 2 },
        tags,
      },
      { parent: this, dependsOn: [roles.execution.policy, roles.task.policy] },
    );
    const role = serviceRole(
      childName(name, "scheduler"),
      "scheduler.amazonaws.com",
      schedulerStatements({
        runAction: "batch:SubmitJob",
        runResources: [queue.arn, definition.arn.apply((arn) => arn.replace(/:[0-9]+$/, ":*"))],
        passRoles: [roles.task.role.arn, roles.execution.role.arn],
      }),
      a.tags,
      this,
    );
    // The universal target calls batch:SubmitJob with this input (docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html).
    this.schedule(
      name,
      {
        arn: "arn:aws:scheduler:::aws-sdk:batch:submitJob",
        roleArn: role.role.arn,
        input: batchSubmitInput(childName(name, "drift"), queue.arn, definition.arn, a.workers),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
      },
      [role.policy],
    );
  }

  private schedule(
    name: string,
    target: aws.types.input.scheduler.ScheduleTarget,
    dependsOn: pulumi.Resource[],
  ): void {
    new aws.scheduler.Schedule(
      childName(name, "drift"),
      {
        description: `pulumi-mlops drift job of ${name}`,
        scheduleExpression: this.scheduleExpression,
        scheduleExpressionTimezone: "UTC",
        flexibleTimeWindow: { mode: "OFF" },
        state: "ENABLED",
        target,
      },
      { parent: this, dependsOn },
    );
  }

  private createAlarms(
    name: string,
    a: Parsed,
    topicArn: pulumi.Output<string>,
    tags: Record<string, string>,
  ): void {
    const actions = {
      alarmActions: [topicArn],
      okActions: [topicArn],
      tags,
      treatMissingData: "notBreaching",
    };
    for (const variant of a.variantNames) {
      const dimensions = { EndpointName: a.endpointName, VariantName: variant };
      new aws.cloudwatch.MetricAlarm(
        childName(name, variant, "error-rate"),
        {
          alarmDescription: `${variant}: 5xx share above ${a.errorRateAlertThreshold} for 5 minutes`,
          metricQueries: [
            {
              id: "errors",
              metric: {
                namespace: "AWS/SageMaker",
                metricName: "Invocation5XXErrors",
                dimensions,
                stat: "Sum",
                period: 60,
              },
              returnData: false,
            },
            {
              id: "invocations",
              metric: {
                namespace: "AWS/SageMaker",
                metricName: "Invocations",
                dimensions,
                stat: "Sum",
                period: 60,
              },
              returnData: false,
            },
            {
              id: "rate",
              expression: "IF(invocations > 0, errors / invocations, 0)",
              label: "5xx share",
              returnData: true,
            },
          ],
          evaluationPeriods: 5,
          threshold: a.errorRateAlertThreshold,
          comparisonOperator: "GreaterThanThreshold",
          ...actions,
        },
        { parent: this },
      );
      new aws.cloudwatch.MetricAlarm(
        childName(name, variant, "p99-latency"),
        {
          alarmDescription: `${variant}: p99 model latency above ${a.p99LatencyAlertMs} ms for 5 minutes`,
          namespace: "AWS/SageMaker",
          metricName: "ModelLatency",
          dimensions,
          extendedStatistic: "p99",
          period: 60,
          evaluationPeriods: 5,
          threshold: a.p99LatencyAlertMs * 1000,
          comparisonOperator: "GreaterThanThreshold",
          ...actions,
        },
        { parent: this },
      );
    }
    new aws.cloudwatch.MetricAlarm(
      childName(name, "drift-share"),
      {
        alarmDescription: `Share of drifted columns at or above ${a.driftShareThreshold}`,
        namespace: DRIFT_METRICS_NAMESPACE,
        metricName: "DriftShare",
        dimensions: { Endpoint: a.endpointName },
        statistic: "Maximum",
        period: 3600,
        evaluationPeriods: 1,
        threshold: a.driftShareThreshold,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        ...actions,
      },
      { parent: this },
    );
    new aws.cloudwatch.Dashboard(
      childName(name, "dashboard"),
      {
        dashboardName: childName(name, "mlops"),
        dashboardBody: dashboardBody(a, aws.getRegionOutput({}, { parent: this }).region),
      },
      { parent: this },
    );
  }

  private createRetrainRule(
    name: string,
    a: Parsed,
    topic: aws.sns.Topic,
    tags: Record<string, string>,
  ): void {
    const rule = new aws.cloudwatch.EventRule(
      childName(name, "retrain"),
      {
        description: "Drift detected by the pulumi-mlops drift job",
        eventPattern: pulumi.jsonStringify({
          source: [DRIFT_EVENT.source],
          "detail-type": [DRIFT_EVENT.detailType],
          detail: { endpoint: [a.endpointName] },
        }),
        tags,
      },
      { parent: this },
    );
    if (a.retrainTarget === "sns") {
      new aws.cloudwatch.EventTarget(
        childName(name, "retrain"),
        { rule: rule.name, arn: topic.arn },
        { parent: this },
      );
      return;
    }
    const action =
      a.retrainTarget === "sagemaker-pipeline" ? "sagemaker:StartPipelineExecution" : "states:StartExecution";
    const role = serviceRole(
      childName(name, "retrain"),
      "events.amazonaws.com",
      [{ Effect: "Allow", Action: action, Resource: a.retrainTargetArn! }],
      a.tags,
      this,
    );
    new aws.cloudwatch.EventTarget(
      childName(name, "retrain"),
      {
        rule: rule.name,
        arn: a.retrainTargetArn!,
        roleArn: role.role.arn,
        ...(a.retrainTarget === "sagemaker-pipeline"
          ? { sagemakerPipelineTarget: { pipelineParameterLists: [] } }
          : {}),
      },
      { parent: this, dependsOn: [role.policy] },
    );
  }

  private createBudget(
    name: string,
    a: Parsed,
    topicArn: pulumi.Output<string>,
    tags: Record<string, string>,
  ): void {
    new aws.budgets.Budget(
      childName(name, "budget"),
      {
        budgetType: "COST",
        limitAmount: a.monthlyBudgetUsd!.toFixed(2),
        limitUnit: "USD",
        timeUnit: "MONTHLY",
        // A user-defined cost-allocation tag filter: `user:<key>$<value>`
        // (docs.aws.amazon.com/cost-management/latest/userguide/budgets-create-filters.html).
        costFilters: [{ name: "TagKeyValue", values: [`user:cost-center$${a.tags.costCenter}`] }],
        notifications: [
          ...a.budgetThresholdsPercent.map((threshold) => ({
            comparisonOperator: "GREATER_THAN",
            notificationType: "ACTUAL",
            threshold,
            thresholdType: "PERCENTAGE",
            subscriberSnsTopicArns: [topicArn],
          })),
          {
            comparisonOperator: "GREATER_THAN",
            notificationType: "FORECASTED",
            threshold: 100,
            thresholdType: "PERCENTAGE",
            subscriberSnsTopicArns: [topicArn],
          },
        ],
        tags,
      },
      { parent: this },
    );
  }
}

/**
 * The `batch:SubmitJob` request the schedule sends: an array job of `workers` children (Batch sets
 * `AWS_BATCH_JOB_ARRAY_INDEX` in each; docs.aws.amazon.com/batch/latest/userguide/array_jobs.html).
 */
export function batchSubmitInput(
  jobName: string,
  queueArn: pulumi.Input<string>,
  definitionArn: pulumi.Input<string>,
  workers: number,
): pulumi.Output<string> {
  return pulumi.jsonStringify({
    JobName: jobName,
    JobQueue: queueArn,
    JobDefinition: definitionArn,
    ArrayProperties: { Size: workers },
  });
}

/** The `mlops monitor-run` arguments, as on Kubernetes, with S3 URIs read by the runtime's cloud I/O. */
export function runArgs(
  a: Pick<
    Parsed,
    | "endpointName"
    | "captureUri"
    | "referenceUri"
    | "windowHours"
    | "driftShareThreshold"
    | "workers"
    | "retrainWebhookUrl"
  >,
  reportsUri: pulumi.Input<string>,
): pulumi.Output<string[]> {
  return pulumi
    .all([a.endpointName, a.captureUri, reportsUri])
    .apply(([endpoint, capture, reports]) => [
      "monitor-run",
      `--endpoint=${endpoint}`,
      `--reference=${a.referenceUri}`,
      `--capture-dir=${capture}`,
      `--since=${a.windowHours}h`,
      `--drift-share=${a.driftShareThreshold}`,
      "--work-dir=/tmp/work",
      `--workers=${a.workers}`,
      `--report-dir=${reports}/${endpoint}`,
      ...(a.retrainWebhookUrl !== undefined ? [`--retrain-webhook=${a.retrainWebhookUrl}`] : []),
    ]);
}

/** The CloudWatch dashboard: traffic, errors and latency per variant, and the drift share. */
function dashboardBody(a: Parsed, region: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.all([a.endpointName, region]).apply(([endpoint, reg]) => {
    const metric = (name: string, stat: string) =>
      a.variantNames.map((v) => [
        "AWS/SageMaker",
        name,
        "EndpointName",
        endpoint,
        "VariantName",
        v,
        { stat },
      ]);
    const widget = (title: string, metrics: unknown[], y: number) => ({
      type: "metric",
      x: 0,
      y,
      width: 24,
      height: 6,
      properties: { title, metrics, period: 60, view: "timeSeries", region: reg },
    });
    return JSON.stringify({
      widgets: [
        widget("Invocations", metric("Invocations", "Sum"), 0),
        widget("5xx errors", metric("Invocation5XXErrors", "Sum"), 6),
        widget("Model latency p99 (µs)", metric("ModelLatency", "p99"), 12),
        widget(
          "Drift share",
          [[DRIFT_METRICS_NAMESPACE, "DriftShare", "Endpoint", endpoint, { stat: "Maximum" }]],
          18,
        ),
      ],
    });
  });
}
