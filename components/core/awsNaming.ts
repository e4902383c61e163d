import { createHash } from "node:crypto";

/**
 * Physical-name rules of the AWS services the AWS slice names. Kept apart from `naming.ts` (the
 * Kubernetes rules) so the restructure can merge them without a conflict.
 */

function slug(parts: string[], allowed: RegExp): string {
  return parts
    .join("-")
    .replace(allowed, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function fitName(joined: string, max: number, what: string, parts: string[]): string {
  if (joined.length === 0) {
    throw new Error(`Cannot derive ${what} from ${JSON.stringify(parts)}: no letters or digits.`);
  }
  if (joined.length <= max) return joined;
  const hash = createHash("sha256").update(joined).digest("hex").slice(0, 8);
  return `${joined.slice(0, max - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/**
 * The longest `bucketPrefix` the provider accepts: it appends a 26-character unique suffix, and an
 * S3 bucket name is at most 63 characters (`aws.s3.Bucket` typings: "Must be lowercase and less
 * than or equal to 37 characters in length").
 */
export const S3_BUCKET_PREFIX_MAX = 37;

/**
 * A `bucketPrefix` valid under the S3 general-purpose bucket naming rules: lowercase letters,
 * digits and `-`, starting with a letter or digit, not starting with the reserved `xn--`,
 * `sthree-` or `amzn-s3-demo-` prefixes, at most 37 characters; it ends with `-` so the random
 * suffix reads apart. (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)
 */
export function s3BucketPrefix(...parts: string[]): string {
  let joined = slug(
    parts.map((p) => p.toLowerCase()),
    /[^a-z0-9-]+/g,
  );
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(joined)) joined = `b-${joined}`;
  return `${fitName(joined, S3_BUCKET_PREFIX_MAX - 1, "an S3 bucket prefix", parts)}-`;
}

/**
 * A SageMaker resource name (feature groups, model package groups, endpoints, MLflow servers):
 * `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,max-1}`, so letters, digits and single hyphens, no `_`
 * (SageMaker API model, e.g. `FeatureGroupName`, `EntityName`). Long names are cut and a hash keeps
 * them unique, so they stay deterministic.
 */
export function sagemakerName(max: number, ...parts: string[]): string {
  return fitName(slug(parts, /[^A-Za-z0-9-]+/g), max, "a SageMaker name", parts);
}

/** The SageMaker name pattern (`EntityName` in the SageMaker API model). */
export const SAGEMAKER_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
