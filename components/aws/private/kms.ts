import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../core/naming";
import { statefulOptions } from "../../core/protection";
import { awsTags, type StandardTags } from "../../core/tags";

/** Options of {@link createPlatformKey}. */
export interface PlatformKeyOptions {
  /** Governance tags. */
  tags: StandardTags;
  /** Protect the key (`protect` + `retainOnDelete`). */
  protect: boolean;
  /**
   * Days KMS waits before deleting a key scheduled for deletion (7–30).
   * @default 30 (the maximum: a key deleted by mistake makes every object it encrypted unreadable)
   */
  deletionWindowInDays?: number;
}

/** The key policy statements that let AWS services use the key for the platform's logs, topics and budgets. */
function keyPolicy(): pulumi.Output<string> {
  const account = aws.getCallerIdentityOutput({}).accountId;
  const partition = aws.getPartitionOutput({}).partition;
  const region = aws.getRegionOutput({}).region;
  return pulumi.all([account, partition, region]).apply(([acct, part, reg]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          // Lets IAM policies in the account grant use of the key; without it only the key policy
          // could (docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam).
          Sid: "EnableIamPolicies",
          Effect: "Allow",
          Principal: { AWS: `arn:${part}:iam::${acct}:root` },
          Action: "kms:*",
          Resource: "*",
        },
        {
          // CloudWatch Logs encrypts log groups with the key, scoped to this account's log groups
          // (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
          Sid: "CloudWatchLogs",
          Effect: "Allow",
          Principal: { Service: `logs.${reg}.amazonaws.com` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: {
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${part}:logs:${reg}:${acct}:*` },
          },
        },
        {
          // EBS volumes of Batch and EKS GPU nodes, created by EC2 on behalf of any principal of the
          // account allowed to use EBS: the grant pattern of the AWS-managed aws/ebs key
          // (docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
          Sid: "EbsThroughEc2",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:CreateGrant",
            "kms:DescribeKey",
          ],
          Resource: "*",
          Condition: {
            StringEquals: { "kms:CallerAccount": acct, "kms:ViaService": `ec2.${reg}.amazonaws.com` },
          },
        },
        {
          // CloudWatch alarms, AWS Budgets and EventBridge publish to the KMS-encrypted SNS topic
          // (docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services,
          // docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html).
          Sid: "ServicesPublishToEncryptedTopics",
          Effect: "Allow",
          Principal: {
            Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com", "events.amazonaws.com"],
          },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": acct } },
        },
      ],
    }),
  );
}

/**
 * The platform's customer-managed KMS key: one symmetric key with yearly automatic rotation, used
 * by every bucket, volume, topic, log group and endpoint of the AWS slice. Protected, with the
 * longest deletion window. An alias (`alias/<name>-…`, auto-named) makes it findable in the console.
 */
export function createPlatformKey(
  name: string,
  options: PlatformKeyOptions,
  parent: pulumi.Resource,
): { key: aws.kms.Key; alias: aws.kms.Alias } {
  const key = new aws.kms.Key(
    childName(name, "key"),
    {
      description: `pulumi-mlops platform key for ${name}`,
      // Rotation yearly, the default period once enabled
      // (docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html).
      enableKeyRotation: true,
      deletionWindowInDays: options.deletionWindowInDays ?? 30,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      policy: keyPolicy(),
      tags: awsTags(options.tags),
    },
    statefulOptions({ parent }, options.protect),
  );
  const alias = new aws.kms.Alias(
    childName(name, "key"),
    { namePrefix: `alias/${name}-`, targetKeyId: key.keyId },
    { parent },
  );
  return { key, alias };
}
