/**
 * Stack-rule cases. Links between resources are given as the engine gives them during preview: the linking
 * values are unknown, and `propertyDependencies` says where each input came from.
 */
import { AWS, AZURE, GCP, K8S } from "../../../policies/lib/types";
import { type Case, env, fx, set, TAGS } from "../fixtures";
import { type Fixture, UNKNOWN } from "../harness";
import { k8sDeployment, k8sRollout } from "./kubernetes";

const bucket = fx(AWS.bucket, { bucket: UNKNOWN, tags: TAGS }, { name: "models" });
const dep = (prop: string, ...names: string[]) => ({ propertyDependencies: { [prop]: names } });

const sse = (algorithm: string, target = "models") =>
  fx(
    AWS.bucketSse,
    {
      bucket: UNKNOWN,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm, kmsMasterKeyId: UNKNOWN } }],
    },
    { name: `${target}-sse`, ...dep("bucket", target) },
  );
const pab = (flags: Record<string, boolean>) =>
  fx(
    AWS.bucketPublicAccessBlock,
    { bucket: UNKNOWN, ...flags },
    { name: "models-pab", ...dep("bucket", "models") },
  );
const allBlocked = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};
const versioning = (status: string) =>
  fx(
    AWS.bucketVersioning,
    { bucket: UNKNOWN, versioningConfiguration: { status } },
    { name: "models-versioning", ...dep("bucket", "models") },
  );

const endpoint = fx(AWS.endpoint, { name: UNKNOWN, endpointConfigName: UNKNOWN }, { name: "ep" });
const qualityJob = fx(
  AWS.dataQualityJobDefinition,
  { name: UNKNOWN, dataQualityJobInput: { endpointInput: { endpointName: UNKNOWN } } },
  { name: "dq", ...dep("dataQualityJobInput", "ep") },
);
const schedule = fx(
  AWS.monitoringSchedule,
  { monitoringScheduleConfig: { monitoringJobDefinitionName: UNKNOWN, monitoringType: "DataQuality" } },
  { name: "dq-schedule", ...dep("monitoringScheduleConfig", "dq") },
);

const ns = "serving";
const deployment = fx(
  K8S.deployment,
  set(k8sDeployment, "metadata.labels", { ...TAGS, "app.kubernetes.io/component": "serving" }),
  { name: "fraud" },
);
const pdb = (labels: Record<string, string>, namespace = ns) =>
  fx(
    K8S.pdb,
    {
      metadata: { name: "fraud-pdb", namespace },
      spec: { minAvailable: 1, selector: { matchLabels: labels } },
    },
    { name: "fraud-pdb" },
  );
const netpol = (podSelector: Record<string, unknown>, namespace = ns) =>
  fx(
    K8S.networkPolicy,
    { metadata: { name: "np", namespace }, spec: { podSelector, policyTypes: ["Ingress"] } },
    { name: "np" },
  );
const service = fx(
  K8S.service,
  {
    metadata: { name: "fraud", namespace: ns, labels: { app: "fraud-model" } },
    spec: { selector: { app: "fraud-model" } },
  },
  { name: "svc" },
);
const serviceMonitor = (matchLabels: Record<string, string>) =>
  fx(
    K8S.serviceMonitor,
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: "sm", namespace: ns },
      spec: { selector: { matchLabels }, endpoints: [{ port: "http" }] },
    },
    { name: "sm" },
  );

const stackWith = (...fixtures: Fixture[]) => fixtures;

export const stackCases: Case[] = [
  // S3 siblings (AWS provider v7 splits bucket configuration into separate resources)
  {
    rule: "aws-s3-bucket-kms-encryption",
    title: "SSE-KMS configuration linked by property dependency",
    stack: stackWith(bucket, sse("aws:kms")),
    expect: "pass",
  },
  {
    rule: "aws-s3-bucket-kms-encryption",
    title: "SSE-S3 only",
    stack: stackWith(bucket, sse("AES256")),
    expect: "fail",
    contains: '"AES256"',
  },
  {
    rule: "aws-s3-bucket-kms-encryption",
    title: "no configuration",
    stack: stackWith(bucket),
    expect: "fail",
    contains: 'bucket "models" has no',
  },
  {
    rule: "aws-s3-bucket-kms-encryption",
    title: "configuration of another bucket",
    stack: stackWith(bucket, fx(AWS.bucket, { bucket: UNKNOWN }, { name: "other" }), sse("aws:kms", "other")),
    expect: "fail",
  },
  {
    rule: "aws-s3-bucket-kms-encryption",
    title: "linked by equal known names (no dependency recorded)",
    stack: stackWith(
      fx(AWS.bucket, { bucket: "acme-models", id: "acme-models" }, { name: "models" }),
      fx(
        AWS.bucketSse,
        {
          bucket: "acme-models",
          rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse" } }],
        },
        { name: "sse" },
      ),
    ),
    expect: "pass",
  },
  {
    rule: "aws-s3-bucket-kms-encryption",
    title: "stacks without buckets are not applicable",
    stack: stackWith(endpoint),
    expect: "not-applicable",
  },
  {
    rule: "aws-s3-public-access-block",
    title: "all four flags",
    stack: stackWith(bucket, pab(allBlocked)),
    expect: "pass",
  },
  { rule: "aws-s3-public-access-block", title: "no block", stack: stackWith(bucket), expect: "fail" },
  {
    rule: "aws-s3-public-access-block",
    title: "restrictPublicBuckets unset",
    stack: stackWith(bucket, pab({ ...allBlocked, restrictPublicBuckets: undefined as unknown as boolean })),
    expect: "fail",
    contains: "restrictPublicBuckets",
  },
  {
    rule: "aws-s3-bucket-versioning",
    title: "enabled",
    stack: stackWith(bucket, versioning("Enabled")),
    expect: "pass",
  },
  {
    rule: "aws-s3-bucket-versioning",
    title: "suspended",
    stack: stackWith(bucket, versioning("Suspended")),
    expect: "fail",
    contains: 'not "Enabled"',
  },
  { rule: "aws-s3-bucket-versioning", title: "missing", stack: stackWith(bucket), expect: "fail" },
  {
    rule: "aws-s3-access-logging",
    title: "data bucket logs to a log bucket, which is exempt itself",
    stack: stackWith(
      bucket,
      fx(AWS.bucket, { bucket: UNKNOWN }, { name: "logs" }),
      fx(
        AWS.bucketLogging,
        { bucket: UNKNOWN, targetBucket: UNKNOWN, targetPrefix: "models/" },
        { name: "models-logging", propertyDependencies: { bucket: ["models"], targetBucket: ["logs"] } },
      ),
    ),
    expect: "pass",
  },
  { rule: "aws-s3-access-logging", title: "no logging", stack: stackWith(bucket), expect: "fail" },
  // endpoint monitoring
  {
    rule: "aws-sagemaker-endpoint-monitored",
    title: "schedule → job definition → endpoint, all names unknown",
    stack: stackWith(endpoint, qualityJob, schedule),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-endpoint-monitored",
    title: "job definition without schedule",
    stack: stackWith(endpoint, qualityJob),
    expect: "fail",
    contains: 'endpoint "ep"',
  },
  { rule: "aws-sagemaker-endpoint-monitored", title: "nothing", stack: stackWith(endpoint), expect: "fail" },
  {
    rule: "aws-sagemaker-endpoint-monitored",
    title: "CloudWatch alarm on the endpoint",
    stack: stackWith(
      endpoint,
      fx(
        AWS.metricAlarm,
        {
          namespace: "AWS/SageMaker",
          metricName: "Invocation5XXErrors",
          dimensions: { EndpointName: UNKNOWN, VariantName: "primary" },
        },
        { name: "alarm", ...dep("dimensions", "ep") },
      ),
    ),
    expect: "pass",
  },
  {
    rule: "aws-sagemaker-endpoint-monitored",
    title: "known names chain",
    stack: stackWith(
      fx(AWS.endpoint, { name: "fraud" }, { name: "ep" }),
      fx(
        AWS.dataQualityJobDefinition,
        { name: "fraud-dq", dataQualityJobInput: { endpointInput: { endpointName: "fraud" } } },
        { name: "dq" },
      ),
      fx(
        AWS.monitoringSchedule,
        { monitoringScheduleConfig: { monitoringJobDefinitionName: "fraud-dq" } },
        { name: "sch" },
      ),
    ),
    expect: "pass",
  },
  // GCP and Azure endpoints
  {
    rule: "endpoint-monitored",
    title: "Vertex endpoint with an alert policy built from its id",
    stack: stackWith(
      fx(GCP.aiEndpoint, { name: UNKNOWN }, { name: "vep" }),
      fx(
        GCP.alertPolicy,
        { displayName: "5xx", conditions: [{ displayName: "c" }] },
        { name: "alert", ...dep("conditions", "vep") },
      ),
    ),
    expect: "pass",
  },
  {
    rule: "endpoint-monitored",
    title: "Vertex endpoint alone",
    stack: stackWith(fx(GCP.aiEndpoint, { name: UNKNOWN }, { name: "vep" })),
    expect: "fail",
    contains: 'Vertex endpoint "vep"',
  },
  {
    rule: "endpoint-monitored",
    title: "Azure endpoint whose deployment a metric alert scopes",
    stack: stackWith(
      fx(AZURE.mlOnlineEndpoint, { properties: { authMode: "AADToken" } }, { name: "aep" }),
      fx(
        AZURE.mlOnlineDeployment,
        { endpointName: UNKNOWN },
        { name: "blue", ...dep("endpointName", "aep") },
      ),
      fx(AZURE.metricAlert, { scopes: [UNKNOWN], severity: 2 }, { name: "alert", ...dep("scopes", "blue") }),
    ),
    expect: "pass",
  },
  {
    rule: "endpoint-monitored",
    title: "Azure endpoint with an alert on something else",
    stack: stackWith(
      fx(AZURE.mlOnlineEndpoint, {}, { name: "aep" }),
      fx(AZURE.storageAccount, {}, { name: "sa" }),
      fx(AZURE.metricAlert, { scopes: [UNKNOWN] }, { name: "alert", ...dep("scopes", "sa") }),
    ),
    expect: "fail",
  },
  {
    rule: "endpoint-monitored",
    title: "stacks without GCP/Azure endpoints are not applicable",
    stack: stackWith(endpoint),
    expect: "not-applicable",
  },
  // Kubernetes
  {
    rule: "kubernetes-pdb",
    title: "PDB selects the pods",
    stack: stackWith(deployment, pdb({ app: "fraud-model" })),
    expect: "pass",
  },
  {
    rule: "kubernetes-pdb",
    title: "no PDB",
    stack: stackWith(deployment),
    expect: "fail",
    contains: "2 replicas",
  },
  {
    rule: "kubernetes-pdb",
    title: "PDB in another namespace",
    stack: stackWith(deployment, pdb({ app: "fraud-model" }, "other")),
    expect: "fail",
  },
  {
    rule: "kubernetes-pdb",
    title: "single replica needs none",
    stack: stackWith(fx(K8S.deployment, set(k8sDeployment, "spec.replicas", 1), { name: "fraud" })),
    expect: "pass",
  },
  {
    rule: "kubernetes-pdb",
    title: "Argo Rollout without PDB",
    stack: stackWith(fx(K8S.rollout, k8sRollout, { name: "ro" })),
    expect: "fail",
  },
  {
    rule: "kubernetes-network-policy-coverage",
    title: "policy selects pods",
    stack: stackWith(deployment, netpol({ matchLabels: { app: "fraud-model" } })),
    expect: "pass",
  },
  {
    rule: "kubernetes-network-policy-coverage",
    title: "default-deny for the namespace",
    stack: stackWith(deployment, netpol({})),
    expect: "pass",
  },
  {
    rule: "kubernetes-network-policy-coverage",
    title: "no policy",
    stack: stackWith(deployment),
    expect: "fail",
  },
  {
    rule: "kubernetes-network-policy-coverage",
    title: "policy for other pods",
    stack: stackWith(deployment, netpol({ matchLabels: { app: "other" } })),
    expect: "fail",
  },
  {
    rule: "kubernetes-serving-monitored",
    title: "ServiceMonitor → Service → pods",
    stack: stackWith(deployment, service, serviceMonitor({ app: "fraud-model" })),
    expect: "pass",
  },
  {
    rule: "kubernetes-serving-monitored",
    title: "ServiceMonitor selecting nothing relevant",
    stack: stackWith(deployment, service, serviceMonitor({ app: "other" })),
    expect: "fail",
  },
  {
    rule: "kubernetes-serving-monitored",
    title: "Rollout watched by a PrometheusRule that depends on it",
    stack: stackWith(
      fx(K8S.rollout, k8sRollout, { name: "ro" }),
      fx(
        K8S.prometheusRule,
        { metadata: { name: "r", namespace: ns }, spec: { groups: [] } },
        { name: "rule", dependencies: ["ro"] },
      ),
    ),
    expect: "pass",
  },
  {
    rule: "kubernetes-serving-monitored",
    title: "unmonitored Rollout",
    stack: stackWith(fx(K8S.rollout, k8sRollout, { name: "ro" })),
    expect: "fail",
    contains: 'Rollout "ro"',
  },
  {
    rule: "kubernetes-serving-monitored",
    title: "non-serving Deployment is ignored",
    stack: stackWith(fx(K8S.deployment, k8sDeployment, { name: "batch" })),
    expect: "pass",
  },
  {
    rule: "kubernetes-serving-monitored",
    title: "PodMonitor",
    stack: stackWith(
      deployment,
      fx(
        K8S.podMonitor,
        {
          metadata: { name: "pm", namespace: ns },
          spec: { selector: { matchLabels: { app: "fraud-model" } } },
        },
        { name: "pm" },
      ),
    ),
    expect: "pass",
  },
  {
    rule: "kubernetes-serving-monitored",
    title: "PodMonitor in the monitoring namespace selecting the serving namespace",
    stack: stackWith(
      deployment,
      fx(
        K8S.podMonitor,
        {
          metadata: { name: "pm", namespace: "monitoring" },
          spec: {
            namespaceSelector: { matchNames: [ns] },
            selector: { matchLabels: { app: "fraud-model" } },
          },
        },
        { name: "pm" },
      ),
    ),
    expect: "pass",
  },
  {
    rule: "kubernetes-serving-monitored",
    title: "PodMonitor in another namespace without a namespaceSelector",
    stack: stackWith(
      deployment,
      fx(
        K8S.podMonitor,
        {
          metadata: { name: "pm", namespace: "monitoring" },
          spec: { selector: { matchLabels: { app: "fraud-model" } } },
        },
        { name: "pm" },
      ),
    ),
    expect: "fail",
  },
  {
    rule: "kubernetes-serving-monitored",
    title: "ServiceMonitor with namespaceSelector any",
    stack: stackWith(
      deployment,
      service,
      fx(
        K8S.serviceMonitor,
        {
          metadata: { name: "sm", namespace: "monitoring" },
          spec: { namespaceSelector: { any: true }, selector: { matchLabels: { app: "fraud-model" } } },
        },
        { name: "sm" },
      ),
    ),
    expect: "pass",
  },
  {
    rule: "kubernetes-prod-replicas",
    title: "2 replicas in prod",
    stack: stackWith(deployment),
    options: env("kubernetes-prod-replicas", "prod"),
    expect: "pass",
  },
  {
    rule: "kubernetes-prod-replicas",
    title: "1 replica in prod",
    stack: stackWith(fx(K8S.deployment, set(k8sDeployment, "spec.replicas", 1), { name: "fraud" })),
    options: env("kubernetes-prod-replicas", "prod"),
    expect: "fail",
  },
  {
    rule: "kubernetes-prod-replicas",
    title: "HPA with minReplicas 3 owns the count",
    stack: stackWith(
      fx(K8S.deployment, set(k8sDeployment, "spec.replicas", undefined), { name: "fraud" }),
      fx(
        K8S.hpa,
        {
          metadata: { namespace: ns },
          spec: {
            minReplicas: 3,
            maxReplicas: 6,
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "fraud-model" },
          },
        },
        { name: "hpa" },
      ),
    ),
    options: env("kubernetes-prod-replicas", "prod"),
    expect: "pass",
  },
  {
    rule: "kubernetes-prod-replicas",
    title: "dev is not applicable",
    stack: stackWith(fx(K8S.deployment, set(k8sDeployment, "spec.replicas", 1), { name: "fraud" })),
    options: env("kubernetes-prod-replicas", "dev"),
    expect: "not-applicable",
  },
  // budget
  {
    rule: "budget-present",
    title: "AWS stack with a budget",
    stack: stackWith(
      bucket,
      fx(
        AWS.budget,
        { budgetType: "COST", limitAmount: "1000", limitUnit: "USD", timeUnit: "MONTHLY" },
        { name: "budget" },
      ),
    ),
    expect: "pass",
  },
  {
    rule: "budget-present",
    title: "AWS stack without a budget",
    stack: stackWith(bucket),
    expect: "fail",
    contains: AWS.budget,
  },
  {
    rule: "budget-present",
    title: "GCP resources need a GCP budget",
    stack: stackWith(
      fx(GCP.bucket, { location: "EU" }, { name: "g" }),
      fx(AWS.budget, {}, { name: "budget" }),
    ),
    expect: "fail",
    contains: GCP.billingBudget,
  },
  {
    rule: "budget-present",
    title: "Azure stack with a budget",
    stack: stackWith(
      fx(AZURE.storageAccount, {}, { name: "sa" }),
      fx(AZURE.budget, { amount: 100, timeGrain: "Monthly" }, { name: "b" }),
    ),
    expect: "pass",
  },
  {
    rule: "budget-present",
    title: "Kubernetes-only stacks are not applicable",
    stack: stackWith(deployment),
    expect: "not-applicable",
  },
];
