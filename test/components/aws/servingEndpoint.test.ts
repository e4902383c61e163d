import { describe, expect, it } from "vitest";
import { maximumExecutionTimeout, trafficRouting } from "../../../components/aws/private/serving/rollout";
import {
  AwsServingEndpoint,
  executionStatements,
  hasInstanceStorage,
} from "../../../components/aws/servingEndpoint";
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

const IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/serving:1.0";
const PACKAGE = "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3";
const net = { subnetIds: SUBNETS, securityGroupIds: SECURITY_GROUPS };

new AwsServingEndpoint("fraud", {
  tags,
  kmsKeyArn: KEY_ARN,
  ...net,
  image: IMAGE,
  name: "fraud",
  variants: [
    { name: "champion", modelUri: PACKAGE, weight: 90, minReplicas: 2, maxReplicas: 6 },
    { name: "challenger", modelUri: "s3://acme-models/fraud/4/model.tar.gz", weight: 10 },
    { name: "shadow", modelUri: "s3://acme-models/fraud/5/model.tar.gz", shadow: true },
  ],
  rollout: {
    steps: [{ weight: 10, pauseSeconds: 600 }, { weight: 100 }],
    maxErrorRate: 0.02,
    maxP99LatencyMs: 250,
  },
  captureSamplingPercent: 20,
});
new AwsServingEndpoint("gpu", {
  tags,
  kmsKeyArn: KEY_ARN,
  ...net,
  name: "gpu",
  variants: [{ name: "main", modelUri: PACKAGE, accelerator: "nvidia-l4" }],
  rollout: { steps: [{ weight: 25 }, { weight: 50 }, { weight: 75 }, { weight: 100 }] },
});
new AwsServingEndpoint("dev", {
  tags,
  kmsKeyArn: KEY_ARN,
  image: IMAGE,
  name: "dev",
  serverless: true,
  variants: [{ name: "main", modelUri: "s3://acme-models/fraud/4/model.tar.gz" }],
});

const config = async (prefix: string) =>
  (await ofType("aws:sagemaker/endpointConfiguration:EndpointConfiguration", prefix))[0]!;

describe("AwsServingEndpoint", () => {
  it("never names the EndpointConfiguration, so updates create a new one first", async () => {
    const configs = await ofType("aws:sagemaker/endpointConfiguration:EndpointConfiguration");
    expect(configs).toHaveLength(3);
    for (const c of configs) {
      expect(c.props.name).toBeUndefined();
      expect(c.props.namePrefix).toBeUndefined();
    }
  });

  it("splits traffic by the spec's weights, mirrors to the shadow, on the catalogue's instance types", async () => {
    const c = await config("fraud");
    expect(
      c.props.productionVariants.map((v: Record<string, unknown>) => [
        v.variantName,
        v.initialVariantWeight,
        v.instanceType,
        v.initialInstanceCount,
      ]),
    ).toEqual([
      ["champion", 90, "ml.m5.large", 2],
      ["challenger", 10, "ml.m5.large", 1],
    ]);
    expect(c.props.shadowProductionVariants.map((v: Record<string, unknown>) => v.variantName)).toEqual([
      "shadow",
    ]);
    expect(c.props.kmsKeyArn).toBe(KEY_ARN);
    const gpu = await config("gpu");
    expect(gpu.props.productionVariants[0].instanceType).toBe("ml.g6.xlarge");
    // g6 has local NVMe storage, on which SageMaker refuses a volume KMS key.
    expect(gpu.props.kmsKeyArn).toBeUndefined();
  });

  it("captures the spec's share of requests and responses to S3 with the key", async () => {
    const c = await config("fraud");
    expect(c.props.dataCaptureConfig).toMatchObject({
      enableCapture: true,
      initialSamplingPercentage: 20,
      kmsKeyId: KEY_ARN,
      captureOptions: [{ captureMode: "Input" }, { captureMode: "Output" }],
    });
    const children = await childrenOf("mlops:index:AwsServingEndpoint", "fraud");
    expect(expectSecureBuckets(children, KEY_ARN)).toBe(1);
    expect(expectStatefulProtected(children)).toHaveLength(1);
    expectTagged(children, tags);
  });

  it("runs each model network-isolated in the private subnets with its source", async () => {
    const models = await ofType("aws:sagemaker/model:Model", "fraud");
    expect(models).toHaveLength(3);
    for (const m of models) {
      expect(m.props.enableNetworkIsolation).toBe(true);
      expect(m.props.vpcConfig).toEqual({ subnets: SUBNETS, securityGroupIds: SECURITY_GROUPS });
      expect(m.props.name).toBeUndefined();
    }
    expect(models.find((m) => m.name === "fraud-champion")!.props.primaryContainer.modelPackageName).toBe(
      PACKAGE,
    );
    expect(models.find((m) => m.name === "fraud-challenger")!.props.primaryContainer).toMatchObject({
      image: IMAGE,
      modelDataUrl: "s3://acme-models/fraud/4/model.tar.gz",
    });
  });

  it("wires the rollback alarms into the blue/green deployment", async () => {
    const [endpoint] = await ofType("aws:sagemaker/endpoint:Endpoint", "fraud");
    const alarms = await ofType("aws:cloudwatch/metricAlarm:MetricAlarm", "fraud");
    expect(alarms.map((a) => a.name).sort()).toEqual(
      ["champion", "challenger"]
        .flatMap((v) => ["5xx", "error-rate", "p99-latency"].map((k) => `fraud-${v}-${k}`))
        .sort(),
    );
    const dc = endpoint!.props.deploymentConfig;
    expect(dc.blueGreenUpdatePolicy.trafficRoutingConfiguration).toEqual({
      type: "CANARY",
      canarySize: { type: "CAPACITY_PERCENT", value: 10 },
      waitIntervalInSeconds: 600,
    });
    // Alarm names are auto-named: one reference per alarm, each a dependency of the endpoint.
    expect(dc.autoRollbackConfiguration.alarms).toHaveLength(6);
    for (const a of alarms) expect(endpoint!.dependencies).toContain(a.urn);
    const latency = alarms.find((a) => a.name === "fraud-champion-p99-latency")!;
    expect(latency.props).toMatchObject({
      metricName: "ModelLatency",
      extendedStatistic: "p99",
      threshold: 250_000,
      dimensions: { EndpointName: "fraud", VariantName: "champion" },
    });
    const rate = alarms.find((a) => a.name === "fraud-champion-error-rate")!;
    expect(rate.props.threshold).toBe(0.02);
    const gpu = (await ofType("aws:sagemaker/endpoint:Endpoint", "gpu"))[0]!;
    expect(gpu.props.deploymentConfig.blueGreenUpdatePolicy.trafficRoutingConfiguration.type).toBe("LINEAR");
  });

  it("autoscales each live variant between min and max replicas", async () => {
    const targets = await ofType("aws:appautoscaling/target:Target", "fraud");
    expect(targets.map((t) => [t.props.resourceId, t.props.minCapacity, t.props.maxCapacity])).toEqual([
      ["endpoint/fraud/variant/champion", 2, 6],
      ["endpoint/fraud/variant/challenger", 1, 3],
    ]);
    const policies = await ofType("aws:appautoscaling/policy:Policy", "fraud");
    expect(
      policies[0]!.props.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification
        .predefinedMetricType,
    ).toBe("SageMakerVariantInvocationsPerInstance");
  });

  it("serverless for dev: no VPC, no capture, no autoscaling target", async () => {
    const c = await config("dev");
    expect(c.props.productionVariants[0].serverlessConfig).toEqual({
      memorySizeInMb: 2048,
      maxConcurrency: 5,
    });
    expect(c.props.dataCaptureConfig).toBeUndefined();
    expect(await ofType("aws:appautoscaling/target:Target", "dev")).toHaveLength(0);
    const [model] = await ofType("aws:sagemaker/model:Model", "dev");
    expect(model!.props.vpcConfig).toBeUndefined();
  });

  it("maps rollout steps to SageMaker traffic shifting", () => {
    expect(trafficRouting([{ weight: 100, pauseSeconds: 0 }]).type).toBe("ALL_AT_ONCE");
    expect(trafficRouting([5, 25, 50, 100].map((weight) => ({ weight, pauseSeconds: 300 })))).toMatchObject({
      type: "CANARY",
      canarySize: { value: 5 },
    });
    expect(
      trafficRouting([20, 40, 60, 80, 100].map((weight) => ({ weight, pauseSeconds: 60 }))),
    ).toMatchObject({ type: "LINEAR", linearStepSize: { value: 20 } });
    expect(maximumExecutionTimeout([{ weight: 100, pauseSeconds: 0 }])).toBe(600);
    expect(maximumExecutionTimeout([5, 25, 50, 100].map((weight) => ({ weight, pauseSeconds: 3600 })))).toBe(
      14_400,
    );
  });

  it("knows which instance types have local storage", () => {
    expect(
      ["ml.g4dn.xlarge", "ml.g5.2xlarge", "ml.p4d.24xlarge", "ml.m5d.large"].map(hasInstanceStorage),
    ).toEqual([true, true, true, true]);
    expect(["ml.m5.large", "ml.c6i.xlarge"].map(hasInstanceStorage)).toEqual([false, false]);
  });

  it("gives the models a role scoped to their artifacts and the capture prefix", async () => {
    const s = await resolved(
      executionStatements({
        artifactBucketArns: ["arn:aws:s3:::m"],
        captureBucketArn: "arn:aws:s3:::c",
        kmsKeyArn: KEY_ARN,
        logGroupArnPrefix: "arn:aws:logs:eu-west-1:1",
        vpc: true,
      }),
    );
    expect(s.find((x) => x.Action === "s3:GetObject")!.Resource).toEqual(["arn:aws:s3:::m/*"]);
    expect(s.find((x) => x.Action === "s3:PutObject")!.Resource).toBe("arn:aws:s3:::c/capture/*");
  });
});

describe("AwsServingEndpoint refuses bad specs, naming the field", () => {
  const base = { tags, kmsKeyArn: KEY_ARN, ...net, image: IMAGE, name: "bad" };
  const build = (extra: Record<string, unknown>) => () =>
    new AwsServingEndpoint("bad", { ...base, ...extra } as never);
  const one = [{ name: "main", modelUri: PACKAGE }];

  it("a GPU the catalogue does not offer on AWS hosting", () => {
    expect(
      build({
        variants: [{ name: "main", modelUri: PACKAGE, accelerator: "nvidia-a100-80gb" }],
        gpusPerReplica: 1,
      }),
    ).toThrow(/args\.variants\[0\]\.accelerator = "nvidia-a100-80gb": .*no machine type with 1 GPUs/);
    expect(build({ variants: [{ name: "main", modelUri: PACKAGE, accelerator: "nvidia-v100" }] })).toThrow(
      /args\.variants\[0\]\.accelerator = "nvidia-v100"/,
    );
  });

  it("weights that do not sum to 100", () => {
    expect(
      build({
        variants: [
          { name: "a", modelUri: PACKAGE, weight: 60 },
          { name: "b", modelUri: PACKAGE, weight: 30 },
        ],
      }),
    ).toThrow(/args\.variants = .*sum to 90 .*not 100/);
  });

  it("a canary step over 100%", () => {
    expect(build({ variants: one, rollout: { steps: [{ weight: 150 }, { weight: 100 }] } })).toThrow(
      /args\.rollout\.steps\[0\]\.weight = 150/,
    );
    expect(build({ variants: one, rollout: { steps: [{ weight: 60 }, { weight: 100 }] } })).toThrow(
      /args\.rollout\.steps\[0\]\.weight = 60: .*at most 50%/,
    );
  });

  it("a serverless variant with a GPU", () => {
    expect(
      build({ serverless: true, variants: [{ name: "main", modelUri: PACKAGE, accelerator: "nvidia-t4" }] }),
    ).toThrow(/args\.variants\[0\]\.accelerator = "nvidia-t4": SageMaker Serverless Inference has no GPUs/);
  });

  it("an MLflow URI, a missing image, or missing subnets", () => {
    expect(build({ variants: [{ name: "main", modelUri: "models:/fraud/3" }] })).toThrow(
      /args\.variants\[0\]\.modelUri = "models:\/fraud\/3"/,
    );
    expect(build({ image: undefined, variants: [{ name: "main", modelUri: "s3://bkt/m.tar.gz" }] })).toThrow(
      /args\.image = \(missing\)/,
    );
    expect(build({ subnetIds: undefined, variants: one })).toThrow(/args\.subnetIds/);
  });
});
