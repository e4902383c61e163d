/** GCP resource-rule cases. */
import { GCP } from "../../../policies/lib/types";
import { type Case, env, fx, mut, TAGS } from "../fixtures";
import { UNKNOWN } from "../harness";

const bucket = {
  location: "EU",
  publicAccessPrevention: "enforced",
  uniformBucketLevelAccess: true,
  versioning: { enabled: true },
  logging: { logBucket: UNKNOWN },
  labels: TAGS,
};

const endpoint = {
  displayName: "ep",
  location: "europe-west4",
  region: "europe-west4",
  encryptionSpec: { kmsKeyName: UNKNOWN },
  network: "projects/123/global/networks/ml",
  predictRequestResponseLoggingConfig: {
    enabled: true,
    samplingRate: 0.2,
    bigqueryDestination: { outputUri: "bq://p.d.t" },
  },
  labels: TAGS,
};

const workbench = {
  location: "europe-west4-a",
  gceSetup: {
    machineType: "g2-standard-4",
    acceleratorConfigs: [{ type: "NVIDIA_L4", coreCount: 1 }],
    disablePublicIp: true,
    bootDisk: { diskEncryption: "CMEK", kmsKey: UNKNOWN },
    shieldedInstanceConfig: { enableVtpm: true, enableIntegrityMonitoring: true, enableSecureBoot: true },
  },
  labels: TAGS,
};

const notebooksInstance = {
  location: "europe-west4-a",
  machineType: "n1-standard-4",
  diskEncryption: "CMEK",
  kmsKey: UNKNOWN,
  noPublicIp: true,
  labels: TAGS,
};

const cluster = {
  location: "europe-west4",
  privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock: "172.16.0.0/28" },
  masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "10.0.0.0/8", displayName: "corp" }] },
  datapathProvider: "ADVANCED_DATAPATH",
  workloadIdentityConfig: { workloadPool: "proj.svc.id.goog" },
  resourceLabels: TAGS,
};

const nodePool = {
  cluster: UNKNOWN,
  location: "europe-west4",
  autoscaling: { totalMinNodeCount: 0, totalMaxNodeCount: 4 },
  nodeConfig: {
    machineType: "g2-standard-4",
    guestAccelerators: [{ type: "nvidia-l4", count: 1 }],
    spot: true,
    workloadMetadataConfig: { mode: "GKE_METADATA" },
  },
};

const dataset = {
  datasetId: "features",
  location: "EU",
  defaultEncryptionConfiguration: { kmsKeyName: UNKNOWN },
  accesses: [{ role: "READER", groupByEmail: "ml@example.com" }],
  labels: TAGS,
};

export const gcpCases: Case[] = [
  // encryption
  {
    rule: "gcp-vertex-cmek",
    title: "endpoint with CMEK",
    fixture: fx(GCP.aiEndpoint, endpoint),
    expect: "pass",
  },
  {
    rule: "gcp-vertex-cmek",
    title: "endpoint without CMEK",
    fixture: mut(GCP.aiEndpoint, endpoint, "encryptionSpec", undefined),
    expect: "fail",
  },
  {
    rule: "gcp-vertex-cmek",
    title: "feature store without CMEK",
    fixture: fx(GCP.aiFeatureStore, { region: "europe-west4" }),
    expect: "fail",
  },
  {
    rule: "gcp-vertex-cmek",
    title: "metadata store with CMEK",
    fixture: fx(GCP.aiMetadataStore, { region: "europe-west4", encryptionSpec: { kmsKeyName: "k" } }),
    expect: "pass",
  },
  {
    rule: "gcp-workbench-cmek",
    title: "workbench boot disk CMEK",
    fixture: fx(GCP.workbenchInstance, workbench),
    expect: "pass",
  },
  {
    rule: "gcp-workbench-cmek",
    title: "workbench GMEK",
    fixture: mut(GCP.workbenchInstance, workbench, "gceSetup.bootDisk.diskEncryption", "GMEK"),
    expect: "fail",
    contains: '"GMEK"',
  },
  {
    rule: "gcp-workbench-cmek",
    title: "workbench data disk without key",
    fixture: mut(GCP.workbenchInstance, workbench, "gceSetup.dataDisks", { diskEncryption: "CMEK" }),
    expect: "fail",
    contains: "gceSetup.dataDisks.kmsKey",
  },
  {
    rule: "gcp-workbench-cmek",
    title: "notebooks instance CMEK",
    fixture: fx(GCP.notebooksInstance, notebooksInstance),
    expect: "pass",
  },
  {
    rule: "gcp-workbench-cmek",
    title: "notebooks instance default encryption",
    fixture: mut(GCP.notebooksInstance, notebooksInstance, "diskEncryption", undefined),
    expect: "fail",
  },
  {
    rule: "gcp-bigquery-cmek",
    title: "dataset CMEK",
    fixture: fx(GCP.bigqueryDataset, dataset),
    expect: "pass",
  },
  {
    rule: "gcp-bigquery-cmek",
    title: "dataset without CMEK",
    fixture: mut(GCP.bigqueryDataset, dataset, "defaultEncryptionConfiguration", undefined),
    expect: "fail",
  },
  {
    rule: "gcp-bigquery-cmek",
    title: "table without CMEK",
    fixture: fx(GCP.bigqueryTable, { datasetId: "d", tableId: "t" }),
    expect: "fail",
    contains: "encryptionConfiguration.kmsKeyName",
  },
  // network
  {
    rule: "gcp-storage-public-access-prevention",
    title: "enforced",
    fixture: fx(GCP.bucket, bucket),
    expect: "pass",
  },
  {
    rule: "gcp-storage-public-access-prevention",
    title: "unset is inherited",
    fixture: mut(GCP.bucket, bucket, "publicAccessPrevention", undefined),
    expect: "fail",
    contains: "inherited",
  },
  { rule: "gcp-storage-uniform-access", title: "uniform", fixture: fx(GCP.bucket, bucket), expect: "pass" },
  {
    rule: "gcp-storage-uniform-access",
    title: "fine-grained ACLs",
    fixture: mut(GCP.bucket, bucket, "uniformBucketLevelAccess", false),
    expect: "fail",
  },
  {
    rule: "gcp-bigquery-dataset-not-public",
    title: "group access",
    fixture: fx(GCP.bigqueryDataset, dataset),
    expect: "pass",
  },
  {
    rule: "gcp-bigquery-dataset-not-public",
    title: "allAuthenticatedUsers",
    fixture: mut(GCP.bigqueryDataset, dataset, "accesses.1", {
      role: "READER",
      specialGroup: "allAuthenticatedUsers",
    }),
    expect: "fail",
    contains: "accesses[1]",
  },
  {
    rule: "gcp-bigquery-dataset-not-public",
    title: "allUsers via iamMember",
    fixture: mut(GCP.bigqueryDataset, dataset, "accesses.0", { role: "READER", iamMember: "allUsers" }),
    expect: "fail",
  },
  {
    rule: "gcp-notebook-no-public-ip",
    title: "workbench private",
    fixture: fx(GCP.workbenchInstance, workbench),
    expect: "pass",
  },
  {
    rule: "gcp-notebook-no-public-ip",
    title: "workbench default public IP",
    fixture: mut(GCP.workbenchInstance, workbench, "gceSetup.disablePublicIp", undefined),
    expect: "fail",
  },
  {
    rule: "gcp-notebook-no-public-ip",
    title: "notebooks instance public",
    fixture: mut(GCP.notebooksInstance, notebooksInstance, "noPublicIp", false),
    expect: "fail",
  },
  {
    rule: "gcp-vertex-endpoint-private",
    title: "peered network",
    fixture: fx(GCP.aiEndpoint, endpoint),
    expect: "pass",
  },
  {
    rule: "gcp-vertex-endpoint-private",
    title: "public endpoint (no network, no PSC)",
    fixture: mut(GCP.aiEndpoint, endpoint, "network", undefined),
    expect: "fail",
  },
  {
    rule: "gcp-vertex-endpoint-private",
    title: "PSC enabled",
    fixture: fx(GCP.aiEndpoint, {
      ...endpoint,
      network: undefined,
      privateServiceConnectConfig: { enablePrivateServiceConnect: true, projectAllowlists: ["p"] },
    }),
    expect: "pass",
  },
  {
    rule: "gcp-gke-private-nodes",
    title: "private nodes",
    fixture: fx(GCP.gkeCluster, cluster),
    expect: "pass",
  },
  {
    rule: "gcp-gke-private-nodes",
    title: "public nodes",
    fixture: mut(GCP.gkeCluster, cluster, "privateClusterConfig", undefined),
    expect: "fail",
  },
  {
    rule: "gcp-gke-authorized-networks",
    title: "corporate range",
    fixture: fx(GCP.gkeCluster, cluster),
    expect: "pass",
  },
  {
    rule: "gcp-gke-authorized-networks",
    title: "no authorized networks",
    fixture: mut(GCP.gkeCluster, cluster, "masterAuthorizedNetworksConfig", undefined),
    expect: "fail",
  },
  {
    rule: "gcp-gke-authorized-networks",
    title: "whole internet",
    fixture: mut(GCP.gkeCluster, cluster, "masterAuthorizedNetworksConfig.cidrBlocks.1", {
      cidrBlock: "0.0.0.0/0",
    }),
    expect: "fail",
    contains: "cidrBlocks[1]",
  },
  {
    rule: "gcp-gke-network-policy",
    title: "dataplane v2",
    fixture: fx(GCP.gkeCluster, cluster),
    expect: "pass",
  },
  {
    rule: "gcp-gke-network-policy",
    title: "no enforcement",
    fixture: mut(GCP.gkeCluster, cluster, "datapathProvider", undefined),
    expect: "fail",
  },
  {
    rule: "gcp-gke-network-policy",
    title: "autopilot",
    fixture: fx(GCP.gkeCluster, { location: "europe-west4", enableAutopilot: true }),
    expect: "pass",
  },
  {
    rule: "gcp-gke-network-policy",
    title: "networkPolicy enabled",
    fixture: fx(GCP.gkeCluster, {
      ...cluster,
      datapathProvider: undefined,
      networkPolicy: { enabled: true, provider: "CALICO" },
    }),
    expect: "pass",
  },
  // iam
  {
    rule: "gcp-gke-workload-identity",
    title: "cluster with workload pool",
    fixture: fx(GCP.gkeCluster, cluster),
    expect: "pass",
  },
  {
    rule: "gcp-gke-workload-identity",
    title: "cluster without workload pool",
    fixture: mut(GCP.gkeCluster, cluster, "workloadIdentityConfig", undefined),
    expect: "fail",
  },
  {
    rule: "gcp-gke-workload-identity",
    title: "computed workload pool counts as set",
    fixture: mut(GCP.gkeCluster, cluster, "workloadIdentityConfig.workloadPool", UNKNOWN),
    expect: "pass",
  },
  {
    rule: "gcp-gke-workload-identity",
    title: "node pool with GKE metadata server",
    fixture: fx(GCP.gkeNodePool, nodePool),
    expect: "pass",
  },
  {
    rule: "gcp-gke-workload-identity",
    title: "node pool exposing node metadata",
    fixture: mut(GCP.gkeNodePool, nodePool, "nodeConfig.workloadMetadataConfig.mode", "GCE_METADATA"),
    expect: "fail",
  },
  { rule: "gcp-gke-no-legacy-abac", title: "default", fixture: fx(GCP.gkeCluster, cluster), expect: "pass" },
  {
    rule: "gcp-gke-no-legacy-abac",
    title: "legacy ABAC",
    fixture: mut(GCP.gkeCluster, cluster, "enableLegacyAbac", true),
    expect: "fail",
  },
  {
    rule: "gcp-no-primitive-roles",
    title: "predefined role",
    fixture: fx(GCP.projectIamMember, {
      project: "p",
      role: "roles/aiplatform.user",
      member: "serviceAccount:x",
    }),
    expect: "pass",
  },
  {
    rule: "gcp-no-primitive-roles",
    title: "editor",
    fixture: fx(GCP.projectIamBinding, { project: "p", role: "roles/editor", members: ["group:ml"] }),
    expect: "fail",
    contains: "roles/editor",
  },
  // logging
  {
    rule: "gcp-gke-logging-monitoring",
    title: "defaults",
    fixture: fx(GCP.gkeCluster, cluster),
    expect: "pass",
  },
  {
    rule: "gcp-gke-logging-monitoring",
    title: "logging off",
    fixture: mut(GCP.gkeCluster, cluster, "loggingService", "none"),
    expect: "fail",
  },
  {
    rule: "gcp-storage-access-logging",
    title: "computed log bucket",
    fixture: fx(GCP.bucket, bucket),
    expect: "pass",
  },
  {
    rule: "gcp-storage-access-logging",
    title: "no logging",
    fixture: mut(GCP.bucket, bucket, "logging", undefined),
    expect: "fail",
  },
  // residency
  {
    rule: "gcp-allowed-locations",
    title: "multi-region EU",
    fixture: fx(GCP.bucket, bucket),
    expect: "pass",
  },
  {
    rule: "gcp-allowed-locations",
    title: "zone of an allowed region",
    fixture: fx(GCP.workbenchInstance, workbench),
    expect: "pass",
  },
  {
    rule: "gcp-allowed-locations",
    title: "asia bucket",
    fixture: mut(GCP.bucket, bucket, "location", "ASIA-SOUTH1"),
    expect: "fail",
  },
  {
    rule: "gcp-allowed-locations",
    title: "region from explicit provider",
    fixture: fx(
      GCP.aiFeatureStore,
      {},
      { provider: { type: "pulumi:providers:gcp", props: { region: "us-central1" } } },
    ),
    expect: "pass",
  },
  {
    rule: "gcp-allowed-locations",
    title: "no location anywhere",
    fixture: fx(GCP.aiFeatureStore, {}),
    expect: "fail",
    contains: "cannot be determined",
  },
  // tagging
  { rule: "gcp-required-labels", title: "all labels", fixture: fx(GCP.bucket, bucket), expect: "pass" },
  {
    rule: "gcp-required-labels",
    title: "cost-center missing",
    fixture: mut(GCP.bucket, bucket, "labels.cost-center", undefined),
    expect: "fail",
    contains: '"cost-center"',
  },
  {
    rule: "gcp-required-labels",
    title: "GKE uses resourceLabels",
    fixture: fx(GCP.gkeCluster, cluster),
    expect: "pass",
  },
  {
    rule: "gcp-required-labels",
    title: "provider defaultLabels count",
    fixture: fx(
      GCP.bucket,
      { ...bucket, labels: {} },
      { provider: { type: "pulumi:providers:gcp", props: { defaultLabels: TAGS } } },
    ),
    expect: "pass",
  },
  // cost
  {
    rule: "gpu-instance-allowlist",
    title: "GKE L4 pool allowed",
    fixture: fx(GCP.gkeNodePool, nodePool),
    expect: "pass",
  },
  {
    rule: "gpu-instance-allowlist",
    title: "GKE A100 accelerator not allowed",
    fixture: mut(GCP.gkeNodePool, nodePool, "nodeConfig.guestAccelerators.0.type", "nvidia-tesla-a100"),
    expect: "fail",
  },
  {
    rule: "gpu-instance-allowlist",
    title: "GKE A3 machine not allowed",
    fixture: mut(GCP.gkeNodePool, nodePool, "nodeConfig", { machineType: "a3-highgpu-8g" }),
    expect: "fail",
    contains: "a3-highgpu-8g",
  },
  {
    rule: "gpu-instance-allowlist",
    title: "workbench accelerator names are normalised",
    fixture: fx(GCP.workbenchInstance, workbench),
    expect: "pass",
  },
  {
    rule: "node-count-cap",
    title: "GKE total max under cap",
    fixture: fx(GCP.gkeNodePool, nodePool),
    expect: "pass",
  },
  {
    rule: "node-count-cap",
    title: "GKE per-zone max over cap",
    fixture: mut(GCP.gkeNodePool, nodePool, "autoscaling", { maxNodeCount: 30 }),
    expect: "fail",
    contains: "autoscaling.maxNodeCount",
  },
  {
    rule: "node-count-cap",
    title: "GKE without any size",
    fixture: mut(GCP.gkeNodePool, nodePool, "autoscaling", undefined),
    expect: "fail",
  },
  {
    rule: "spot-capacity-non-prod",
    title: "GKE spot in dev",
    fixture: fx(GCP.gkeNodePool, nodePool),
    options: env("spot-capacity-non-prod", "dev"),
    expect: "pass",
  },
  {
    rule: "spot-capacity-non-prod",
    title: "GKE standard VMs in dev",
    fixture: mut(GCP.gkeNodePool, nodePool, "nodeConfig.spot", undefined),
    options: env("spot-capacity-non-prod", "dev"),
    expect: "fail",
  },
  // ml
  {
    rule: "gcp-vertex-endpoint-request-logging",
    title: "logging 20%",
    fixture: fx(GCP.aiEndpoint, endpoint),
    expect: "pass",
  },
  {
    rule: "gcp-vertex-endpoint-request-logging",
    title: "no logging",
    fixture: mut(GCP.aiEndpoint, endpoint, "predictRequestResponseLoggingConfig", undefined),
    expect: "fail",
  },
  {
    rule: "gcp-vertex-endpoint-request-logging",
    title: "1% sampling",
    fixture: mut(GCP.aiEndpoint, endpoint, "predictRequestResponseLoggingConfig.samplingRate", 0.01),
    expect: "fail",
    contains: "samplingRate",
  },
  {
    rule: "gcp-notebook-shielded-vm",
    title: "shielded",
    fixture: fx(GCP.workbenchInstance, workbench),
    expect: "pass",
  },
  {
    rule: "gcp-notebook-shielded-vm",
    title: "unset passes",
    fixture: fx(GCP.notebooksInstance, notebooksInstance),
    expect: "pass",
  },
  {
    rule: "gcp-notebook-shielded-vm",
    title: "vTPM off",
    fixture: mut(GCP.workbenchInstance, workbench, "gceSetup.shieldedInstanceConfig.enableVtpm", false),
    expect: "fail",
  },
  { rule: "gcp-storage-versioning", title: "versioned", fixture: fx(GCP.bucket, bucket), expect: "pass" },
  {
    rule: "gcp-storage-versioning",
    title: "unversioned",
    fixture: mut(GCP.bucket, bucket, "versioning", undefined),
    expect: "fail",
  },
  {
    rule: "bucket-no-force-destroy",
    title: "GCS forceDestroy",
    fixture: mut(GCP.bucket, bucket, "forceDestroy", true),
    expect: "fail",
  },
  { rule: "bucket-no-force-destroy", title: "GCS default", fixture: fx(GCP.bucket, bucket), expect: "pass" },
  {
    rule: "artifact-store-protected",
    title: "unprotected feature store in prod",
    fixture: fx(GCP.aiFeatureStore, { region: "europe-west4" }),
    options: env("artifact-store-protected", "prod"),
    expect: "fail",
  },
];
