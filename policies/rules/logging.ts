/**
 * Logging and audit: S3 access logs, EKS control-plane logs, log retention, GKE logging/monitoring, GCS
 * access logs, Azure ML Application Insights.
 */
import { resourceRule, stackRule } from "../lib/rule";
import { linked } from "../lib/stack";
import { AWS, AZURE, GCP } from "../lib/types";
import { known, knownArray, present, show } from "../lib/values";

export const awsS3AccessLogging = stackRule({
  name: "aws-s3-access-logging",
  theme: "logging",
  description:
    "Every S3 bucket except log-target buckets must have server access logging (an aws.s3.BucketLogging).",
  source: "cdk-nag AwsSolutions-S1; checkov CKV_AWS_18; Pulumi best-practices s3-bucket-access-logging",
  unset:
    "A bucket with no connected BucketLogging fails, unless it is itself the `targetBucket` of a BucketLogging (a log bucket cannot usefully log to itself; checkov CKV_GCP_63 forbids self-logging).",
  severity: "medium",
  enforcementLevel: "advisory",
  resourceTypes: [AWS.bucket, AWS.bucketLogging],
  validate(s) {
    const loggings = s.ofType(AWS.bucketLogging);
    for (const bucket of s.ofType(AWS.bucket)) {
      const isTarget = loggings.some((l) => linked(l, "targetBucket", bucket));
      if (isTarget) {
        continue;
      }
      if (!loggings.some((l) => linked(l, "bucket", bucket))) {
        s.fail(
          bucket,
          `bucket "${bucket.name}" has no aws.s3.BucketLogging. Add one that targets the platform's log bucket.`,
        );
      }
    }
  },
});

const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export const awsEksControlPlaneLogging = resourceRule({
  name: "aws-eks-control-plane-logging",
  theme: "logging",
  description: "EKS clusters must send all five control-plane log types to CloudWatch.",
  source: "checkov CKV_AWS_37; cdk-nag AwsSolutions-EKS2; trivy AWS-0038",
  unset: "`enabledClusterLogTypes` unset fails (no control-plane logs).",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.eksCluster],
  validate(r) {
    const enabled = knownArray(r.props, "enabledClusterLogTypes");
    const missing = EKS_LOG_TYPES.filter((t) => !enabled.includes(t));
    if (missing.length > 0) {
      r.fail(
        `\`enabledClusterLogTypes\` lacks ${missing.join(", ")}. Enable all of ${EKS_LOG_TYPES.join(", ")}.`,
      );
    }
  },
});

interface RetentionConfig {
  minRetentionDays: number;
}

export const awsLogGroupRetention = resourceRule<RetentionConfig>({
  name: "aws-log-group-retention",
  theme: "logging",
  description: "CloudWatch log groups must set a retention period of at least the configured number of days.",
  source:
    "checkov CKV_AWS_66 (retention set), CKV_AWS_338 (at least one year); pulumi/examples aws-ts-finops cloudwatch-retention",
  unset: "`retentionInDays` unset fails: logs never expire, which is a cost and a data-minimisation problem.",
  severity: "low",
  enforcementLevel: "advisory",
  resourceTypes: [AWS.logGroup],
  configSchema: {
    properties: {
      minRetentionDays: {
        type: "integer",
        minimum: 1,
        default: 30,
        description: "Minimum retention in days.",
      },
    },
  },
  validate(r) {
    const days = known<number>(r.props, "retentionInDays");
    if (days === undefined || days === 0) {
      r.fail(`\`retentionInDays\` is not set. Set it to at least ${r.config.minRetentionDays}.`);
    } else if (days < r.config.minRetentionDays) {
      r.fail(`\`retentionInDays\` is ${days}; the minimum is ${r.config.minRetentionDays}.`);
    }
  },
});

export const gcpGkeLoggingMonitoring = resourceRule({
  name: "gcp-gke-logging-monitoring",
  theme: "logging",
  description: "GKE clusters must keep Cloud Logging and Cloud Monitoring enabled.",
  source: "checkov CKV_GCP_1 (logging), CKV_GCP_8 (monitoring)",
  unset: 'Unset passes: both default to the Kubernetes Engine services. Only "none" fails.',
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.gkeCluster],
  validate(r) {
    for (const field of ["loggingService", "monitoringService"]) {
      if (known(r.props, field) === "none") {
        r.fail(`\`${field}\` is "none". Remove it or set it to the Kubernetes Engine service.`);
      }
    }
  },
});

export const gcpStorageAccessLogging = resourceRule({
  name: "gcp-storage-access-logging",
  theme: "logging",
  description: "Cloud Storage buckets holding data or models must write usage logs to a log bucket.",
  source: "checkov CKV_GCP_62 (CloudStorageLogging)",
  unset:
    "`logging.logBucket` unset fails. A computed log bucket name (unknown in preview) counts as set; checkov returns UNKNOWN in that case.",
  severity: "low",
  enforcementLevel: "advisory",
  resourceTypes: [GCP.bucket],
  validate(r) {
    if (!present(r.props, ["logging", "logBucket"])) {
      r.fail("`logging.logBucket` is not set. Send usage logs to the platform's log bucket.");
    }
  },
});

export const azureMlDeploymentAppInsights = resourceRule({
  name: "azure-ml-deployment-app-insights",
  theme: "logging",
  description: "Azure ML online deployments must send request logs and metrics to Application Insights.",
  source:
    "Own rule, derived from checkov CKV_AZURE_4 (AKS logs to Azure Monitor) applied to ManagedOnlineDeployment.appInsightsEnabled",
  unset: "`properties.appInsightsEnabled` unset fails (service default false).",
  severity: "medium",
  enforcementLevel: "advisory",
  resourceTypes: [AZURE.mlOnlineDeployment],
  validate(r) {
    const v = known(r.props, ["properties", "appInsightsEnabled"]);
    if (v !== true) {
      r.fail(`\`properties.appInsightsEnabled\` is ${show(v ?? "unset")}; set it to true.`);
    }
  },
});

export const loggingRules = [
  awsS3AccessLogging,
  awsEksControlPlaneLogging,
  awsLogGroupRetention,
  gcpGkeLoggingMonitoring,
  gcpStorageAccessLogging,
  azureMlDeploymentAppInsights,
];
