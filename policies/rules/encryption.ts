/**
 * Encryption at rest (customer-managed keys, key rotation) and in transit (TLS, HTTPS-only).
 *
 * Presence checks only: a key reference such as `kmsKeyId: key.arn` is unknown during preview, and is still a
 * key. Checks that need a literal (an algorithm, a TLS version) let the proxy's "can't run during preview"
 * stand instead of guessing.
 */
import { resourceRule, stackRule } from "../lib/rule";
import { linked } from "../lib/stack";
import { AWS, AZURE, GCP } from "../lib/types";
import { known, knownArray, present, show } from "../lib/values";

export const awsSagemakerNotebookKms = resourceRule({
  name: "aws-sagemaker-notebook-kms",
  theme: "encryption",
  description:
    "SageMaker notebook instances and Studio domains must encrypt their storage with a customer-managed KMS key, so access to notebook data is governed by a key policy.",
  source: "checkov CKV_AWS_22 (notebook), CKV_AWS_187 (domain); cdk-nag AwsSolutions-SM2",
  unset: "`kmsKeyId` unset fails: SageMaker then uses an AWS-managed key.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.notebookInstance, AWS.sagemakerDomain],
  validate(r) {
    if (!present(r.props, "kmsKeyId")) {
      r.fail("`kmsKeyId` is not set. Set it to the ARN or id of a customer-managed KMS key.");
    }
  },
});

export const awsSagemakerEndpointConfigKms = resourceRule({
  name: "aws-sagemaker-endpoint-config-kms",
  theme: "encryption",
  description:
    "SageMaker endpoint configurations must encrypt the ML storage volumes attached to the serving instances with a customer-managed KMS key.",
  source:
    "checkov CKV_AWS_98; cdk-nag SageMakerEndpointConfigurationKMSKeyConfigured (HIPAA, NIST 800-53, PCI packs)",
  unset: "`kmsKeyArn` unset fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.endpointConfiguration],
  validate(r) {
    if (!present(r.props, "kmsKeyArn")) {
      r.fail("`kmsKeyArn` is not set. Set it to a customer-managed KMS key ARN.");
    }
  },
});

export const awsSagemakerMonitoringJobKms = resourceRule({
  name: "aws-sagemaker-monitoring-job-kms",
  theme: "encryption",
  description:
    "SageMaker data-quality monitoring jobs must encrypt their output and their processing volume with a customer-managed KMS key: both hold captured inference data.",
  source: "checkov CKV_AWS_367 (output), CKV_AWS_368 (volume)",
  unset: "`dataQualityJobOutputConfig.kmsKeyId` or `jobResources.clusterConfig.volumeKmsKeyId` unset fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.dataQualityJobDefinition],
  validate(r) {
    if (!present(r.props, ["dataQualityJobOutputConfig", "kmsKeyId"])) {
      r.fail("`dataQualityJobOutputConfig.kmsKeyId` is not set. Set it to a customer-managed KMS key.");
    }
    if (!present(r.props, ["jobResources", "clusterConfig", "volumeKmsKeyId"])) {
      r.fail("`jobResources.clusterConfig.volumeKmsKeyId` is not set. Set it to a customer-managed KMS key.");
    }
  },
});

export const awsSagemakerTrainingJobKms = resourceRule({
  name: "aws-sagemaker-training-job-kms",
  theme: "encryption",
  description:
    "SageMaker training jobs must encrypt model artifacts (output) and the training volume with a customer-managed KMS key.",
  source:
    "steampipe aws-compliance `sagemaker_training_job_volume_and_data_encryption_enabled` (turbot/steampipe-mod-aws-compliance conformance_pack/sagemaker.pp)",
  unset:
    "`outputDataConfig.kmsKeyId` unset fails. `resourceConfig.volumeKmsKeyId` unset fails too, except for instance types whose storage is local NVMe (ml.p4d, ml.p5, ml.g5, ml.trn1…), where AWS rejects a volume key and encrypts the instance store itself.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.trainingJob],
  validate(r) {
    if (!present(r.props, ["outputDataConfig", "kmsKeyId"])) {
      r.fail("`outputDataConfig.kmsKeyId` is not set. Set it to a customer-managed KMS key.");
    }
    if (!present(r.props, ["resourceConfig", "volumeKmsKeyId"])) {
      const instanceType = known<string>(r.props, ["resourceConfig", "instanceType"]) ?? "";
      if (!/^ml\.(p4d|p4de|p5|p5e|p5en|g5|g6|g6e|trn1|trn1n|trn2|inf2)\./.test(instanceType)) {
        r.fail("`resourceConfig.volumeKmsKeyId` is not set. Set it to a customer-managed KMS key.");
      }
    }
  },
});

const KMS_ALGORITHMS = new Set(["aws:kms", "aws:kms:dsse"]);

export const awsS3BucketKmsEncryption = stackRule({
  name: "aws-s3-bucket-kms-encryption",
  theme: "encryption",
  description:
    "Every S3 bucket must have a BucketServerSideEncryptionConfiguration that uses SSE-KMS (`aws:kms` or `aws:kms:dsse`), so object access is also governed by a key policy.",
  source:
    "checkov CKV_AWS_145 (S3KMSEncryptedByDefault), CKV_AWS_19; trivy AWS-0088/AWS-0132; Pulumi best-practices `s3-bucket-encryption`",
  unset:
    "A bucket with no connected encryption configuration fails (S3's default SSE-S3 is not a customer-managed key). The link is the configuration's `bucket` property dependency, or equal bucket names when both are known.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.bucket, AWS.bucketSse],
  validate(s) {
    const configs = s.ofType(AWS.bucketSse);
    for (const bucket of s.ofType(AWS.bucket)) {
      const mine = configs.filter((c) => linked(c, "bucket", bucket));
      if (mine.length === 0) {
        s.fail(
          bucket,
          `bucket "${bucket.name}" has no aws.s3.BucketServerSideEncryptionConfiguration. Add one with sseAlgorithm "aws:kms" and a kmsMasterKeyId.`,
        );
        continue;
      }
      for (const config of mine) {
        for (const rule of knownArray(config.props, "rules")) {
          const algorithm = known<string>(rule, ["applyServerSideEncryptionByDefault", "sseAlgorithm"]);
          if (!algorithm || !KMS_ALGORITHMS.has(algorithm)) {
            s.fail(
              bucket,
              `bucket "${bucket.name}": encryption configuration "${config.name}" uses sseAlgorithm ${show(algorithm ?? "(unset)")}; use "aws:kms" or "aws:kms:dsse".`,
            );
          }
        }
      }
    }
  },
});

export const awsEksSecretsEncryption = resourceRule({
  name: "aws-eks-secrets-encryption",
  theme: "encryption",
  description: "EKS clusters must envelope-encrypt Kubernetes Secrets with a KMS key.",
  source:
    "checkov CKV_AWS_58; trivy AWS-0039; compliance-policies aws-eks-cluster-enable-cluster-encryption-config",
  unset:
    "`encryptionConfig` unset fails; `encryptionConfig.resources` must include `secrets` and `provider.keyArn` must be set.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.eksCluster],
  validate(r) {
    if (!present(r.props, "encryptionConfig")) {
      r.fail(
        '`encryptionConfig` is not set. Set `encryptionConfig: {resources: ["secrets"], provider: {keyArn}}`.',
      );
      return;
    }
    const resources = knownArray(r.props, ["encryptionConfig", "resources"]);
    if (!resources.includes("secrets")) {
      r.fail(`\`encryptionConfig.resources\` is ${show(resources)}; it must include "secrets".`);
    }
    if (!present(r.props, ["encryptionConfig", "provider", "keyArn"])) {
      r.fail("`encryptionConfig.provider.keyArn` is not set. Set it to a KMS key ARN.");
    }
  },
});

export const awsKmsKeyRotation = resourceRule({
  name: "aws-kms-key-rotation",
  theme: "encryption",
  description: "Symmetric customer-managed KMS keys must have automatic key rotation enabled.",
  source:
    "checkov CKV_AWS_7; cdk-nag AwsSolutions-KMS5; awsguard cmk-backing-key-rotation-enabled; trivy AWS-0065",
  unset:
    "`enableKeyRotation` unset fails (the provider default is false). Asymmetric and HMAC keys cannot rotate and are not applicable, as in checkov.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: [AWS.kmsKey],
  remediation:
    "Sets `enableKeyRotation: true` on symmetric keys; rotation keeps old key material, so nothing breaks.",
  validate(r) {
    const spec = known<string>(r.props, "customerMasterKeySpec") ?? "SYMMETRIC_DEFAULT";
    if (spec !== "SYMMETRIC_DEFAULT") {
      r.args.notApplicable(`key spec ${spec} does not support automatic rotation`);
    }
    if (known(r.props, "enableKeyRotation") !== true) {
      r.fail("`enableKeyRotation` is not true. Set `enableKeyRotation: true`.");
    }
  },
  remediate(r) {
    const spec = known<string>(r.props, "customerMasterKeySpec") ?? "SYMMETRIC_DEFAULT";
    if (spec !== "SYMMETRIC_DEFAULT" || known(r.props, "enableKeyRotation") === true) {
      return undefined;
    }
    return { ...r.props, enableKeyRotation: true };
  },
});

export const awsLogGroupKms = resourceRule({
  name: "aws-log-group-kms",
  theme: "encryption",
  description:
    "CloudWatch log groups must be encrypted with a customer-managed KMS key: serving and training logs can contain features and predictions.",
  source: "checkov CKV_AWS_158",
  unset: "`kmsKeyId` unset fails.",
  severity: "medium",
  enforcementLevel: "advisory",
  resourceTypes: [AWS.logGroup],
  validate(r) {
    if (!present(r.props, "kmsKeyId")) {
      r.fail("`kmsKeyId` is not set. Set it to a customer-managed KMS key ARN.");
    }
  },
});

export const gcpVertexCmek = resourceRule({
  name: "gcp-vertex-cmek",
  theme: "encryption",
  description:
    "Vertex AI datasets, endpoints, feature stores, metadata stores and TensorBoards must be encrypted with a customer-managed Cloud KMS key.",
  source:
    "checkov CKV_GCP_92 (dataset), CKV_GCP_96 (metadata store), CKV2_GCP_24 (endpoint), CKV2_GCP_25 (feature store), CKV2_GCP_26 (tensorboard)",
  unset: "`encryptionSpec.kmsKeyName` unset fails (Google-managed encryption).",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.aiDataset, GCP.aiEndpoint, GCP.aiFeatureStore, GCP.aiMetadataStore, GCP.aiTensorboard],
  validate(r) {
    if (!present(r.props, ["encryptionSpec", "kmsKeyName"])) {
      r.fail("`encryptionSpec.kmsKeyName` is not set. Set it to a Cloud KMS crypto key id.");
    }
  },
});

export const gcpWorkbenchCmek = resourceRule({
  name: "gcp-workbench-cmek",
  theme: "encryption",
  description:
    "Vertex AI Workbench and user-managed notebook instances must encrypt their boot and data disks with a customer-managed key (diskEncryption CMEK and a kmsKey).",
  source: "checkov CKV2_GCP_21 (notebooks instance), CKV2_GCP_27 (workbench instance)",
  unset: "`diskEncryption` unset means GMEK (Google-managed) and fails; so does an unset `kmsKey`.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.workbenchInstance, GCP.notebooksInstance],
  validate(r) {
    const disks: [string, string[]][] =
      r.type === GCP.notebooksInstance
        ? [["", []]]
        : [
            ["gceSetup.bootDisk.", ["gceSetup", "bootDisk"]],
            ...(present(r.props, ["gceSetup", "dataDisks"])
              ? ([["gceSetup.dataDisks.", ["gceSetup", "dataDisks"]]] as [string, string[]][])
              : []),
          ];
    for (const [label, path] of disks) {
      const mode = known<string>(r.props, [...path, "diskEncryption"]);
      if (mode !== "CMEK") {
        r.fail(`\`${label}diskEncryption\` is ${show(mode ?? "unset (GMEK)")}; set it to "CMEK".`);
      }
      if (!present(r.props, [...path, "kmsKey"])) {
        r.fail(`\`${label}kmsKey\` is not set. Set it to a Cloud KMS crypto key id.`);
      }
    }
  },
});

export const gcpBigqueryCmek = resourceRule({
  name: "gcp-bigquery-cmek",
  theme: "encryption",
  description:
    "BigQuery datasets and tables holding features or training data must be encrypted with a customer-managed key.",
  source: "checkov CKV_GCP_81 (dataset), CKV_GCP_80 (table)",
  unset:
    "A dataset without `defaultEncryptionConfiguration.kmsKeyName` fails; a table without `encryptionConfiguration.kmsKeyName` fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [GCP.bigqueryDataset, GCP.bigqueryTable],
  validate(r) {
    const path =
      r.type === GCP.bigqueryDataset
        ? ["defaultEncryptionConfiguration", "kmsKeyName"]
        : ["encryptionConfiguration", "kmsKeyName"];
    if (!present(r.props, path)) {
      r.fail(`\`${path.join(".")}\` is not set. Set it to a Cloud KMS crypto key id.`);
    }
  },
});

export const azureStorageHttpsOnly = resourceRule({
  name: "azure-storage-https-only",
  theme: "encryption",
  description: "Azure storage accounts must refuse plain-HTTP traffic (secure transfer required).",
  source: "checkov CKV_AZURE_3",
  unset:
    "`enableHttpsTrafficOnly` unset passes: the service default is true (checkov passes it too). Only an explicit false fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AZURE.storageAccount],
  remediation: "Sets `enableHttpsTrafficOnly: true` when it is explicitly false.",
  validate(r) {
    if (known(r.props, "enableHttpsTrafficOnly") === false) {
      r.fail("`enableHttpsTrafficOnly` is false. Set it to true (or leave it unset).");
    }
  },
  remediate(r) {
    return known(r.props, "enableHttpsTrafficOnly") === false
      ? { ...r.props, enableHttpsTrafficOnly: true }
      : undefined;
  },
});

const TLS_OK = new Set(["TLS1_2", "TLS1_3"]);

export const azureStorageMinTls = resourceRule({
  name: "azure-storage-min-tls",
  theme: "encryption",
  description: "Azure storage accounts must require TLS 1.2 or later.",
  source: "checkov CKV_AZURE_44; trivy AZU-0011",
  unset: "`minimumTlsVersion` unset fails, as in checkov (older API versions defaulted to TLS1_0).",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AZURE.storageAccount],
  remediation: 'Sets `minimumTlsVersion: "TLS1_2"` when it is unset or lower.',
  validate(r) {
    const version = known<string>(r.props, "minimumTlsVersion");
    if (!version || !TLS_OK.has(version)) {
      r.fail(`\`minimumTlsVersion\` is ${show(version ?? "unset")}; set it to "TLS1_2" or "TLS1_3".`);
    }
  },
  remediate(r) {
    const version = known<string>(r.props, "minimumTlsVersion");
    return version && TLS_OK.has(version) ? undefined : { ...r.props, minimumTlsVersion: "TLS1_2" };
  },
});

export const azureKeyVaultPurgeProtection = resourceRule({
  name: "azure-keyvault-purge-protection",
  theme: "encryption",
  description:
    "Key vaults holding the platform's encryption keys must have purge protection, so a deleted key (and every artifact encrypted with it) can be recovered.",
  source: "checkov CKV_AZURE_110, CKV_AZURE_42; trivy AZU-0016",
  unset:
    "`properties.enablePurgeProtection` unset fails. No remediation: purge protection can never be turned off again, so it must be a deliberate choice.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: [AZURE.keyVault],
  validate(r) {
    if (known(r.props, ["properties", "enablePurgeProtection"]) !== true) {
      r.fail("`properties.enablePurgeProtection` is not true. Set it to true.");
    }
    if (known(r.props, ["properties", "enableSoftDelete"]) === false) {
      r.fail("`properties.enableSoftDelete` is false; purge protection requires soft delete.");
    }
  },
});

export const encryptionRules = [
  awsSagemakerNotebookKms,
  awsSagemakerEndpointConfigKms,
  awsSagemakerMonitoringJobKms,
  awsSagemakerTrainingJobKms,
  awsS3BucketKmsEncryption,
  awsEksSecretsEncryption,
  awsKmsKeyRotation,
  awsLogGroupKms,
  gcpVertexCmek,
  gcpWorkbenchCmek,
  gcpBigqueryCmek,
  azureStorageHttpsOnly,
  azureStorageMinTls,
  azureKeyVaultPurgeProtection,
];
