import { createHash } from "node:crypto";

/**
 * Logical name of a child resource, derived from its component's name so that two instances of a
 * component never collide in the stack's URN space.
 */
export function childName(componentName: string, ...suffix: string[]): string {
  return [componentName, ...suffix].join("-");
}

const DNS_LABEL_MAX = 63;

/** The Kubernetes DNS-1123 label rule: what `metadata.name` of Services, namespaces, etc. must obey. */
export const DNS_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** True when `value` is a valid DNS-1123 label (lowercase alphanumerics and '-', at most 63 characters). */
export function isDnsLabel(value: string): boolean {
  return value.length <= DNS_LABEL_MAX && DNS_LABEL_PATTERN.test(value);
}

/**
 * A deterministic DNS-1123 label for a Kubernetes object, built from name parts. Kubernetes needs
 * physical names that are stable across updates (selectors and Service DNS depend on them), so
 * these are not auto-named: when the joined parts are too long, they are cut and a short hash of
 * the full name keeps the result unique.
 */
export function dnsLabel(...parts: string[]): string {
  const joined = parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (joined.length === 0) {
    throw new Error(`Cannot derive a Kubernetes name from ${JSON.stringify(parts)}: no letters or digits.`);
  }
  if (joined.length <= DNS_LABEL_MAX) return joined;
  const hash = createHash("sha256").update(joined).digest("hex").slice(0, 8);
  return `${joined.slice(0, DNS_LABEL_MAX - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}
