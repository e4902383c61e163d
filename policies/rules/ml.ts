/**
 * ML-specific governance: inference data capture, every endpoint monitored, isolated and encrypted training
 * and monitoring containers, hardened notebooks, versioned and protected artifact stores, and production
 * endpoints that survive the loss of one instance.
 */
import type { PolicyConfigSchema, PolicyResource } from "@pulumi/policy";
import { environmentConfigProperty, requireProduction } from "../lib/environment";
import { monitorCoversNamespace, podMetadataPath, sameNamespace, selects } from "../lib/kubernetes";
import { resourceRule, stackRule } from "../lib/rule";
import { dependsOn, linked } from "../lib/stack";
import { AWS, AZURE, GCP, K8S } from "../lib/types";
import { known, knownArray, knownRecord, literal, present, show } from "../lib/values";

interface CaptureConfig {
  minSamplingPercentage: number;
}

const captureSchema: PolicyConfigSchema = {
  properties: {
    minSamplingPercentage: {
      type: "number",
      minimum: 0,
      maximum: 100,
      default: 10,
      description: "Minimum share of requests captured, in percent.",
    },
  },
};

export const awsSagemakerEndpointDataCapture = resourceRule<CaptureConfig>({
  name: "aws-sagemaker-endpoint-data-capture",
  theme: "ml",
  description:
    "SageMaker endpoint configurations must capture inference requests and responses (encrypted), because drift and quality monitoring run on the captured data.",
  source:
    "Own rule, derived: EndpointConfiguration.dataCaptureConfig (@pulumi/aws types); AWS MDAA sagemaker-endpoint-app 'data capture for model monitoring'. No checkov/cdk-nag rule exists",
  unset:
    "`dataCaptureConfig` unset fails; `enableCapture` must be true, `initialSamplingPercentage` at least the configured minimum, `kmsKeyId` set.",
  severity: "high",
  enforcementLevel: "advisory",
  resourceTypes: [AWS.endpointConfiguration],
  configSchema: captureSchema,
  validate(r) {
    if (!present(r.props, "dataCaptureConfig")) {
      r.fail("`dataCaptureConfig` is not set. Capture requests and responses for monitoring.");
      return;
    }
    if (known(r.props, ["dataCaptureConfig", "enableCapture"]) !== true) {
      r.fail("`dataCaptureConfig.enableCapture` is not true.");
    }
    const pct = known<number>(r.props, ["dataCaptureConfig", "initialSamplingPercentage"]);
    if (pct === undefined || pct < r.config.minSamplingPercentage) {
      r.fail(
        `\`dataCaptureConfig.initialSamplingPercentage\` is ${pct ?? "unset"}; the minimum is ${r.config.minSamplingPercentage}.`,
      );
    }
    if (!present(r.props, ["dataCaptureConfig", "kmsKeyId"])) {
      r.fail(
        "`dataCaptureConfig.kmsKeyId` is not set; captured payloads must be encrypted with a customer-managed key.",
      );
    }
  },
});

export const gcpVertexEndpointRequestLogging = resourceRule<CaptureConfig>({
  name: "gcp-vertex-endpoint-request-logging",
  theme: "ml",
  description:
    "Vertex AI endpoints must log prediction requests and responses to BigQuery, which feeds model monitoring.",
  source:
    "Own rule, derived: AiEndpoint.predictRequestResponseLoggingConfig (@pulumi/gcp vertex/aiEndpoint.d.ts); no public rule found",
  unset:
    "`predictRequestResponseLoggingConfig` unset fails; `enabled` must be true, `samplingRate` (0-1) at least the minimum percentage/100, `bigqueryDestination.outputUri` set.",
  severity: "high",
  enforcementLevel: "advisory",
  resourceTypes: [GCP.aiEndpoint],
  configSchema: captureSchema,
  validate(r) {
    const base = ["predictRequestResponseLoggingConfig"];
    if (known(r.props, [...base, "enabled"]) !== true) {
      r.fail("`predictRequestResponseLoggingConfig.enabled` is not true.");
      return;
    }
    const rate = known<number>(r.props, [...base, "samplingRate"]);
    if (rate === undefined || rate * 100 < r.config.minSamplingPercentage) {
      r.fail(
        `\`predictRequestResponseLoggingConfig.samplingRate\` is ${rate ?? "unset"}; the minimum is ${r.config.minSamplingPercentage / 100}.`,
      );
    }
    if (!present(r.props, [...base, "bigqueryDestination", "outputUri"])) {
      r.fail("`predictRequestResponseLoggingConfig.bigqueryDestination.outputUri` is not set.");
    }
  },
});

export const azureMlDeploymentDataCollection = resourceRule({
  name: "azure-ml-deployment-data-collection",
  theme: "ml",
  description:
    "Azure ML online deployments must collect model inputs and outputs, which feed model monitoring.",
  source:
    "Own rule, derived: ManagedOnlineDeployment.dataCollector (azure-native machinelearningservices types); no public rule found",
  unset:
    '`properties.dataCollector.collections` must have `model_inputs` and `model_outputs` with dataCollectionMode "Enabled"; unset fails.',
  severity: "high",
  enforcementLevel: "advisory",
  resourceTypes: [AZURE.mlOnlineDeployment],
  validate(r) {
    const collections = knownRecord(r.props, ["properties", "dataCollector", "collections"]);
    for (const name of ["model_inputs", "model_outputs"]) {
      if (known(collections, [name, "dataCollectionMode"]) !== "Enabled") {
        r.fail(
          `\`properties.dataCollector.collections.${name}\` is not enabled. Set dataCollectionMode "Enabled".`,
        );
      }
    }
  },
});

function knownName(r: PolicyResource): string | undefined {
  const n = literal<string>(r.props, "name");
  return typeof n === "string" && n !== "" ? n : undefined;
}

export const awsSagemakerEndpointMonitored = stackRule({
  name: "aws-sagemaker-endpoint-monitored",
  theme: "ml",
  description:
    "Every SageMaker endpoint must be watched: by a MonitoringSchedule whose data-quality job reads it, or by a CloudWatch alarm on its metrics.",
  source:
    "Own rule, derived (R53 of policies.md): Endpoint ↔ DataQualityJobDefinition.dataQualityJobInput.endpointInput ↔ MonitoringSchedule; CloudWatch MetricAlarm dimensions EndpointName",
  unset:
    "An endpoint with neither fails. Links: property dependencies (`dataQualityJobInput` → endpoint, `monitoringScheduleConfig` → job definition, alarm `dimensions` → endpoint), or equal known names.",
  severity: "high",
  enforcementLevel: "advisory",
  resourceTypes: [AWS.endpoint, AWS.dataQualityJobDefinition, AWS.monitoringSchedule, AWS.metricAlarm],
  validate(s) {
    const jobs = s.ofType(AWS.dataQualityJobDefinition);
    const schedules = s.ofType(AWS.monitoringSchedule);
    const alarms = s.ofType(AWS.metricAlarm);
    for (const endpoint of s.ofType(AWS.endpoint)) {
      const name = knownName(endpoint);
      const readsEndpoint = (job: PolicyResource) =>
        (job.propertyDependencies.dataQualityJobInput ?? []).some((d) => d.urn === endpoint.urn) ||
        (name !== undefined &&
          known(job.props, ["dataQualityJobInput", "endpointInput", "endpointName"]) === name);
      const monitoringJobs = jobs.filter(readsEndpoint);
      const scheduled = schedules.some(
        (sc) =>
          (sc.propertyDependencies.monitoringScheduleConfig ?? []).some((d) =>
            monitoringJobs.some((j) => j.urn === d.urn),
          ) ||
          monitoringJobs.some((j) => {
            const jobName = knownName(j);
            return (
              jobName !== undefined &&
              known(sc.props, ["monitoringScheduleConfig", "monitoringJobDefinitionName"]) === jobName
            );
          }),
      );
      const alarmed = alarms.some(
        (a) =>
          (a.propertyDependencies.dimensions ?? []).some((d) => d.urn === endpoint.urn) ||
          (name !== undefined && literal(a.props, ["dimensions", "EndpointName"]) === name),
      );
      if (!scheduled && !alarmed) {
        s.fail(
          endpoint,
          `endpoint "${endpoint.name}" has no MonitoringSchedule over a DataQualityJobDefinition that reads it, and no CloudWatch alarm on it.`,
        );
      }
    }
  },
});

export const endpointMonitored = stackRule({
  name: "endpoint-monitored",
  theme: "ml",
  description:
    "Every Vertex AI endpoint and Azure ML online endpoint must be watched: by a Cloud Monitoring alert policy (GCP), or an Azure Monitor metric alert, scheduled query rule or Azure ML monitoring schedule (Azure) that depends on the endpoint or one of its deployments.",
  source:
    "Own rule, derived (R53 of policies.md: every endpoint monitored), applied to GCP and Azure monitoring resources",
  unset:
    "An endpoint on which no monitoring resource depends fails. The link is any property dependency or explicit dependency (alert `scopes`, alert policy `conditions`, schedule `properties`), since ids are unknown during preview.",
  severity: "high",
  enforcementLevel: "advisory",
  resourceTypes: [
    GCP.aiEndpoint,
    AZURE.mlOnlineEndpoint,
    GCP.alertPolicy,
    AZURE.metricAlert,
    AZURE.scheduledQueryRule,
    AZURE.mlSchedule,
  ],
  appliesWhen: [GCP.aiEndpoint, AZURE.mlOnlineEndpoint],
  validate(s) {
    const gcpWatchers = s.ofType(GCP.alertPolicy);
    const azureWatchers = s.ofType(AZURE.metricAlert, AZURE.scheduledQueryRule, AZURE.mlSchedule);
    const deployments = s.ofType(AZURE.mlOnlineDeployment);
    for (const endpoint of s.ofType(GCP.aiEndpoint)) {
      if (!gcpWatchers.some((w) => dependsOn(w, endpoint))) {
        s.fail(
          endpoint,
          `Vertex endpoint "${endpoint.name}" has no Cloud Monitoring alert policy that depends on it.`,
        );
      }
    }
    for (const endpoint of s.ofType(AZURE.mlOnlineEndpoint)) {
      const targets = [endpoint, ...deployments.filter((d) => dependsOn(d, endpoint))];
      if (!azureWatchers.some((w) => targets.some((t) => dependsOn(w, t)))) {
        s.fail(
          endpoint,
          `online endpoint "${endpoint.name}" has no metric alert, scheduled query rule or Azure ML monitoring schedule that depends on it or its deployments.`,
        );
      }
    }
  },
});

interface ServingConfig {
  servingLabels: Record<string, string>;
}

export const kubernetesServingMonitored = stackRule<ServingConfig>({
  name: "kubernetes-serving-monitored",
  theme: "ml",
  description:
    "Every Kubernetes model-serving workload (Argo Rollouts, and Deployments/StatefulSets carrying the serving labels) must be scraped by a Prometheus ServiceMonitor or PodMonitor, or watched by a PrometheusRule that depends on it.",
  source:
    "Own rule, derived (R53 of policies.md applied to prometheus-operator CRDs monitoring.coreos.com/v1)",
  unset:
    "A serving workload with no selecting PodMonitor (same namespace, `spec.selector.matchLabels` ⊆ pod labels), no ServiceMonitor selecting a Service that selects its pods, and no monitor/rule depending on it fails.",
  severity: "high",
  enforcementLevel: "advisory",
  resourceTypes: [
    K8S.rollout,
    K8S.deployment,
    K8S.statefulSet,
    K8S.serviceMonitor,
    K8S.podMonitor,
    K8S.prometheusRule,
  ],
  appliesWhen: [K8S.rollout, K8S.deployment, K8S.statefulSet],
  configSchema: {
    properties: {
      servingLabels: {
        type: "object",
        additionalProperties: { type: "string" },
        default: { "app.kubernetes.io/component": "serving" },
        description:
          "Labels (on the workload or its pod template) that mark a Deployment/StatefulSet as model serving.",
      },
    },
  },
  validate(s) {
    const services = s.ofType(K8S.service);
    const podMonitors = s.ofType(K8S.podMonitor);
    const serviceMonitors = s.ofType(K8S.serviceMonitor);
    const watchers = [...podMonitors, ...serviceMonitors, ...s.ofType(K8S.prometheusRule)];
    for (const w of s.ofType(K8S.rollout, K8S.deployment, K8S.statefulSet)) {
      const podLabels = knownRecord(w.props, [...podMetadataPath(w.type), "labels"]);
      const ownLabels = knownRecord(w.props, ["metadata", "labels"]);
      const serving =
        w.type === K8S.rollout || selects(s.config.servingLabels, { ...ownLabels, ...podLabels });
      if (!serving) {
        continue;
      }
      const byPodMonitor = podMonitors.some(
        (m) =>
          monitorCoversNamespace(m, w) &&
          selects(knownRecord(m.props, ["spec", "selector", "matchLabels"]), podLabels),
      );
      const byServiceMonitor = services
        .filter(
          (svc) => sameNamespace(svc, w) && selects(knownRecord(svc.props, ["spec", "selector"]), podLabels),
        )
        .some((svc) => {
          const svcLabels = knownRecord(svc.props, ["metadata", "labels"]);
          return serviceMonitors.some(
            (m) =>
              monitorCoversNamespace(m, svc) &&
              selects(knownRecord(m.props, ["spec", "selector", "matchLabels"]), svcLabels),
          );
        });
      const byDependency = watchers.some((m) => dependsOn(m, w));
      if (!byPodMonitor && !byServiceMonitor && !byDependency) {
        s.fail(
          w,
          `${w.type.split(":").pop()} "${w.name}" serves a model but no ServiceMonitor, PodMonitor or PrometheusRule covers it.`,
        );
      }
    }
  },
});

export const awsSagemakerModelNetworkIsolation = resourceRule({
  name: "aws-sagemaker-model-network-isolation",
  theme: "ml",
  description:
    "SageMaker models must run with network isolation: the inference container cannot make outbound calls.",
  source: "checkov CKV_AWS_370; AWS Config sagemaker-model-isolation-enabled",
  unset: "`enableNetworkIsolation` unset fails (default false).",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.model],
  validate(r) {
    if (known(r.props, "enableNetworkIsolation") !== true) {
      r.fail("`enableNetworkIsolation` is not true. Set it to true.");
    }
  },
});

export const awsSagemakerJobNetworkIsolation = resourceRule({
  name: "aws-sagemaker-job-network-isolation",
  theme: "ml",
  description: "SageMaker training jobs and monitoring jobs must run with network isolation.",
  source:
    "steampipe sagemaker_training_job_network_isolation_enabled; R51 of policies.md (DataQualityJobDefinition networkConfig)",
  unset:
    "Training: `enableNetworkIsolation` unset fails. Monitoring: `networkConfig.enableNetworkIsolation` unset fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.trainingJob, AWS.dataQualityJobDefinition],
  validate(r) {
    const path =
      r.type === AWS.trainingJob ? ["enableNetworkIsolation"] : ["networkConfig", "enableNetworkIsolation"];
    if (known(r.props, path) !== true) {
      r.fail(`\`${path.join(".")}\` is not true. Set it to true.`);
    }
  },
});

export const awsSagemakerInterContainerEncryption = resourceRule({
  name: "aws-sagemaker-inter-container-encryption",
  theme: "ml",
  description:
    "Distributed SageMaker training and monitoring jobs must encrypt traffic between their containers.",
  source:
    "checkov CKV_AWS_369 (data-quality job); steampipe sagemaker_training_job_inter_container_traffic_encryption_enabled",
  unset:
    "Training: `enableInterContainerTrafficEncryption` unset fails. Monitoring: `networkConfig.enableInterContainerTrafficEncryption` unset fails.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.trainingJob, AWS.dataQualityJobDefinition],
  validate(r) {
    const path =
      r.type === AWS.trainingJob
        ? ["enableInterContainerTrafficEncryption"]
        : ["networkConfig", "enableInterContainerTrafficEncryption"];
    if (known(r.props, path) !== true) {
      r.fail(`\`${path.join(".")}\` is not true. Set it to true.`);
    }
  },
});

export const awsSagemakerNotebookRootAccess = resourceRule({
  name: "aws-sagemaker-notebook-root-access",
  theme: "ml",
  description: "SageMaker notebook users must not have root access.",
  source:
    "checkov CKV_AWS_307 (SagemakerNotebookRoot); steampipe sagemaker_notebook_instance_root_access_disabled",
  unset: '`rootAccess` unset fails: the provider default is "Enabled".',
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.notebookInstance],
  validate(r) {
    const v = known<string>(r.props, "rootAccess");
    if (v !== "Disabled") {
      r.fail(`\`rootAccess\` is ${show(v ?? "unset (Enabled)")}; set it to "Disabled".`);
    }
  },
});

export const awsSagemakerNotebookImdsv2 = resourceRule({
  name: "aws-sagemaker-notebook-imdsv2",
  theme: "ml",
  description: "SageMaker notebook instances must require IMDSv2, which blocks SSRF-style credential theft.",
  source: "checkov CKV_AWS_371 (SagemakerNotebookInstanceAllowsIMDSv2)",
  unset:
    "`instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion` unset fails (IMDSv1 allowed).",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.notebookInstance],
  validate(r) {
    const v = known(r.props, [
      "instanceMetadataServiceConfiguration",
      "minimumInstanceMetadataServiceVersion",
    ]);
    if (v !== "2") {
      r.fail(
        `\`instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion\` is ${show(v ?? "unset")}; set it to "2".`,
      );
    }
  },
});

export const gcpNotebookShieldedVm = resourceRule({
  name: "gcp-notebook-shielded-vm",
  theme: "ml",
  description: "Vertex AI notebook instances must keep Shielded VM integrity monitoring and vTPM on.",
  source: "checkov CKV_GCP_126 (vTPM), CKV_GCP_127 (integrity monitoring)",
  unset: "Unset passes (both default to on); only an explicit false fails, as in checkov.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.notebooksInstance, GCP.workbenchInstance],
  validate(r) {
    const base =
      r.type === GCP.notebooksInstance ? ["shieldedInstanceConfig"] : ["gceSetup", "shieldedInstanceConfig"];
    for (const field of ["enableVtpm", "enableIntegrityMonitoring"]) {
      if (known(r.props, [...base, field]) === false) {
        r.fail(`\`${[...base, field].join(".")}\` is false. Remove it or set it to true.`);
      }
    }
  },
});

export const awsS3BucketVersioning = stackRule({
  name: "aws-s3-bucket-versioning",
  theme: "ml",
  description:
    "Every S3 bucket (datasets, features, model artifacts) must have versioning enabled through an aws.s3.BucketVersioning, so a model can always be traced to the exact bytes it was trained on and a bad write can be undone.",
  source:
    "checkov CKV_AWS_21 (S3BucketVersioning); trivy AWS-0090; Pulumi best-practices s3-bucket-versioning",
  unset:
    'A bucket without a connected BucketVersioning whose `versioningConfiguration.status` is "Enabled" fails.',
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.bucket, AWS.bucketVersioning],
  validate(s) {
    const versionings = s.ofType(AWS.bucketVersioning);
    for (const bucket of s.ofType(AWS.bucket)) {
      const mine = versionings.filter((v) => linked(v, "bucket", bucket));
      if (mine.length === 0) {
        s.fail(
          bucket,
          `bucket "${bucket.name}" has no aws.s3.BucketVersioning. Add one with status "Enabled".`,
        );
      } else if (!mine.some((v) => known(v.props, ["versioningConfiguration", "status"]) === "Enabled")) {
        s.fail(bucket, `bucket "${bucket.name}": its BucketVersioning status is not "Enabled".`);
      }
    }
  },
});

export const gcpStorageVersioning = resourceRule({
  name: "gcp-storage-versioning",
  theme: "ml",
  description:
    "Cloud Storage buckets (datasets, features, model artifacts) must have object versioning enabled.",
  source: "checkov CKV_GCP_78; Pulumi best-practices GCP bucket-versioning",
  unset: "`versioning.enabled` unset fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.bucket],
  validate(r) {
    if (known(r.props, ["versioning", "enabled"]) !== true) {
      r.fail("`versioning.enabled` is not true. Set `versioning: {enabled: true}`.");
    }
  },
});

export const bucketNoForceDestroy = resourceRule({
  name: "bucket-no-force-destroy",
  theme: "ml",
  description:
    "Artifact stores must not be deletable together with their contents by a `pulumi destroy` (forceDestroy).",
  source:
    "Own rule, derived (R57 of policies.md): `forceDestroy` of @pulumi/aws s3.Bucket, @pulumi/gcp storage.Bucket and vertex.AiFeatureStore",
  unset: "`forceDestroy` unset passes (default false).",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.bucket, GCP.bucket, GCP.aiFeatureStore],
  validate(r) {
    if (known(r.props, "forceDestroy") === true) {
      r.fail("`forceDestroy` is true, so destroying the stack deletes every object. Remove it.");
    }
  },
});

interface ProtectConfig {
  environment?: string;
}

export const artifactStoreProtected = resourceRule<ProtectConfig>({
  name: "artifact-store-protected",
  theme: "ml",
  description:
    "In production, artifact and feature stores must carry Pulumi's `protect` option, so no update or destroy can delete them without an explicit unprotect.",
  source: "Own rule, derived (R57 of policies.md): PolicyResourceOptions.protect",
  unset:
    "`protect` unset fails in production; outside production, or when the environment is unknown, the rule is not applicable.",
  severity: "high",
  enforcementLevel: "advisory",
  resourceTypes: [AWS.bucket, GCP.bucket, GCP.aiFeatureStore, GCP.artifactRepository, AZURE.storageAccount],
  configSchema: { properties: { environment: environmentConfigProperty } },
  validate(r) {
    requireProduction(r);
    if (r.args.opts.protect !== true) {
      r.fail("the resource is not protected. Pass `{ protect: true }` in its resource options.");
    }
  },
});

interface ProdCountConfig {
  environment?: string;
  minInstances: number;
}

const prodCountSchema: PolicyConfigSchema = {
  properties: {
    environment: environmentConfigProperty,
    minInstances: {
      type: "integer",
      minimum: 1,
      default: 2,
      description: "Minimum serving instances in production.",
    },
  },
};

export const awsSagemakerProdInstanceCount = resourceRule<ProdCountConfig>({
  name: "aws-sagemaker-prod-instance-count",
  theme: "ml",
  description:
    "In production, every instance-backed SageMaker production variant must start with more than one instance, so losing one does not take the model down.",
  source: "AWS Config sagemaker-endpoint-config-prod-instance-count",
  unset:
    "`initialInstanceCount` unset fails in production. Serverless variants (`serverlessConfig`) are skipped. Outside production, or with an unknown environment, not applicable.",
  severity: "high",
  enforcementLevel: "advisory",
  resourceTypes: [AWS.endpointConfiguration],
  configSchema: prodCountSchema,
  validate(r) {
    requireProduction(r);
    knownArray(r.props, "productionVariants").forEach((v, i) => {
      if (present(v, "serverlessConfig")) {
        return;
      }
      const n = known<number>(v, "initialInstanceCount");
      if (n === undefined || n < r.config.minInstances) {
        r.fail(
          `\`productionVariants[${i}].initialInstanceCount\` is ${n ?? "unset"}; production needs at least ${r.config.minInstances}.`,
        );
      }
    });
  },
});

export const azureMlProdInstanceCount = resourceRule<ProdCountConfig>({
  name: "azure-ml-prod-instance-count",
  theme: "ml",
  description: "In production, Azure ML online deployments must run more than one instance.",
  source:
    "Derived from AWS Config sagemaker-endpoint-config-prod-instance-count, applied to OnlineDeployment sku.capacity / TargetUtilization minInstances",
  unset:
    "`sku.capacity` unset (1) fails in production unless `properties.scaleSettings` is TargetUtilization with `minInstances` at the minimum.",
  severity: "high",
  enforcementLevel: "advisory",
  resourceTypes: [AZURE.mlOnlineDeployment],
  configSchema: prodCountSchema,
  validate(r) {
    requireProduction(r);
    const scaled =
      known(r.props, ["properties", "scaleSettings", "scaleType"]) === "TargetUtilization"
        ? known<number>(r.props, ["properties", "scaleSettings", "minInstances"])
        : undefined;
    const n = scaled ?? known<number>(r.props, ["sku", "capacity"]);
    if (n === undefined || n < r.config.minInstances) {
      r.fail(
        `the deployment runs ${n ?? "1 (sku.capacity unset)"} instance(s); production needs at least ${r.config.minInstances}.`,
      );
    }
  },
});

export const mlRules = [
  awsSagemakerEndpointDataCapture,
  gcpVertexEndpointRequestLogging,
  azureMlDeploymentDataCollection,
  awsSagemakerEndpointMonitored,
  endpointMonitored,
  kubernetesServingMonitored,
  awsSagemakerModelNetworkIsolation,
  awsSagemakerJobNetworkIsolation,
  awsSagemakerInterContainerEncryption,
  awsSagemakerNotebookRootAccess,
  awsSagemakerNotebookImdsv2,
  gcpNotebookShieldedVm,
  awsS3BucketVersioning,
  gcpStorageVersioning,
  bucketNoForceDestroy,
  artifactStoreProtected,
  awsSagemakerProdInstanceCount,
  azureMlProdInstanceCount,
];
