/**
 * Joining resources in stack rules.
 *
 * During preview the values that link two resources (a bucket's id in `BucketVersioning.bucket`, an endpoint
 * name in a monitoring job) are usually unknown, so the join goes through the engine's record of where each
 * input came from: `propertyDependencies` (input name → resources it was computed from). When that record is
 * missing (a literal name typed twice, a driver that does not send dependencies), known values are compared.
 */
import type { PolicyResource } from "@pulumi/policy";
import { probe } from "./values";

function knownString(obj: unknown, key: string): string | undefined {
  const p = probe(obj, [key]);
  return p.state === "known" && typeof p.value === "string" && p.value !== "" ? p.value : undefined;
}

/**
 * True when `child`'s input `key` refers to `parent`: through `propertyDependencies[key]`, or because its known
 * value equals one of `parent`'s known identifying outputs (`parentKeys`).
 */
export function linked(
  child: PolicyResource,
  key: string,
  parent: PolicyResource,
  parentKeys: readonly string[] = ["id", "bucket", "name", "arn"],
): boolean {
  if ((child.propertyDependencies[key] ?? []).some((d) => d.urn === parent.urn)) {
    return true;
  }
  const value = knownString(child.props, key);
  if (value === undefined) {
    return false;
  }
  return parentKeys.some((k) => knownString(parent.props, k) === value);
}

/** True when `child` depends on `parent` at all: any property dependency, a plain dependency, or parentage. */
export function dependsOn(child: PolicyResource, parent: PolicyResource): boolean {
  if (child.dependencies.some((d) => d.urn === parent.urn)) {
    return true;
  }
  return Object.values(child.propertyDependencies).some((deps) => deps.some((d) => d.urn === parent.urn));
}
