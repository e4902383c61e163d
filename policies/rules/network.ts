import { namespaceLabel, podMetadataPath, sameNamespace, selects, WORKLOAD_TYPES } from "../lib/kubernetes";
import { resourceRule, stackRule } from "../lib/rule";
import { linked } from "../lib/stack";
import { AWS, AZURE, GCP, K8S } from "../lib/types";
import { known, knownArray, knownRecord, present, show } from "../lib/values";

const OPEN_CIDRS = new Set(["0.0.0.0/0", "::/0"]);

export const awsSagemakerNotebookNoDirectInternet = resourceRule({
  name: "aws-sagemaker-notebook-no-direct-internet",
  theme: "network",
  description:
    "SageMaker notebook instances must not have direct internet access; traffic goes through the VPC where it can be inspected.",
  source:
    "cdk-nag AwsSolutions-SM3; checkov CKV_AWS_122; steampipe sagemaker_notebook_instance_direct_internet_access_disabled",
  unset:
    'Unset fails (cdk-nag\'s reading): the provider documents the default as "Enabled". checkov passes unset; we follow the cloud default.',
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.notebookInstance],
  validate(r) {
    const v = known<string>(r.props, "directInternetAccess");
    if (v !== "Disabled") {
      r.fail(
        `\`directInternetAccess\` is ${show(v ?? "unset (Enabled)")}; set it to "Disabled" and give the notebook a subnetId.`,
      );
    }
  },
});

export const awsSagemakerNotebookInVpc = resourceRule({
  name: "aws-sagemaker-notebook-in-vpc",
  theme: "network",
  description: "SageMaker notebook instances must run inside a VPC subnet.",
  source: "cdk-nag AwsSolutions-SM1; checkov CKV_AWS_306; AWS Config sagemaker-notebook-instance-inside-vpc",
  unset: "`subnetId` unset fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.notebookInstance],
  validate(r) {
    if (!present(r.props, "subnetId")) {
      r.fail("`subnetId` is not set. Place the notebook in a private subnet.");
    }
  },
});

export const awsSagemakerVpc = resourceRule({
  name: "aws-sagemaker-vpc",
  theme: "network",
  description:
    "SageMaker models and training jobs must run in a VPC so their containers reach data only through it.",
  source:
    "AWS Config sagemaker-model-in-vpc; steampipe sagemaker_model_in_vpc, sagemaker_training_job_in_vpc",
  unset: "`vpcConfig` unset fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.model, AWS.trainingJob],
  validate(r) {
    if (!present(r.props, "vpcConfig")) {
      r.fail(
        "`vpcConfig` is not set. Set `vpcConfig: {subnets, securityGroupIds}` (models) or `{subnets, securityGroupIds}` (training jobs).",
      );
    }
  },
});

export const awsEksPublicEndpoint = resourceRule({
  name: "aws-eks-public-endpoint",
  theme: "network",
  description:
    "An EKS API endpoint must be private, or public only to listed CIDR ranges that do not include the whole internet.",
  source: "checkov CKV_AWS_38 (and the stricter CKV_AWS_39); cdk-nag AwsSolutions-EKS1; trivy AWS-0040",
  unset:
    "`vpcConfig.endpointPublicAccess` unset means public (provider default true); with no `publicAccessCidrs` the endpoint is open to 0.0.0.0/0 and fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.eksCluster],
  validate(r) {
    if (known(r.props, ["vpcConfig", "endpointPublicAccess"]) === false) {
      return;
    }
    const cidrs = knownArray(r.props, ["vpcConfig", "publicAccessCidrs"]) as string[];
    const open = cidrs.filter((c) => OPEN_CIDRS.has(c));
    if (cidrs.length === 0 || open.length > 0) {
      r.fail(
        `the API endpoint is public to ${cidrs.length === 0 ? "0.0.0.0/0 (no publicAccessCidrs)" : open.join(", ")}. Set \`vpcConfig.endpointPublicAccess: false\`, or list specific \`publicAccessCidrs\`.`,
      );
    }
  },
});

export const awsEksNodeGroupSsh = resourceRule({
  name: "aws-eks-node-group-ssh",
  theme: "network",
  description: "EKS node groups that allow SSH must restrict it to named source security groups.",
  source: "checkov CKV_AWS_100",
  unset:
    "No `remoteAccess` passes; `remoteAccess.ec2SshKey` without `sourceSecurityGroupIds` fails (SSH open to 0.0.0.0/0).",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.eksNodeGroup],
  validate(r) {
    if (
      present(r.props, ["remoteAccess", "ec2SshKey"]) &&
      !present(r.props, ["remoteAccess", "sourceSecurityGroupIds"])
    ) {
      r.fail(
        "`remoteAccess.ec2SshKey` is set without `remoteAccess.sourceSecurityGroupIds`, which opens SSH to the internet.",
      );
    }
  },
});

const PUBLIC_ACCESS_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

export const awsS3PublicAccessBlock = stackRule({
  name: "aws-s3-public-access-block",
  theme: "network",
  description: "Every S3 bucket must have a BucketPublicAccessBlock with all four settings true.",
  source:
    "cdk-nag AwsSolutions-S2; checkov CKV2_AWS_6; Pulumi best-practices s3-bucket-public-access-block; trivy AWS-0086",
  unset:
    "A bucket without a connected BucketPublicAccessBlock fails; in a block, each flag left unset counts as false (provider default).",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.bucket, AWS.bucketPublicAccessBlock],
  validate(s) {
    const blocks = s.ofType(AWS.bucketPublicAccessBlock);
    for (const bucket of s.ofType(AWS.bucket)) {
      const mine = blocks.filter((b) => linked(b, "bucket", bucket));
      if (mine.length === 0) {
        s.fail(
          bucket,
          `bucket "${bucket.name}" has no aws.s3.BucketPublicAccessBlock. Add one with all four flags true.`,
        );
        continue;
      }
      for (const block of mine) {
        const off = PUBLIC_ACCESS_FLAGS.filter((f) => known(block.props, f) !== true);
        if (off.length > 0) {
          s.fail(
            bucket,
            `bucket "${bucket.name}": public access block "${block.name}" does not set ${off.join(", ")} to true.`,
          );
        }
      }
    }
  },
});

export const gcpStoragePublicAccessPrevention = resourceRule({
  name: "gcp-storage-public-access-prevention",
  theme: "network",
  description: "Cloud Storage buckets must enforce public access prevention.",
  source: "checkov CKV_GCP_114; compliance-policies gcp-storage-bucket-enforce-public-access-prevention",
  unset:
    'Unset fails: it is implicitly "inherited", which allows public ACLs unless an org policy forbids them.',
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.bucket],
  validate(r) {
    const v = known<string>(r.props, "publicAccessPrevention");
    if (v !== "enforced") {
      r.fail(`\`publicAccessPrevention\` is ${show(v ?? "unset (inherited)")}; set it to "enforced".`);
    }
  },
});

export const gcpStorageUniformAccess = resourceRule({
  name: "gcp-storage-uniform-access",
  theme: "network",
  description:
    "Cloud Storage buckets must use uniform bucket-level access, so object ACLs cannot grant access around IAM.",
  source: "checkov CKV_GCP_29; trivy GCP-0002",
  unset: "`uniformBucketLevelAccess` unset fails (provider default false).",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.bucket],
  validate(r) {
    if (known(r.props, "uniformBucketLevelAccess") !== true) {
      r.fail("`uniformBucketLevelAccess` is not true. Set it to true.");
    }
  },
});

const PUBLIC_PRINCIPALS = new Set(["allUsers", "allAuthenticatedUsers"]);

export const gcpBigqueryDatasetNotPublic = resourceRule({
  name: "gcp-bigquery-dataset-not-public",
  theme: "network",
  description:
    "BigQuery datasets (features, training data, predictions) must not be readable by allUsers or allAuthenticatedUsers.",
  source: "checkov CKV_GCP_15; trivy GCP-0046",
  unset: "No `accesses` passes (only the project's own roles apply).",
  severity: "critical",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.bigqueryDataset],
  validate(r) {
    knownArray(r.props, "accesses").forEach((entry, i) => {
      const group = known<string>(entry, "specialGroup");
      const member = known<string>(entry, "iamMember");
      if ((group && PUBLIC_PRINCIPALS.has(group)) || (member && PUBLIC_PRINCIPALS.has(member))) {
        r.fail(`\`accesses[${i}]\` grants access to ${group ?? member}. Remove it.`);
      }
    });
  },
});

export const gcpNotebookNoPublicIp = resourceRule({
  name: "gcp-notebook-no-public-ip",
  theme: "network",
  description: "Vertex AI Workbench and user-managed notebook instances must not have public IP addresses.",
  source: "checkov CKV_GCP_89 (notebooks instance), CKV2_GCP_28 (workbench instance)",
  unset: "Unset fails: both resources get an external IP by default.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.notebooksInstance, GCP.workbenchInstance],
  validate(r) {
    const path = r.type === GCP.notebooksInstance ? ["noPublicIp"] : ["gceSetup", "disablePublicIp"];
    if (known(r.props, path) !== true) {
      r.fail(`\`${path.join(".")}\` is not true. Set it to true.`);
    }
  },
});

export const gcpVertexEndpointPrivate = resourceRule({
  name: "gcp-vertex-endpoint-private",
  theme: "network",
  description:
    "Vertex AI endpoints must be private: peered to a VPC network or exposed through Private Service Connect.",
  source: "checkov CKV2_GCP_33 (GCPVertexAIPrivateEndpoint)",
  unset: "Neither `network` nor `privateServiceConnectConfig` set fails (a public endpoint).",
  severity: "medium",
  enforcementLevel: "advisory",
  resourceTypes: [GCP.aiEndpoint],
  validate(r) {
    if (
      !present(r.props, "network") &&
      !present(r.props, ["privateServiceConnectConfig", "enablePrivateServiceConnect"])
    ) {
      r.fail(
        "the endpoint is public. Set `network` (VPC peering) or `privateServiceConnectConfig.enablePrivateServiceConnect: true`.",
      );
    }
  },
});

export const gcpGkePrivateNodes = resourceRule({
  name: "gcp-gke-private-nodes",
  theme: "network",
  description: "GKE clusters must use private nodes (no external IPs on nodes).",
  source:
    "checkov CKV_GCP_64 (and CKV_GCP_25); Pulumi best-practices GCP gke-private-endpoints; trivy GCP-0059",
  unset: "`privateClusterConfig.enablePrivateNodes` unset fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.gkeCluster],
  validate(r) {
    if (known(r.props, ["privateClusterConfig", "enablePrivateNodes"]) !== true) {
      r.fail("`privateClusterConfig.enablePrivateNodes` is not true. Set it to true.");
    }
  },
});

export const gcpGkeAuthorizedNetworks = resourceRule({
  name: "gcp-gke-authorized-networks",
  theme: "network",
  description:
    "GKE control planes must only accept connections from listed networks, none of them 0.0.0.0/0.",
  source: "checkov CKV_GCP_20; CKV_GCP_18",
  unset: "`masterAuthorizedNetworksConfig` unset fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.gkeCluster],
  validate(r) {
    if (!present(r.props, "masterAuthorizedNetworksConfig")) {
      r.fail(
        "`masterAuthorizedNetworksConfig` is not set. List the CIDR blocks allowed to reach the control plane.",
      );
      return;
    }
    knownArray(r.props, ["masterAuthorizedNetworksConfig", "cidrBlocks"]).forEach((block, i) => {
      const cidr = known<string>(block, "cidrBlock");
      if (cidr && OPEN_CIDRS.has(cidr)) {
        r.fail(`\`masterAuthorizedNetworksConfig.cidrBlocks[${i}]\` is ${cidr}. Remove it.`);
      }
    });
  },
});

export const gcpGkeNetworkPolicy = resourceRule({
  name: "gcp-gke-network-policy",
  theme: "network",
  description:
    "GKE clusters must enforce Kubernetes NetworkPolicies (Calico network policy or GKE Dataplane V2).",
  source: "checkov CKV_GCP_12",
  unset:
    'Fails unless `networkPolicy.enabled` is true, `datapathProvider` is "ADVANCED_DATAPATH", or the cluster is Autopilot (Dataplane V2 always on).',
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.gkeCluster],
  validate(r) {
    if (
      known(r.props, "enableAutopilot") === true ||
      known(r.props, ["networkPolicy", "enabled"]) === true ||
      known(r.props, "datapathProvider") === "ADVANCED_DATAPATH"
    ) {
      return;
    }
    r.fail(
      'network policy enforcement is off. Set `datapathProvider: "ADVANCED_DATAPATH"` or `networkPolicy: {enabled: true}`.',
    );
  },
});

export const azureMlWorkspacePrivate = resourceRule({
  name: "azure-ml-workspace-private",
  theme: "network",
  description:
    "Azure Machine Learning workspaces must disable public network access and be reached through private endpoints.",
  source: "checkov CKV_AZURE_144 (MLPublicAccess); CKV2_AZURE_49",
  unset:
    'Unset fails (CKV_AZURE_144: the service default is "Enabled"). CKV2_AZURE_49 passes unset; we follow the service default.',
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AZURE.mlWorkspace],
  validate(r) {
    const v = known<string>(r.props, "publicNetworkAccess");
    if (v !== "Disabled") {
      r.fail(`\`publicNetworkAccess\` is ${show(v ?? "unset (Enabled)")}; set it to "Disabled".`);
    }
  },
});

export const azureMlOnlineEndpointPrivate = resourceRule({
  name: "azure-ml-online-endpoint-private",
  theme: "network",
  description: "Azure ML online endpoints must disable public network access for scoring.",
  source:
    "Derived from checkov CKV_AZURE_144 (workspace public access) applied to OnlineEndpointProperties.publicNetworkAccess",
  unset: 'Unset fails: the service default is "Enabled".',
  severity: "medium",
  enforcementLevel: "advisory",
  resourceTypes: [AZURE.mlOnlineEndpoint],
  validate(r) {
    const v = known<string>(r.props, ["properties", "publicNetworkAccess"]);
    if (v !== "Disabled") {
      r.fail(`\`properties.publicNetworkAccess\` is ${show(v ?? "unset (Enabled)")}; set it to "Disabled".`);
    }
  },
});

export const azureStorageNoPublicAccess = resourceRule({
  name: "azure-storage-no-public-access",
  theme: "network",
  description:
    "Azure storage accounts must forbid anonymous blob access and deny network access by default (or disable public network access).",
  source: "checkov CKV_AZURE_190 (allowBlobPublicAccess), CKV_AZURE_59 / CKV_AZURE_35 (network default deny)",
  unset:
    '`allowBlobPublicAccess` unset fails (older API versions default to true). Network: passes when `publicNetworkAccess` is "Disabled" or `networkRuleSet.defaultAction` is "Deny"; unset fails.',
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AZURE.storageAccount],
  validate(r) {
    if (known(r.props, "allowBlobPublicAccess") !== false) {
      r.fail("`allowBlobPublicAccess` is not false. Set it to false.");
    }
    if (
      known(r.props, "publicNetworkAccess") !== "Disabled" &&
      known(r.props, ["networkRuleSet", "defaultAction"]) !== "Deny"
    ) {
      r.fail(
        'network access is open. Set `publicNetworkAccess: "Disabled"` or `networkRuleSet: {defaultAction: "Deny", …}`.',
      );
    }
  },
});

export const azureKeyVaultPrivate = resourceRule({
  name: "azure-keyvault-private",
  theme: "network",
  description: "Key vaults must disable public network access, or deny it by default through network ACLs.",
  source: "checkov CKV_AZURE_189, CKV_AZURE_109",
  unset:
    'Fails unless `properties.publicNetworkAccess` is "Disabled" or `properties.networkAcls.defaultAction` is "Deny".',
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AZURE.keyVault],
  validate(r) {
    if (
      known(r.props, ["properties", "publicNetworkAccess"]) !== "Disabled" &&
      known(r.props, ["properties", "networkAcls", "defaultAction"]) !== "Deny"
    ) {
      r.fail(
        'the vault is reachable from any network. Set `properties.publicNetworkAccess: "Disabled"` or `properties.networkAcls.defaultAction: "Deny"`.',
      );
    }
  },
});

/** Annotations that make a LoadBalancer Service internal on each cloud. */
const INTERNAL_LB_ANNOTATIONS: Record<string, string> = {
  "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
  "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
  "networking.gke.io/load-balancer-type": "Internal",
  "cloud.google.com/load-balancer-type": "Internal",
  "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
};

export const kubernetesServiceNotPublic = resourceRule({
  name: "kubernetes-service-not-public",
  theme: "network",
  description:
    "Kubernetes Services must not expose workloads directly: no NodePort, and LoadBalancer only when marked internal; publish through an ingress or gateway instead.",
  source:
    "pulumi/examples kubernetes-ts no-public-services; compliance-policies kubernetes-core-v1-service-disallow-load-balancer; kube-score service-type",
  unset: "`spec.type` unset is ClusterIP and passes.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [K8S.service],
  validate(r) {
    const type = known<string>(r.props, ["spec", "type"]) ?? "ClusterIP";
    if (type === "NodePort") {
      r.fail("`spec.type` is NodePort, which opens a port on every node. Use ClusterIP behind an ingress.");
    }
    if (type === "LoadBalancer") {
      const annotations = knownRecord(r.props, ["metadata", "annotations"]);
      const internal = Object.entries(INTERNAL_LB_ANNOTATIONS).some(
        ([k, v]) => String(annotations[k] ?? "").toLowerCase() === v.toLowerCase(),
      );
      if (!internal) {
        r.fail(
          `\`spec.type\` is LoadBalancer without an internal-load-balancer annotation (${Object.keys(INTERNAL_LB_ANNOTATIONS).join(", ")}).`,
        );
      }
    }
  },
});

export const kubernetesNetworkPolicyCoverage = stackRule({
  name: "kubernetes-network-policy-coverage",
  theme: "network",
  description:
    "Every workload's pods must be selected by a NetworkPolicy in their namespace, so traffic to models is deny-by-default.",
  source: "kube-score pod-networkpolicy",
  unset:
    'A workload whose pod labels no NetworkPolicy `spec.podSelector` matches fails; an empty podSelector (`{}`) selects every pod in its namespace. Namespaces are compared as declared (unset = "default").',
  severity: "medium",
  enforcementLevel: "advisory",
  resourceTypes: [...WORKLOAD_TYPES.filter((t) => t !== K8S.pod), K8S.networkPolicy],
  appliesWhen: WORKLOAD_TYPES.filter((t) => t !== K8S.pod),
  validate(s) {
    const policies = s.ofType(K8S.networkPolicy);
    for (const w of s.ofType(...WORKLOAD_TYPES.filter((t) => t !== K8S.pod))) {
      const labels = knownRecord(w.props, [...podMetadataPath(w.type), "labels"]);
      const covered = policies.some((p) => {
        if (!sameNamespace(p, w)) {
          return false;
        }
        const selector = knownRecord(p.props, ["spec", "podSelector", "matchLabels"]);
        const expressions = knownArray(p.props, ["spec", "podSelector", "matchExpressions"]);
        if (Object.keys(selector).length === 0 && expressions.length === 0) {
          return true;
        }
        return selects(selector, labels);
      });
      if (!covered) {
        s.fail(
          w,
          `${w.type.split(":").pop()} "${w.name}" is not selected by any NetworkPolicy in namespace "${namespaceLabel(w)}".`,
        );
      }
    }
  },
});

export const networkRules = [
  awsSagemakerNotebookNoDirectInternet,
  awsSagemakerNotebookInVpc,
  awsSagemakerVpc,
  awsEksPublicEndpoint,
  awsEksNodeGroupSsh,
  awsS3PublicAccessBlock,
  gcpStoragePublicAccessPrevention,
  gcpStorageUniformAccess,
  gcpBigqueryDatasetNotPublic,
  gcpNotebookNoPublicIp,
  gcpVertexEndpointPrivate,
  gcpGkePrivateNodes,
  gcpGkeAuthorizedNetworks,
  gcpGkeNetworkPolicy,
  azureMlWorkspacePrivate,
  azureMlOnlineEndpointPrivate,
  azureStorageNoPublicAccess,
  azureKeyVaultPrivate,
  kubernetesServiceNotPublic,
  kubernetesNetworkPolicyCoverage,
];
