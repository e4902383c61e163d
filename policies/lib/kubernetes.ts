/**
 * Where a Kubernetes workload keeps its pod spec, and iteration over its containers.
 *
 * Locations follow checkov (`checkov/kubernetes/checks/resource/k8s/*`): a Pod's `spec`; a CronJob's
 * `spec.jobTemplate.spec.template.spec`; every other workload's `spec.template.spec`. Argo Rollouts
 * (`kubernetes:argoproj.io/v1alpha1:Rollout`, a CustomResource whose Pulumi type is `kubernetes:<apiVersion>:<kind>`)
 * use `spec.template.spec` like a Deployment; a Rollout that points at a Deployment through `spec.workloadRef`
 * has no template of its own, and the referenced Deployment is checked instead.
 */
import type { PolicyResource } from "@pulumi/policy";
import { isUnknownSentinel, knownArray, probe } from "./values";

/** Workload types whose pods the Kubernetes rules check. */
export const WORKLOAD_TYPES = [
  "kubernetes:core/v1:Pod",
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:apps/v1:DaemonSet",
  "kubernetes:apps/v1:ReplicaSet",
  "kubernetes:core/v1:ReplicationController",
  "kubernetes:batch/v1:Job",
  "kubernetes:batch/v1:CronJob",
  "kubernetes:argoproj.io/v1alpha1:Rollout",
] as const;

/** Long-running workloads (probes, replicas and disruption budgets make sense for them). */
export const SERVING_WORKLOAD_TYPES = [
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:argoproj.io/v1alpha1:Rollout",
] as const;

/** The path of the pod spec inside a workload of `type`. */
export function podSpecPath(type: string): readonly string[] {
  if (type === "kubernetes:core/v1:Pod") {
    return ["spec"];
  }
  if (type === "kubernetes:batch/v1:CronJob") {
    return ["spec", "jobTemplate", "spec", "template", "spec"];
  }
  return ["spec", "template", "spec"];
}

/** The path of the pod template's metadata (the labels a Service, PDB or monitor selects). */
export function podMetadataPath(type: string): readonly string[] {
  if (type === "kubernetes:core/v1:Pod") {
    return ["metadata"];
  }
  if (type === "kubernetes:batch/v1:CronJob") {
    return ["spec", "jobTemplate", "spec", "template", "metadata"];
  }
  return ["spec", "template", "metadata"];
}

/** One container of a pod spec, with where it sits (for messages). */
export interface ContainerRef {
  /** `containers[0] "server"` */
  readonly where: string;
  // biome-ignore lint/suspicious/noExplicitAny: untyped manifest
  readonly container: any;
}

/**
 * The pod spec of a workload, or undefined when it has none (e.g. a Rollout with `workloadRef`).
 * Throws `UnknownValueError` when the pod spec itself is unknown during preview.
 */
export function podSpec(type: string, props: unknown): unknown {
  const p = probe(props, podSpecPath(type));
  if (p.state === "unknown") {
    throw p.error;
  }
  return p.state === "known" ? p.value : undefined;
}

/** Every container of the pod spec: `containers`, `initContainers` and `ephemeralContainers` (as PSS checks). */
export function containersOf(spec: unknown): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const kind of ["containers", "initContainers", "ephemeralContainers"] as const) {
    knownArray(spec, [kind]).forEach((container, i) => {
      const name = probe(container, ["name"]);
      const label = name.state === "known" ? ` "${String(name.value)}"` : "";
      out.push({ where: `${kind}[${i}]${label}`, container });
    });
  }
  return out;
}

/** The long-running app containers only (`containers`), for probes and resources. */
export function appContainersOf(spec: unknown): ContainerRef[] {
  return containersOf(spec).filter((c) => c.where.startsWith("containers["));
}

/** True when every key/value of `selector` is among `labels` (an empty selector selects nothing here). */
export function selects(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/**
 * True when two Kubernetes resources are in the same namespace. Known namespaces are compared (unset =
 * "default"). A namespace that is unknown during preview (`namespace: ns.metadata.name` of an auto-named
 * Namespace) is compared through the `metadata` property dependencies: the same Namespace resource means the
 * same namespace; with no way to tell, they are assumed to match (the label selectors still have to match).
 */
export function sameNamespace(a: PolicyResource, b: PolicyResource): boolean {
  const pa = probe(a.props, ["metadata", "namespace"]);
  const pb = probe(b.props, ["metadata", "namespace"]);
  if (pa.state !== "unknown" && pb.state !== "unknown") {
    const na = pa.state === "known" ? String(pa.value) : "default";
    const nb = pb.state === "known" ? String(pb.value) : "default";
    return na === nb;
  }
  const namespaces = (r: PolicyResource) =>
    new Set(
      (r.propertyDependencies.metadata ?? [])
        .filter((d) => d.type === "kubernetes:core/v1:Namespace")
        .map((d) => d.urn),
    );
  const sa = namespaces(a);
  const sb = namespaces(b);
  if (sa.size > 0 && sb.size > 0) {
    return [...sa].some((u) => sb.has(u));
  }
  return true;
}

/** The namespace for messages. */
export function namespaceLabel(r: PolicyResource): string {
  const p = probe(r.props, ["metadata", "namespace"]);
  return p.state === "known" ? String(p.value) : p.state === "unknown" ? "(computed)" : "default";
}

/**
 * True when a prometheus-operator ServiceMonitor/PodMonitor may select targets in `target`'s namespace:
 * `spec.namespaceSelector.any: true` selects every namespace, `spec.namespaceSelector.matchNames` the listed ones,
 * and without a namespaceSelector the monitor's own namespace (prometheus-operator API, `NamespaceSelector`).
 */
export function monitorCoversNamespace(monitor: PolicyResource, target: PolicyResource): boolean {
  const selector = probe(monitor.props, ["spec", "namespaceSelector"]);
  if (selector.state === "known") {
    if (
      probe(selector.value, ["any"]).state === "known" &&
      (selector.value as { any?: unknown }).any === true
    ) {
      return true;
    }
    const names = probe(selector.value, ["matchNames"]);
    if (names.state === "known" && Array.isArray(names.value) && names.value.length > 0) {
      const targetNs = probe(target.props, ["metadata", "namespace"]);
      if (targetNs.state !== "known") {
        return targetNs.state === "unknown" || (names.value as unknown[]).includes("default");
      }
      const listed = names.value as unknown[];
      // An unknown entry (a computed namespace name) may be the target's namespace.
      return listed.some((n) => n === targetNs.value || (typeof n === "string" && isUnknownSentinel(n)));
    }
  }
  return sameNamespace(monitor, target);
}
