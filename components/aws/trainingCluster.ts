import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  ACCELERATOR_NAMES,
  type AcceleratorName,
  GPU_NODE_TAINT,
  machineTypeFor,
} from "../core/accelerators";
import { childName } from "../core/naming";
import { awsTags, type StandardTags } from "../core/tags";
import { dnsLabelSchema, input, validateArgs } from "../core/validation";
import {
  KubernetesTrainingCluster,
  type KubernetesTrainingClusterOptions,
} from "../kubernetes/trainingCluster";
import type { TrainingClusterSpec, TrainingTeamSpec } from "../spec";
import { awsBaseShape, idListSchema } from "./private/schemas";
import { batchInstanceProfile, gpuLaunchTemplate } from "./private/training/nodes";

/** Where GPU training runs on AWS. */
export const AwsTrainingMode = { Batch: "batch", Eks: "eks" } as const;
/** Where GPU training runs on AWS. */
export type AwsTrainingMode = (typeof AwsTrainingMode)[keyof typeof AwsTrainingMode];

/** Arguments of {@link AwsTrainingCluster}. */
export interface AwsTrainingClusterArgs extends TrainingClusterSpec, AwsTrainingClusterOptions {
  /** Governance tags, on every resource. */
  tags: StandardTags;
  /** ARN of the platform's KMS key: node volumes are encrypted with it. */
  kmsKeyArn: pulumi.Input<string>;
  /** Private subnets of the GPU nodes. */
  subnetIds: pulumi.Input<string>[];
  /** Security groups of the GPU nodes (Batch mode). */
  securityGroupIds: pulumi.Input<string>[];
  /**
   * Protect what holds state (the Kubernetes slice's objects in EKS mode).
   * @default true
   */
  protect?: boolean;
}

/** The AWS-specific options of the training cluster, beyond the neutral {@link TrainingClusterSpec}. */
export interface AwsTrainingClusterOptions {
  /**
   * `batch`: AWS Batch compute environments and fair-share job queues. `eks`: GPU managed node
   * groups on an existing EKS cluster, with the Kubernetes slice's queues (Kueue) on top; the
   * component's `providers` must then include a Kubernetes provider for that cluster.
   * @default "batch"
   */
  mode?: AwsTrainingMode;
  /**
   * Root volume size of GPU nodes, in GiB (container images of ML frameworks are large).
   * @default 200
   */
  nodeVolumeGiB?: number;
  /**
   * Name of the EKS cluster (EKS mode).
   * @default none
   */
  eksClusterName?: pulumi.Input<string>;
  /**
   * ARN of the node role of the EKS managed node groups (EKS mode).
   * @default none
   */
  eksNodeRoleArn?: pulumi.Input<string>;
  /**
   * Options passed to the Kubernetes slice's training cluster in EKS mode (`cloud` is always `aws`).
   * @default {}
   */
  kubernetes?: Omit<KubernetesTrainingClusterOptions, "cloud">;
}

/** Job queue priorities by team priority; Batch schedules higher numbers first (0–1000). */
export const BATCH_QUEUE_PRIORITY = { low: 1, standard: 10, high: 100 } as const;

const poolSchema = z.strictObject({
  name: dnsLabelSchema,
  accelerator: z.enum(ACCELERATOR_NAMES),
  gpusPerNode: z.number().int().min(1).max(16).default(1),
  minNodes: z.number().int().min(0).default(0),
  maxNodes: z.number().int().min(1, "must be at least 1. Fix: give the most nodes the pool scales to"),
  spot: z.boolean().optional(),
});

const teamSchema = z.strictObject({
  name: dnsLabelSchema,
  gpuQuota: z.record(z.string(), z.number().int().min(0)),
  gpuBorrowingLimit: z.record(z.string(), z.number().int().min(0)).optional(),
  cpuQuota: z.string().optional(),
  memoryQuota: z.string().optional(),
  priority: z.enum(["low", "standard", "high"]).default("standard"),
});

const argsSchema = z
  .strictObject({
    ...awsBaseShape,
    pools: z
      .array(poolSchema)
      .min(
        1,
        "must declare at least one GPU pool. Fix: e.g. [{ name: 'l4', accelerator: 'nvidia-l4', maxNodes: 4 }]",
      ),
    teams: z
      .array(teamSchema)
      .min(1, "must declare at least one team. Fix: e.g. [{ name: 'research', gpuQuota: { l4: 4 } }]"),
    cohort: dnsLabelSchema.optional(),
    subnetIds: idListSchema("subnet", "subnet", 1),
    securityGroupIds: idListSchema("sg", "security group", 1),
    mode: z.enum(AwsTrainingMode).default("batch"),
    nodeVolumeGiB: z.number().int().min(30).max(16384).default(200),
    eksClusterName: input(z.string().min(1)).optional(),
    eksNodeRoleArn: input(
      z
        .string()
        .regex(
          /^arn:aws[a-z-]*:iam::/,
          "must be an IAM role ARN. Fix: e.g. 'arn:aws:iam::111122223333:role/eks-nodes'",
        ),
    ).optional(),
    kubernetes: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((a, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });
    const pools = a.pools.map((p) => p.name);
    a.pools.forEach((p, i) => {
      if (pools.indexOf(p.name) !== i)
        issue(["pools", i, "name"], `pool '${p.name}' is declared twice. Fix: give each pool a unique name`);
      if (p.minNodes > p.maxNodes)
        issue(
          ["pools", i, "minNodes"],
          `is above maxNodes (${p.maxNodes}). Fix: lower minNodes or raise maxNodes`,
        );
      try {
        const type = machineTypeFor("aws", p.accelerator, p.gpusPerNode);
        if (type.vcpus === undefined)
          throw new Error(`the catalogue does not know the vCPUs of ${type.instanceType}.`);
      } catch (e) {
        const msg = (e as Error).message;
        issue(
          ["pools", i, /GPUs per node|gpusPerNode/.test(msg) ? "gpusPerNode" : "accelerator"],
          `${msg} Fix: pick an accelerator and GPU count EC2 offers`,
        );
      }
    });
    a.teams.forEach((t, i) => {
      for (const pool of Object.keys(t.gpuQuota)) {
        if (!pools.includes(pool))
          issue(
            ["teams", i, "gpuQuota", pool],
            `names unknown pool '${pool}'. Fix: use one of ${pools.join(", ")}`,
          );
      }
    });
    if (a.mode === "eks") {
      if (a.eksClusterName === undefined)
        issue(["eksClusterName"], "is required in eks mode. Fix: name the EKS cluster");
      if (a.eksNodeRoleArn === undefined)
        issue(["eksNodeRoleArn"], "is required in eks mode. Fix: give the node role ARN");
    }
  });

type Parsed = z.output<typeof argsSchema>;
type Pool = Parsed["pools"][number];

/**
 * Batch fair-share weights from the team quotas. Batch gives a share inversely proportional to the
 * weight factor (docs.aws.amazon.com/batch/latest/APIReference/API_ShareAttributes.html), so a team
 * with twice the GPUs gets half the weight. The largest quota gets 1; a team with no quota gets the
 * largest factor Batch accepts (999.9999), so it runs only on spare capacity.
 */
export function fairShareWeights(
  teams: Pick<TrainingTeamSpec, "name" | "gpuQuota">[],
): Record<string, number> {
  const quota = (t: (typeof teams)[number]) => Object.values(t.gpuQuota).reduce((s, g) => s + g, 0);
  const max = Math.max(1, ...teams.map(quota));
  return Object.fromEntries(
    teams.map((t) => [t.name, quota(t) === 0 ? 999.9999 : Math.round((max / quota(t)) * 10_000) / 10_000]),
  );
}

/**
 * GPU training capacity on AWS, shared between teams.
 *
 * **Batch (default):** per pool, a managed EC2 compute environment of the catalogue's instance type,
 * on the ECS GPU AMI, scaling from `minNodes` (0 by default: no GPU is paid for when idle) to
 * `maxNodes` instances, spot outside `prod`, in the private subnets with KMS-encrypted volumes; per
 * team, a job queue over every pool with a fair-share scheduling policy whose weights follow the
 * team quotas, and the team's priority.
 *
 * **EKS:** per pool, a managed node group of NVIDIA AL2023 nodes with the catalogue's GPU taint,
 * scaling 0..N (the desired size left to the autoscaler), and the Kubernetes slice's
 * {@link KubernetesTrainingCluster} (Kueue queues, quotas, priorities) on that cluster.
 */
export class AwsTrainingCluster extends pulumi.ComponentResource {
  /** ARN of each team's Batch job queue, by team (Batch mode). */
  readonly jobQueueArns: pulumi.Output<Record<string, string>>;
  /** ARN of each pool's compute environment or node group, by pool. */
  readonly poolArns: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: AwsTrainingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = validateArgs("AwsTrainingCluster", name, argsSchema, args);
    super("mlops:index:AwsTrainingCluster", name, args, opts);
    const tags = awsTags(a.tags);
    const spotDefault = a.tags.environment !== "prod";
    const template = gpuLaunchTemplate(
      childName(name, "gpu-nodes"),
      a.kmsKeyArn,
      a.nodeVolumeGiB,
      tags,
      this,
    );

    let queues = pulumi.output<Record<string, string>>({});
    let pools: pulumi.Output<string>[];
    if (a.mode === "batch") {
      const profile = batchInstanceProfile(name, tags, this);
      const envs = a.pools.map((p) =>
        this.computeEnvironment(name, a, p, p.spot ?? spotDefault, profile, template, tags),
      );
      pools = envs.map((e) => e.arn);
      queues = this.jobQueues(name, a, envs, tags);
    } else {
      pools = a.pools.map((p) => this.nodeGroup(name, a, p, p.spot ?? spotDefault, template, tags).arn);
      new KubernetesTrainingCluster(
        childName(name, "queues"),
        {
          ...(a.kubernetes as KubernetesTrainingClusterOptions),
          pools: args.pools,
          teams: args.teams,
          ...(args.cohort === undefined ? {} : { cohort: args.cohort }),
          cloud: "aws",
          tags: args.tags,
          protect: a.protect,
        },
        { parent: this },
      );
    }
    this.jobQueueArns = queues;
    this.poolArns = pulumi
      .all(pools)
      .apply((arns) => Object.fromEntries(a.pools.map((p, i) => [p.name, arns[i]!])));
    this.registerOutputs({ jobQueueArns: this.jobQueueArns, poolArns: this.poolArns });
  }

  private computeEnvironment(
    name: string,
    a: Parsed,
    pool: Pool,
    spot: boolean,
    profile: aws.iam.InstanceProfile,
    template: aws.ec2.LaunchTemplate,
    tags: Record<string, string>,
  ): aws.batch.ComputeEnvironment {
    const type = machineTypeFor("aws", pool.accelerator as AcceleratorName, pool.gpusPerNode);
    return new aws.batch.ComputeEnvironment(
      childName(name, pool.name),
      {
        type: "MANAGED",
        computeResources: {
          type: spot ? "SPOT" : "EC2",
          // Price-capacity-optimized spot needs no spot fleet role and is the least interrupted;
          // BEST_FIT_PROGRESSIVE is the on-demand counterpart
          // (docs.aws.amazon.com/batch/latest/userguide/allocation-strategies.html).
          allocationStrategy: spot ? "SPOT_PRICE_CAPACITY_OPTIMIZED" : "BEST_FIT_PROGRESSIVE",
          instanceTypes: [type.instanceType],
          minVcpus: pool.minNodes * type.vcpus!,
          maxVcpus: pool.maxNodes * type.vcpus!,
          subnets: a.subnetIds,
          securityGroupIds: a.securityGroupIds,
          instanceRole: profile.arn,
          // The ECS-optimized AL2023 GPU AMI: NVIDIA driver and container toolkit included
          // (docs.aws.amazon.com/batch/latest/APIReference/API_Ec2Configuration.html).
          ec2Configurations: [{ imageType: "ECS_AL2023_NVIDIA" }],
          launchTemplate: { launchTemplateId: template.id, version: "$Latest" },
          tags,
        },
        // No serviceRole: Batch then uses its service-linked role, as AWS recommends
        // (docs.aws.amazon.com/batch/latest/userguide/using-service-linked-roles.html).
        tags,
      },
      { parent: this },
    );
  }

  private jobQueues(
    name: string,
    a: Parsed,
    envs: aws.batch.ComputeEnvironment[],
    tags: Record<string, string>,
  ): pulumi.Output<Record<string, string>> {
    const weights = fairShareWeights(a.teams);
    const policy = new aws.batch.SchedulingPolicy(
      childName(name, "fair-share"),
      {
        fairSharePolicy: {
          // Usage decays over an hour, so a team that just ran a big job is not starved for long.
          shareDecaySeconds: 3600,
          shareDistributions: a.teams.map((t) => ({
            shareIdentifier: t.name,
            weightFactor: weights[t.name]!,
          })),
        },
        tags,
      },
      { parent: this },
    );
    const arns = a.teams.map(
      (t) =>
        new aws.batch.JobQueue(
          childName(name, t.name),
          {
            state: "ENABLED",
            priority: BATCH_QUEUE_PRIORITY[t.priority],
            schedulingPolicyArn: policy.arn,
            computeEnvironmentOrders: envs.map((e, order) => ({ computeEnvironment: e.arn, order })),
            tags,
          },
          { parent: this },
        ).arn,
    );
    return pulumi.all(arns).apply((list) => Object.fromEntries(a.teams.map((t, i) => [t.name, list[i]!])));
  }

  private nodeGroup(
    name: string,
    a: Parsed,
    pool: Pool,
    spot: boolean,
    template: aws.ec2.LaunchTemplate,
    tags: Record<string, string>,
  ): aws.eks.NodeGroup {
    const type = machineTypeFor("aws", pool.accelerator as AcceleratorName, pool.gpusPerNode);
    return new aws.eks.NodeGroup(
      childName(name, pool.name),
      {
        clusterName: a.eksClusterName!,
        nodeRoleArn: a.eksNodeRoleArn!,
        subnetIds: a.subnetIds,
        // docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html#AmazonEKS-Type-Nodegroup-amiType
        amiType: "AL2023_x86_64_NVIDIA",
        capacityType: spot ? "SPOT" : "ON_DEMAND",
        instanceTypes: [type.instanceType],
        scalingConfig: { minSize: pool.minNodes, maxSize: pool.maxNodes, desiredSize: pool.minNodes },
        labels: { "pulumi-mlops/pool": pool.name },
        taints: [{ key: GPU_NODE_TAINT.key, value: GPU_NODE_TAINT.value, effect: "NO_SCHEDULE" }],
        launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
        tags,
      },
      // The cluster autoscaler owns the desired size once the group exists (pulumi-eks#1293).
      { parent: this, ignoreChanges: ["scalingConfig.desiredSize"] },
    );
  }
}
