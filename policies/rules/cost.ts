/**
 * Cost: GPU allowlists, node and replica caps, spot/low-priority capacity outside production, idle compute that
 * scales to zero, and a budget in every stack.
 */

import { environmentConfigProperty } from "../lib/environment";
import type { ResourceCheck } from "../lib/rule";
import { resourceRule, stackRule } from "../lib/rule";
import { AWS, AZURE, GCP, K8S } from "../lib/types";
import { known, knownArray, show } from "../lib/values";

/** Normalises accelerator and instance names for comparison: case and `_`/`-` do not matter. */
function norm(name: string): string {
  return name.trim().toLowerCase().replaceAll("_", "-");
}

const AWS_GPU = /^(ml\.)?(p\d|g\d|inf\d|trn\d|dl\d)[a-z]*\./;
const GCP_GPU_MACHINE = /^(a2|a3|a4|g2|g4)-/;
const AZURE_GPU = /^standard-n[cdvg]/;

/** One accelerator-bearing choice found on a resource: where, and the name. */
interface GpuChoice {
  where: string;
  name: string;
}

function gpuChoices(r: ResourceCheck<GpuConfig>): GpuChoice[] {
  const out: GpuChoice[] = [];
  const add = (where: string, name: unknown, isGpu: (n: string) => boolean) => {
    if (typeof name === "string" && isGpu(norm(name))) {
      out.push({ where, name });
    }
  };
  const aws = (n: string) => AWS_GPU.test(n);
  switch (r.type) {
    case AWS.trainingJob:
      add("resourceConfig.instanceType", known(r.props, ["resourceConfig", "instanceType"]), aws);
      break;
    case AWS.notebookInstance:
    case AWS.launchTemplate:
      add("instanceType", known(r.props, "instanceType"), aws);
      break;
    case AWS.endpointConfiguration:
      for (const [i, v] of knownArray(r.props, "productionVariants").entries()) {
        add(`productionVariants[${i}].instanceType`, known(v, "instanceType"), aws);
      }
      break;
    case AWS.eksNodeGroup:
      for (const [i, t] of knownArray(r.props, "instanceTypes").entries()) {
        add(`instanceTypes[${i}]`, t, aws);
      }
      break;
    case GCP.gkeNodePool:
      add("nodeConfig.machineType", known(r.props, ["nodeConfig", "machineType"]), (n) =>
        GCP_GPU_MACHINE.test(n),
      );
      for (const [i, a] of knownArray(r.props, ["nodeConfig", "guestAccelerators"]).entries()) {
        add(`nodeConfig.guestAccelerators[${i}].type`, known(a, "type"), () => true);
      }
      break;
    case GCP.workbenchInstance:
      add("gceSetup.machineType", known(r.props, ["gceSetup", "machineType"]), (n) =>
        GCP_GPU_MACHINE.test(n),
      );
      for (const [i, a] of knownArray(r.props, ["gceSetup", "acceleratorConfigs"]).entries()) {
        add(`gceSetup.acceleratorConfigs[${i}].type`, known(a, "type"), () => true);
      }
      break;
    case AZURE.mlCompute:
      add("properties.properties.vmSize", known(r.props, ["properties", "properties", "vmSize"]), (n) =>
        AZURE_GPU.test(n),
      );
      break;
    case AZURE.mlOnlineDeployment:
      add("properties.instanceType", known(r.props, ["properties", "instanceType"]), (n) =>
        AZURE_GPU.test(n),
      );
      break;
  }
  return out;
}

interface GpuConfig {
  allowedGpuTypes: string[];
}

export const gpuInstanceAllowlist = resourceRule<GpuConfig>({
  name: "gpu-instance-allowlist",
  theme: "cost",
  description:
    "GPU and accelerator capacity must come from the environment's allowlist, so nobody starts an 8×H100 node where a T4 does.",
  source:
    "pulumi/examples aws-ts-finops requireInstanceType; initech-compliance-policies validate-instance-types (allowedInstanceTypes); derived for SageMaker, EKS, GKE and Azure ML compute",
  unset:
    "No instance type or accelerator passes (provider defaults are CPU types). Non-GPU types are not restricted. Comparison ignores case and `_` vs `-`.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: [
    AWS.trainingJob,
    AWS.notebookInstance,
    AWS.launchTemplate,
    AWS.endpointConfiguration,
    AWS.eksNodeGroup,
    GCP.gkeNodePool,
    GCP.workbenchInstance,
    AZURE.mlCompute,
    AZURE.mlOnlineDeployment,
  ],
  configSchema: {
    properties: {
      allowedGpuTypes: {
        type: "array",
        items: { type: "string" },
        default: [
          "g4dn.xlarge",
          "g5.xlarge",
          "g6.xlarge",
          "ml.g4dn.xlarge",
          "ml.g5.xlarge",
          "ml.g6.xlarge",
          "nvidia-tesla-t4",
          "nvidia-l4",
          "g2-standard-4",
          "Standard_NC4as_T4_v3",
        ],
        description: "Allowed GPU instance types, machine types and accelerator types (all clouds).",
      },
    },
  },
  validate(r) {
    const allowed = new Set(r.config.allowedGpuTypes.map(norm));
    for (const choice of gpuChoices(r)) {
      if (!allowed.has(norm(choice.name))) {
        r.fail(
          `\`${choice.where}\` is ${show(choice.name)}, which is not in allowedGpuTypes (${r.config.allowedGpuTypes.join(", ")}).`,
        );
      }
    }
  },
});

interface NodeCapConfig {
  maxNodes: number;
}

export const nodeCountCap = resourceRule<NodeCapConfig>({
  name: "node-count-cap",
  theme: "cost",
  description:
    "Node groups, node pools and ML compute clusters must have a maximum size no larger than the environment's cap.",
  source:
    "Own rule (derived): kube-score only checks minimums; caps on EKS scalingConfig.maxSize, GKE autoscaling, AML scaleSettings.maxNodeCount",
  unset:
    "EKS: `scalingConfig.maxSize` is required. GKE: `autoscaling.totalMaxNodeCount`, else `autoscaling.maxNodeCount` (per zone), else `nodeCount`/`initialNodeCount`; none fails. AML: `scaleSettings.maxNodeCount` unset fails (no cap).",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.eksNodeGroup, GCP.gkeNodePool, AZURE.mlCompute],
  configSchema: {
    properties: {
      maxNodes: {
        type: "integer",
        minimum: 1,
        default: 10,
        description: "Largest allowed maximum node count.",
      },
    },
  },
  validate(r) {
    let max: number | undefined;
    let where = "";
    if (r.type === AWS.eksNodeGroup) {
      where = "scalingConfig.maxSize";
      max = known<number>(r.props, ["scalingConfig", "maxSize"]);
    } else if (r.type === GCP.gkeNodePool) {
      for (const path of [
        ["autoscaling", "totalMaxNodeCount"],
        ["autoscaling", "maxNodeCount"],
        ["nodeCount"],
        ["initialNodeCount"],
      ]) {
        max = known<number>(r.props, path);
        if (max !== undefined) {
          where = path.join(".");
          break;
        }
      }
    } else {
      if (known(r.props, ["properties", "computeType"]) !== "AmlCompute") {
        r.args.notApplicable("only AmlCompute clusters scale");
      }
      where = "properties.properties.scaleSettings.maxNodeCount";
      max = known<number>(r.props, ["properties", "properties", "scaleSettings", "maxNodeCount"]);
    }
    if (max === undefined) {
      r.fail(
        `no maximum node count is set (${where || "autoscaling.totalMaxNodeCount"}). Set one no larger than ${r.config.maxNodes}.`,
      );
    } else if (max > r.config.maxNodes) {
      r.fail(`\`${where}\` is ${max}, above the cap of ${r.config.maxNodes}.`);
    }
  },
});

interface ReplicaCapConfig {
  maxReplicas: number;
}

export const kubernetesReplicaCap = resourceRule<ReplicaCapConfig>({
  name: "kubernetes-replica-cap",
  theme: "cost",
  description:
    "Deployments, StatefulSets, Rollouts and HorizontalPodAutoscalers must not scale beyond the environment's replica cap.",
  source: "Own rule (derived from R45 of policies.md: maximum replica caps; KServe maxReplicas)",
  unset: "`spec.replicas` unset is 1 and passes; an HPA's `spec.maxReplicas` is required.",
  severity: "low",
  enforcementLevel: "advisory",
  resourceTypes: [K8S.deployment, K8S.statefulSet, K8S.rollout, K8S.hpa],
  configSchema: {
    properties: {
      maxReplicas: {
        type: "integer",
        minimum: 1,
        default: 20,
        description: "Largest allowed replica count.",
      },
    },
  },
  validate(r) {
    const field = r.type === K8S.hpa ? "maxReplicas" : "replicas";
    const n = known<number>(r.props, ["spec", field]);
    if (n !== undefined && n > r.config.maxReplicas) {
      r.fail(`\`spec.${field}\` is ${n}, above the cap of ${r.config.maxReplicas}.`);
    }
  },
});

interface SpotConfig {
  environment?: string;
}

export const spotCapacityNonProd = resourceRule<SpotConfig>({
  name: "spot-capacity-non-prod",
  theme: "cost",
  description:
    "Outside production, training and node capacity must be spot, preemptible or low-priority: interruptions are acceptable there and cost a fraction.",
  source:
    "pulumi/examples aws-ts-finops requireSpotInstance (switched on pulumi.getStack()); derived for EKS capacityType, SageMaker managed spot training, GKE spot, AML LowPriority",
  unset:
    "EKS `capacityType` unset is ON_DEMAND and fails; SageMaker `enableManagedSpotTraining` unset fails; GKE `nodeConfig.spot`/`preemptible` unset fails; AML `vmPriority` unset is Dedicated and fails. In production, or when the environment is unknown, the rule is not applicable.",
  severity: "low",
  enforcementLevel: "advisory",
  resourceTypes: [AWS.eksNodeGroup, AWS.trainingJob, GCP.gkeNodePool, AZURE.mlCompute],
  configSchema: { properties: { environment: environmentConfigProperty } },
  validate(r) {
    const env = r.environment();
    if (!env) {
      return r.args.notApplicable(
        "the environment is unknown (set policy config `environment`, stack tag `environment`, or name the stack after it)",
      );
    }
    if (env.production) {
      r.args.notApplicable(`environment "${env.name}" (from ${env.from}) is production`);
    }
    const where = `in environment "${env.name}"`;
    if (r.type === AWS.eksNodeGroup && known(r.props, "capacityType") !== "SPOT") {
      r.fail(
        `\`capacityType\` is ${show(known(r.props, "capacityType") ?? "unset (ON_DEMAND)")} ${where}; set "SPOT".`,
      );
    }
    if (r.type === AWS.trainingJob && known(r.props, "enableManagedSpotTraining") !== true) {
      r.fail(
        `\`enableManagedSpotTraining\` is not true ${where}; enable it with stoppingCondition.maxWaitTimeInSeconds.`,
      );
    }
    if (
      r.type === GCP.gkeNodePool &&
      known(r.props, ["nodeConfig", "spot"]) !== true &&
      known(r.props, ["nodeConfig", "preemptible"]) !== true
    ) {
      r.fail(`\`nodeConfig.spot\` is not true ${where}; set it.`);
    }
    if (r.type === AZURE.mlCompute) {
      if (known(r.props, ["properties", "computeType"]) !== "AmlCompute") {
        r.args.notApplicable("only AmlCompute clusters have a VM priority");
      }
      if (known(r.props, ["properties", "properties", "vmPriority"]) !== "LowPriority") {
        r.fail(`\`properties.properties.vmPriority\` is not "LowPriority" ${where}; set it.`);
      }
    }
  },
});

export const azureMlComputeScaleToZero = resourceRule({
  name: "azure-ml-compute-scale-to-zero",
  theme: "cost",
  description: "Azure ML compute clusters must scale down to zero nodes when idle.",
  source: "checkov CKV_AZURE_150 (MLComputeClusterMinNodes)",
  unset: "`scaleSettings.minNodeCount` unset passes (service default 0); any value above 0 fails.",
  severity: "low",
  enforcementLevel: "advisory",
  resourceTypes: [AZURE.mlCompute],
  validate(r) {
    if (known(r.props, ["properties", "computeType"]) !== "AmlCompute") {
      r.args.notApplicable("only AmlCompute clusters scale");
    }
    const min = known<number>(r.props, ["properties", "properties", "scaleSettings", "minNodeCount"]);
    if (min !== undefined && min > 0) {
      r.fail(`\`properties.properties.scaleSettings.minNodeCount\` is ${min}; set it to 0.`);
    }
  },
});

const BUDGET_TYPES: Record<string, string> = {
  "aws:*": AWS.budget,
  "gcp:*": GCP.billingBudget,
  "azure-native:*": AZURE.budget,
};

export const budgetPresent = stackRule({
  name: "budget-present",
  theme: "cost",
  description: "A stack that creates cloud resources must also declare a budget with alerts for that cloud.",
  source:
    "Own rule, after clstokes/pulumi-policy-aws-cost budget-limit (a stack policy on cost) and the AWS Well-Architected cost pillar (budgets with alerts)",
  unset:
    "A stack with resources of a cloud and no budget resource of that cloud fails, reported on the first resource of that cloud.",
  severity: "medium",
  enforcementLevel: "advisory",
  resourceTypes: [AWS.budget, GCP.billingBudget, AZURE.budget],
  appliesWhen: Object.keys(BUDGET_TYPES),
  validate(s) {
    for (const [prefix, budgetType] of Object.entries(BUDGET_TYPES)) {
      const resources = s.ofType(prefix);
      if (resources.length > 0 && s.ofType(budgetType).length === 0) {
        s.fail(
          resources[0] as (typeof resources)[number],
          `the stack creates ${resources.length} ${prefix.slice(0, -2)} resource(s) but no ${budgetType}. Add a budget with notifications.`,
        );
      }
    }
  },
});

export const costRules = [
  gpuInstanceAllowlist,
  nodeCountCap,
  kubernetesReplicaCap,
  spotCapacityNonProd,
  azureMlComputeScaleToZero,
  budgetPresent,
];
