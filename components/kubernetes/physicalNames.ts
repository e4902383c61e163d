/**
 * Physical names of Kubernetes objects are identities: two objects of one kind with one name in one
 * namespace are one object, and the second `pulumi up` to write it fights the first. Logical
 * (URN) names cannot catch this when two components of different logical names derive the same
 * physical name, so every component claims its names here at construction, per program.
 */
import * as pulumi from "@pulumi/pulumi";
import { ArgsValidationError } from "../core/validation";

/** One physical name a component is about to create. */
export interface PhysicalName {
  /** `apiVersion/kind`, e.g. `v1/Service`. */
  kind: string;
  /** Namespace; empty for cluster-scoped objects. */
  namespace: string;
  name: string;
}

interface Claim {
  component: string;
  resourceName: string;
  field: string;
}

// The names of one program run, keyed by its root stack resource: a process that runs a program
// twice (an in-process preview then check) starts each run with no claims.
const runs = new WeakMap<object, Map<string, Claim>>();
const outsideAStack = {};
function claimsOfThisRun(): Map<string, Claim> {
  const key = pulumi.runtime.getStackResource() ?? outsideAStack;
  let claims = runs.get(key);
  if (!claims) {
    claims = new Map();
    runs.set(key, claims);
  }
  return claims;
}

/**
 * Records `names` for the component, or throws an {@link ArgsValidationError} naming the first
 * component that claimed one of them, at the field (`field`) whose value derived the name.
 */
export function claimPhysicalNames(
  component: string,
  resourceName: string,
  field: string,
  value: unknown,
  names: PhysicalName[],
): void {
  const claims = claimsOfThisRun();
  for (const n of names) {
    const key = `${n.kind}|${n.namespace}|${n.name}`;
    const first = claims.get(key);
    // The same component and name again is the same claim twice: a duplicate URN, refused too.
    if (first) {
      throw new ArgsValidationError(component, resourceName, [
        {
          path: `args.${field}`,
          value,
          message: `gives the ${n.kind} ${JSON.stringify(n.name)}${n.namespace ? ` in namespace ${JSON.stringify(n.namespace)}` : ""}, which ${first.component} "${first.resourceName}" (from its ${first.field}) already creates; one would overwrite the other. Fix: give each a different ${field}, or put them in different namespaces`,
        },
      ]);
    }
  }
  for (const n of names) claims.set(`${n.kind}|${n.namespace}|${n.name}`, { component, resourceName, field });
}

/**
 * Services are named by DNS-1035 labels: a DNS-1123 label that starts with a letter. A component whose
 * Service names derive from its resource name refuses a name that would start them with a digit,
 * before the API server does.
 */
export function requireServiceNames(component: string, resourceName: string, serviceNames: string[]): void {
  const bad = serviceNames.filter((n) => !/^[a-z]/.test(n));
  if (bad.length === 0) return;
  throw new ArgsValidationError(component, resourceName, [
    {
      path: "name",
      value: resourceName,
      message: `gives the Service name(s) ${bad.map((n) => JSON.stringify(n)).join(", ")}, and Service names are DNS-1035 labels, which start with a letter. Fix: start the resource name with a letter`,
    },
  ]);
}
