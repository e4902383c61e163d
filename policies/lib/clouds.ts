/**
 * Which cloud a resource type token belongs to, and where that cloud keeps a resource's tags or labels.
 */

/** The clouds the pack knows about. */
export type Cloud = "aws" | "gcp" | "azure" | "kubernetes";

/** The cloud of a Pulumi type token (`aws:s3/bucket:Bucket` → `aws`), or undefined for anything else. */
export function cloudOf(type: string): Cloud | undefined {
  if (type.startsWith("aws:") || type === "pulumi:providers:aws") {
    return "aws";
  }
  if (type.startsWith("gcp:") || type === "pulumi:providers:gcp") {
    return "gcp";
  }
  if (type.startsWith("azure-native:") || type === "pulumi:providers:azure-native") {
    return "azure";
  }
  if (type.startsWith("kubernetes:") || type === "pulumi:providers:kubernetes") {
    return "kubernetes";
  }
  return undefined;
}

/**
 * The property that holds a resource's own tags/labels:
 * AWS and Azure `tags`; GCP `labels` (GKE clusters `resourceLabels`); Kubernetes `metadata.labels`.
 */
export function labelPath(type: string): readonly string[] | undefined {
  switch (cloudOf(type)) {
    case "aws":
    case "azure":
      return ["tags"];
    case "gcp":
      return type === "gcp:container/cluster:Cluster" ? ["resourceLabels"] : ["labels"];
    case "kubernetes":
      return ["metadata", "labels"];
    default:
      return undefined;
  }
}

/**
 * The map where exemptions live: the tags/labels map, except on Kubernetes where they are annotations
 * (labels are for selection; annotations hold free text such as a reason).
 */
export function exemptionMapPath(type: string): readonly string[] | undefined {
  return cloudOf(type) === "kubernetes" ? ["metadata", "annotations"] : labelPath(type);
}
