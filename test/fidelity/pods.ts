import type { Json, Manifest } from "./manifests";

/** A pod template of a workload, with the path to it for messages. */
export interface PodTemplate {
  owner: Manifest;
  /** Path of the pod spec inside the owner, e.g. `/spec/template/spec`. */
  path: string;
  labels: Record<string, string>;
  spec: Record<string, Json>;
}

/** Workload kinds whose pods come from `spec.template`. */
const TEMPLATE_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Rollout"]);

/** Every pod template in the manifests: Deployments, StatefulSets, Jobs, CronJobs, Rollouts and Pods. */
export function podTemplates(manifests: Manifest[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const m of manifests) {
    if (m.kind === "Pod" && m.spec) {
      out.push({ owner: m, path: "/spec", labels: m.metadata.labels ?? {}, spec: m.spec });
    } else if (TEMPLATE_KINDS.has(m.kind) && m.spec?.template?.spec) {
      const labels = { ...(m.spec.template.metadata?.labels ?? {}) };
      // The Job controller labels its pods with the Job's name.
      if (m.kind === "Job") labels["batch.kubernetes.io/job-name"] = m.metadata.name;
      out.push({ owner: m, path: "/spec/template/spec", labels, spec: m.spec.template.spec });
    } else if (m.kind === "CronJob" && m.spec?.jobTemplate?.spec?.template?.spec) {
      out.push({
        owner: m,
        path: "/spec/jobTemplate/spec/template/spec",
        labels: { ...(m.spec.jobTemplate.spec.template.metadata?.labels ?? {}) },
        spec: m.spec.jobTemplate.spec.template.spec,
      });
    }
  }
  return out;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Kubernetes label-selector semantics (an empty selector selects everything). */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key]!);
    if (e.operator === "In" && !inValues) return false;
    if (e.operator === "NotIn" && inValues) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

/** Service and ReplicationController selectors: a plain label map, which selects nothing when empty. */
export function selectsMap(selector: Record<string, string> | undefined, labels: Record<string, string>) {
  if (!selector || Object.keys(selector).length === 0) return false;
  return selects({ matchLabels: selector }, labels);
}

/** Every container of a pod spec (init containers included), with its path. */
export function containersOf(t: PodTemplate): { path: string; container: Record<string, Json> }[] {
  const out: { path: string; container: Record<string, Json> }[] = [];
  for (const field of ["initContainers", "containers"]) {
    for (const [i, c] of ((t.spec[field] ?? []) as Record<string, Json>[]).entries()) {
      out.push({ path: `${t.path}/${field}/${i}`, container: c });
    }
  }
  return out;
}

/** The ports a pod declares: `name → containerPort` and the set of numbers. */
export function podPorts(t: PodTemplate): { named: Map<string, number>; numbers: Set<number> } {
  const named = new Map<string, number>();
  const numbers = new Set<number>();
  for (const { container } of containersOf(t)) {
    for (const p of container.ports ?? []) {
      if (typeof p.name === "string") named.set(p.name, p.containerPort);
      if (typeof p.containerPort === "number") numbers.add(p.containerPort);
    }
  }
  return { named, numbers };
}
