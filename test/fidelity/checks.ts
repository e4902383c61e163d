import { celProblems, prunedFieldProblems } from "./cel";
import { type Manifest, type Problem, problem } from "./manifests";
import { nativeProblems } from "./native";
import { podSecurityProblems } from "./podSecurity";
import { type AddOns, promqlProblems, queriesOf, syntaxErrors } from "./promql";
import { schemaProblems } from "./schemas";
import {
  autoscalerProblems,
  Cluster,
  collisionProblems,
  type External,
  networkPolicyPortProblems,
  objectReferenceProblems,
  podMonitorProblems,
  podReferenceProblems,
  probePortProblems,
  scrapeReachabilityProblems,
  selectorProblems,
  serviceProblems,
} from "./xref";

/** Schema (CEL rules included) and API-server rules of each object on its own. */
export async function objectProblems(manifests: Manifest[]): Promise<Problem[]> {
  const out: Problem[] = [];
  for (const m of manifests)
    out.push(
      ...(await schemaProblems(m)),
      ...celProblems(m),
      ...prunedFieldProblems(m),
      ...nativeProblems(m),
    );
  return out;
}

/**
 * The checks that need no object but the one checked: schema and name rules, probe ports, workload
 * selectors, volume mounts and PromQL syntax. They hold for any set of objects, a component test's too.
 */
export async function selfContainedProblems(manifests: Manifest[]): Promise<Problem[]> {
  const c = new Cluster(manifests);
  const selectors = selectorProblems(c).filter(
    (p) => p.reason === "does not match the pod template's labels",
  );
  const mounts = podReferenceProblems(c).filter((p) => p.reason.startsWith("no volume named"));
  const syntax = queriesOf(manifests).flatMap((q) =>
    syntaxErrors(q.expr).map((e) => problem(q.owner, q.field, `PromQL ${e}`)),
  );
  return [...(await objectProblems(manifests)), ...probePortProblems(c), ...selectors, ...mounts, ...syntax];
}

/** What the objects of programs sharing a cluster must agree on, by check. */
export async function clusterProblems(
  manifests: Manifest[],
  options: { externals?: External[]; addOns?: AddOns; prometheusNamespace?: string } = {},
): Promise<Record<string, Problem[]>> {
  const c = new Cluster(manifests, options.externals ?? []);
  return {
    probePorts: probePortProblems(c),
    services: serviceProblems(c),
    selectors: selectorProblems(c),
    networkPolicies: networkPolicyPortProblems(c),
    podMonitors: podMonitorProblems(c),
    scrapeReachability: scrapeReachabilityProblems(c, options.prometheusNamespace ?? "monitoring"),
    autoscalers: autoscalerProblems(c),
    podSecurity: podSecurityProblems(c),
    podReferences: podReferenceProblems(c),
    objectReferences: objectReferenceProblems(c),
    promql: await promqlProblems(c, options.addOns ?? { pushgateways: [], series: [] }),
    collisions: collisionProblems(manifests),
  };
}
