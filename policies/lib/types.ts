/**
 * Pulumi type tokens the rules examine, checked against the installed providers' `__pulumiType` by
 * `test/policies/tokens.test.ts` (a typo here would make a rule silently never apply).
 */
export const AWS = {
  notebookInstance: "aws:sagemaker/notebookInstance:NotebookInstance",
  sagemakerDomain: "aws:sagemaker/domain:Domain",
  endpointConfiguration: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
  endpoint: "aws:sagemaker/endpoint:Endpoint",
  model: "aws:sagemaker/model:Model",
  trainingJob: "aws:sagemaker/trainingJob:TrainingJob",
  dataQualityJobDefinition: "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition",
  monitoringSchedule: "aws:sagemaker/monitoringSchedule:MonitoringSchedule",
  bucket: "aws:s3/bucket:Bucket",
  bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
  bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  bucketSse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketLogging: "aws:s3/bucketLogging:BucketLogging",
  eksCluster: "aws:eks/cluster:Cluster",
  eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
  kmsKey: "aws:kms/key:Key",
  iamPolicy: "aws:iam/policy:Policy",
  iamRole: "aws:iam/role:Role",
  iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
  iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  budget: "aws:budgets/budget:Budget",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
} as const;

export const GCP = {
  aiDataset: "gcp:vertex/aiDataset:AiDataset",
  aiEndpoint: "gcp:vertex/aiEndpoint:AiEndpoint",
  aiFeatureStore: "gcp:vertex/aiFeatureStore:AiFeatureStore",
  aiMetadataStore: "gcp:vertex/aiMetadataStore:AiMetadataStore",
  aiTensorboard: "gcp:vertex/aiTensorboard:AiTensorboard",
  notebooksInstance: "gcp:notebooks/instance:Instance",
  workbenchInstance: "gcp:workbench/instance:Instance",
  gkeCluster: "gcp:container/cluster:Cluster",
  gkeNodePool: "gcp:container/nodePool:NodePool",
  bucket: "gcp:storage/bucket:Bucket",
  bigqueryDataset: "gcp:bigquery/dataset:Dataset",
  bigqueryTable: "gcp:bigquery/table:Table",
  projectIamMember: "gcp:projects/iAMMember:IAMMember",
  projectIamBinding: "gcp:projects/iAMBinding:IAMBinding",
  billingBudget: "gcp:billing/budget:Budget",
  artifactRepository: "gcp:artifactregistry/repository:Repository",
  alertPolicy: "gcp:monitoring/alertPolicy:AlertPolicy",
} as const;

export const AZURE = {
  mlWorkspace: "azure-native:machinelearningservices:Workspace",
  mlCompute: "azure-native:machinelearningservices:Compute",
  mlOnlineEndpoint: "azure-native:machinelearningservices:OnlineEndpoint",
  mlOnlineDeployment: "azure-native:machinelearningservices:OnlineDeployment",
  storageAccount: "azure-native:storage:StorageAccount",
  keyVault: "azure-native:keyvault:Vault",
  budget: "azure-native:consumption:Budget",
  mlSchedule: "azure-native:machinelearningservices:Schedule",
  metricAlert: "azure-native:monitor:MetricAlert",
  scheduledQueryRule: "azure-native:monitor:ScheduledQueryRule",
} as const;

export const K8S = {
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  cronJob: "kubernetes:batch/v1:CronJob",
  job: "kubernetes:batch/v1:Job",
  pod: "kubernetes:core/v1:Pod",
  service: "kubernetes:core/v1:Service",
  pdb: "kubernetes:policy/v1:PodDisruptionBudget",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
  clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
  roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  /** CustomResources: `kubernetes:<apiVersion>:<kind>` (`@pulumi/kubernetes/apiextensions/customResource.js`). */
  rollout: "kubernetes:argoproj.io/v1alpha1:Rollout",
  serviceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
  podMonitor: "kubernetes:monitoring.coreos.com/v1:PodMonitor",
  prometheusRule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
} as const;
