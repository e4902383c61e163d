import {
  AUTONAME_SUFFIX,
  CLUSTER_SCOPED,
  type Json,
  type Manifest,
  type Problem,
  problem,
  UNKNOWN,
} from "./manifests";
import { containersOf, type PodTemplate, podPorts, podTemplates, selects, selectsMap } from "./pods";

/**
 * An object a program refers to but does not create, because its README or a component's doc says the
 * user (or a cluster add-on) provides it. Anything else a reference names must be in the cluster set.
 */
export interface External {
  kind: string;
  /** Absent for cluster-scoped kinds. */
  namespace?: string;
  name: string;
  /** Where the documentation says who provides it. */
  documented: string;
}

function group(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.split("/")[0]! : "";
}

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}|${CLUSTER_SCOPED.has(kind) ? "" : (namespace ?? "")}|${name}`;
}

/** The objects of a cluster set, indexed for reference lookups. */
export class Cluster {
  readonly templates: PodTemplate[];
  private readonly index = new Map<string, Manifest[]>();
  private readonly external = new Set<string>();

  constructor(
    readonly manifests: Manifest[],
    externals: External[] = [],
  ) {
    this.templates = podTemplates(manifests);
    for (const m of manifests) {
      const k = key(m.kind, m.metadata.namespace, m.metadata.name);
      this.index.set(k, [...(this.index.get(k) ?? []), m]);
    }
    for (const e of externals) this.external.add(key(e.kind, e.namespace, e.name));
  }

  /** True when the object exists in the set or is documented as provided from outside it. */
  has(kind: string, namespace: string | undefined, name: string): boolean {
    const k = key(kind, namespace, name);
    return this.index.has(k) || this.external.has(k);
  }

  find(kind: string, namespace: string | undefined, name: string): Manifest | undefined {
    return this.index.get(key(kind, namespace, name))?.[0];
  }

  /** Pod templates in a namespace. */
  podsIn(namespace: string | undefined): PodTemplate[] {
    return this.templates.filter((t) => t.owner.metadata.namespace === namespace);
  }
}

/** Probes, lifecycle handlers: a named port resolves only within the container they belong to. */
export function probePortProblems(c: Cluster): Problem[] {
  const out: Problem[] = [];
  for (const t of c.templates) {
    for (const { path, container } of containersOf(t)) {
      const own = new Set((container.ports ?? []).map((p: { name?: string }) => p.name).filter(Boolean));
      for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
        const p = container[probe];
        if (!p) continue;
        for (const handler of ["httpGet", "tcpSocket"]) {
          const port = p[handler]?.port;
          if (typeof port === "string" && port !== UNKNOWN && !own.has(port)) {
            const others = containersOf(t)
              .filter(
                ({ container: o }) => o !== container && (o.ports ?? []).some((x: Json) => x.name === port),
              )
              .map(({ container: o }) => o.name);
            out.push(
              problem(
                t.owner,
                `${path}/${probe}/${handler}/port`,
                `named port '${port}' is not a port of container '${container.name}'` +
                  (others.length
                    ? ` (it belongs to '${others.join("', '")}'; the kubelet resolves a probe's named port only within the probed container)`
                    : ""),
              ),
            );
          }
        }
      }
    }
  }
  return out;
}

/** Checks a port (name or number) against the pods a selector picks; `undefined` when it resolves. */
function portIssue(port: unknown, pods: PodTemplate[]): string | undefined {
  if (port === undefined || port === UNKNOWN) return undefined;
  for (const t of pods) {
    const { named, numbers } = podPorts(t);
    const ok = typeof port === "string" ? named.has(port) : numbers.has(port as number);
    if (!ok) {
      return typeof port === "string"
        ? `no container of the pods of ${t.owner.kind} ${t.owner.metadata.name} has a port named '${port}'`
        : `no container of the pods of ${t.owner.kind} ${t.owner.metadata.name} declares port ${port}`;
    }
  }
  return undefined;
}

/** Services select pods in their namespace, and each targetPort is a port of those pods. */
export function serviceProblems(c: Cluster): Problem[] {
  const out: Problem[] = [];
  for (const s of c.manifests.filter((m) => m.kind === "Service")) {
    const selector = s.spec?.selector as Record<string, string> | undefined;
    if (!selector || Object.keys(selector).length === 0) continue; // a selector-less Service (own EndpointSlices)
    const pods = c.podsIn(s.metadata.namespace).filter((t) => selectsMap(selector, t.labels));
    if (pods.length === 0) {
      out.push(problem(s, "/spec/selector", `selects no pod template in namespace ${s.metadata.namespace}`));
      continue;
    }
    (s.spec.ports ?? []).forEach((p: Record<string, Json>, i: number) => {
      const issue = portIssue(p.targetPort ?? p.port, pods);
      if (issue) out.push(problem(s, `/spec/ports/${i}/targetPort`, issue));
    });
  }
  return out;
}

/** Selectors of PDBs, NetworkPolicies and PodMonitors select pods; workload selectors match their template. */
export function selectorProblems(c: Cluster): Problem[] {
  const out: Problem[] = [];
  for (const m of c.manifests) {
    const ns = m.metadata.namespace;
    if (m.kind === "PodDisruptionBudget" || m.kind === "NetworkPolicy") {
      const field = m.kind === "NetworkPolicy" ? "podSelector" : "selector";
      const selector = m.spec?.[field];
      const pods = c.podsIn(ns).filter((t) => selects(selector, t.labels));
      if (pods.length === 0)
        out.push(problem(m, `/spec/${field}`, `selects no pod template in namespace ${ns}`));
    }
    if (["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet", "Rollout"].includes(m.kind)) {
      const labels = m.spec?.template?.metadata?.labels ?? {};
      if (!m.spec?.selector || !selects(m.spec.selector, labels)) {
        out.push(problem(m, "/spec/selector", "does not match the pod template's labels"));
      }
    }
    if (m.kind === "HorizontalPodAutoscaler") {
      const ref = m.spec?.scaleTargetRef ?? {};
      const target = c.find(ref.kind, ns, ref.name);
      if (!target) {
        out.push(
          problem(m, "/spec/scaleTargetRef", `names ${ref.kind} ${ns}/${ref.name}, which does not exist`),
        );
      } else if (group(ref.apiVersion ?? "") !== group(target.apiVersion)) {
        out.push(
          problem(
            m,
            "/spec/scaleTargetRef/apiVersion",
            `is ${ref.apiVersion}, the target is ${target.apiVersion}`,
          ),
        );
      }
    }
  }
  return out;
}

/** NetworkPolicy ports name or number ports of the pods they protect; their `from` pods exist. */
export function networkPolicyPortProblems(c: Cluster): Problem[] {
  const out: Problem[] = [];
  for (const m of c.manifests.filter((x) => x.kind === "NetworkPolicy")) {
    const ns = m.metadata.namespace;
    const pods = c.podsIn(ns).filter((t) => selects(m.spec?.podSelector, t.labels));
    if (pods.length === 0) continue; // reported by selectorProblems
    (m.spec?.ingress ?? []).forEach((rule: Record<string, Json>, i: number) => {
      (rule.ports ?? []).forEach((p: Record<string, Json>, j: number) => {
        const issue = portIssue(p.port, pods);
        if (issue) out.push(problem(m, `/spec/ingress/${i}/ports/${j}/port`, issue));
      });
      (rule.from ?? []).forEach((peer: Record<string, Json>, j: number) => {
        if (!peer.podSelector || peer.namespaceSelector) return; // other namespaces: outside this check
        if (!c.podsIn(ns).some((t) => selects(peer.podSelector, t.labels))) {
          out.push(
            problem(
              m,
              `/spec/ingress/${i}/from/${j}/podSelector`,
              `selects no pod template in namespace ${ns}`,
            ),
          );
        }
      });
    });
  }
  return out;
}

/** The pods a PodMonitor scrapes. */
export function podMonitorTargets(c: Cluster, pm: Manifest): PodTemplate[] {
  const nsSel = pm.spec?.namespaceSelector ?? {};
  const namespaces: string[] | "any" = nsSel.any ? "any" : (nsSel.matchNames ?? [pm.metadata.namespace]);
  return c.templates.filter(
    (t) =>
      (namespaces === "any" || namespaces.includes(t.owner.metadata.namespace!)) &&
      selects(pm.spec?.selector, t.labels),
  );
}

/** PodMonitors select pods, and each endpoint's `port` is a named port of every selected pod. */
export function podMonitorProblems(c: Cluster): Problem[] {
  const out: Problem[] = [];
  for (const pm of c.manifests.filter((m) => m.kind === "PodMonitor")) {
    const pods = podMonitorTargets(c, pm);
    if (pods.length === 0) {
      out.push(problem(pm, "/spec/selector", "selects no pod template in the namespaces it watches"));
      continue;
    }
    (pm.spec?.podMetricsEndpoints ?? []).forEach((e: Record<string, Json>, i: number) => {
      const port = e.port ?? e.portNumber;
      const issue = portIssue(port, pods);
      if (issue) out.push(problem(pm, `/spec/podMetricsEndpoints/${i}/port`, issue));
    });
  }
  return out;
}

/** Built-in objects every cluster has. */
const BUILT_IN = new Set([
  key("PriorityClass", undefined, "system-cluster-critical"),
  key("PriorityClass", undefined, "system-node-critical"),
]);

function ref(
  c: Cluster,
  out: Problem[],
  owner: Manifest,
  field: string,
  kind: string,
  namespace: string | undefined,
  name: unknown,
) {
  if (typeof name !== "string" || name === UNKNOWN) return;
  if (name === "") {
    out.push(problem(owner, field, `names an empty ${kind}`));
    return;
  }
  if (BUILT_IN.has(key(kind, namespace, name))) return;
  if (!c.has(kind, namespace, name)) {
    const where = CLUSTER_SCOPED.has(kind) ? "" : `${namespace}/`;
    out.push(
      problem(
        owner,
        field,
        `${kind} ${where}${name} is neither created by the programs nor documented as user-provided`,
      ),
    );
  }
}

/** Pods' ConfigMaps, Secrets, PVCs, ServiceAccounts, PriorityClasses and Kueue queues resolve. */
export function podReferenceProblems(c: Cluster): Problem[] {
  const out: Problem[] = [];
  for (const t of c.templates) {
    const ns = t.owner.metadata.namespace;
    const s = t.spec;
    const at = (f: string) => `${t.path}/${f}`;
    ref(
      c,
      out,
      t.owner,
      at("serviceAccountName"),
      "ServiceAccount",
      ns,
      s.serviceAccountName === "default" ? undefined : s.serviceAccountName,
    );
    ref(c, out, t.owner, at("priorityClassName"), "PriorityClass", undefined, s.priorityClassName);
    (s.imagePullSecrets ?? []).forEach((p: { name?: string }, i: number) => {
      ref(c, out, t.owner, at(`imagePullSecrets/${i}/name`), "Secret", ns, p.name);
    });
    const volumeNames = new Set<string>();
    (s.volumes ?? []).forEach((v: Record<string, Json>, i: number) => {
      volumeNames.add(v.name);
      if (v.configMap && !v.configMap.optional)
        ref(c, out, t.owner, at(`volumes/${i}/configMap/name`), "ConfigMap", ns, v.configMap.name);
      if (v.secret && !v.secret.optional)
        ref(c, out, t.owner, at(`volumes/${i}/secret/secretName`), "Secret", ns, v.secret.secretName);
      if (v.persistentVolumeClaim)
        ref(
          c,
          out,
          t.owner,
          at(`volumes/${i}/persistentVolumeClaim/claimName`),
          "PersistentVolumeClaim",
          ns,
          v.persistentVolumeClaim.claimName,
        );
      (v.projected?.sources ?? []).forEach((src: Record<string, Json>, j: number) => {
        if (src.configMap && !src.configMap.optional)
          ref(
            c,
            out,
            t.owner,
            at(`volumes/${i}/projected/sources/${j}/configMap/name`),
            "ConfigMap",
            ns,
            src.configMap.name,
          );
        if (src.secret && !src.secret.optional)
          ref(
            c,
            out,
            t.owner,
            at(`volumes/${i}/projected/sources/${j}/secret/name`),
            "Secret",
            ns,
            src.secret.name,
          );
      });
    });
    for (const vct of t.owner.kind === "StatefulSet" ? (t.owner.spec?.volumeClaimTemplates ?? []) : [])
      volumeNames.add(vct.metadata?.name);
    for (const { path, container } of containersOf(t)) {
      (container.volumeMounts ?? []).forEach((vm: { name: string }, i: number) => {
        if (!volumeNames.has(vm.name))
          out.push(
            problem(t.owner, `${path}/volumeMounts/${i}/name`, `no volume named '${vm.name}' in the pod`),
          );
      });
      (container.env ?? []).forEach((e: Record<string, Json>, i: number) => {
        const cm = e.valueFrom?.configMapKeyRef;
        const sec = e.valueFrom?.secretKeyRef;
        if (cm && !cm.optional)
          ref(c, out, t.owner, `${path}/env/${i}/valueFrom/configMapKeyRef/name`, "ConfigMap", ns, cm.name);
        if (sec && !sec.optional)
          ref(c, out, t.owner, `${path}/env/${i}/valueFrom/secretKeyRef/name`, "Secret", ns, sec.name);
        if (sec && !sec.optional)
          keyRef(
            c,
            out,
            t.owner,
            `${path}/env/${i}/valueFrom/secretKeyRef/key`,
            "Secret",
            ns,
            sec.name,
            sec.key,
          );
        if (cm && !cm.optional)
          keyRef(
            c,
            out,
            t.owner,
            `${path}/env/${i}/valueFrom/configMapKeyRef/key`,
            "ConfigMap",
            ns,
            cm.name,
            cm.key,
          );
      });
      (container.envFrom ?? []).forEach((e: Record<string, Json>, i: number) => {
        if (e.configMapRef && !e.configMapRef.optional)
          ref(
            c,
            out,
            t.owner,
            `${path}/envFrom/${i}/configMapRef/name`,
            "ConfigMap",
            ns,
            e.configMapRef.name,
          );
        if (e.secretRef && !e.secretRef.optional)
          ref(c, out, t.owner, `${path}/envFrom/${i}/secretRef/name`, "Secret", ns, e.secretRef.name);
      });
    }
    const queue =
      t.labels["kueue.x-k8s.io/queue-name"] ?? t.owner.metadata.labels?.["kueue.x-k8s.io/queue-name"];
    ref(c, out, t.owner, "/metadata/labels/kueue.x-k8s.io~1queue-name", "LocalQueue", ns, queue);
  }
  return out;
}

/** A key of a ConfigMap or Secret created in the set exists in it (`data` or `stringData`). */
function keyRef(
  c: Cluster,
  out: Problem[],
  owner: Manifest,
  field: string,
  kind: string,
  ns: string | undefined,
  name: unknown,
  k: unknown,
) {
  if (typeof name !== "string" || typeof k !== "string") return;
  const obj = c.find(kind, ns, name);
  if (!obj || obj.data === UNKNOWN || obj.stringData === UNKNOWN) return;
  const keys = new Set([
    ...Object.keys(obj.data ?? {}),
    ...Object.keys(obj.stringData ?? {}),
    ...Object.keys(obj.binaryData ?? {}),
  ]);
  if (!keys.has(k)) out.push(problem(owner, field, `${kind} ${ns}/${name} has no key '${k}'`));
}

/** Namespaces, queues, routes and rollouts name objects that exist. */
export function objectReferenceProblems(c: Cluster): Problem[] {
  const out: Problem[] = [];
  for (const m of c.manifests) {
    const ns = m.metadata.namespace;
    if (!CLUSTER_SCOPED.has(m.kind)) ref(c, out, m, "/metadata/namespace", "Namespace", undefined, ns);
    if (m.kind === "LocalQueue")
      ref(c, out, m, "/spec/clusterQueue", "ClusterQueue", undefined, m.spec?.clusterQueue);
    if (m.kind === "ClusterQueue") {
      (m.spec?.resourceGroups ?? []).forEach((g: Record<string, Json>, i: number) => {
        (g.flavors ?? []).forEach((f: { name: string }, j: number) => {
          ref(c, out, m, `/spec/resourceGroups/${i}/flavors/${j}/name`, "ResourceFlavor", undefined, f.name);
        });
      });
    }
    if (m.kind === "HTTPRoute") {
      (m.spec?.parentRefs ?? []).forEach((p: Record<string, Json>, i: number) => {
        const kind = p.kind ?? "Gateway";
        ref(c, out, m, `/spec/parentRefs/${i}`, kind, p.namespace ?? ns, p.name);
      });
      (m.spec?.rules ?? []).forEach((r: Record<string, Json>, i: number) => {
        (r.backendRefs ?? []).forEach((b: Record<string, Json>, j: number) => {
          const kind = b.kind ?? "Service";
          const field = `/spec/rules/${i}/backendRefs/${j}`;
          ref(c, out, m, field, kind, b.namespace ?? ns, b.name);
          const svc = kind === "Service" ? c.find("Service", b.namespace ?? ns, b.name) : undefined;
          if (svc && !(svc.spec?.ports ?? []).some((p: { port: number }) => p.port === b.port)) {
            out.push(problem(m, `${field}/port`, `Service ${svc.metadata.name} has no port ${b.port}`));
          }
        });
      });
    }
    if (m.kind === "Rollout") {
      const canary = m.spec?.strategy?.canary ?? {};
      ref(c, out, m, "/spec/strategy/canary/canaryService", "Service", ns, canary.canaryService);
      ref(c, out, m, "/spec/strategy/canary/stableService", "Service", ns, canary.stableService);
      const analyses = [
        canary.analysis,
        ...(canary.steps ?? []).map((s: Record<string, Json>) => s.analysis),
      ].filter(Boolean);
      for (const a of analyses) {
        (a.templates ?? []).forEach((tpl: Record<string, Json>, i: number) => {
          ref(
            c,
            out,
            m,
            `/spec/strategy/canary/analysis/templates/${i}/templateName`,
            tpl.clusterScope ? "ClusterAnalysisTemplate" : "AnalysisTemplate",
            ns,
            tpl.templateName,
          );
        });
      }
    }
  }
  return out;
}

/**
 * Physical names that collide in one cluster: two objects of the same API group and kind with the
 * same namespace and name, from one program or from several meant to share a cluster.
 */
export function collisionProblems(manifests: Manifest[]): Problem[] {
  const seen = new Map<string, Manifest>();
  const out: Problem[] = [];
  for (const m of manifests) {
    if (m.metadata.name.endsWith(AUTONAME_SUFFIX)) continue; // auto-named: unique by construction
    const k = `${group(m.apiVersion)}|${key(m.kind, m.metadata.namespace, m.metadata.name)}`;
    const first = seen.get(k);
    if (first) out.push(problem(m, "/metadata/name", `collides with the same object of ${first.source}`));
    else seen.set(k, m);
  }
  return out;
}

/** The workload an HPA scales, and its pod template. */
function hpaTarget(c: Cluster, hpa: Manifest): PodTemplate | undefined {
  const ref = hpa.spec?.scaleTargetRef ?? {};
  return c.templates.find(
    (t) =>
      t.owner.kind === ref.kind &&
      t.owner.metadata.name === ref.name &&
      t.owner.metadata.namespace === hpa.metadata.namespace,
  );
}

/**
 * An HPA on a resource's utilization needs that resource's request on every container of the target's
 * pods: without it the controller reports "missing request" and never scales.
 */
export function autoscalerProblems(c: Cluster): Problem[] {
  const out: Problem[] = [];
  for (const hpa of c.manifests.filter((m) => m.kind === "HorizontalPodAutoscaler")) {
    const target = hpaTarget(c, hpa);
    if (!target) continue; // reported by selectorProblems
    (hpa.spec?.metrics ?? []).forEach((metric: Record<string, Json>, i: number) => {
      const resource = metric.type === "Resource" ? metric.resource : undefined;
      if (resource?.target?.type !== "Utilization") return;
      for (const c2 of target.spec.containers ?? []) {
        if (c2.resources?.requests?.[resource.name] === undefined) {
          out.push(
            problem(
              hpa,
              `/spec/metrics/${i}/resource`,
              `scales on ${resource.name} utilization, but container '${c2.name}' of ${target.owner.kind} ${target.owner.metadata.name} requests no ${resource.name}`,
            ),
          );
        }
      }
    });
  }
  return out;
}

/** Whether a NetworkPolicy peer admits traffic from pods of namespace `ns` (labelled by its name). */
function peerAdmitsNamespace(peer: Record<string, Json>, policyNs: string | undefined, ns: string): boolean {
  if (peer.ipBlock) return false;
  if (!peer.namespaceSelector) return policyNs === ns;
  return selects(peer.namespaceSelector, { "kubernetes.io/metadata.name": ns });
}

/**
 * Prometheus (in `prometheusNamespace`) can reach every port a PodMonitor scrapes: when NetworkPolicies
 * select the scraped pods for ingress, one of them must admit that port from Prometheus' namespace.
 */
export function scrapeReachabilityProblems(c: Cluster, prometheusNamespace: string): Problem[] {
  const out: Problem[] = [];
  for (const pm of c.manifests.filter((m) => m.kind === "PodMonitor")) {
    for (const t of podMonitorTargets(c, pm)) {
      const ns = t.owner.metadata.namespace;
      const policies = c.manifests.filter(
        (m) =>
          m.kind === "NetworkPolicy" &&
          m.metadata.namespace === ns &&
          selects(m.spec?.podSelector, t.labels) &&
          (m.spec?.policyTypes ?? ["Ingress"]).includes("Ingress"),
      );
      if (policies.length === 0) continue;
      const { named } = podPorts(t);
      (pm.spec?.podMetricsEndpoints ?? []).forEach((e: Record<string, Json>, i: number) => {
        const number = typeof e.port === "string" ? named.get(e.port) : e.portNumber;
        const admitted = policies.some((p) =>
          (p.spec?.ingress ?? []).some(
            (rule: Record<string, Json>) =>
              (!rule.ports ||
                rule.ports.some(
                  (x: Record<string, Json>) => x.port === undefined || x.port === e.port || x.port === number,
                )) &&
              (!rule.from ||
                rule.from.some((peer: Record<string, Json>) =>
                  peerAdmitsNamespace(peer, ns, prometheusNamespace),
                )),
          ),
        );
        if (!admitted) {
          out.push(
            problem(
              pm,
              `/spec/podMetricsEndpoints/${i}/port`,
              `Prometheus in namespace ${prometheusNamespace} cannot reach port ${e.port ?? number} of ${t.owner.kind} ${t.owner.metadata.name}: NetworkPolicy ${policies.map((p) => p.metadata.name).join(", ")} admits no ingress to it from there`,
            ),
          );
        }
      });
    }
  }
  return out;
}
