import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../core/naming";
import { awsTags, type StandardTags } from "../../core/tags";

/** One IAM policy statement; `Resource` may hold Outputs (ARNs of resources being created). */
export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource: pulumi.Input<string> | pulumi.Input<string>[];
  Condition?: Record<string, Record<string, pulumi.Input<string | string[]>>>;
}

/** A policy document as JSON, with every nested Output resolved. */
export function policyJson(statements: pulumi.Input<Statement[]>): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * The trust policy letting one AWS service assume a role, only on behalf of this account, which
 * stops a confused deputy (docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
 */
export function serviceTrust(service: string, account: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      },
    ],
  });
}

/** A service role and its inline policy; depend on both before the service validates the role. */
export interface ServiceRole {
  role: aws.iam.Role;
  policy: aws.iam.RolePolicy;
}

/** A role that `service` assumes, with one inline least-privilege policy (no managed policies). */
export function serviceRole(
  name: string,
  service: string,
  statements: pulumi.Input<Statement[]>,
  tags: StandardTags,
  parent: pulumi.Resource,
): ServiceRole {
  const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
  const role = new aws.iam.Role(
    name,
    { assumeRolePolicy: serviceTrust(service, account), tags: awsTags(tags) },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(
    childName(name, "policy"),
    { role: role.id, policy: policyJson(statements) },
    { parent },
  );
  return { role, policy };
}

/** The KMS actions a principal needs to read and write objects encrypted with the platform key. */
export const KMS_DATA_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"];
