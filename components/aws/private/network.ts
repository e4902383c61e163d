import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../core/naming";
import { awsTags, type StandardTags } from "../../core/tags";

/**
 * Interface VPC endpoints of the private network: what SageMaker endpoints, Batch/ECS tasks and the
 * drift job call with no route to the internet. Service names are `com.amazonaws.<region>.<suffix>`
 * (docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html); ECR needs both
 * `ecr.api` and `ecr.dkr` plus the S3 gateway for image layers
 * (docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html).
 */
export const INTERFACE_ENDPOINTS = [
  "sagemaker.api",
  "sagemaker.runtime",
  "ecr.api",
  "ecr.dkr",
  "logs",
  "sts",
  // CloudWatch metrics (the drift job's PutMetricData) and EventBridge (its drift event).
  "monitoring",
  "events",
] as const;

/** Options of {@link createNetwork}. */
export interface NetworkOptions {
  /** Governance tags. */
  tags: StandardTags;
  /** An existing VPC; with `subnetIds`, nothing but a security group is created. */
  vpcId?: pulumi.Input<string>;
  /** Existing private subnets (at least two, in different availability zones). */
  subnetIds?: pulumi.Input<string>[];
  /** CIDR of a created VPC (a /16 to /24); subnets are /+4 slices of it. */
  cidrBlock: string;
  /** Availability zones of a created network. */
  zones: number;
  /** Create one NAT gateway (in a public subnet of the first zone) for egress to the internet. */
  natGateway: boolean;
}

/** What the rest of the AWS slice runs in. */
export interface Network {
  vpcId: pulumi.Input<string>;
  /** Private subnets, one per availability zone. */
  subnetIds: pulumi.Input<string>[];
  /** Security group of the platform's workloads (SageMaker models, Batch, the drift job): egress only. */
  securityGroupId: pulumi.Output<string>;
}

/** The `index`-th slice of `cidr` with 4 more prefix bits (16 slices), e.g. 10.42.0.0/16 → 10.42.16.0/20 for 1. */
export function subnetCidr(cidr: string, index: number): string {
  const [ip, bits] = cidr.split("/");
  const prefix = Number(bits);
  const base = ip!.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const start = base + index * 2 ** (32 - prefix - 4);
  const octets = [24, 16, 8, 0].map((s) => Math.floor(start / 2 ** s) % 256);
  return `${octets.join(".")}/${prefix + 4}`;
}

/**
 * The platform's network. With `vpcId` and `subnetIds` it uses them as they are. Otherwise it
 * creates a small private network: a VPC, one private subnet per zone (no public IPs), a route table
 * with the S3 gateway endpoint, the interface endpoints above behind a security group that accepts
 * HTTPS from the VPC only, and no NAT gateway unless `natGateway` is set.
 */
export function createNetwork(name: string, options: NetworkOptions, parent: pulumi.Resource): Network {
  const tags = awsTags(options.tags);
  const opts = { parent };
  if (options.vpcId !== undefined && options.subnetIds !== undefined) {
    const sg = workloadSecurityGroup(name, options.vpcId, tags, opts);
    new aws.vpc.SecurityGroupEgressRule(
      childName(name, "workloads-https"),
      { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", tags },
      opts,
    );
    return { vpcId: options.vpcId, subnetIds: options.subnetIds, securityGroupId: sg.id };
  }
  const vpc = new aws.ec2.Vpc(
    childName(name, "vpc"),
    // Interface endpoints with private DNS need both DNS attributes on
    // (docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html#prerequisites-interface-endpoints).
    { cidrBlock: options.cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags },
    opts,
  );
  const zones = aws.getAvailabilityZonesOutput({ state: "available" }, opts).names;
  const routes = new aws.ec2.RouteTable(childName(name, "private"), { vpcId: vpc.id, tags }, opts);
  const subnets: aws.ec2.Subnet[] = [];
  for (let i = 0; i < options.zones; i++) {
    const subnet = new aws.ec2.Subnet(
      childName(name, "private", String(i)),
      {
        vpcId: vpc.id,
        cidrBlock: subnetCidr(options.cidrBlock, i),
        availabilityZone: zones.apply((z) => z[i]!),
        mapPublicIpOnLaunch: false,
        tags: { ...tags, Name: `${name}-private-${i}` },
      },
      opts,
    );
    new aws.ec2.RouteTableAssociation(
      childName(name, "private", String(i)),
      { routeTableId: routes.id, subnetId: subnet.id },
      opts,
    );
    subnets.push(subnet);
  }
  const region = aws.getRegionOutput({}, opts).region;
  const s3 = new aws.ec2.VpcEndpoint(
    childName(name, "s3"),
    {
      vpcId: vpc.id,
      serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [routes.id],
      tags,
    },
    opts,
  );
  const endpointSg = new aws.ec2.SecurityGroup(
    childName(name, "endpoints"),
    { vpcId: vpc.id, description: "HTTPS from the VPC to the AWS service endpoints", tags },
    opts,
  );
  new aws.vpc.SecurityGroupIngressRule(
    childName(name, "endpoints-https"),
    {
      securityGroupId: endpointSg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: options.cidrBlock,
      tags,
    },
    opts,
  );
  for (const service of INTERFACE_ENDPOINTS) {
    new aws.ec2.VpcEndpoint(
      childName(name, service.replace(".", "-")),
      {
        vpcId: vpc.id,
        serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: subnets.map((s) => s.id),
        securityGroupIds: [endpointSg.id],
        tags,
      },
      opts,
    );
  }
  const sg = workloadSecurityGroup(name, vpc.id, tags, opts);
  new aws.vpc.SecurityGroupEgressRule(
    childName(name, "workloads-endpoints"),
    {
      securityGroupId: sg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: options.cidrBlock,
      tags,
    },
    opts,
  );
  new aws.vpc.SecurityGroupEgressRule(
    childName(name, "workloads-s3"),
    {
      securityGroupId: sg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      prefixListId: s3.prefixListId,
      tags,
    },
    opts,
  );
  if (options.natGateway) natEgress(name, vpc, routes, sg, options.cidrBlock, tags, parent);
  return { vpcId: vpc.id, subnetIds: subnets.map((s) => s.id), securityGroupId: sg.id };
}

function workloadSecurityGroup(
  name: string,
  vpcId: pulumi.Input<string>,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
  // No inline rules: the rule resources below own them, and the group starts with no egress at all.
  return new aws.ec2.SecurityGroup(
    childName(name, "workloads"),
    { vpcId, description: "pulumi-mlops workloads: HTTPS egress only", tags },
    opts,
  );
}

/** A public subnet in the first zone with an internet gateway and one NAT gateway, routed from the private subnets. */
function natEgress(
  name: string,
  vpc: aws.ec2.Vpc,
  privateRoutes: aws.ec2.RouteTable,
  sg: aws.ec2.SecurityGroup,
  cidr: string,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): void {
  const opts = { parent };
  const igw = new aws.ec2.InternetGateway(childName(name, "igw"), { vpcId: vpc.id, tags }, opts);
  const zones = aws.getAvailabilityZonesOutput({ state: "available" }, opts).names;
  const publicSubnet = new aws.ec2.Subnet(
    childName(name, "public", "0"),
    {
      vpcId: vpc.id,
      cidrBlock: subnetCidr(cidr, 15),
      availabilityZone: zones.apply((z) => z[0]!),
      mapPublicIpOnLaunch: false,
      tags: { ...tags, Name: `${name}-public-0` },
    },
    opts,
  );
  const publicRoutes = new aws.ec2.RouteTable(
    childName(name, "public"),
    { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags },
    opts,
  );
  new aws.ec2.RouteTableAssociation(
    childName(name, "public", "0"),
    { routeTableId: publicRoutes.id, subnetId: publicSubnet.id },
    opts,
  );
  const eip = new aws.ec2.Eip(childName(name, "nat"), { domain: "vpc", tags }, opts);
  const nat = new aws.ec2.NatGateway(
    childName(name, "nat"),
    { allocationId: eip.id, subnetId: publicSubnet.id, tags },
    { parent, dependsOn: [igw] },
  );
  new aws.ec2.Route(
    childName(name, "private-default"),
    { routeTableId: privateRoutes.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id },
    opts,
  );
  new aws.vpc.SecurityGroupEgressRule(
    childName(name, "workloads-internet"),
    { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", tags },
    opts,
  );
}
