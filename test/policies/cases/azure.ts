/** Azure (azure-native) resource-rule cases. */
import { AZURE } from "../../../policies/lib/types";
import { type Case, env, fx, mut, TAGS } from "../fixtures";
import { UNKNOWN } from "../harness";

const storage = {
  resourceGroupName: UNKNOWN,
  location: "westeurope",
  kind: "StorageV2",
  sku: { name: "Standard_ZRS" },
  enableHttpsTrafficOnly: true,
  minimumTlsVersion: "TLS1_2",
  allowBlobPublicAccess: false,
  publicNetworkAccess: "Disabled",
  tags: TAGS,
};

const vault = {
  resourceGroupName: UNKNOWN,
  location: "westeurope",
  properties: {
    tenantId: "t",
    sku: { family: "A", name: "standard" },
    enablePurgeProtection: true,
    enableSoftDelete: true,
    publicNetworkAccess: "Disabled",
  },
  tags: TAGS,
};

const workspace = {
  resourceGroupName: UNKNOWN,
  location: "westeurope",
  publicNetworkAccess: "Disabled",
  tags: TAGS,
};

const compute = {
  resourceGroupName: UNKNOWN,
  workspaceName: UNKNOWN,
  location: "westeurope",
  properties: {
    computeType: "AmlCompute",
    disableLocalAuth: true,
    properties: {
      vmSize: "Standard_NC4as_T4_v3",
      vmPriority: "LowPriority",
      scaleSettings: { minNodeCount: 0, maxNodeCount: 4 },
    },
  },
  tags: TAGS,
};

const onlineEndpoint = {
  resourceGroupName: UNKNOWN,
  workspaceName: UNKNOWN,
  location: "westeurope",
  properties: { authMode: "AADToken", publicNetworkAccess: "Disabled" },
  tags: TAGS,
};

const deployment = {
  resourceGroupName: UNKNOWN,
  workspaceName: UNKNOWN,
  endpointName: UNKNOWN,
  location: "westeurope",
  sku: { name: "Default", capacity: 2 },
  properties: {
    endpointComputeType: "Managed",
    instanceType: "Standard_DS3_v2",
    appInsightsEnabled: true,
    dataCollector: {
      collections: {
        model_inputs: { dataCollectionMode: "Enabled" },
        model_outputs: { dataCollectionMode: "Enabled" },
      },
    },
  },
  tags: TAGS,
};

export const azureCases: Case[] = [
  // encryption
  {
    rule: "azure-storage-https-only",
    title: "https only",
    fixture: fx(AZURE.storageAccount, storage),
    expect: "pass",
  },
  {
    rule: "azure-storage-https-only",
    title: "unset passes (service default)",
    fixture: mut(AZURE.storageAccount, storage, "enableHttpsTrafficOnly", undefined),
    expect: "pass",
  },
  {
    rule: "azure-storage-https-only",
    title: "explicitly false",
    fixture: mut(AZURE.storageAccount, storage, "enableHttpsTrafficOnly", false),
    expect: "fail",
  },
  {
    rule: "azure-storage-min-tls",
    title: "TLS 1.2",
    fixture: fx(AZURE.storageAccount, storage),
    expect: "pass",
  },
  {
    rule: "azure-storage-min-tls",
    title: "unset",
    fixture: mut(AZURE.storageAccount, storage, "minimumTlsVersion", undefined),
    expect: "fail",
  },
  {
    rule: "azure-storage-min-tls",
    title: "TLS 1.0",
    fixture: mut(AZURE.storageAccount, storage, "minimumTlsVersion", "TLS1_0"),
    expect: "fail",
    contains: '"TLS1_0"',
  },
  {
    rule: "azure-keyvault-purge-protection",
    title: "purge protection",
    fixture: fx(AZURE.keyVault, vault),
    expect: "pass",
  },
  {
    rule: "azure-keyvault-purge-protection",
    title: "no purge protection",
    fixture: mut(AZURE.keyVault, vault, "properties.enablePurgeProtection", undefined),
    expect: "fail",
  },
  {
    rule: "azure-keyvault-purge-protection",
    title: "soft delete off",
    fixture: mut(AZURE.keyVault, vault, "properties.enableSoftDelete", false),
    expect: "fail",
    contains: "enableSoftDelete",
  },
  // network
  {
    rule: "azure-ml-workspace-private",
    title: "disabled",
    fixture: fx(AZURE.mlWorkspace, workspace),
    expect: "pass",
  },
  {
    rule: "azure-ml-workspace-private",
    title: "unset means Enabled",
    fixture: mut(AZURE.mlWorkspace, workspace, "publicNetworkAccess", undefined),
    expect: "fail",
  },
  {
    rule: "azure-ml-online-endpoint-private",
    title: "disabled",
    fixture: fx(AZURE.mlOnlineEndpoint, onlineEndpoint),
    expect: "pass",
  },
  {
    rule: "azure-ml-online-endpoint-private",
    title: "enabled",
    fixture: mut(AZURE.mlOnlineEndpoint, onlineEndpoint, "properties.publicNetworkAccess", "Enabled"),
    expect: "fail",
  },
  {
    rule: "azure-storage-no-public-access",
    title: "private",
    fixture: fx(AZURE.storageAccount, storage),
    expect: "pass",
  },
  {
    rule: "azure-storage-no-public-access",
    title: "default-deny network rules instead of disabling",
    fixture: fx(AZURE.storageAccount, {
      ...storage,
      publicNetworkAccess: undefined,
      networkRuleSet: { defaultAction: "Deny" },
    }),
    expect: "pass",
  },
  {
    rule: "azure-storage-no-public-access",
    title: "blob public access unset",
    fixture: mut(AZURE.storageAccount, storage, "allowBlobPublicAccess", undefined),
    expect: "fail",
    contains: "allowBlobPublicAccess",
  },
  {
    rule: "azure-storage-no-public-access",
    title: "open network",
    fixture: mut(AZURE.storageAccount, storage, "publicNetworkAccess", "Enabled"),
    expect: "fail",
    contains: "network access is open",
  },
  { rule: "azure-keyvault-private", title: "disabled", fixture: fx(AZURE.keyVault, vault), expect: "pass" },
  {
    rule: "azure-keyvault-private",
    title: "ACL default deny",
    fixture: fx(AZURE.keyVault, {
      ...vault,
      properties: {
        ...vault.properties,
        publicNetworkAccess: undefined,
        networkAcls: { defaultAction: "Deny" },
      },
    }),
    expect: "pass",
  },
  {
    rule: "azure-keyvault-private",
    title: "open",
    fixture: mut(AZURE.keyVault, vault, "properties.publicNetworkAccess", undefined),
    expect: "fail",
  },
  // iam
  {
    rule: "azure-ml-compute-no-local-auth",
    title: "local auth disabled",
    fixture: fx(AZURE.mlCompute, compute),
    expect: "pass",
  },
  {
    rule: "azure-ml-compute-no-local-auth",
    title: "unset",
    fixture: mut(AZURE.mlCompute, compute, "properties.disableLocalAuth", undefined),
    expect: "fail",
  },
  // logging
  {
    rule: "azure-ml-deployment-app-insights",
    title: "enabled",
    fixture: fx(AZURE.mlOnlineDeployment, deployment),
    expect: "pass",
  },
  {
    rule: "azure-ml-deployment-app-insights",
    title: "unset",
    fixture: mut(AZURE.mlOnlineDeployment, deployment, "properties.appInsightsEnabled", undefined),
    expect: "fail",
  },
  // residency
  {
    rule: "azure-allowed-locations",
    title: "westeurope",
    fixture: fx(AZURE.storageAccount, storage),
    expect: "pass",
  },
  {
    rule: "azure-allowed-locations",
    title: "display name form",
    fixture: mut(AZURE.storageAccount, storage, "location", "West Europe"),
    expect: "pass",
  },
  {
    rule: "azure-allowed-locations",
    title: "japaneast",
    fixture: mut(AZURE.storageAccount, storage, "location", "japaneast"),
    expect: "fail",
  },
  {
    rule: "azure-allowed-locations",
    title: "inherited location cannot be proven",
    fixture: mut(AZURE.mlWorkspace, workspace, "location", undefined),
    expect: "fail",
    contains: "cannot be determined",
  },
  // tagging
  {
    rule: "azure-required-tags",
    title: "all tags",
    fixture: fx(AZURE.mlWorkspace, workspace),
    expect: "pass",
  },
  {
    rule: "azure-required-tags",
    title: "no tags",
    fixture: mut(AZURE.mlWorkspace, workspace, "tags", undefined),
    expect: "fail",
    contains: '"owner", "cost-center", "environment", "data-classification", "managed-by"',
  },
  // cost
  {
    rule: "gpu-instance-allowlist",
    title: "T4 compute allowed",
    fixture: fx(AZURE.mlCompute, compute),
    expect: "pass",
  },
  {
    rule: "gpu-instance-allowlist",
    title: "A100 compute not allowed",
    fixture: mut(AZURE.mlCompute, compute, "properties.properties.vmSize", "Standard_NC24ads_A100_v4"),
    expect: "fail",
  },
  {
    rule: "gpu-instance-allowlist",
    title: "CPU deployment",
    fixture: fx(AZURE.mlOnlineDeployment, deployment),
    expect: "pass",
  },
  {
    rule: "node-count-cap",
    title: "AML cluster under cap",
    fixture: fx(AZURE.mlCompute, compute),
    expect: "pass",
  },
  {
    rule: "node-count-cap",
    title: "AML cluster without max",
    fixture: mut(AZURE.mlCompute, compute, "properties.properties.scaleSettings", undefined),
    expect: "fail",
  },
  {
    rule: "node-count-cap",
    title: "compute instance is not applicable",
    fixture: mut(AZURE.mlCompute, compute, "properties.computeType", "ComputeInstance"),
    expect: "not-applicable",
  },
  {
    rule: "spot-capacity-non-prod",
    title: "low priority in dev",
    fixture: fx(AZURE.mlCompute, compute),
    options: env("spot-capacity-non-prod", "dev"),
    expect: "pass",
  },
  {
    rule: "spot-capacity-non-prod",
    title: "dedicated in dev",
    fixture: mut(AZURE.mlCompute, compute, "properties.properties.vmPriority", "Dedicated"),
    options: env("spot-capacity-non-prod", "dev"),
    expect: "fail",
  },
  {
    rule: "azure-ml-compute-scale-to-zero",
    title: "scales to zero",
    fixture: fx(AZURE.mlCompute, compute),
    expect: "pass",
  },
  {
    rule: "azure-ml-compute-scale-to-zero",
    title: "keeps two nodes",
    fixture: mut(AZURE.mlCompute, compute, "properties.properties.scaleSettings.minNodeCount", 2),
    expect: "fail",
  },
  // ml
  {
    rule: "azure-ml-deployment-data-collection",
    title: "inputs and outputs",
    fixture: fx(AZURE.mlOnlineDeployment, deployment),
    expect: "pass",
  },
  {
    rule: "azure-ml-deployment-data-collection",
    title: "no collector",
    fixture: mut(AZURE.mlOnlineDeployment, deployment, "properties.dataCollector", undefined),
    expect: "fail",
  },
  {
    rule: "azure-ml-deployment-data-collection",
    title: "outputs disabled",
    fixture: mut(
      AZURE.mlOnlineDeployment,
      deployment,
      "properties.dataCollector.collections.model_outputs.dataCollectionMode",
      "Disabled",
    ),
    expect: "fail",
    contains: "model_outputs",
  },
  {
    rule: "azure-ml-prod-instance-count",
    title: "two instances",
    fixture: fx(AZURE.mlOnlineDeployment, deployment),
    options: env("azure-ml-prod-instance-count", "prod"),
    expect: "pass",
  },
  {
    rule: "azure-ml-prod-instance-count",
    title: "default capacity",
    fixture: mut(AZURE.mlOnlineDeployment, deployment, "sku", undefined),
    options: env("azure-ml-prod-instance-count", "prod"),
    expect: "fail",
  },
  {
    rule: "azure-ml-prod-instance-count",
    title: "autoscaled with minInstances 3",
    fixture: mut(AZURE.mlOnlineDeployment, deployment, "properties.scaleSettings", {
      scaleType: "TargetUtilization",
      minInstances: 3,
      maxInstances: 6,
    }),
    options: env("azure-ml-prod-instance-count", "prod"),
    expect: "pass",
  },
  {
    rule: "artifact-store-protected",
    title: "protected storage account in prod",
    fixture: fx(AZURE.storageAccount, storage, { protect: true }),
    options: env("artifact-store-protected", "prod"),
    expect: "pass",
  },
];
