import type * as pulumi from "@pulumi/pulumi";

/**
 * Options for a child that holds data (a database, a volume, a bucket, a key). `protect` makes
 * `pulumi destroy` and replacements fail until someone removes it deliberately; `retainOnDelete`
 * keeps the cloud resource even if it is dropped from the program. Each component adds the
 * provider's own guard (deletion protection, `deletionPolicy: PREVENT`, a management lock) on top.
 *
 * @param enabled `false` only for throwaway environments; the stacks keep it on everywhere.
 */
export function statefulOptions<T extends pulumi.CustomResourceOptions>(options: T, enabled = true): T {
  if (!enabled) return options;
  return { ...options, protect: true, retainOnDelete: true };
}
