import { describe, expect, it } from "vitest";
import {
  AwsTrainingCluster,
  type AwsTrainingClusterArgs,
  fairShareWeights,
} from "../../../components/aws/trainingCluster";
import { ofType } from "../../helpers/capture";
import { childrenOf, expectTagged, KEY_ARN, prodTags, SECURITY_GROUPS, SUBNETS, tags } from "./helpers";

const spec: Pick<AwsTrainingClusterArgs, "pools" | "teams"> = {
  pools: [
    { name: "l4", accelerator: "nvidia-l4", maxNodes: 4 },
    { name: "a100", accelerator: "nvidia-a100-40gb", gpusPerNode: 8, maxNodes: 2 },
  ],
  teams: [
    { name: "research", gpuQuota: { l4: 2, a100: 8 }, priority: "high" },
    { name: "ranking", gpuQuota: { l4: 2 } },
    { name: "adhoc", gpuQuota: {} },
  ],
};
const wiring = { kmsKeyArn: KEY_ARN, subnetIds: SUBNETS, securityGroupIds: SECURITY_GROUPS };

new AwsTrainingCluster("train", { tags, ...wiring, ...spec });
new AwsTrainingCluster("prod", { tags: prodTags, ...wiring, ...spec });
new AwsTrainingCluster("eks", {
  tags,
  ...wiring,
  ...spec,
  mode: "eks",
  eksClusterName: "ml",
  eksNodeRoleArn: "arn:aws:iam::111122223333:role/eks-nodes",
});

describe("AwsTrainingCluster (Batch)", () => {
  it("creates a GPU compute environment per pool that scales to zero, from the catalogue", async () => {
    const envs = await ofType("aws:batch/computeEnvironment:ComputeEnvironment", "train");
    const byName = Object.fromEntries(envs.map((e) => [e.name, e.props]));
    expect(byName["train-l4"]!.computeResources).toMatchObject({
      type: "SPOT",
      allocationStrategy: "SPOT_PRICE_CAPACITY_OPTIMIZED",
      instanceTypes: ["g6.xlarge"],
      minVcpus: 0,
      maxVcpus: 16,
      subnets: SUBNETS,
      securityGroupIds: SECURITY_GROUPS,
      ec2Configurations: [{ imageType: "ECS_AL2023_NVIDIA" }],
    });
    expect(byName["train-a100"]!.computeResources).toMatchObject({
      instanceTypes: ["p4d.24xlarge"],
      minVcpus: 0,
      maxVcpus: 192,
    });
    for (const e of envs) expect(e.props.type).toBe("MANAGED");
  });

  it("uses on-demand capacity in prod", async () => {
    const envs = await ofType("aws:batch/computeEnvironment:ComputeEnvironment", "prod-");
    for (const e of envs)
      expect(e.props.computeResources).toMatchObject({
        type: "EC2",
        allocationStrategy: "BEST_FIT_PROGRESSIVE",
      });
  });

  it("encrypts node volumes with the platform key and requires IMDSv2", async () => {
    const [lt] = await ofType("aws:ec2/launchTemplate:LaunchTemplate", "train");
    expect(lt!.props.blockDeviceMappings[0].ebs).toMatchObject({
      encrypted: "true",
      kmsKeyId: KEY_ARN,
      volumeType: "gp3",
      volumeSize: 200,
    });
    expect(lt!.props.metadataOptions.httpTokens).toBe("required");
  });

  it("gives each team a job queue with its priority, under a fair-share policy weighted by quota", async () => {
    const queues = await ofType("aws:batch/jobQueue:JobQueue", "train");
    expect(
      queues.map((q) => [q.name, q.props.priority, q.props.state, q.props.computeEnvironmentOrders.length]),
    ).toEqual([
      ["train-research", 100, "ENABLED", 2],
      ["train-ranking", 10, "ENABLED", 2],
      ["train-adhoc", 10, "ENABLED", 2],
    ]);
    const [policy] = await ofType("aws:batch/schedulingPolicy:SchedulingPolicy", "train");
    expect(policy!.props.fairSharePolicy.shareDistributions).toEqual([
      { shareIdentifier: "research", weightFactor: 1 },
      { shareIdentifier: "ranking", weightFactor: 5 },
      { shareIdentifier: "adhoc", weightFactor: 999.9999 },
    ]);
    expect(
      fairShareWeights([
        { name: "a", gpuQuota: { x: 3 } },
        { name: "b", gpuQuota: { x: 1 } },
      ]),
    ).toEqual({ a: 1, b: 3 });
  });

  it("tags everything", async () => {
    expectTagged(await childrenOf("mlops:index:AwsTrainingCluster", "train"), tags);
  });
});

describe("AwsTrainingCluster (EKS)", () => {
  it("creates NVIDIA managed node groups 0..N with the GPU taint, ignoring the desired size", async () => {
    const groups = await ofType("aws:eks/nodeGroup:NodeGroup", "eks");
    const l4 = groups.find((g) => g.name === "eks-l4")!;
    expect(l4.props).toMatchObject({
      clusterName: "ml",
      amiType: "AL2023_x86_64_NVIDIA",
      capacityType: "SPOT",
      instanceTypes: ["g6.xlarge"],
      scalingConfig: { minSize: 0, maxSize: 4, desiredSize: 0 },
      taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }],
    });
    expect(l4.options.ignoreChanges).toEqual(["scalingConfig.desiredSize"]);
  });

  it("reuses the Kubernetes slice's training cluster for queues and quotas", async () => {
    const [k8s] = await ofType("mlops:index:KubernetesTrainingCluster", "eks-queues");
    expect(k8s).toBeDefined();
    const flavors = (await ofType("kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor", "eks-queues")).map(
      (f) => f.props.spec.nodeLabels,
    );
    expect(flavors).toContainEqual({ "node.kubernetes.io/instance-type": "g6.xlarge" });
  });
});

describe("AwsTrainingCluster refuses bad specs, naming the field", () => {
  const build = (extra: Record<string, unknown>) => () =>
    new AwsTrainingCluster("bad", { tags, ...wiring, ...spec, ...extra } as never);
  it("a GPU count the catalogue does not offer on AWS", () => {
    expect(
      build({
        pools: [{ name: "h", accelerator: "nvidia-h100-80gb", gpusPerNode: 2, maxNodes: 1 }],
        teams: [{ name: "t", gpuQuota: {} }],
      }),
    ).toThrow(/args\.pools\[0\]\.gpusPerNode = 2: .*Valid GPU counts per node: 1, 8/);
  });
  it("an unknown pool in a quota, and EKS mode without a cluster", () => {
    expect(build({ teams: [{ name: "t", gpuQuota: { v100: 1 } }] })).toThrow(
      /args\.teams\[0\]\.gpuQuota\.v100/,
    );
    expect(build({ mode: "eks" })).toThrow(/args\.eksClusterName = \(missing\)/);
  });
});
