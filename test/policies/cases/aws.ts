/** AWS resource-rule cases: compliant baselines and one-field mutations. */
import { AWS } from "../../../policies/lib/types";
import { type Case, env, fx, mut, TAGS } from "../fixtures";
import { UNKNOWN } from "../harness";

const notebook = {
  instanceType: "ml.t3.medium",
  roleArn: UNKNOWN,
  kmsKeyId: UNKNOWN,
  directInternetAccess: "Disabled",
  subnetId: "subnet-0abc",
  rootAccess: "Disabled",
  instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: "2" },
  region: "eu-west-1",
  tags: TAGS,
};

const endpointConfig = {
  kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
  productionVariants: [
    { variantName: "primary", modelName: UNKNOWN, instanceType: "ml.g5.xlarge", initialInstanceCount: 2 },
  ],
  dataCaptureConfig: {
    enableCapture: true,
    initialSamplingPercentage: 20,
    destinationS3Uri: "s3://capture/",
    kmsKeyId: UNKNOWN,
    captureOptions: [{ captureMode: "Input" }, { captureMode: "Output" }],
  },
  region: "eu-west-1",
  tags: TAGS,
};

const model = {
  executionRoleArn: UNKNOWN,
  primaryContainer: { image: "123.dkr.ecr.eu-west-1.amazonaws.com/model:1.2.0" },
  enableNetworkIsolation: true,
  vpcConfig: { subnets: ["subnet-1"], securityGroupIds: ["sg-1"] },
  tags: TAGS,
};

const trainingJob = {
  roleArn: UNKNOWN,
  algorithmSpecification: { trainingImage: "img:1", trainingInputMode: "File" },
  resourceConfig: {
    instanceType: "ml.g5.xlarge",
    instanceCount: 1,
    volumeSizeInGb: 50,
    volumeKmsKeyId: UNKNOWN,
  },
  outputDataConfig: { s3OutputPath: "s3://models/", kmsKeyId: UNKNOWN },
  enableNetworkIsolation: true,
  enableInterContainerTrafficEncryption: true,
  enableManagedSpotTraining: true,
  vpcConfig: { subnets: ["subnet-1"], securityGroupIds: ["sg-1"] },
  tags: TAGS,
};

const qualityJob = {
  roleArn: UNKNOWN,
  dataQualityAppSpecification: { imageUri: "img:1" },
  dataQualityJobInput: { endpointInput: { endpointName: UNKNOWN } },
  dataQualityJobOutputConfig: {
    kmsKeyId: UNKNOWN,
    monitoringOutputs: { s3Output: { s3Uri: "s3://reports/" } },
  },
  jobResources: {
    clusterConfig: {
      instanceCount: 1,
      instanceType: "ml.m5.large",
      volumeSizeInGb: 20,
      volumeKmsKeyId: UNKNOWN,
    },
  },
  networkConfig: { enableNetworkIsolation: true, enableInterContainerTrafficEncryption: true },
  tags: TAGS,
};

const eksCluster = {
  roleArn: UNKNOWN,
  vpcConfig: {
    subnetIds: ["subnet-1", "subnet-2"],
    endpointPublicAccess: false,
    endpointPrivateAccess: true,
  },
  encryptionConfig: { resources: ["secrets"], provider: { keyArn: UNKNOWN } },
  enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
  tags: TAGS,
};

const nodeGroup = {
  clusterName: UNKNOWN,
  nodeRoleArn: UNKNOWN,
  subnetIds: ["subnet-1"],
  instanceTypes: ["g5.xlarge"],
  capacityType: "SPOT",
  scalingConfig: { desiredSize: 1, minSize: 0, maxSize: 4 },
  tags: TAGS,
};

const adminPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});
const scopedPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::models/*" },
  ],
});

export const awsCases: Case[] = [
  // encryption
  {
    rule: "aws-sagemaker-notebook-kms",
    title: "computed key (unknown in preview) counts as set",
    fixture: fx(AWS.notebookInstance, notebook),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-notebook-kms",
    title: "literal key passes",
    fixture: mut(AWS.notebookInstance, notebook, "kmsKeyId", "alias/ml"),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-notebook-kms",
    title: "no key fails",
    fixture: mut(AWS.notebookInstance, notebook, "kmsKeyId", undefined),
    expect: "fail",
    contains: "`kmsKeyId` is not set",
  },
  {
    rule: "aws-sagemaker-notebook-kms",
    title: "empty key fails",
    fixture: mut(AWS.notebookInstance, notebook, "kmsKeyId", ""),
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-notebook-kms",
    title: "domain without key fails",
    fixture: fx(AWS.sagemakerDomain, { domainName: "d", authMode: "IAM" }),
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-notebook-kms",
    title: "other types are not applicable",
    fixture: fx(AWS.model, model),
    expect: "not-applicable",
  },
  {
    rule: "aws-sagemaker-endpoint-config-kms",
    title: "key set",
    fixture: fx(AWS.endpointConfiguration, endpointConfig),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-endpoint-config-kms",
    title: "unknown key counts as set",
    fixture: mut(AWS.endpointConfiguration, endpointConfig, "kmsKeyArn", UNKNOWN),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-endpoint-config-kms",
    title: "no key fails",
    fixture: mut(AWS.endpointConfiguration, endpointConfig, "kmsKeyArn", undefined),
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-monitoring-job-kms",
    title: "both keys set",
    fixture: fx(AWS.dataQualityJobDefinition, qualityJob),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-monitoring-job-kms",
    title: "no output key",
    fixture: mut(AWS.dataQualityJobDefinition, qualityJob, "dataQualityJobOutputConfig.kmsKeyId", undefined),
    expect: "fail",
    contains: "dataQualityJobOutputConfig.kmsKeyId",
  },
  {
    rule: "aws-sagemaker-monitoring-job-kms",
    title: "no volume key",
    fixture: mut(
      AWS.dataQualityJobDefinition,
      qualityJob,
      "jobResources.clusterConfig.volumeKmsKeyId",
      undefined,
    ),
    expect: "fail",
    contains: "volumeKmsKeyId",
  },
  {
    rule: "aws-sagemaker-training-job-kms",
    title: "both keys set",
    fixture: fx(AWS.trainingJob, trainingJob),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-training-job-kms",
    title: "no output key",
    fixture: mut(AWS.trainingJob, trainingJob, "outputDataConfig.kmsKeyId", undefined),
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-training-job-kms",
    title: "no volume key on EBS-backed type",
    fixture: mut(AWS.trainingJob, trainingJob, "resourceConfig", {
      instanceType: "ml.m5.xlarge",
      instanceCount: 1,
    }),
    expect: "fail",
    contains: "volumeKmsKeyId",
  },
  {
    rule: "aws-sagemaker-training-job-kms",
    title: "no volume key on instance-store type",
    fixture: mut(AWS.trainingJob, trainingJob, "resourceConfig", {
      instanceType: "ml.p4d.24xlarge",
      instanceCount: 1,
    }),
    expect: "pass",
  },
  {
    rule: "aws-eks-secrets-encryption",
    title: "secrets encrypted with a computed key",
    fixture: fx(AWS.eksCluster, eksCluster),
    expect: "pass",
  },
  {
    rule: "aws-eks-secrets-encryption",
    title: "no encryptionConfig",
    fixture: mut(AWS.eksCluster, eksCluster, "encryptionConfig", undefined),
    expect: "fail",
  },
  {
    rule: "aws-eks-secrets-encryption",
    title: "secrets not in resources",
    fixture: mut(AWS.eksCluster, eksCluster, "encryptionConfig.resources", ["configmaps"]),
    expect: "fail",
    contains: '"secrets"',
  },
  {
    rule: "aws-kms-key-rotation",
    title: "rotation on",
    fixture: fx(AWS.kmsKey, { enableKeyRotation: true }),
    expect: "pass",
  },
  {
    rule: "aws-kms-key-rotation",
    title: "rotation unset",
    fixture: fx(AWS.kmsKey, { description: "k" }),
    expect: "fail",
  },
  {
    rule: "aws-kms-key-rotation",
    title: "rotation unknown cannot be judged",
    fixture: fx(AWS.kmsKey, { enableKeyRotation: UNKNOWN }),
    expect: "cant-run",
  },
  {
    rule: "aws-kms-key-rotation",
    title: "asymmetric key is not applicable",
    fixture: fx(AWS.kmsKey, { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }),
    expect: "not-applicable",
  },
  {
    rule: "aws-log-group-kms",
    title: "key set",
    fixture: fx(AWS.logGroup, { kmsKeyId: UNKNOWN, retentionInDays: 30 }),
    expect: "pass",
  },
  {
    rule: "aws-log-group-kms",
    title: "no key",
    fixture: fx(AWS.logGroup, { retentionInDays: 30 }),
    expect: "fail",
  },
  // network
  {
    rule: "aws-sagemaker-notebook-no-direct-internet",
    title: "disabled",
    fixture: fx(AWS.notebookInstance, notebook),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-notebook-no-direct-internet",
    title: "unset means Enabled",
    fixture: mut(AWS.notebookInstance, notebook, "directInternetAccess", undefined),
    expect: "fail",
    contains: "unset (Enabled)",
  },
  {
    rule: "aws-sagemaker-notebook-no-direct-internet",
    title: "enabled",
    fixture: mut(AWS.notebookInstance, notebook, "directInternetAccess", "Enabled"),
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-notebook-in-vpc",
    title: "subnet set",
    fixture: fx(AWS.notebookInstance, notebook),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-notebook-in-vpc",
    title: "computed subnet counts",
    fixture: mut(AWS.notebookInstance, notebook, "subnetId", UNKNOWN),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-notebook-in-vpc",
    title: "no subnet",
    fixture: mut(AWS.notebookInstance, notebook, "subnetId", undefined),
    expect: "fail",
  },
  { rule: "aws-sagemaker-vpc", title: "model in VPC", fixture: fx(AWS.model, model), expect: "pass" },
  {
    rule: "aws-sagemaker-vpc",
    title: "model without VPC",
    fixture: mut(AWS.model, model, "vpcConfig", undefined),
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-vpc",
    title: "training job without VPC",
    fixture: mut(AWS.trainingJob, trainingJob, "vpcConfig", undefined),
    expect: "fail",
  },
  {
    rule: "aws-eks-public-endpoint",
    title: "private endpoint",
    fixture: fx(AWS.eksCluster, eksCluster),
    expect: "pass",
  },
  {
    rule: "aws-eks-public-endpoint",
    title: "public to listed CIDRs",
    fixture: mut(AWS.eksCluster, eksCluster, "vpcConfig", {
      subnetIds: ["s"],
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24"],
    }),
    expect: "pass",
  },
  {
    rule: "aws-eks-public-endpoint",
    title: "unset is public to the internet",
    fixture: mut(AWS.eksCluster, eksCluster, "vpcConfig", { subnetIds: ["s"] }),
    expect: "fail",
    contains: "0.0.0.0/0",
  },
  {
    rule: "aws-eks-public-endpoint",
    title: "public to 0.0.0.0/0",
    fixture: mut(AWS.eksCluster, eksCluster, "vpcConfig", {
      subnetIds: ["s"],
      publicAccessCidrs: ["0.0.0.0/0"],
    }),
    expect: "fail",
  },
  {
    rule: "aws-eks-node-group-ssh",
    title: "no remote access",
    fixture: fx(AWS.eksNodeGroup, nodeGroup),
    expect: "pass",
  },
  {
    rule: "aws-eks-node-group-ssh",
    title: "ssh key without source groups",
    fixture: mut(AWS.eksNodeGroup, nodeGroup, "remoteAccess", { ec2SshKey: "ops" }),
    expect: "fail",
  },
  {
    rule: "aws-eks-node-group-ssh",
    title: "ssh key with source groups",
    fixture: mut(AWS.eksNodeGroup, nodeGroup, "remoteAccess", {
      ec2SshKey: "ops",
      sourceSecurityGroupIds: ["sg-1"],
    }),
    expect: "pass",
  },
  // iam
  {
    rule: "aws-iam-no-admin-statements",
    title: "scoped policy",
    fixture: fx(AWS.iamPolicy, { policy: scopedPolicy }),
    expect: "pass",
  },
  {
    rule: "aws-iam-no-admin-statements",
    title: "admin policy as JSON string",
    fixture: fx(AWS.iamPolicy, { policy: adminPolicy }),
    expect: "fail",
    contains: 'allows "*" on "*"',
  },
  {
    rule: "aws-iam-no-admin-statements",
    title: "admin policy as object",
    fixture: fx(AWS.iamRolePolicy, { role: UNKNOWN, policy: JSON.parse(adminPolicy) }),
    expect: "fail",
  },
  {
    rule: "aws-iam-no-admin-statements",
    title: "admin inline policy on a role",
    fixture: fx(AWS.iamRole, {
      assumeRolePolicy: "{}",
      inlinePolicies: [{ name: "x", policy: adminPolicy }],
    }),
    expect: "fail",
    contains: "inlinePolicies[0].policy",
  },
  {
    rule: "aws-iam-no-admin-statements",
    title: "document computed from other resources cannot be judged",
    fixture: fx(AWS.iamPolicy, { policy: UNKNOWN }),
    expect: "cant-run",
  },
  {
    rule: "aws-iam-no-admin-statements",
    title: "invalid JSON fails with a clear message",
    fixture: fx(AWS.iamPolicy, { policy: "{not json" }),
    expect: "fail",
    contains: "not valid JSON",
  },
  {
    rule: "aws-iam-no-wildcard-actions",
    title: "named actions",
    fixture: fx(AWS.iamPolicy, { policy: scopedPolicy }),
    expect: "pass",
  },
  {
    rule: "aws-iam-no-wildcard-actions",
    title: "service wildcard",
    fixture: fx(AWS.iamPolicy, {
      policy: JSON.stringify({
        Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::m/*" }],
      }),
    }),
    expect: "fail",
    contains: '"s3:*"',
  },
  {
    rule: "aws-iam-no-wildcard-actions",
    title: "Deny with wildcard is fine",
    fixture: fx(AWS.iamPolicy, {
      policy: JSON.stringify({ Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] }),
    }),
    expect: "pass",
  },
  {
    rule: "aws-iam-no-admin-managed-policies",
    title: "AdministratorAccess attached",
    fixture: fx(AWS.iamRolePolicyAttachment, {
      role: UNKNOWN,
      policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
    }),
    expect: "fail",
    contains: "AdministratorAccess",
  },
  {
    rule: "aws-iam-no-admin-managed-policies",
    title: "a policy created in the stack (unknown ARN)",
    fixture: fx(AWS.iamRolePolicyAttachment, { role: UNKNOWN, policyArn: UNKNOWN }),
    expect: "pass",
  },
  {
    rule: "aws-iam-no-admin-managed-policies",
    title: "role managedPolicyArns mixing unknown and admin",
    fixture: fx(AWS.iamRole, {
      assumeRolePolicy: "{}",
      managedPolicyArns: [UNKNOWN, "arn:aws:iam::aws:policy/IAMFullAccess"],
    }),
    expect: "fail",
    contains: "IAMFullAccess",
  },
  {
    rule: "aws-iam-no-admin-managed-policies",
    title: "scoped AWS-managed policy",
    fixture: fx(AWS.iamRolePolicyAttachment, {
      role: "r",
      policyArn: "arn:aws:iam::aws:policy/AmazonSageMakerReadOnly",
    }),
    expect: "pass",
  },
  // logging
  {
    rule: "aws-eks-control-plane-logging",
    title: "all five log types",
    fixture: fx(AWS.eksCluster, eksCluster),
    expect: "pass",
  },
  {
    rule: "aws-eks-control-plane-logging",
    title: "audit missing",
    fixture: mut(AWS.eksCluster, eksCluster, "enabledClusterLogTypes", ["api"]),
    expect: "fail",
    contains: "audit",
  },
  {
    rule: "aws-log-group-retention",
    title: "30 days",
    fixture: fx(AWS.logGroup, { retentionInDays: 30 }),
    expect: "pass",
  },
  { rule: "aws-log-group-retention", title: "never expires", fixture: fx(AWS.logGroup, {}), expect: "fail" },
  {
    rule: "aws-log-group-retention",
    title: "below default minimum",
    fixture: fx(AWS.logGroup, { retentionInDays: 7 }),
    expect: "fail",
    contains: "minimum is 30",
  },
  {
    rule: "aws-log-group-retention",
    title: "configured minimum",
    fixture: fx(AWS.logGroup, { retentionInDays: 7 }),
    options: { config: { "aws-log-group-retention": { minRetentionDays: 7 } } },
    expect: "pass",
  },
  // residency
  {
    rule: "aws-allowed-regions",
    title: "resource region allowed",
    fixture: fx(AWS.notebookInstance, notebook),
    expect: "pass",
  },
  {
    rule: "aws-allowed-regions",
    title: "resource region not allowed",
    fixture: mut(AWS.notebookInstance, notebook, "region", "ap-south-1"),
    expect: "fail",
    contains: '"ap-south-1"',
  },
  {
    rule: "aws-allowed-regions",
    title: "region from explicit provider",
    fixture: fx(AWS.model, model, {
      provider: { type: "pulumi:providers:aws", props: { region: "eu-central-1" } },
    }),
    expect: "pass",
  },
  {
    rule: "aws-allowed-regions",
    title: "disallowed explicit provider region",
    fixture: fx(AWS.model, model, {
      provider: { type: "pulumi:providers:aws", props: { region: "sa-east-1" } },
    }),
    expect: "fail",
  },
  {
    rule: "aws-allowed-regions",
    title: "resource region overrides provider",
    fixture: fx(AWS.notebookInstance, notebook, {
      provider: { type: "pulumi:providers:aws", props: { region: "sa-east-1" } },
    }),
    expect: "pass",
  },
  {
    rule: "aws-allowed-regions",
    title: "no region anywhere",
    fixture: fx(AWS.model, model),
    expect: "fail",
    contains: "cannot be determined",
  },
  {
    rule: "aws-allowed-regions",
    title: "configured allowlist",
    fixture: mut(AWS.notebookInstance, notebook, "region", "ap-south-1"),
    options: { config: { "aws-allowed-regions": { allowedRegions: ["ap-south-1"] } } },
    expect: "pass",
  },
  {
    rule: "aws-allowed-regions",
    title: "empty allowlist is not applicable",
    fixture: fx(AWS.model, model),
    options: { config: { "aws-allowed-regions": { allowedRegions: [] } } },
    expect: "not-applicable",
  },
  {
    rule: "aws-allowed-regions",
    title: "global IAM is not applicable",
    fixture: fx(AWS.iamPolicy, { policy: scopedPolicy }),
    expect: "not-applicable",
  },
  {
    rule: "aws-allowed-regions",
    title: "unknown region cannot be judged",
    fixture: mut(AWS.model, model, "region", UNKNOWN),
    expect: "cant-run",
  },
  // tagging
  {
    rule: "aws-required-tags",
    title: "all tags",
    fixture: fx(AWS.notebookInstance, notebook),
    expect: "pass",
  },
  {
    rule: "aws-required-tags",
    title: "owner missing",
    fixture: mut(AWS.notebookInstance, notebook, "tags.owner", undefined),
    expect: "fail",
    contains: '"owner"',
  },
  {
    rule: "aws-required-tags",
    title: "empty value counts as missing",
    fixture: mut(AWS.notebookInstance, notebook, "tags.owner", " "),
    expect: "fail",
  },
  {
    rule: "aws-required-tags",
    title: "unknown value counts as set",
    fixture: mut(AWS.notebookInstance, notebook, "tags.owner", UNKNOWN),
    expect: "pass",
  },
  {
    rule: "aws-required-tags",
    title: "provider defaultTags complete the set",
    fixture: fx(
      AWS.model,
      { ...model, tags: { owner: "x" } },
      {
        provider: {
          type: "pulumi:providers:aws",
          props: { region: "eu-west-1", defaultTags: { tags: TAGS } },
        },
      },
    ),
    expect: "pass",
  },
  {
    rule: "aws-required-tags",
    title: "provider defaultTags as a JSON string",
    fixture: fx(
      AWS.model,
      { ...model, tags: {} },
      { provider: { type: "pulumi:providers:aws", props: { defaultTags: JSON.stringify({ tags: TAGS }) } } },
    ),
    expect: "pass",
  },
  {
    rule: "aws-required-tags",
    title: "untaggable sibling resource is not applicable",
    fixture: fx(AWS.bucketVersioning, { bucket: UNKNOWN, versioningConfiguration: { status: "Enabled" } }),
    expect: "not-applicable",
  },
  {
    rule: "aws-required-tags",
    title: "custom required keys",
    fixture: fx(AWS.model, model),
    options: { config: { "aws-required-tags": { requiredTags: ["team"] } } },
    expect: "fail",
    contains: '"team"',
  },
  // cost
  {
    rule: "gpu-instance-allowlist",
    title: "allowed GPU type",
    fixture: fx(AWS.trainingJob, trainingJob),
    expect: "pass",
  },
  {
    rule: "gpu-instance-allowlist",
    title: "CPU types are not restricted",
    fixture: mut(AWS.trainingJob, trainingJob, "resourceConfig.instanceType", "ml.m5.4xlarge"),
    expect: "pass",
  },
  {
    rule: "gpu-instance-allowlist",
    title: "8xA100 not allowed by default",
    fixture: mut(AWS.trainingJob, trainingJob, "resourceConfig.instanceType", "ml.p4d.24xlarge"),
    expect: "fail",
    contains: "ml.p4d.24xlarge",
  },
  {
    rule: "gpu-instance-allowlist",
    title: "allowed by config",
    fixture: mut(AWS.trainingJob, trainingJob, "resourceConfig.instanceType", "ml.p4d.24xlarge"),
    options: { config: { "gpu-instance-allowlist": { allowedGpuTypes: ["ML.P4D.24XLARGE"] } } },
    expect: "pass",
  },
  {
    rule: "gpu-instance-allowlist",
    title: "EKS node group with H100",
    fixture: mut(AWS.eksNodeGroup, nodeGroup, "instanceTypes", ["p5.48xlarge"]),
    expect: "fail",
  },
  {
    rule: "gpu-instance-allowlist",
    title: "endpoint variant",
    fixture: mut(
      AWS.endpointConfiguration,
      endpointConfig,
      "productionVariants.0.instanceType",
      "ml.p5.48xlarge",
    ),
    expect: "fail",
    contains: "productionVariants[0]",
  },
  {
    rule: "node-count-cap",
    title: "under the cap",
    fixture: fx(AWS.eksNodeGroup, nodeGroup),
    expect: "pass",
  },
  {
    rule: "node-count-cap",
    title: "over the default cap",
    fixture: mut(AWS.eksNodeGroup, nodeGroup, "scalingConfig.maxSize", 50),
    expect: "fail",
    contains: "above the cap of 10",
  },
  {
    rule: "node-count-cap",
    title: "over a configured cap",
    fixture: fx(AWS.eksNodeGroup, nodeGroup),
    options: { config: { "node-count-cap": { maxNodes: 2 } } },
    expect: "fail",
  },
  {
    rule: "spot-capacity-non-prod",
    title: "spot in dev",
    fixture: fx(AWS.eksNodeGroup, nodeGroup),
    options: env("spot-capacity-non-prod", "dev"),
    expect: "pass",
  },
  {
    rule: "spot-capacity-non-prod",
    title: "on-demand in dev",
    fixture: mut(AWS.eksNodeGroup, nodeGroup, "capacityType", undefined),
    options: env("spot-capacity-non-prod", "dev"),
    expect: "fail",
    contains: "ON_DEMAND",
  },
  {
    rule: "spot-capacity-non-prod",
    title: "environment from the stack tag",
    fixture: mut(AWS.eksNodeGroup, nodeGroup, "capacityType", "ON_DEMAND"),
    options: { stackTags: { environment: "staging" } },
    expect: "fail",
  },
  {
    rule: "spot-capacity-non-prod",
    title: "on-demand in prod is not applicable",
    fixture: mut(AWS.eksNodeGroup, nodeGroup, "capacityType", "ON_DEMAND"),
    options: env("spot-capacity-non-prod", "prod"),
    expect: "not-applicable",
  },
  {
    rule: "spot-capacity-non-prod",
    title: "unknown environment is not applicable",
    fixture: mut(AWS.eksNodeGroup, nodeGroup, "capacityType", "ON_DEMAND"),
    expect: "not-applicable",
  },
  {
    rule: "spot-capacity-non-prod",
    title: "training job without managed spot in dev",
    fixture: mut(AWS.trainingJob, trainingJob, "enableManagedSpotTraining", false),
    options: env("spot-capacity-non-prod", "dev"),
    expect: "fail",
  },
  // ml
  {
    rule: "aws-sagemaker-endpoint-data-capture",
    title: "capture on, encrypted",
    fixture: fx(AWS.endpointConfiguration, endpointConfig),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-endpoint-data-capture",
    title: "no capture",
    fixture: mut(AWS.endpointConfiguration, endpointConfig, "dataCaptureConfig", undefined),
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-endpoint-data-capture",
    title: "sampling below minimum",
    fixture: mut(AWS.endpointConfiguration, endpointConfig, "dataCaptureConfig.initialSamplingPercentage", 5),
    expect: "fail",
    contains: "minimum is 10",
  },
  {
    rule: "aws-sagemaker-endpoint-data-capture",
    title: "capture unencrypted",
    fixture: mut(AWS.endpointConfiguration, endpointConfig, "dataCaptureConfig.kmsKeyId", undefined),
    expect: "fail",
    contains: "kmsKeyId",
  },
  {
    rule: "aws-sagemaker-model-network-isolation",
    title: "isolated",
    fixture: fx(AWS.model, model),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-model-network-isolation",
    title: "not isolated (unset)",
    fixture: mut(AWS.model, model, "enableNetworkIsolation", undefined),
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-job-network-isolation",
    title: "training isolated",
    fixture: fx(AWS.trainingJob, trainingJob),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-job-network-isolation",
    title: "training not isolated",
    fixture: mut(AWS.trainingJob, trainingJob, "enableNetworkIsolation", false),
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-job-network-isolation",
    title: "monitoring job not isolated",
    fixture: mut(AWS.dataQualityJobDefinition, qualityJob, "networkConfig", undefined),
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-inter-container-encryption",
    title: "encrypted",
    fixture: fx(AWS.dataQualityJobDefinition, qualityJob),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-inter-container-encryption",
    title: "training unencrypted",
    fixture: mut(AWS.trainingJob, trainingJob, "enableInterContainerTrafficEncryption", undefined),
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-notebook-root-access",
    title: "root disabled",
    fixture: fx(AWS.notebookInstance, notebook),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-notebook-root-access",
    title: "unset means Enabled",
    fixture: mut(AWS.notebookInstance, notebook, "rootAccess", undefined),
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-notebook-imdsv2",
    title: "IMDSv2",
    fixture: fx(AWS.notebookInstance, notebook),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-notebook-imdsv2",
    title: "IMDSv1 allowed",
    fixture: mut(AWS.notebookInstance, notebook, "instanceMetadataServiceConfiguration", undefined),
    expect: "fail",
  },
  {
    rule: "bucket-no-force-destroy",
    title: "S3 bucket without forceDestroy",
    fixture: fx(AWS.bucket, { tags: TAGS }),
    expect: "pass",
  },
  {
    rule: "bucket-no-force-destroy",
    title: "S3 bucket with forceDestroy",
    fixture: fx(AWS.bucket, { forceDestroy: true }),
    expect: "fail",
  },
  {
    rule: "artifact-store-protected",
    title: "protected in prod",
    fixture: fx(AWS.bucket, { tags: TAGS }, { protect: true }),
    options: env("artifact-store-protected", "prod"),
    expect: "pass",
  },
  {
    rule: "artifact-store-protected",
    title: "unprotected in prod",
    fixture: fx(AWS.bucket, { tags: TAGS }),
    options: env("artifact-store-protected", "prod"),
    expect: "fail",
    contains: "protect: true",
  },
  {
    rule: "artifact-store-protected",
    title: "unprotected in dev is not applicable",
    fixture: fx(AWS.bucket, { tags: TAGS }),
    options: env("artifact-store-protected", "dev"),
    expect: "not-applicable",
  },
  {
    rule: "aws-sagemaker-prod-instance-count",
    title: "two instances in prod",
    fixture: fx(AWS.endpointConfiguration, endpointConfig),
    options: env("aws-sagemaker-prod-instance-count", "prod"),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-prod-instance-count",
    title: "one instance in prod",
    fixture: mut(AWS.endpointConfiguration, endpointConfig, "productionVariants.0.initialInstanceCount", 1),
    options: env("aws-sagemaker-prod-instance-count", "prod"),
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-prod-instance-count",
    title: "environment from the stack tag",
    fixture: mut(AWS.endpointConfiguration, endpointConfig, "productionVariants.0.initialInstanceCount", 1),
    options: { stackTags: { environment: "production" } },
    expect: "fail",
  },
  {
    rule: "aws-sagemaker-prod-instance-count",
    title: "serverless variant is skipped",
    fixture: mut(AWS.endpointConfiguration, endpointConfig, "productionVariants", [
      { variantName: "s", modelName: "m", serverlessConfig: { maxConcurrency: 5, memorySizeInMb: 2048 } },
    ]),
    options: env("aws-sagemaker-prod-instance-count", "prod"),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-prod-instance-count",
    title: "one instance in dev is not applicable",
    fixture: mut(AWS.endpointConfiguration, endpointConfig, "productionVariants.0.initialInstanceCount", 1),
    options: env("aws-sagemaker-prod-instance-count", "dev"),
    expect: "not-applicable",
  },
];
