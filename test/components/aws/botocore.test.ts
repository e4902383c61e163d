// The values each AWS component plans, checked against AWS's own API rules: the request shapes of
// botocore's service models (enums, patterns, lengths, ranges), committed in test/aws-models by
// scripts/extract-botocore-models.py — the AWS counterpart of checking Kubernetes objects against
// their OpenAPI schemas.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { AwsFeatureStore } from "../../../components/aws/featureStore";
import { AwsModelRegistry } from "../../../components/aws/modelRegistry";
import { AwsMonitoring } from "../../../components/aws/monitoring";
import { createPlatformKey } from "../../../components/aws/private/kms";
import { AwsServingEndpoint } from "../../../components/aws/servingEndpoint";
import { AwsTrainingCluster, type AwsTrainingClusterArgs } from "../../../components/aws/trainingCluster";
import { plain, UNKNOWN } from "../../../offline/properties";
import { type PlainResource, registered } from "../../helpers/capture";
import { KEY_ARN, prodTags, SECURITY_GROUPS, SUBNETS, tags } from "./helpers";

interface Shape {
  type: string;
  enum?: string[];
  pattern?: string;
  min?: number;
  max?: number;
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
}
interface Model {
  operations: Record<string, string>;
  shapes: Record<string, Shape>;
}

const models = new Map<string, Model>();
function model(service: string): Model {
  if (!models.has(service)) {
    models.set(
      service,
      JSON.parse(readFileSync(join(process.cwd(), "test", "aws-models", `${service}.json`), "utf8")),
    );
  }
  return models.get(service)!;
}

/** Where a resource type's inputs go in the API: the operation, and the props whose API names differ. */
const TARGETS: Record<
  string,
  { service: string; operation: string; aliases?: Record<string, string>; skip?: string[] }
> = {
  "aws:sagemaker/featureGroup:FeatureGroup": { service: "sagemaker", operation: "CreateFeatureGroup" },
  "aws:sagemaker/modelPackageGroup:ModelPackageGroup": {
    service: "sagemaker",
    operation: "CreateModelPackageGroup",
  },
  "aws:sagemaker/mlflowTrackingServer:MlflowTrackingServer": {
    service: "sagemaker",
    operation: "CreateMlflowTrackingServer",
  },
  "aws:sagemaker/model:Model": { service: "sagemaker", operation: "CreateModel" },
  "aws:sagemaker/endpointConfiguration:EndpointConfiguration": {
    service: "sagemaker",
    operation: "CreateEndpointConfig",
    aliases: { kmsKeyArn: "KmsKeyId" },
  },
  "aws:sagemaker/endpoint:Endpoint": {
    service: "sagemaker",
    operation: "CreateEndpoint",
    aliases: { name: "EndpointName" },
  },
  "aws:batch/computeEnvironment:ComputeEnvironment": {
    service: "batch",
    operation: "CreateComputeEnvironment",
    aliases: { ec2Configurations: "ec2Configuration" },
  },
  "aws:batch/jobQueue:JobQueue": {
    service: "batch",
    operation: "CreateJobQueue",
    aliases: { computeEnvironmentOrders: "computeEnvironmentOrder" },
  },
  "aws:batch/schedulingPolicy:SchedulingPolicy": {
    service: "batch",
    operation: "CreateSchedulingPolicy",
    aliases: { shareDistributions: "shareDistribution" },
  },
  "aws:batch/jobDefinition:JobDefinition": { service: "batch", operation: "RegisterJobDefinition" },
  "aws:ecs/cluster:Cluster": { service: "ecs", operation: "CreateCluster" },
  "aws:ecs/taskDefinition:TaskDefinition": { service: "ecs", operation: "RegisterTaskDefinition" },
  // Pulumi's networkConfiguration is the API's networkConfiguration.awsvpcConfiguration.
  "aws:scheduler/schedule:Schedule": {
    service: "scheduler",
    operation: "CreateSchedule",
    skip: ["networkConfiguration"],
  },
  // Pulumi's dimensions are a map, the API's a list; metric queries nest the metric differently.
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    service: "cloudwatch",
    operation: "PutMetricAlarm",
    aliases: { name: "AlarmName" },
    skip: ["dimensions", "metric"],
  },
  "aws:cloudwatch/dashboard:Dashboard": { service: "cloudwatch", operation: "PutDashboard" },
  "aws:cloudwatch/eventRule:EventRule": { service: "events", operation: "PutRule" },
  "aws:ecr/repository:Repository": {
    service: "ecr",
    operation: "CreateRepository",
    aliases: { encryptionConfigurations: "encryptionConfiguration" },
  },
  "aws:appautoscaling/target:Target": {
    service: "application-autoscaling",
    operation: "RegisterScalableTarget",
  },
  "aws:appautoscaling/policy:Policy": { service: "application-autoscaling", operation: "PutScalingPolicy" },
  "aws:eks/nodeGroup:NodeGroup": { service: "eks", operation: "CreateNodegroup" },
  "aws:cloudwatch/logGroup:LogGroup": { service: "logs", operation: "CreateLogGroup" },
  "aws:kms/key:Key": { service: "kms", operation: "CreateKey" },
};

/** One value checked against one shape, for the coverage report. */
interface Checked {
  path: string;
  shape: string;
}

function check(
  m: Model,
  shapeName: string,
  value: unknown,
  path: string,
  problems: string[],
  checked: Checked[],
  t: (typeof TARGETS)[string],
): void {
  if (value === undefined || value === null || value === UNKNOWN) return;
  const shape = m.shapes[shapeName]!;
  switch (shape.type) {
    case "structure": {
      // The provider writes some single API structures as one-element lists (Terraform blocks).
      if (Array.isArray(value) && value.length === 1) {
        check(m, shapeName, value[0], `${path}[0]`, problems, checked, t);
        return;
      }
      if (typeof value !== "object" || Array.isArray(value)) return;
      const members = Object.entries(shape.members ?? {});
      for (const [prop, v] of Object.entries(value as Record<string, unknown>)) {
        if (t.skip?.includes(prop)) continue;
        const apiName = (t.aliases?.[prop] ?? prop).toLowerCase();
        const member = members.find(([n]) => n.toLowerCase() === apiName);
        if (member) check(m, member[1].shape, v, `${path}.${prop}`, problems, checked, t);
      }
      return;
    }
    case "list":
      if (!Array.isArray(value)) return;
      if (shape.min !== undefined && value.length < shape.min)
        problems.push(`${path}: ${value.length} items, below ${shape.min} (${shapeName})`);
      if (shape.max !== undefined && value.length > shape.max)
        problems.push(`${path}: ${value.length} items, above ${shape.max} (${shapeName})`);
      value.forEach((v, i) => {
        check(m, shape.member!.shape, v, `${path}[${i}]`, problems, checked, t);
      });
      return;
    case "string": {
      if (typeof value !== "string") return;
      checked.push({ path, shape: shapeName });
      if (shape.enum && !shape.enum.includes(value))
        problems.push(
          `${path} = ${JSON.stringify(value)}: not one of ${shapeName} ${JSON.stringify(shape.enum)}`,
        );
      if (shape.min !== undefined && value.length < shape.min)
        problems.push(`${path}: shorter than ${shape.min} (${shapeName})`);
      if (shape.max !== undefined && value.length > shape.max)
        problems.push(`${path}: longer than ${shape.max} (${shapeName})`);
      if (shape.pattern !== undefined) {
        let re: RegExp | undefined;
        try {
          re = new RegExp(`^(?:${shape.pattern})$`, "u");
        } catch {
          re = undefined; // a Java-only construct; the other rules still apply
        }
        if (re && !re.test(value))
          problems.push(`${path} = ${JSON.stringify(value)}: does not match ${shapeName} /${shape.pattern}/`);
      }
      return;
    }
    case "integer":
    case "long":
    case "double":
    case "float": {
      if (typeof value !== "number") return;
      checked.push({ path, shape: shapeName });
      if (shape.min !== undefined && value < shape.min)
        problems.push(`${path} = ${value}: below ${shape.min} (${shapeName})`);
      if (shape.max !== undefined && value > shape.max)
        problems.push(`${path} = ${value}: above ${shape.max} (${shapeName})`);
      return;
    }
    default:
      return;
  }
}

/** Checks one resource's inputs against its operation's request shape. */
function checkResource(r: PlainResource): { problems: string[]; checked: Checked[] } {
  const t = TARGETS[r.type]!;
  const m = model(t.service);
  const problems: string[] = [];
  const checked: Checked[] = [];
  const props = { ...r.props };
  delete props.tags;
  check(m, m.operations[t.operation]!, props, `${r.type}::${r.name}`, problems, checked, t);
  // JSON-string properties that are API structures of their own.
  if (
    r.type === "aws:batch/jobDefinition:JobDefinition" &&
    typeof props.containerProperties === "string" &&
    props.containerProperties !== UNKNOWN
  ) {
    check(
      m,
      "ContainerProperties",
      JSON.parse(props.containerProperties),
      `${r.name}.containerProperties`,
      problems,
      checked,
      t,
    );
  }
  return { problems, checked };
}

// A representative platform: every AWS component, in dev (spot, serverless) and prod shapes.
const IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/serving:1.0";
const PACKAGE = "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3";
const net = { subnetIds: SUBNETS, securityGroupIds: SECURITY_GROUPS };
class Slice extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Slice", name);
    createPlatformKey(name, { tags, protect: true }, this);
    this.registerOutputs({});
  }
}
new Slice("key");
new AwsModelRegistry("reg", {
  tags: prodTags,
  kmsKeyArn: KEY_ARN,
  models: ["fraud-detector"],
  crossAccountReaders: ["444455556666"],
});
new AwsFeatureStore("fs", {
  tags,
  kmsKeyArn: KEY_ARN,
  entities: [{ name: "customer", joinKeys: ["customer_id"] }],
  featureViews: [
    {
      name: "customer_stats",
      entities: ["customer"],
      features: [
        { name: "amount_7d", type: "float64" },
        { name: "n_7d", type: "int64" },
      ],
      ttlSeconds: 86400,
      sourcePath: "customers/stats.parquet",
      timestampField: "event_ts",
    },
  ],
});
new AwsServingEndpoint("fraud", {
  tags: prodTags,
  kmsKeyArn: KEY_ARN,
  ...net,
  image: IMAGE,
  name: "fraud",
  variants: [
    { name: "champion", modelUri: PACKAGE, weight: 90, minReplicas: 2, maxReplicas: 6 },
    { name: "challenger", modelUri: PACKAGE, weight: 10, accelerator: "nvidia-t4" },
    { name: "shadow", modelUri: PACKAGE, shadow: true },
  ],
});
new AwsServingEndpoint("dev", {
  tags,
  kmsKeyArn: KEY_ARN,
  image: IMAGE,
  name: "dev",
  serverless: true,
  variants: [{ name: "main", modelUri: PACKAGE }],
});
const training: Pick<
  AwsTrainingClusterArgs,
  "pools" | "teams" | "kmsKeyArn" | "subnetIds" | "securityGroupIds"
> = {
  kmsKeyArn: KEY_ARN,
  ...net,
  pools: [
    { name: "l4", accelerator: "nvidia-l4", maxNodes: 4 },
    { name: "h100", accelerator: "nvidia-h100-80gb", gpusPerNode: 8, maxNodes: 1 },
  ],
  teams: [
    { name: "research", gpuQuota: { l4: 2 } },
    { name: "ranking", gpuQuota: { l4: 2, h100: 8 }, priority: "high" },
  ],
};
new AwsTrainingCluster("train", { tags, ...training });
new AwsTrainingCluster("train-prod", { tags: prodTags, ...training });
new AwsTrainingCluster("eks", {
  tags,
  ...training,
  mode: "eks",
  eksClusterName: "ml",
  eksNodeRoleArn: "arn:aws:iam::111122223333:role/nodes",
});
const monitoring = {
  tags,
  kmsKeyArn: KEY_ARN,
  endpointName: "fraud",
  variantNames: ["champion", "challenger"],
  captureUri: "s3://fraud-capture-abc/capture/fraud",
  ...net,
  image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/mlops-runtime:0.1.0",
  referenceUri: "s3://acme-ml/reference/fraud.profile.json",
};
new AwsMonitoring("mon", { ...monitoring, schedule: "*/30 * * * MON-FRI", monthlyBudgetUsd: 1000 });
new AwsMonitoring("mon-sharded", { ...monitoring, workers: 8 });

describe("the AWS components' values against botocore's API models", () => {
  it("every planned value obeys the API's enums, patterns, lengths and ranges", async () => {
    const resources = (await registered())
      .filter((r) => r.type in TARGETS)
      .map((r) => ({ ...r, props: plain(r.inputs) as PlainResource["props"] }));
    const problems: string[] = [];
    const checked: Checked[] = [];
    for (const r of resources) {
      const result = checkResource(r);
      problems.push(...result.problems);
      checked.push(...result.checked);
    }
    expect(problems).toEqual([]);
    // Every mapped resource type was built, so none is checked vacuously.
    expect(new Set(resources.map((r) => r.type))).toEqual(new Set(Object.keys(TARGETS)));
    // The values that matter were reached by the walk (a renamed property would silently skip them).
    const shapes = new Set(checked.map((c) => c.shape));
    for (const s of [
      "FeatureType",
      "FeatureGroupName",
      "TtlDurationUnit",
      "TableFormat",
      "ProductionVariantInstanceType",
      "VariantName",
      "ServerlessMemorySizeInMB",
      "SamplingPercentage",
      "TrafficRoutingConfigType",
      "CapacitySizeType",
      "CRAllocationStrategy",
      "ImageType",
      "JQState",
      "TrackingServerSize",
      "ImageTagMutability",
      "EncryptionType",
      "ServiceNamespace",
      "ScalableDimension",
      "MetricType",
      "AMITypes",
      "CapacityTypes",
      "TaintEffect",
      "ComparisonOperator",
      "ExtendedStatistic",
      "FlexibleTimeWindowMode",
      "LaunchType",
      "KeyUsageType",
      "NetworkMode",
    ]) {
      expect(shapes, s).toContain(s);
    }
  });

  it("catches a value the API refuses (the check can fail)", () => {
    const bad = {
      type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
      name: "x",
      props: {
        productionVariants: [{ variantName: "a_b", instanceType: "ml.nope.large", initialVariantWeight: -1 }],
      },
    } as unknown as PlainResource;
    const { problems } = checkResource(bad);
    expect(problems.join("\n")).toMatch(/variantName = "a_b": does not match VariantName/);
    expect(problems.join("\n")).toMatch(
      /instanceType = "ml.nope.large": not one of ProductionVariantInstanceType/,
    );
    expect(problems.join("\n")).toMatch(/initialVariantWeight = -1: below 0/);
  });
});
