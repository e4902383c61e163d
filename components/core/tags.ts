import { z } from "zod";

/** Sensitivity levels of the `data-classification` tag. */
export const DataClassification = {
  Public: "public",
  Internal: "internal",
  Confidential: "confidential",
  Restricted: "restricted",
} as const;
/** A sensitivity level of the `data-classification` tag. */
export type DataClassification = (typeof DataClassification)[keyof typeof DataClassification];

/**
 * The governance tags every resource carries. They drive cost allocation, ownership lookups and the
 * policy pack's required-tags rules, so components refuse to be built without them.
 */
export interface StandardTags {
  /** Team or person accountable for the resources, e.g. `ml-platform` or `ml-platform@example.com`. */
  owner: string;
  /** Cost centre that pays for the resources, e.g. `cc-1234`. */
  costCenter: string;
  /** Deployment environment, e.g. `dev`, `staging`, `prod` or `local`. */
  environment: string;
  /** Sensitivity of the data the resources hold or process. */
  dataClassification: DataClassification;
  /**
   * Extra tags merged after the standard ones (the standard keys win on conflict).
   * @default {}
   */
  extra?: Record<string, string>;
}

export const standardTagsSchema = z.strictObject({
  owner: z
    .string()
    .trim()
    .min(1, "owner must not be empty. Fix: name the accountable team, e.g. 'ml-platform'"),
  costCenter: z
    .string()
    .trim()
    .min(1, "costCenter must not be empty. Fix: give the cost centre that pays, e.g. 'cc-1234'"),
  environment: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{0,31}$/,
      "environment must be a short lowercase word. Fix: use e.g. 'dev', 'staging', 'prod' or 'local'",
    ),
  dataClassification: z.enum(DataClassification),
  extra: z.record(z.string(), z.string()).optional(),
});

/** The value of the `managed-by` tag on everything this library creates. */
export const MANAGED_BY = "pulumi-mlops";

/** Tag keys, in the form the policy pack checks for. */
export const TAG_KEYS = {
  owner: "owner",
  costCenter: "cost-center",
  environment: "environment",
  dataClassification: "data-classification",
  managedBy: "managed-by",
} as const;

function canonical(tags: StandardTags): Record<string, string> {
  return {
    ...(tags.extra ?? {}),
    [TAG_KEYS.owner]: tags.owner,
    [TAG_KEYS.costCenter]: tags.costCenter,
    [TAG_KEYS.environment]: tags.environment,
    [TAG_KEYS.dataClassification]: tags.dataClassification,
    [TAG_KEYS.managedBy]: MANAGED_BY,
  };
}

function mapEntries(
  record: Record<string, string>,
  key: (k: string) => string,
  value: (v: string) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) out[key(k)] = value(v);
  return out;
}

/**
 * AWS tags: keys up to 128 and values up to 256 Unicode characters from letters, digits, spaces and
 * `_ . : / = + - @`; the `aws:` prefix is reserved.
 * (docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions)
 */
export function awsTags(tags: StandardTags): Record<string, string> {
  const clean = (s: string, max: number) => s.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, "_").slice(0, max);
  return mapEntries(
    canonical(tags),
    (k) => clean(k.replace(/^aws:/i, ""), 128),
    (v) => clean(v, 256),
  );
}

/**
 * GCP labels: keys and values at most 63 characters of lowercase letters, digits, `_` and `-`; keys
 * start with a letter. (cloud.google.com/resource-manager/docs/labels-overview#requirements)
 * Anything else is lowercased and replaced by `_`, so `ml@example.com` becomes `ml_example_com`.
 */
export function gcpLabels(tags: StandardTags): Record<string, string> {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, "_")
      .slice(0, 63);
  return mapEntries(
    canonical(tags),
    (k) => {
      const c = clean(k);
      return /^[a-z]/.test(c) ? c : `l${c}`.slice(0, 63);
    },
    clean,
  );
}

/**
 * Azure tags: names up to 512 characters without `< > % & \ ? /`, values up to 256 characters.
 * (learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations)
 */
export function azureTags(tags: StandardTags): Record<string, string> {
  return mapEntries(
    canonical(tags),
    (k) => k.replace(/[<>%&\\?/]/g, "_").slice(0, 512),
    (v) => v.slice(0, 256),
  );
}

/** A Kubernetes label value: at most 63 characters, alphanumeric at both ends, `-_.` inside. */
export function kubernetesLabelValue(value: string): string {
  return value
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

/**
 * Kubernetes labels: selectable, so values are normalised to the label syntax
 * (kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set).
 * The standard `app.kubernetes.io/managed-by` label is set as well.
 */
export function kubernetesLabels(tags: StandardTags): Record<string, string> {
  const labels = mapEntries(canonical(tags), (k) => k, kubernetesLabelValue);
  labels["app.kubernetes.io/managed-by"] = MANAGED_BY;
  return labels;
}

/** The annotation prefix under which the exact (un-normalised) tag values are kept. */
export const ANNOTATION_PREFIX = "pulumi-mlops";

/** Kubernetes annotations keep the exact tag values that labels had to normalise, e.g. an e-mail owner. */
export function kubernetesAnnotations(tags: StandardTags): Record<string, string> {
  return mapEntries(
    canonical(tags),
    (k) => `${ANNOTATION_PREFIX}/${k}`,
    (v) => v,
  );
}
