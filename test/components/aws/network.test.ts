import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { createPlatformKey } from "../../../components/aws/private/kms";
import { createNetwork, INTERFACE_ENDPOINTS, subnetCidr } from "../../../components/aws/private/network";
import { s3BucketPrefix, sagemakerName } from "../../../components/core/awsNaming";
import { ofType } from "../../helpers/capture";
import { childrenOf, expectStatefulProtected, expectTagged, tags } from "./helpers";

class Slice extends pulumi.ComponentResource {
  constructor(name: string, build: (self: Slice) => void) {
    super("test:index:Slice", name);
    build(this);
    this.registerOutputs({});
  }
}

new Slice("net", (self) => {
  createPlatformKey("net", { tags, protect: true }, self);
  createNetwork("net", { tags, cidrBlock: "10.42.0.0/16", zones: 2, natGateway: false }, self);
});
new Slice("nat", (self) => {
  createNetwork("nat", { tags, cidrBlock: "10.8.0.0/20", zones: 2, natGateway: true }, self);
});
new Slice("byo", (self) => {
  createNetwork(
    "byo",
    {
      tags,
      vpcId: "vpc-0123",
      subnetIds: ["subnet-01", "subnet-02"],
      cidrBlock: "10.0.0.0/16",
      zones: 2,
      natGateway: false,
    },
    self,
  );
});

describe("the platform key", () => {
  it("is a rotating symmetric key with the longest deletion window, protected", async () => {
    const [key] = await ofType("aws:kms/key:Key", "net");
    expect(key!.props).toMatchObject({
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
    });
    expect(key!.options.protect).toBe(true);
    const [alias] = await ofType("aws:kms/alias:Alias", "net");
    expect(alias!.props.namePrefix).toBe("alias/net-");
  });
});

describe("the private network", () => {
  it("has two private subnets in two zones, the S3 gateway and the interface endpoints, and no NAT", async () => {
    const children = await childrenOf("test:index:Slice", "net");
    const subnets = children.filter((c) => c.type === "aws:ec2/subnet:Subnet");
    expect(subnets.map((s) => s.props.cidrBlock)).toEqual(["10.42.0.0/20", "10.42.16.0/20"]);
    expect(subnets.map((s) => s.props.availabilityZone)).toEqual(["eu-west-1a", "eu-west-1b"]);
    for (const s of subnets) expect(s.props.mapPublicIpOnLaunch).toBe(false);
    const endpoints = children.filter((c) => c.type === "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoints.map((e) => e.props.serviceName).sort()).toEqual(
      ["s3", ...INTERFACE_ENDPOINTS].map((s) => `com.amazonaws.eu-west-1.${s}`).sort(),
    );
    for (const e of endpoints.filter((e) => e.props.vpcEndpointType === "Interface"))
      expect(e.props.privateDnsEnabled).toBe(true);
    expect(children.filter((c) => c.type === "aws:ec2/natGateway:NatGateway")).toHaveLength(0);
    expect(children.filter((c) => c.type === "aws:ec2/internetGateway:InternetGateway")).toHaveLength(0);
    const ingress = children.filter(
      (c) => c.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    );
    expect(ingress.map((i) => [i.props.fromPort, i.props.cidrIpv4])).toEqual([[443, "10.42.0.0/16"]]);
    expectStatefulProtected(children);
    expectTagged(children, tags);
  });

  it("adds one NAT gateway only when asked", async () => {
    const children = await childrenOf("test:index:Slice", "nat");
    expect(children.filter((c) => c.type === "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
    const route = children.find((c) => c.type === "aws:ec2/route:Route");
    expect(route!.props.destinationCidrBlock).toBe("0.0.0.0/0");
    expect(children.filter((c) => c.type === "aws:ec2/subnet:Subnet").map((s) => s.props.cidrBlock)).toEqual([
      "10.8.0.0/24",
      "10.8.1.0/24",
      "10.8.15.0/24",
    ]);
  });

  it("uses an existing VPC as it is, adding only the workloads' security group", async () => {
    const children = await childrenOf("test:index:Slice", "byo");
    expect(children.map((c) => c.type).sort()).toEqual([
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    ]);
  });

  it("slices CIDRs into 16 subnets", () => {
    expect(subnetCidr("10.42.0.0/16", 0)).toBe("10.42.0.0/20");
    expect(subnetCidr("10.42.0.0/16", 15)).toBe("10.42.240.0/20");
    expect(subnetCidr("172.16.4.0/22", 3)).toBe("172.16.4.192/26");
  });
});

describe("AWS physical names", () => {
  it("derives valid S3 bucket prefixes", () => {
    expect(s3BucketPrefix("Reg_Artifacts")).toBe("reg-artifacts-");
    expect(s3BucketPrefix("xn--weird")).toBe("xn-weird-");
    expect(s3BucketPrefix("sthree-data")).toBe("b-sthree-data-");
    const long = s3BucketPrefix("a-very-long-component-name-that-goes-on", "offline");
    expect(long.length).toBeLessThanOrEqual(37);
    expect(long).toMatch(/^[a-z0-9][a-z0-9-]*-[0-9a-f]{8}-$/);
  });

  it("derives SageMaker names without underscores, cut with a hash", () => {
    expect(sagemakerName(64, "fs", "customer_stats")).toBe("fs-customer-stats");
    const long = sagemakerName(20, "feature-store", "customer_transactions_daily");
    expect(long).toHaveLength(20);
    expect(long).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,19}$/);
  });
});
