/**
 * Data residency: every regional resource must be placed in an allowed region.
 *
 * Where the region comes from, per cloud (first hit wins):
 * - AWS: the resource's own `region` input (new in @pulumi/aws 7), the explicit provider's `region`
 *   (`args.provider.props.region`), then the stack config `aws:region` (default provider).
 * - GCP: the resource's `location`, `region` or `zone` input, the explicit provider's `region`, then `gcp:region`.
 *   Zones (`europe-west4-a`) count as their region.
 * - Azure: the resource's `location`, then `azure-native:location`.
 * When none of these says anything the region cannot be proven, and the rule fails: residency that cannot be
 * shown is not residency. When `allowedRegions` is empty the rule is not applicable (nothing configured).
 * A region that is unknown during preview leads to "can't run during preview".
 */
import type { PolicyConfigSchema, ResourceValidationArgs } from "@pulumi/policy";
import { resourceRule } from "../lib/rule";
import { stackConfigValue } from "../lib/stackConfig";
import { AZURE, GCP } from "../lib/types";
import { known, show } from "../lib/values";

interface RegionConfig {
  allowedRegions: string[];
}

const schema = (defaults: string[]): PolicyConfigSchema => ({
  properties: {
    allowedRegions: {
      type: "array",
      items: { type: "string" },
      default: defaults,
      description:
        "Regions (or GCP multi-regions such as EU) resources may be placed in. Empty: rule not applicable.",
    },
  },
});

function providerRegion(args: ResourceValidationArgs, key: string): string | undefined {
  return args.provider ? known<string>(args.provider.props, key) : undefined;
}

function allowed(region: string, list: readonly string[]): boolean {
  const lower = region.toLowerCase();
  const asRegion = lower.replace(/-[a-z]$/, "");
  return list.some((a) => a.toLowerCase() === lower || a.toLowerCase() === asRegion);
}

/** AWS services whose resources are global (no region). */
const AWS_GLOBAL = [
  "aws:iam/",
  "aws:budgets/",
  "aws:cloudfront/",
  "aws:route53/",
  "aws:organizations/",
  "aws:shield/",
];

export const awsAllowedRegions = resourceRule<RegionConfig>({
  name: "aws-allowed-regions",
  theme: "residency",
  description:
    "AWS resources must be created in an allowed region, so data stays where the organisation has agreed it may.",
  source:
    "pulumi/examples policy-packs/aws-ts-finops require-region; initech-compliance-policies validate-hitrust-aws-provider; derived per-resource `region` of @pulumi/aws 7",
  unset:
    "No resource `region`, no explicit provider region and no `aws:region` stack config fails (the region cannot be proven). Global services (IAM, Budgets, CloudFront, Route 53, Organizations, Shield) are not applicable.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: ["aws:*"],
  configSchema: schema(["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"]),
  validate(r) {
    if (AWS_GLOBAL.some((p) => r.type.startsWith(p))) {
      r.args.notApplicable("global AWS service");
    }
    if (r.config.allowedRegions.length === 0) {
      r.args.notApplicable("no allowedRegions configured");
    }
    const region =
      known<string>(r.props, "region") ?? providerRegion(r.args, "region") ?? stackConfigValue("aws:region");
    if (!region) {
      r.fail(
        "the region cannot be determined: set `region` on the resource, on an explicit provider, or `aws:region` in the stack config.",
      );
    } else if (!allowed(region, r.config.allowedRegions)) {
      r.fail(`region ${show(region)} is not allowed; allowed: ${r.config.allowedRegions.join(", ")}.`);
    }
  },
});

const GCP_REGIONAL = [
  GCP.bucket,
  GCP.aiDataset,
  GCP.aiEndpoint,
  GCP.aiFeatureStore,
  GCP.aiMetadataStore,
  GCP.aiTensorboard,
  GCP.notebooksInstance,
  GCP.workbenchInstance,
  GCP.gkeCluster,
  GCP.gkeNodePool,
  GCP.bigqueryDataset,
  GCP.artifactRepository,
];

export const gcpAllowedLocations = resourceRule<RegionConfig>({
  name: "gcp-allowed-locations",
  theme: "residency",
  description:
    "GCP data and compute resources must be created in an allowed location (region, zone of an allowed region, or multi-region).",
  source:
    "Derived from pulumi/examples aws-ts-finops require-region, applied to GCP `location`/`region` inputs",
  unset: "No `location`/`region`/`zone`, no explicit provider region and no `gcp:region` stack config fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: GCP_REGIONAL,
  configSchema: schema(["europe-west1", "europe-west4", "us-central1", "us-east1", "EU", "US"]),
  validate(r) {
    if (r.config.allowedRegions.length === 0) {
      r.args.notApplicable("no allowedRegions configured");
    }
    const location =
      known<string>(r.props, "location") ??
      known<string>(r.props, "region") ??
      known<string>(r.props, "zone") ??
      providerRegion(r.args, "region") ??
      stackConfigValue("gcp:region");
    if (!location) {
      r.fail(
        "the location cannot be determined: set `location`/`region` on the resource, on an explicit provider, or `gcp:region` in the stack config.",
      );
    } else if (!allowed(location, r.config.allowedRegions)) {
      r.fail(`location ${show(location)} is not allowed; allowed: ${r.config.allowedRegions.join(", ")}.`);
    }
  },
});

const AZURE_REGIONAL = [
  "azure-native:resources:ResourceGroup",
  AZURE.mlWorkspace,
  AZURE.mlCompute,
  AZURE.mlOnlineEndpoint,
  AZURE.mlOnlineDeployment,
  AZURE.storageAccount,
  AZURE.keyVault,
];

export const azureAllowedLocations = resourceRule<RegionConfig>({
  name: "azure-allowed-locations",
  theme: "residency",
  description:
    "Azure resource groups, ML workspaces, compute, endpoints, storage and key vaults must be in an allowed location.",
  source: "Derived from pulumi/examples aws-ts-finops require-region, applied to azure-native `location`",
  unset:
    "No `location` and no `azure-native:location` stack config fails: the inherited resource-group location cannot be verified from the resource itself.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: AZURE_REGIONAL,
  configSchema: schema(["westeurope", "northeurope", "eastus", "westus2"]),
  validate(r) {
    if (r.config.allowedRegions.length === 0) {
      r.args.notApplicable("no allowedRegions configured");
    }
    const location = known<string>(r.props, "location") ?? stackConfigValue("azure-native:location");
    if (!location) {
      r.fail(
        "the location cannot be determined: set `location` on the resource, or `azure-native:location` in the stack config.",
      );
    } else if (!allowed(location.replaceAll(" ", ""), r.config.allowedRegions)) {
      r.fail(`location ${show(location)} is not allowed; allowed: ${r.config.allowedRegions.join(", ")}.`);
    }
  },
});

export const residencyRules = [awsAllowedRegions, gcpAllowedLocations, azureAllowedLocations];
