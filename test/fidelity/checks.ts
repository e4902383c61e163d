import type { Manifest, Problem } from "./manifests";
import { nativeProblems } from "./native";
import { type AddOns, promqlProblems } from "./promql";
import { schemaProblems } from "./schemas";
import {
  Cluster,
  collisionProblems,
  type External,
  networkPolicyPortProblems,
  objectReferenceProblems,
  podMonitorProblems,
  podReferenceProblems,
  probePortProblems,
  selectorProblems,
  serviceProblems,
} from "./xref";

/** Schema and API-server rules of each object on its own. */
export async function objectProblems(manifests: Manifest[]): Promise<Problem[]> {
  const out: Problem[] = [];
  for (const m of manifests) out.push(...(await schemaProblems(m)), ...nativeProblems(m));
  return out;
}

/** What the objects of programs sharing a cluster must agree on, by check. */
export async function clusterProblems(
  manifests: Manifest[],
  options: { externals?: External[]; addOns?: AddOns } = {},
): Promise<Record<string, Problem[]>> {
  const c = new Cluster(manifests, options.externals ?? []);
  return {
    probePorts: probePortProblems(c),
    services: serviceProblems(c),
    selectors: selectorProblems(c),
    networkPolicies: networkPolicyPortProblems(c),
    podMonitors: podMonitorProblems(c),
    podReferences: podReferenceProblems(c),
    objectReferences: objectReferenceProblems(c),
    promql: await promqlProblems(c, options.addOns ?? { pushgateways: [], series: [] }),
    collisions: collisionProblems(manifests),
  };
}
