/**
 * Answers for the provider functions that platform programs commonly call. The offline run has no
 * cloud account, so these return fixed, obviously fake identities derived from stack config; any
 * other invoke gets an empty result and is listed in the preview's report.
 */
export function invokeResult(
  token: string,
  _inputs: Record<string, unknown>,
  config: Record<string, string>,
): Record<string, unknown> | undefined {
  const awsRegion = config["aws:region"] ?? "us-east-1";
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: "000000000000",
        arn: "arn:aws:iam::000000000000:user/offline-preview",
        userId: "OFFLINEPREVIEW",
        id: "000000000000",
      };
    case "aws:index/getRegion:getRegion":
      return { name: awsRegion, region: awsRegion, id: awsRegion, description: awsRegion, endpoint: "" };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return {
        names: ["a", "b", "c"].map((z) => `${awsRegion}${z}`),
        zoneIds: ["1", "2", "3"].map((z) => `use1-az${z}`),
        id: awsRegion,
      };
    case "gcp:organizations/getProject:getProject":
      return {
        projectId: config["gcp:project"] ?? "offline-project",
        number: "000000000000",
        name: "offline",
      };
    case "gcp:organizations/getClientConfig:getClientConfig":
      return { project: config["gcp:project"] ?? "offline-project", region: config["gcp:region"] ?? "" };
    case "azure-native:authorization:getClientConfig":
      return {
        clientId: "00000000-0000-0000-0000-000000000000",
        objectId: "00000000-0000-0000-0000-000000000000",
        subscriptionId: config["azure-native:subscriptionId"] ?? "00000000-0000-0000-0000-000000000000",
        tenantId: "00000000-0000-0000-0000-000000000000",
      };
    default:
      return undefined;
  }
}
