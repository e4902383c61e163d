import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "../../../core/naming";

/**
 * A launch template for GPU nodes: the root volume encrypted with the platform key (gp3) and
 * IMDSv2 required with a hop limit of 2 so containers can reach it through the node
 * (docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html).
 * `/dev/xvda` is the root device of the ECS- and EKS-optimized Amazon Linux AMIs.
 */
export function gpuLaunchTemplate(
  name: string,
  kmsKeyArn: pulumi.Input<string>,
  volumeGiB: number,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): aws.ec2.LaunchTemplate {
  return new aws.ec2.LaunchTemplate(
    name,
    {
      updateDefaultVersion: true,
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            encrypted: "true",
            kmsKeyId: kmsKeyArn,
            volumeSize: volumeGiB,
            volumeType: "gp3",
            deleteOnTermination: "true",
          },
        },
      ],
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
      tagSpecifications: [
        { resourceType: "instance", tags },
        { resourceType: "volume", tags },
      ],
      tags,
    },
    { parent },
  );
}

/** The ECS container-instance role and instance profile of Batch GPU nodes. */
export function batchInstanceProfile(
  name: string,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): aws.iam.InstanceProfile {
  const partition = aws.getPartitionOutput({}, { parent }).partition;
  const role = new aws.iam.Role(
    childName(name, "instance"),
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
      tags,
    },
    { parent },
  );
  // The ECS agent's own policy, as Batch requires for EC2 compute environments
  // (docs.aws.amazon.com/batch/latest/userguide/instance_IAM_role.html).
  new aws.iam.RolePolicyAttachment(
    childName(name, "instance"),
    {
      role: role.name,
      policyArn: partition.apply(
        (p) => `arn:${p}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role`,
      ),
    },
    { parent },
  );
  return new aws.iam.InstanceProfile(childName(name, "instance"), { role: role.name, tags }, { parent });
}
