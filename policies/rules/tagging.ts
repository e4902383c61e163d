/**
 * Required ownership tags and labels: who owns a resource, who pays, which environment, how sensitive its
 * data is, and what manages it.
 *
 * AWS and Azure use `tags`; GCP uses `labels` (`resourceLabels` on GKE clusters); Kubernetes uses
 * `metadata.labels`. Provider-level defaults count: AWS `defaultTags.tags` (which may arrive as a JSON string)
 * and GCP `defaultLabels` of an explicit provider.
 *
 * Remediation adds only what the pack knows to be true: `managed-by: pulumi`, and `environment` when the stack's
 * environment is known (see `lib/environment.ts`). It never invents an owner, a cost centre or a data
 * classification: a placeholder would hide exactly the violation a reviewer must see, so those stay violations.
 */
import type { PolicyConfigSchema, ResourceValidationArgs } from "@pulumi/policy";
import { labelPath } from "../lib/clouds";
import { WORKLOAD_TYPES } from "../lib/kubernetes";
import { type ResourceCheck, resourceRule } from "../lib/rule";
import { AWS, AZURE, GCP, K8S } from "../lib/types";
import { probe } from "../lib/values";

interface TagConfig {
  requiredTags: string[];
  environment?: string;
}

const DEFAULT_KEYS = ["owner", "cost-center", "environment", "data-classification", "managed-by"];

const configSchema: PolicyConfigSchema = {
  properties: {
    requiredTags: {
      type: "array",
      items: { type: "string" },
      default: DEFAULT_KEYS,
      description: "Keys every resource must carry (non-empty values).",
    },
    environment: {
      type: "string",
      description:
        "The stack's environment, used by the remediation for the `environment` key. Unset: from stack tags or stack name.",
    },
  },
};

/** The keys present on a resource: its own map plus provider defaults. Unknown values count as present. */
function presentKeys(type: string, props: unknown, args: ResourceValidationArgs): Set<string> {
  const keys = new Set<string>();
  const path = labelPath(type) ?? ["tags"];
  const own = probe(props, path);
  if (own.state === "unknown") {
    throw own.error;
  }
  const collect = (map: unknown) => {
    if (map && typeof map === "object") {
      for (const key of Object.keys(map)) {
        const v = probe(map, [key]);
        if (v.state === "unknown" || (v.state === "known" && String(v.value).trim() !== "")) {
          keys.add(key);
        }
      }
    }
  };
  if (own.state === "known") {
    collect(own.value);
  }
  if (args.provider) {
    // Provider inputs may arrive JSON-encoded (initech-compliance-policies validateHitrustAWSProvider parses them).
    const parse = (value: unknown): unknown => {
      if (typeof value !== "string") {
        return value;
      }
      try {
        return JSON.parse(value);
      } catch {
        return {};
      }
    };
    const defaults = probe(
      args.provider.props,
      type.startsWith("aws:") ? ["defaultTags"] : ["defaultLabels"],
    );
    if (defaults.state === "known") {
      const value = parse(defaults.value);
      collect(
        type.startsWith("aws:")
          ? parse(probe(value, ["tags"]).state === "known" ? (value as { tags: unknown }).tags : {})
          : value,
      );
    }
  }
  return keys;
}

function checkTags(r: ResourceCheck<TagConfig>, noun: string): void {
  const keys = presentKeys(r.type, r.props, r.args);
  const missing = r.config.requiredTags.filter((k) => !keys.has(k));
  if (missing.length > 0) {
    r.fail(
      `missing required ${noun} ${missing.map((k) => `"${k}"`).join(", ")} on \`${(labelPath(r.type) ?? []).join(".")}\`.`,
    );
  }
}

function remediateTags(
  r: Omit<ResourceCheck<TagConfig>, "fail">,
  lowerCase: boolean,
): Record<string, unknown> | undefined {
  const path = labelPath(r.type);
  if (!path) {
    return undefined;
  }
  const keys = presentKeys(r.type, r.props, r.args);
  const additions: Record<string, string> = {};
  if (r.config.requiredTags.includes("managed-by") && !keys.has("managed-by")) {
    additions["managed-by"] = "pulumi";
  }
  const env = r.environment();
  if (env && r.config.requiredTags.includes("environment") && !keys.has("environment")) {
    additions.environment = lowerCase ? env.name.toLowerCase().replace(/[^a-z0-9_-]/g, "-") : env.name;
  }
  if (Object.keys(additions).length === 0) {
    return undefined;
  }
  // Rebuild the nested map from plain copies; the props are a proxy and remediation returns plain JSON.
  const copy = JSON.parse(JSON.stringify(r.props)) as Record<string, unknown>;
  let cursor: Record<string, unknown> = copy;
  for (const segment of path.slice(0, -1)) {
    cursor[segment] = (cursor[segment] as Record<string, unknown>) ?? {};
    cursor = cursor[segment] as Record<string, unknown>;
  }
  const last = path[path.length - 1] as string;
  cursor[last] = { ...((cursor[last] as Record<string, unknown>) ?? {}), ...additions };
  return copy;
}

const REMEDIATION =
  "Adds `managed-by: pulumi`, and `environment` when the stack's environment is known; never other keys.";

const AWS_TAGGABLE = new Set<string>([
  AWS.notebookInstance,
  AWS.sagemakerDomain,
  AWS.endpointConfiguration,
  AWS.endpoint,
  AWS.model,
  AWS.trainingJob,
  AWS.dataQualityJobDefinition,
  AWS.monitoringSchedule,
  AWS.bucket,
  AWS.eksCluster,
  AWS.eksNodeGroup,
  AWS.kmsKey,
  AWS.iamRole,
  AWS.iamPolicy,
  AWS.logGroup,
  AWS.metricAlarm,
  AWS.budget,
  AWS.launchTemplate,
]);

export const awsRequiredTags = resourceRule<TagConfig>({
  name: "aws-required-tags",
  theme: "tagging",
  description: "Taggable AWS resources must carry the organisation's ownership and classification tags.",
  source:
    "Pulumi pre-built pack AWS Organizations Tag Policies (aws-tag-policies-compliance-validation); Pulumi best-practices resource-tagging; joeduffy/aws-tags-example check-required-tags",
  unset:
    "A missing key, or an empty value, fails. Keys from the explicit provider's `defaultTags.tags` count. Unknown values count as set.",
  severity: "low",
  enforcementLevel: "advisory",
  resourceTypes: ["aws:*"],
  configSchema,
  remediation: REMEDIATION,
  validate(r) {
    if (!AWS_TAGGABLE.has(r.type) && !("tags" in r.props)) {
      r.args.notApplicable("resource type is not known to be taggable and has no tags");
    }
    checkTags(r, "tags");
  },
  remediate(r) {
    return AWS_TAGGABLE.has(r.type) || "tags" in r.props ? remediateTags(r, false) : undefined;
  },
});

const GCP_LABELLED = [
  GCP.bucket,
  GCP.aiDataset,
  GCP.aiEndpoint,
  GCP.aiFeatureStore,
  GCP.aiTensorboard,
  GCP.notebooksInstance,
  GCP.workbenchInstance,
  GCP.gkeCluster,
  GCP.bigqueryDataset,
  GCP.bigqueryTable,
  GCP.artifactRepository,
];

export const gcpRequiredLabels = resourceRule<TagConfig>({
  name: "gcp-required-labels",
  theme: "tagging",
  description: "Labelled GCP resources must carry the organisation's ownership and classification labels.",
  source:
    "Pulumi best-practices GCP resource-labeling, environment-label; checkov CKV_GCP_21 (GKE cluster labels)",
  unset:
    "A missing key fails. Keys from the explicit provider's `defaultLabels` count. Unknown values count as set.",
  severity: "low",
  enforcementLevel: "advisory",
  resourceTypes: GCP_LABELLED,
  configSchema,
  remediation: REMEDIATION,
  validate(r) {
    checkTags(r, "labels");
  },
  remediate(r) {
    return remediateTags(r, true);
  },
});

export const azureRequiredTags = resourceRule<TagConfig>({
  name: "azure-required-tags",
  theme: "tagging",
  description:
    "Azure ML, storage and key-vault resources must carry the organisation's ownership and classification tags.",
  source: "Pulumi best-practices resource-tagging (applied to azure-native `tags`)",
  unset: "A missing key, or an empty value, fails. Unknown values count as set.",
  severity: "low",
  enforcementLevel: "advisory",
  resourceTypes: [
    "azure-native:resources:ResourceGroup",
    AZURE.mlWorkspace,
    AZURE.mlCompute,
    AZURE.mlOnlineEndpoint,
    AZURE.mlOnlineDeployment,
    AZURE.storageAccount,
    AZURE.keyVault,
  ],
  configSchema,
  remediation: REMEDIATION,
  validate(r) {
    checkTags(r, "tags");
  },
  remediate(r) {
    return remediateTags(r, false);
  },
});

export const kubernetesRequiredLabels = resourceRule<TagConfig>({
  name: "kubernetes-required-labels",
  theme: "tagging",
  description:
    "Kubernetes workloads and Services must carry the organisation's ownership and classification labels in `metadata.labels`.",
  source:
    "compliance-policies kubernetes-apps-v1-deployment-configure-recommended-labels (our keys instead of app.kubernetes.io/*)",
  unset: "A missing key fails. Unknown values count as set.",
  severity: "low",
  enforcementLevel: "advisory",
  resourceTypes: [...WORKLOAD_TYPES, K8S.service],
  configSchema,
  remediation: REMEDIATION,
  validate(r) {
    checkTags(r, "labels");
  },
  remediate(r) {
    return remediateTags(r, false);
  },
});

export const taggingRules = [awsRequiredTags, gcpRequiredLabels, azureRequiredTags, kubernetesRequiredLabels];
