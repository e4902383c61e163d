import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  ACCELERATOR_NAMES,
  type AcceleratorName,
  type GpuToleration,
  isAcceleratorName,
} from "../core/accelerators";
import { childName, dnsLabel } from "../core/naming";
import { statefulOptions } from "../core/protection";
import { type StandardTags, standardTagsSchema } from "../core/tags";
import { dnsLabelSchema, quantitySchema, validateArgs } from "../core/validation";
import type { TrainingClusterSpec } from "../spec";
import {
  type ClusterQueueSpec,
  KUEUE_API_VERSION,
  KUEUE_QUEUE_NAME_LABEL,
  type KueueResourceGroup,
  type LocalQueueSpec,
  type ResourceFlavorSpec,
} from "./kueue/api";
import { DEVICE_PLUGIN_CHART, KUEUE_CHART } from "./kueue/charts";
import { type PoolPlacement, placePool } from "./kueue/poolPlacement";
import { objectMeta } from "./metadata";

const GPU = "nvidia.com/gpu";

/** The cloud whose GPU node labels the flavors select on. */
export const TrainingClusterCloud = {
  Aws: "aws",
  Gcp: "gcp",
  Azure: "azure",
  Kubernetes: "kubernetes",
} as const;
/** The cloud whose GPU node labels the flavors select on. */
export type TrainingClusterCloud = (typeof TrainingClusterCloud)[keyof typeof TrainingClusterCloud];

/** How a ClusterQueue orders its pending workloads. */
export const QueueingStrategy = { BestEffortFIFO: "BestEffortFIFO", StrictFIFO: "StrictFIFO" } as const;
/** How a ClusterQueue orders its pending workloads. */
export type QueueingStrategy = (typeof QueueingStrategy)[keyof typeof QueueingStrategy];

/** Whether a team's pending job may preempt jobs that borrowed its guaranteed quota. */
export const ReclaimWithinCohortPolicy = {
  Never: "Never",
  LowerPriority: "LowerPriority",
  Any: "Any",
} as const;
/** Whether a team's pending job may preempt jobs that borrowed its guaranteed quota. */
export type ReclaimWithinCohortPolicy =
  (typeof ReclaimWithinCohortPolicy)[keyof typeof ReclaimWithinCohortPolicy];

/** Whether a pending job may preempt the same team's jobs when the team is over its quota. */
export const WithinClusterQueuePolicy = {
  Never: "Never",
  LowerPriority: "LowerPriority",
  LowerOrNewerEqualPriority: "LowerOrNewerEqualPriority",
} as const;
/** Whether a pending job may preempt the same team's jobs when the team is over its quota. */
export type WithinClusterQueuePolicy =
  (typeof WithinClusterQueuePolicy)[keyof typeof WithinClusterQueuePolicy];

/** Pod Security Standards level enforced on the team namespaces. */
export const PodSecurityLevel = { Restricted: "restricted", Baseline: "baseline" } as const;
/** Pod Security Standards level enforced on the team namespaces. */
export type PodSecurityLevel = (typeof PodSecurityLevel)[keyof typeof PodSecurityLevel];

/** Arguments of {@link KubernetesTrainingCluster}. */
export interface KubernetesTrainingClusterArgs extends TrainingClusterSpec, KubernetesTrainingClusterOptions {
  /** Governance tags, applied as labels and annotations to every object. */
  tags: StandardTags;
  /**
   * Protect the team namespaces (deleting one deletes every job, volume and secret in it).
   * @default true
   */
  protect?: boolean;
}

/** The Kubernetes-specific options of the training cluster, beyond the neutral {@link TrainingClusterSpec}. */
export interface KubernetesTrainingClusterOptions {
  /**
   * Where the cluster runs: decides which node labels identify each pool's GPUs (EKS and AKS by
   * instance type, GKE by accelerator label, any other cluster by NVIDIA GPU Feature Discovery).
   * @default "kubernetes"
   */
  cloud?: TrainingClusterCloud;
  /**
   * Exact node labels of a pool's nodes, by pool name, replacing the ones derived from the
   * catalogue. Required on `kubernetes` for GPUs with several board variants (A100, H100).
   * @default derived from the accelerator catalogue
   */
  poolNodeLabels?: Record<string, Record<string, string>>;
  /**
   * Order of pending workloads in each team's ClusterQueue.
   * @default "BestEffortFIFO"
   */
  queueingStrategy?: QueueingStrategy;
  /**
   * Whether a team's pending job may preempt jobs that borrowed its guaranteed GPUs
   * (`ClusterQueue.spec.preemption.reclaimWithinCohort`).
   * @default "Any"
   */
  reclaimWithinCohort?: ReclaimWithinCohortPolicy;
  /**
   * Whether a pending job may preempt the same team's lower-priority jobs when over its quota
   * (`ClusterQueue.spec.preemption.withinClusterQueue`).
   * @default "LowerPriority"
   */
  withinClusterQueue?: WithinClusterQueuePolicy;
  /**
   * CPU request given to containers that set none (LimitRange `defaultRequest`).
   * @default "500m"
   */
  defaultCpuRequest?: string;
  /**
   * Memory request given to containers that set none (LimitRange `defaultRequest`).
   * @default "1Gi"
   */
  defaultMemoryRequest?: string;
  /**
   * Memory limit given to containers that set none (LimitRange `default`). No default CPU limit is
   * set: CPU limits throttle data loaders, and the quota caps requests.
   * @default "4Gi"
   */
  defaultMemoryLimit?: string;
  /**
   * Pod Security Standards level enforced on the team namespaces.
   * @default "restricted"
   */
  podSecurityLevel?: PodSecurityLevel;
  /**
   * Install Kueue (Helm chart `oci://registry.k8s.io/kueue/charts/kueue` 0.19.2) and make the queues
   * depend on it. Leave off when the cluster already runs Kueue ≥ 0.15 (`kueue.x-k8s.io/v1beta2`).
   * @default false
   */
  installKueue?: boolean;
  /**
   * Values for the Kueue chart.
   * @default {}
   */
  // biome-ignore lint/suspicious/noExplicitAny: Helm values are free-form; `any` is what the package schema maps to pulumi.json#/Any.
  kueueChartValues?: Record<string, any>;
  /**
   * Install the NVIDIA device plugin (Helm chart `nvidia-device-plugin` 0.20.0), with GPU Feature
   * Discovery on `kubernetes`. Not on GKE, which runs its own device plugin.
   * @default false
   */
  installDevicePlugin?: boolean;
  /**
   * Values for the device plugin chart, merged over the ones this component sets.
   * @default {}
   */
  // biome-ignore lint/suspicious/noExplicitAny: Helm values are free-form; `any` is what the package schema maps to pulumi.json#/Any.
  devicePluginChartValues?: Record<string, any>;
}

/** Namespaces a team must not take over. */
const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease", "kueue-system"];
const KUEUE_NAMESPACE = "kueue-system";
const DEVICE_PLUGIN_NAMESPACE = "nvidia-device-plugin";

/** Priority levels, lowest first, with the values and preemption behaviour of their PriorityClasses. */
const PRIORITIES = {
  low: {
    value: 1000,
    preemptionPolicy: "Never",
    description: "Best-effort training: never preempts other pods.",
  },
  standard: { value: 10000, preemptionPolicy: "PreemptLowerPriority", description: "Regular training jobs." },
  high: { value: 100000, preemptionPolicy: "PreemptLowerPriority", description: "Urgent training jobs." },
} as const;
type Priority = keyof typeof PRIORITIES;
const PRIORITY_ORDER: Priority[] = ["low", "standard", "high"];

const gpuCount = z
  .number()
  .int("must be a whole number of GPUs. Fix: e.g. 4")
  .min(0, "must not be negative. Fix: use 0 or more GPUs");

const poolSchema = z.strictObject({
  // "cpu" names the flavor that holds CPU and memory quota.
  name: dnsLabelSchema.refine(
    (n) => n !== "cpu",
    "is reserved for the CPU and memory flavor. Fix: name the pool after its GPU, e.g. 'l4'",
  ),
  accelerator: z
    .string()
    .refine(
      isAcceleratorName,
      `is not an accelerator of the catalogue. Fix: use one of ${ACCELERATOR_NAMES.join(", ")} (the neutral name, not a machine type)`,
    ),
  gpusPerNode: z
    .number()
    .int()
    .min(1, "must be at least 1. Fix: give the GPUs per node of the pool")
    .max(16)
    .default(1),
  minNodes: z.number().int().min(0).default(0),
  maxNodes: z.number().int().min(1, "must be at least 1. Fix: give the most nodes the pool scales to"),
  spot: z.boolean().optional(),
});

const teamSchema = z.strictObject({
  name: dnsLabelSchema.refine(
    (n) => !RESERVED_NAMESPACES.includes(n),
    `is a system namespace. Fix: name the team something other than ${RESERVED_NAMESPACES.join(", ")}`,
  ),
  gpuQuota: z.record(z.string(), gpuCount),
  gpuBorrowingLimit: z.record(z.string(), gpuCount).default({}),
  cpuQuota: quantitySchema.default("64"),
  memoryQuota: quantitySchema.default("256Gi"),
  priority: z.enum(["low", "standard", "high"]).default("standard"),
});

const labelsSchema = z
  .record(z.string().min(1), z.string())
  .refine(
    (l) => Object.keys(l).length >= 1 && Object.keys(l).length <= 8,
    "must have 1 to 8 labels (a Kueue ResourceFlavor takes at most 8). Fix: give the labels that identify the pool's nodes",
  );

const argsSchema = z
  .strictObject({
    tags: standardTagsSchema,
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
    cloud: z.enum(TrainingClusterCloud).default("kubernetes"),
    poolNodeLabels: z.record(z.string(), labelsSchema).default({}),
    queueingStrategy: z.enum(QueueingStrategy).default("BestEffortFIFO"),
    reclaimWithinCohort: z.enum(ReclaimWithinCohortPolicy).default("Any"),
    withinClusterQueue: z.enum(WithinClusterQueuePolicy).default("LowerPriority"),
    defaultCpuRequest: quantitySchema.default("500m"),
    defaultMemoryRequest: quantitySchema.default("1Gi"),
    defaultMemoryLimit: quantitySchema.default("4Gi"),
    podSecurityLevel: z.enum(PodSecurityLevel).default("restricted"),
    installKueue: z.boolean().default(false),
    kueueChartValues: z.record(z.string(), z.unknown()).default({}),
    installDevicePlugin: z.boolean().default(false),
    devicePluginChartValues: z.record(z.string(), z.unknown()).default({}),
    protect: z.boolean().default(true),
  })
  .superRefine((a, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });
    const poolNames = a.pools.map((p) => p.name);
    const known = `${poolNames.map((n) => `'${n}'`).join(", ")}`;
    a.pools.forEach((pool, i) => {
      if (poolNames.indexOf(pool.name) !== i)
        issue(
          ["pools", i, "name"],
          `pool '${pool.name}' is declared twice. Fix: give each pool a unique name`,
        );
      if (pool.minNodes > pool.maxNodes)
        issue(
          ["pools", i, "minNodes"],
          `is above maxNodes (${pool.maxNodes}). Fix: lower minNodes or raise maxNodes`,
        );
      if (!isAcceleratorName(pool.accelerator)) return;
      try {
        placePool(a.cloud, pool.accelerator, pool.gpusPerNode, a.poolNodeLabels[pool.name]);
      } catch (error) {
        const message = (error as Error).message;
        const field = /gpusPerNode|GPUs per node/.test(message) ? "gpusPerNode" : "accelerator";
        issue(
          ["pools", i, field],
          `${message.replace(/\.$/, "")} (cloud '${a.cloud}')${/Fix:/.test(message) ? "" : ". Fix: pick a valid value for this cloud"}`,
        );
      }
    });
    for (const key of Object.keys(a.poolNodeLabels)) {
      if (!poolNames.includes(key))
        issue(["poolNodeLabels", key], `names unknown pool '${key}'. Fix: use one of ${known}`);
    }
    const teamNames = a.teams.map((t) => t.name);
    const guaranteed = new Map<string, number>();
    a.teams.forEach((team, i) => {
      if (teamNames.indexOf(team.name) !== i)
        issue(
          ["teams", i, "name"],
          `team '${team.name}' is declared twice. Fix: give each team a unique name`,
        );
      for (const [pool, gpus] of Object.entries(team.gpuQuota)) {
        if (!poolNames.includes(pool))
          issue(["teams", i, "gpuQuota", pool], `names unknown pool '${pool}'. Fix: use one of ${known}`);
        else guaranteed.set(pool, (guaranteed.get(pool) ?? 0) + gpus);
      }
      for (const pool of Object.keys(team.gpuBorrowingLimit)) {
        if (!(pool in team.gpuQuota)) {
          issue(
            ["teams", i, "gpuBorrowingLimit", pool],
            `sets a borrowing limit on pool '${pool}', which is not in the team's gpuQuota (a team borrows only in the pools it has a quota in). Fix: add '${pool}' to gpuQuota (0 for borrow-only) or remove the limit`,
          );
        }
      }
    });
    a.pools.forEach((pool, i) => {
      const capacity = pool.maxNodes * pool.gpusPerNode;
      const total = guaranteed.get(pool.name) ?? 0;
      if (total > capacity) {
        issue(
          ["pools", i, "maxNodes"],
          `gives pool '${pool.name}' ${capacity} GPUs (maxNodes × gpusPerNode), less than the ${total} the teams are guaranteed. Fix: raise maxNodes or lower the teams' gpuQuota`,
        );
      }
    });
    if (a.installDevicePlugin && a.cloud === "gcp") {
      issue(
        ["installDevicePlugin"],
        "GKE installs and manages its own NVIDIA device plugin. Fix: leave installDevicePlugin off on gcp",
      );
    }
  });

/** What jobs need to run on one GPU pool. */
export interface TrainingPoolScheduling {
  /** Name of the pool's Kueue ResourceFlavor. */
  flavor: string;
  /** Node selector of the pool's nodes (Kueue also injects it on admission). */
  nodeSelector: Record<string, string>;
  /** Tolerations of the GPU-node taints (Kueue also injects them on admission). */
  tolerations: GpuToleration[];
  /** The extended resource to request in `resources.limits`. */
  resourceName: string;
}

/** Where one team submits its jobs. */
export interface TrainingTeamQueue {
  /** The team's namespace. */
  namespace: string;
  /** The LocalQueue to name in the job's `kueue.x-k8s.io/queue-name` label. */
  localQueue: string;
  /** The team's ClusterQueue. */
  clusterQueue: string;
  /** The PriorityClass matching the team's priority. */
  priorityClassName: string;
}

/**
 * GPU training capacity shared fairly between teams on any Kubernetes cluster, with Kueue.
 *
 * - Per team: a namespace (Pod Security enforced), a ResourceQuota on `requests.cpu`,
 *   `requests.memory` and `requests.nvidia.com/gpu` (extended resources can only be quota'd by
 *   their `requests.` name), a LimitRange that gives containers default requests so they pass the
 *   quota, a quota that keeps the team off PriorityClasses above its level, a ClusterQueue with its
 *   GPU quota per pool, and a LocalQueue its jobs name in the `kueue.x-k8s.io/queue-name` label.
 * - Per GPU pool: a ResourceFlavor with the pool's node labels, taint and tolerations, derived from
 *   the accelerator catalogue for the chosen cloud.
 * - Three PriorityClasses (low, standard, high), none of them the global default.
 * - All team queues share a cohort: unused GPU quota is lent, `gpuBorrowingLimit` caps borrowing,
 *   and a team reclaims its guaranteed GPUs by preemption. CPU and memory are not borrowed, so the
 *   namespace quota and the queue always agree; the GPU quota of a namespace is the most the team can
 *   hold (its guarantee plus what it can borrow), so admitted pods are never refused by it.
 * - Optionally, Kueue and the NVIDIA device plugin through Helm (`k8s.helm.v4.Chart`).
 *
 * Quotas are ceilings, not reservations: nothing here needs a GPU node to exist, so pools scale to
 * zero at rest and the cluster autoscaler adds nodes when Kueue admits a job. Spot capacity and
 * scale-to-zero belong to the node pools, which the cloud components create.
 *
 * When `installKueue` is on, the Kueue objects depend on the chart, so its CRDs and admission
 * webhook are up before they are created. A first preview of a program that installs the CRDs and
 * uses them can still fail with "failed to determine if the following GVK is namespaced"
 * (pulumi/pulumi-kubernetes#3176); see `docs/kubernetes-crd-ordering.md` for the two-step workaround.
 */
export class KubernetesTrainingCluster extends pulumi.ComponentResource {
  /** Name of the Kueue cohort the team queues share. */
  public readonly cohort: pulumi.Output<string>;
  /** Where each team submits jobs, by team name. */
  public readonly teamQueues: pulumi.Output<Record<string, TrainingTeamQueue>>;
  /** What jobs need to run on each pool, by pool name. */
  public readonly poolScheduling: pulumi.Output<Record<string, TrainingPoolScheduling>>;
  /** PriorityClass names by level. */
  public readonly priorityClassNames: pulumi.Output<Record<string, string>>;
  /** The label jobs set to the name of their team's LocalQueue. */
  public readonly queueNameLabel: pulumi.Output<string>;

  constructor(name: string, args: KubernetesTrainingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = validateArgs("KubernetesTrainingCluster", name, argsSchema, args);
    super("mlops:index:KubernetesTrainingCluster", name, args, opts);

    const instance = dnsLabel(name);
    const cohort = a.cohort ?? instance;
    const meta = (
      objName: string,
      component: string,
      extra: Partial<Parameters<typeof objectMeta>[0]> = {},
    ) => objectMeta({ name: objName, tags: a.tags, app: "training-cluster", instance, component, ...extra });

    // --- Add-ons ----------------------------------------------------------------------------------
    let kueue: k8s.helm.v4.Chart | undefined;
    if (a.installKueue) {
      const namespace = new k8s.core.v1.Namespace(
        childName(name, "kueue-system"),
        { metadata: meta(KUEUE_NAMESPACE, "kueue") },
        { parent: this },
      );
      kueue = new k8s.helm.v4.Chart(
        childName(name, "kueue"),
        {
          chart: KUEUE_CHART.chart,
          version: KUEUE_CHART.version,
          namespace: KUEUE_NAMESPACE,
          values: a.kueueChartValues,
        },
        { parent: this, dependsOn: [namespace] },
      );
    }
    if (a.installDevicePlugin) {
      const namespace = new k8s.core.v1.Namespace(
        childName(name, "nvidia-device-plugin"),
        {
          // The device plugin mounts the kubelet's device-plugin socket directory from the host.
          metadata: meta(DEVICE_PLUGIN_NAMESPACE, "device-plugin", {
            labels: { "pod-security.kubernetes.io/enforce": "privileged" },
          }),
        },
        { parent: this },
      );
      new k8s.helm.v4.Chart(
        childName(name, "nvidia-device-plugin"),
        {
          chart: DEVICE_PLUGIN_CHART.chart,
          version: DEVICE_PLUGIN_CHART.version,
          repositoryOpts: { repo: DEVICE_PLUGIN_CHART.repo },
          namespace: DEVICE_PLUGIN_NAMESPACE,
          // GPU Feature Discovery writes the nvidia.com/gpu.product labels the `kubernetes` flavors select.
          values: { gfd: { enabled: a.cloud === "kubernetes" }, ...a.devicePluginChartValues },
        },
        { parent: this, dependsOn: [namespace] },
      );
    }
    const afterKueue = kueue ? [kueue] : [];
    const customResource = (
      resourceName: string,
      kind: string,
      metadata: ReturnType<typeof objectMeta>,
      spec: ResourceFlavorSpec | ClusterQueueSpec | LocalQueueSpec,
      dependsOn: pulumi.Resource[],
    ) =>
      new k8s.apiextensions.CustomResource(
        resourceName,
        { apiVersion: KUEUE_API_VERSION, kind, metadata, spec },
        { parent: this, dependsOn: [...afterKueue, ...dependsOn] },
      );

    // --- Priorities -------------------------------------------------------------------------------
    const priorityClassNames = Object.fromEntries(
      PRIORITY_ORDER.map((p) => [p, dnsLabel(name, p)]),
    ) as Record<Priority, string>;
    for (const level of PRIORITY_ORDER) {
      const p = PRIORITIES[level];
      new k8s.scheduling.v1.PriorityClass(
        childName(name, level),
        {
          metadata: meta(priorityClassNames[level], "priority"),
          value: p.value,
          preemptionPolicy: p.preemptionPolicy,
          globalDefault: false,
          description: p.description,
        },
        { parent: this },
      );
    }

    // --- Flavors ----------------------------------------------------------------------------------
    const cpuFlavor = dnsLabel(name, "cpu");
    const flavors: pulumi.Resource[] = [
      // CPU and memory are quota'd as one flavor with no node labels: they go with any node.
      customResource(childName(name, "cpu"), "ResourceFlavor", meta(cpuFlavor, "flavor"), {}, []),
    ];
    const placements = new Map<string, PoolPlacement & { flavor: string }>();
    for (const pool of a.pools) {
      const placement = placePool(
        a.cloud,
        pool.accelerator as AcceleratorName, // checked by the schema
        pool.gpusPerNode,
        a.poolNodeLabels[pool.name],
      );
      const flavor = dnsLabel(name, pool.name);
      placements.set(pool.name, { ...placement, flavor });
      flavors.push(
        customResource(
          childName(name, "pool", pool.name),
          "ResourceFlavor",
          meta(flavor, "flavor", {
            annotations: {
              "pulumi-mlops/accelerator": pool.accelerator,
              "pulumi-mlops/gpus-per-node": String(pool.gpusPerNode),
            },
          }),
          {
            nodeLabels: placement.nodeSelector,
            nodeTaints: placement.nodeTaints,
            tolerations: placement.tolerations,
          },
          [],
        ),
      );
    }

    // --- Teams ------------------------------------------------------------------------------------
    // The most GPUs of a pool any team can hold: the whole cohort's guarantee for it.
    const cohortGpus = new Map<string, number>();
    for (const team of a.teams) {
      for (const [pool, gpus] of Object.entries(team.gpuQuota))
        cohortGpus.set(pool, (cohortGpus.get(pool) ?? 0) + gpus);
    }
    const teamQueues: Record<string, TrainingTeamQueue> = {};
    for (const team of a.teams) {
      const teamMeta = (objName: string, component: string) => ({
        ...meta(objName, component),
        namespace: team.name,
      });
      const namespace = new k8s.core.v1.Namespace(
        childName(name, team.name),
        {
          metadata: meta(team.name, "team", {
            labels: {
              "pod-security.kubernetes.io/enforce": a.podSecurityLevel,
              "pod-security.kubernetes.io/warn": "restricted",
            },
          }),
        },
        statefulOptions({ parent: this }, a.protect),
      );
      const inTeam = { parent: this, dependsOn: [namespace] };

      const teamPools = a.pools.filter((p) => p.name in team.gpuQuota);
      const gpuCeiling = teamPools.reduce((sum, pool) => {
        const nominal = team.gpuQuota[pool.name]!;
        const limit = team.gpuBorrowingLimit[pool.name];
        const cohortTotal = cohortGpus.get(pool.name)!;
        return sum + Math.min(limit === undefined ? cohortTotal : nominal + limit, cohortTotal);
      }, 0);
      new k8s.core.v1.ResourceQuota(
        childName(name, team.name, "compute"),
        {
          metadata: teamMeta(dnsLabel(name, "compute"), "quota"),
          spec: {
            hard: {
              "requests.cpu": team.cpuQuota,
              "requests.memory": team.memoryQuota,
              [`requests.${GPU}`]: String(gpuCeiling),
            },
          },
        },
        inTeam,
      );
      const above = PRIORITY_ORDER.slice(PRIORITY_ORDER.indexOf(team.priority) + 1);
      if (above.length > 0) {
        new k8s.core.v1.ResourceQuota(
          childName(name, team.name, "priority"),
          {
            metadata: teamMeta(dnsLabel(name, "priority-cap"), "quota"),
            spec: {
              // No pods at all in the classes above the team's level.
              hard: { pods: "0" },
              scopeSelector: {
                matchExpressions: [
                  {
                    scopeName: "PriorityClass",
                    operator: "In",
                    values: above.map((p) => priorityClassNames[p]),
                  },
                ],
              },
            },
          },
          inTeam,
        );
      }
      new k8s.core.v1.LimitRange(
        childName(name, team.name, "defaults"),
        {
          metadata: teamMeta(dnsLabel(name, "defaults"), "limits"),
          spec: {
            limits: [
              {
                type: "Container",
                defaultRequest: { cpu: a.defaultCpuRequest, memory: a.defaultMemoryRequest },
                default: { memory: a.defaultMemoryLimit },
              },
            ],
          },
        },
        inTeam,
      );

      const resourceGroups: KueueResourceGroup[] = [
        {
          coveredResources: ["cpu", "memory"],
          flavors: [
            {
              name: cpuFlavor,
              resources: [
                { name: "cpu", nominalQuota: team.cpuQuota, borrowingLimit: "0" },
                { name: "memory", nominalQuota: team.memoryQuota, borrowingLimit: "0" },
              ],
            },
          ],
        },
      ];
      if (teamPools.length > 0) {
        resourceGroups.push({
          coveredResources: [GPU],
          flavors: teamPools.map((pool) => {
            const limit = team.gpuBorrowingLimit[pool.name];
            return {
              name: placements.get(pool.name)!.flavor,
              resources: [
                {
                  name: GPU,
                  nominalQuota: team.gpuQuota[pool.name]!,
                  ...(limit !== undefined ? { borrowingLimit: limit } : {}),
                },
              ],
            };
          }),
        });
      }
      const clusterQueueName = dnsLabel(name, team.name);
      const clusterQueue = customResource(
        childName(name, team.name, "cluster-queue"),
        "ClusterQueue",
        meta(clusterQueueName, "queue"),
        {
          cohortName: cohort,
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": team.name } },
          queueingStrategy: a.queueingStrategy,
          resourceGroups,
          preemption: {
            reclaimWithinCohort: a.reclaimWithinCohort,
            withinClusterQueue: a.withinClusterQueue,
          },
        },
        flavors,
      );
      const localQueueName = instance;
      customResource(
        childName(name, team.name, "local-queue"),
        "LocalQueue",
        teamMeta(localQueueName, "queue"),
        { clusterQueue: clusterQueueName },
        [namespace, clusterQueue],
      );
      teamQueues[team.name] = {
        namespace: team.name,
        localQueue: localQueueName,
        clusterQueue: clusterQueueName,
        priorityClassName: priorityClassNames[team.priority],
      };
    }

    const poolScheduling: Record<string, TrainingPoolScheduling> = {};
    for (const [poolName, p] of placements) {
      poolScheduling[poolName] = {
        flavor: p.flavor,
        nodeSelector: p.nodeSelector,
        tolerations: p.tolerations,
        resourceName: p.resourceName,
      };
    }

    this.cohort = pulumi.output(cohort);
    this.teamQueues = pulumi.output(teamQueues);
    this.poolScheduling = pulumi.output(poolScheduling);
    this.priorityClassNames = pulumi.output(priorityClassNames as Record<string, string>);
    this.queueNameLabel = pulumi.output(KUEUE_QUEUE_NAME_LABEL);
    this.registerOutputs({
      cohort: this.cohort,
      teamQueues: this.teamQueues,
      poolScheduling: this.poolScheduling,
      priorityClassNames: this.priorityClassNames,
      queueNameLabel: this.queueNameLabel,
    });
  }
}
