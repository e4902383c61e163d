import { describe, expect, it } from "vitest";
import {
  AwsMonitoring,
  batchSubmitInput,
  fargateMemoryOk,
  runArgs,
} from "../../../components/aws/monitoring";
import { eventBridgeCron } from "../../../components/aws/private/monitoring/cron";
import { driftContainer, driftTaskStatements } from "../../../components/aws/private/monitoring/driftJob";
import { ofType } from "../../helpers/capture";
import {
  childrenOf,
  expectSecureBuckets,
  expectStatefulProtected,
  expectTagged,
  KEY_ARN,
  resolved,
  SECURITY_GROUPS,
  SUBNETS,
  tags,
} from "./helpers";

const IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/mlops-runtime:0.1.0";
const wiring = {
  tags,
  kmsKeyArn: KEY_ARN,
  endpointName: "fraud",
  variantNames: ["champion", "challenger"],
  captureUri: "s3://fraud-capture-abc/capture/fraud",
  subnetIds: SUBNETS,
  securityGroupIds: SECURITY_GROUPS,
  image: IMAGE,
  referenceUri: "s3://acme-ml/reference/fraud.profile.json",
};

const plainArgs = {
  endpointName: wiring.endpointName,
  captureUri: wiring.captureUri,
  referenceUri: wiring.referenceUri,
  windowHours: 24,
  driftShareThreshold: 0.5,
  retrainWebhookUrl: undefined,
};

new AwsMonitoring("mon", {
  ...wiring,
  schedule: "30 2 * * 1-5",
  alarmEmails: ["oncall@example.com"],
  monthlyBudgetUsd: 500,
});
new AwsMonitoring("shard", {
  ...wiring,
  workers: 4,
  retrainTarget: "sagemaker-pipeline",
  retrainTargetArn: "arn:aws:sagemaker:eu-west-1:111122223333:pipeline/retrain-fraud",
});

describe("AwsMonitoring", () => {
  it("sends alarms to a KMS-encrypted topic that only AWS services of this account publish to", async () => {
    const [topic] = await ofType("aws:sns/topic:Topic", "mon");
    expect(topic!.props.kmsMasterKeyId).toBe(KEY_ARN);
    const alarms = await ofType("aws:cloudwatch/metricAlarm:MetricAlarm", "mon");
    expect(alarms.map((a) => a.name).sort()).toEqual(
      [
        "mon-challenger-error-rate",
        "mon-challenger-p99-latency",
        "mon-champion-error-rate",
        "mon-champion-p99-latency",
        "mon-drift-share",
      ].sort(),
    );
    const latency = alarms.find((a) => a.name === "mon-champion-p99-latency")!;
    expect(latency.props).toMatchObject({
      threshold: 1_000_000,
      extendedStatistic: "p99",
      evaluationPeriods: 5,
    });
    expect(alarms.find((a) => a.name === "mon-drift-share")!.props).toMatchObject({
      namespace: "PulumiMlops/Drift",
      threshold: 0.5,
    });
    const [sub] = await ofType("aws:sns/topicSubscription:TopicSubscription", "mon");
    expect(sub!.props).toMatchObject({ protocol: "email", endpoint: "oncall@example.com" });
    const [dash] = await ofType("aws:cloudwatch/dashboard:Dashboard", "mon");
    expect(JSON.parse(dash!.props.dashboardBody).widgets).toHaveLength(4);
  });

  it("runs the drift job as a read-only, non-root Fargate task scheduled by EventBridge Scheduler", async () => {
    const [task] = await ofType("aws:ecs/taskDefinition:TaskDefinition", "mon");
    expect(task!.props).toMatchObject({
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "1024",
      memory: "2048",
    });
    // The definitions hold role ARNs and the log group's name, unknown in a preview: check the builder.
    expect(task!.props.volumes).toEqual([{ name: "tmp" }]);
    const container = await resolved(
      driftContainer({
        image: IMAGE,
        command: runArgs({ ...plainArgs, workers: 1 }, "s3://rep"),
        environment: {},
        logGroup: "lg",
        region: "eu-west-1",
      }),
    );
    expect(container).toMatchObject({ image: IMAGE, user: "1000:1000", readonlyRootFilesystem: true });
    expect(container.command).toEqual([
      "monitor-run",
      "--endpoint=fraud",
      "--reference=s3://acme-ml/reference/fraud.profile.json",
      "--capture-dir=s3://fraud-capture-abc/capture/fraud",
      "--since=24h",
      "--drift-share=0.5",
      "--work-dir=/tmp/work",
      "--workers=1",
      "--report-dir=s3://rep/fraud",
    ]);
    const [schedule] = await ofType("aws:scheduler/schedule:Schedule", "mon");
    expect(schedule!.props).toMatchObject({
      scheduleExpression: "cron(30 2 ? * 2-6 *)",
      scheduleExpressionTimezone: "UTC",
      flexibleTimeWindow: { mode: "OFF" },
    });
    expect(schedule!.props.target.ecsParameters).toMatchObject({
      launchType: "FARGATE",
      networkConfiguration: { subnets: SUBNETS, securityGroups: SECURITY_GROUPS, assignPublicIp: false },
    });
  });

  it("runs sharded work as a Batch array job on Fargate, one child per worker", async () => {
    const [env] = await ofType("aws:batch/computeEnvironment:ComputeEnvironment", "shard");
    expect(env!.props.computeResources).toMatchObject({ type: "FARGATE", maxVcpus: 4 });
    const [definition] = await ofType("aws:batch/jobDefinition:JobDefinition", "shard");
    expect(definition!.props.platformCapabilities).toEqual(["FARGATE"]);
    expect(definition!.props.type).toBe("container");
    const [schedule] = await ofType("aws:scheduler/schedule:Schedule", "shard");
    expect(schedule!.props.target.arn).toBe("arn:aws:scheduler:::aws-sdk:batch:submitJob");
    expect(JSON.parse(await resolved(batchSubmitInput("j", "q", "d", 4)))).toEqual({
      JobName: "j",
      JobQueue: "q",
      JobDefinition: "d",
      ArrayProperties: { Size: 4 },
    });
    expect(await ofType("aws:ecs/taskDefinition:TaskDefinition", "shard")).toHaveLength(0);
  });

  it("scopes the job's role to the capture prefix, the reference and the reports", async () => {
    const s = await resolved(
      driftTaskStatements({
        captureBucketArn: "arn:aws:s3:::cap",
        capturePrefix: "capture/fraud/",
        referenceBucketArn: "arn:aws:s3:::ref",
        referenceKey: "reference/fraud.profile.json",
        reportsBucketArn: "arn:aws:s3:::rep",
        kmsKeyArn: KEY_ARN,
        eventBusArn: "arn:aws:events:eu-west-1:1:event-bus/default",
      }),
    );
    expect(s.find((x) => x.Action === "s3:GetObject")!.Resource).toEqual([
      "arn:aws:s3:::cap/capture/fraud/*",
      "arn:aws:s3:::ref/reference/fraud.profile.json",
    ]);
    expect(s.flatMap((x) => x.Action)).not.toContain("s3:DeleteObject");
    expect(s.find((x) => x.Action === "cloudwatch:PutMetricData")!.Condition).toEqual({
      StringEquals: { "cloudwatch:namespace": "PulumiMlops/Drift" },
    });
  });

  it("triggers retraining on the drift event: the topic by default, or a SageMaker pipeline", async () => {
    const [rule] = await ofType("aws:cloudwatch/eventRule:EventRule", "mon");
    expect(JSON.parse(rule!.props.eventPattern)).toEqual({
      source: ["pulumi-mlops"],
      "detail-type": ["mlops.drift.detected"],
      detail: { endpoint: ["fraud"] },
    });
    const [pipeline] = await ofType("aws:cloudwatch/eventTarget:EventTarget", "shard");
    expect(pipeline!.props.arn).toBe("arn:aws:sagemaker:eu-west-1:111122223333:pipeline/retrain-fraud");
    expect(pipeline!.props.sagemakerPipelineTarget).toBeDefined();
  });

  it("budgets the cost centre's spend with notifications at the thresholds", async () => {
    const [budget] = await ofType("aws:budgets/budget:Budget", "mon");
    expect(budget!.props).toMatchObject({
      budgetType: "COST",
      limitAmount: "500.00",
      limitUnit: "USD",
      timeUnit: "MONTHLY",
    });
    expect(budget!.props.costFilters).toEqual([{ name: "TagKeyValue", values: ["user:cost-center$cc-42"] }]);
    expect(
      budget!.props.notifications.map(
        (n: { threshold: number; notificationType: string }) => `${n.notificationType}:${n.threshold}`,
      ),
    ).toEqual(["ACTUAL:50", "ACTUAL:80", "ACTUAL:100", "FORECASTED:100"]);
    expect(await ofType("aws:budgets/budget:Budget", "shard")).toHaveLength(0);
  });

  it("keeps reports in a secure, protected bucket and logs with the key; tags everything", async () => {
    const children = await childrenOf("mlops:index:AwsMonitoring", "mon");
    expect(expectSecureBuckets(children, KEY_ARN)).toBe(1);
    expect(expectStatefulProtected(children)).toHaveLength(1);
    const [logs] = await ofType("aws:cloudwatch/logGroup:LogGroup", "mon");
    expect(logs!.props).toMatchObject({ kmsKeyId: KEY_ARN, retentionInDays: 30 });
    expectTagged(children, tags);
    expectTagged(await childrenOf("mlops:index:AwsMonitoring", "shard"), tags);
  });

  it("converts cron to EventBridge's six fields", () => {
    expect(eventBridgeCron("0 * * * *")).toBe("cron(0 * * * ? *)");
    expect(eventBridgeCron("@daily")).toBe("cron(0 0 * * ? *)");
    expect(eventBridgeCron("0 6 1 * *")).toBe("cron(0 6 1 * ? *)");
    expect(eventBridgeCron("0 6 * * 0,6")).toBe("cron(0 6 ? * 1,7 *)");
    expect(eventBridgeCron("*/15 * * * MON-FRI")).toBe("cron(*/15 * ? * MON-FRI *)");
    expect(fargateMemoryOk(1, 2048)).toBe(true);
    expect(fargateMemoryOk(1, 1024)).toBe(false);
  });

  it("refuses a schedule EventBridge cannot express, naming the field", () => {
    expect(() => new AwsMonitoring("bad1", { ...wiring, schedule: "0 0 1 * 1" })).toThrow(
      /args\.schedule = "0 0 1 \* 1": .*EventBridge takes only one of them/,
    );
    expect(() => new AwsMonitoring("bad2", { ...wiring, schedule: "61 * * * *" })).toThrow(
      /args\.schedule = "61 \* \* \* \*"/,
    );
    expect(() => new AwsMonitoring("bad3", { ...wiring, referenceUri: "gs://x/y" })).toThrow(
      /args\.referenceUri/,
    );
    expect(() => new AwsMonitoring("bad4", { ...wiring, retrainTarget: "step-functions" })).toThrow(
      /args\.retrainTargetArn = \(missing\)/,
    );
  });
});
