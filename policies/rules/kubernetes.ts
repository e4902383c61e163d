/**
 * Kubernetes workloads: the Pod Security Standards "restricted" profile (with the baseline checks it
 * includes) and kube-score basics — resources, probes, pinned images, read-only root filesystems, CronJob
 * deadlines, disruption budgets and replicas for serving workloads.
 *
 * Every workload kind is covered through its pod template (`lib/kubernetes.ts`): Pod, Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and Argo Rollouts. PSS checks cover all
 * containers including init and ephemeral containers, as the admission controller does.
 */
import type { PolicyResource } from "@pulumi/policy";
import { environmentConfigProperty, requireProduction } from "../lib/environment";
import {
  appContainersOf,
  type ContainerRef,
  containersOf,
  podMetadataPath,
  podSpec,
  SERVING_WORKLOAD_TYPES,
  sameNamespace,
  selects,
  WORKLOAD_TYPES,
} from "../lib/kubernetes";
import { type ResourceCheck, resourceRule, stackRule } from "../lib/rule";
import { K8S } from "../lib/types";
import { known, knownArray, knownRecord, literal, present, show } from "../lib/values";

/** The pod spec and containers of a workload, or not-applicable when it has no template. */
function pod<C>(r: ResourceCheck<C>): { spec: unknown; containers: ContainerRef[] } {
  const spec = podSpec(r.type, r.props);
  if (spec === undefined) {
    return r.args.notApplicable("the workload has no pod template (e.g. a Rollout with workloadRef)");
  }
  return { spec, containers: containersOf(spec) };
}

const workloadTypes = [...WORKLOAD_TYPES];

export const kubernetesRunAsNonRoot = resourceRule({
  name: "kubernetes-run-as-non-root",
  theme: "kubernetes",
  description:
    "Pods must run as a non-root user: runAsNonRoot true at pod level or on every container, and never runAsUser 0.",
  source:
    "Pod Security Standards restricted: runAsNonRoot (check_runAsNonRoot.go), runAsUser (check_runAsUser.go); checkov CKV_K8S_23; trivy KSV-0012",
  unset: "Unset at both pod and container level fails; an explicit false anywhere fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    const { spec, containers } = pod(r);
    const podLevel = known(spec, ["securityContext", "runAsNonRoot"]);
    if (podLevel === false) {
      r.fail("`securityContext.runAsNonRoot` of the pod is false.");
    }
    if (known(spec, ["securityContext", "runAsUser"]) === 0) {
      r.fail("`securityContext.runAsUser` of the pod is 0 (root).");
    }
    for (const { where, container } of containers) {
      const own = known(container, ["securityContext", "runAsNonRoot"]);
      if (own === false) {
        r.fail(`${where}: \`securityContext.runAsNonRoot\` is false.`);
      } else if (own !== true && podLevel !== true) {
        r.fail(`${where}: runAsNonRoot is not set to true on the container or the pod.`);
      }
      if (known(container, ["securityContext", "runAsUser"]) === 0) {
        r.fail(`${where}: \`securityContext.runAsUser\` is 0 (root).`);
      }
    }
  },
});

export const kubernetesNoPrivilegeEscalation = resourceRule({
  name: "kubernetes-no-privilege-escalation",
  theme: "kubernetes",
  description: "Containers must set allowPrivilegeEscalation false.",
  source:
    "Pod Security Standards restricted: allowPrivilegeEscalation (check_allowPrivilegeEscalation.go); checkov CKV_K8S_20; trivy KSV-0001",
  unset: "Unset fails: PSS requires it to be explicitly false.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    for (const { where, container } of pod(r).containers) {
      if (known(container, ["securityContext", "allowPrivilegeEscalation"]) !== false) {
        r.fail(`${where}: \`securityContext.allowPrivilegeEscalation\` is not false.`);
      }
    }
  },
});

export const kubernetesDropAllCapabilities = resourceRule({
  name: "kubernetes-drop-all-capabilities",
  theme: "kubernetes",
  description: "Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE.",
  source:
    "Pod Security Standards restricted: capabilities (check_capabilities_restricted.go); checkov CKV_K8S_28/37; trivy KSV-0003",
  unset: '`securityContext.capabilities.drop` unset fails; it must contain "ALL".',
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    for (const { where, container } of pod(r).containers) {
      const drop = knownArray(container, ["securityContext", "capabilities", "drop"]);
      if (!drop.includes("ALL")) {
        r.fail(`${where}: \`securityContext.capabilities.drop\` does not contain "ALL".`);
      }
      const extra = knownArray(container, ["securityContext", "capabilities", "add"]).filter(
        (c) => c !== "NET_BIND_SERVICE",
      );
      if (extra.length > 0) {
        r.fail(
          `${where}: adds capabilities ${extra.map(show).join(", ")}; only NET_BIND_SERVICE is allowed.`,
        );
      }
    }
  },
});

const SECCOMP_OK = new Set(["RuntimeDefault", "Localhost"]);

export const kubernetesSeccompProfile = resourceRule({
  name: "kubernetes-seccomp-profile",
  theme: "kubernetes",
  description: "Pods must run with the RuntimeDefault or a Localhost seccomp profile.",
  source:
    "Pod Security Standards restricted: seccompProfile (check_seccompProfile_restricted.go); checkov CKV_K8S_31; kube-score container-seccomp-profile",
  unset:
    "Fails unless the pod sets a RuntimeDefault/Localhost profile or every container does; Unconfined anywhere fails.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  remediation:
    "Sets the pod-level `securityContext.seccompProfile: {type: RuntimeDefault}` when neither the pod nor any container sets a profile (RuntimeDefault is the container runtime's own default filter).",
  validate(r) {
    const { spec, containers } = pod(r);
    const podType = known<string>(spec, ["securityContext", "seccompProfile", "type"]);
    if (podType !== undefined && !SECCOMP_OK.has(podType)) {
      r.fail(`the pod's \`securityContext.seccompProfile.type\` is ${show(podType)}.`);
    }
    for (const { where, container } of containers) {
      const own = known<string>(container, ["securityContext", "seccompProfile", "type"]);
      if (own !== undefined && !SECCOMP_OK.has(own)) {
        r.fail(`${where}: \`securityContext.seccompProfile.type\` is ${show(own)}.`);
      } else if (own === undefined && podType === undefined) {
        r.fail(`${where}: no seccomp profile on the container or the pod; set RuntimeDefault.`);
      }
    }
  },
  remediate(r) {
    const spec = podSpec(r.type, r.props);
    if (spec === undefined || present(spec, ["securityContext", "seccompProfile"])) {
      return undefined;
    }
    if (containersOf(spec).some((c) => present(c.container, ["securityContext", "seccompProfile"]))) {
      return undefined;
    }
    const copy = JSON.parse(JSON.stringify(r.props)) as Record<string, unknown>;
    let cursor = copy;
    for (const segment of podSpecSegments(r.type)) {
      cursor = cursor[segment] as Record<string, unknown>;
    }
    cursor.securityContext = {
      ...((cursor.securityContext as object) ?? {}),
      seccompProfile: { type: "RuntimeDefault" },
    };
    return copy;
  },
});

function podSpecSegments(type: string): string[] {
  return type === K8S.pod
    ? ["spec"]
    : type === K8S.cronJob
      ? ["spec", "jobTemplate", "spec", "template", "spec"]
      : ["spec", "template", "spec"];
}

export const kubernetesNoPrivileged = resourceRule({
  name: "kubernetes-no-privileged",
  theme: "kubernetes",
  description: "Containers must not run privileged.",
  source: "Pod Security Standards baseline: privileged containers; checkov CKV_K8S_16; trivy KSV-0017",
  unset: "Unset passes (default false).",
  severity: "critical",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    for (const { where, container } of pod(r).containers) {
      if (known(container, ["securityContext", "privileged"]) === true) {
        r.fail(`${where}: \`securityContext.privileged\` is true.`);
      }
    }
  },
});

export const kubernetesNoHostNamespaces = resourceRule({
  name: "kubernetes-no-host-namespaces",
  theme: "kubernetes",
  description: "Pods must not share the host's network, PID or IPC namespaces.",
  source:
    "Pod Security Standards baseline: host namespaces; checkov CKV_K8S_17 (hostPID), CKV_K8S_18 (hostIPC), CKV_K8S_19 (hostNetwork)",
  unset: "Unset passes (default false).",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    const { spec } = pod(r);
    for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
      if (known(spec, [field]) === true) {
        r.fail(`\`${field}\` is true.`);
      }
    }
  },
});

export const kubernetesNoHostPath = resourceRule({
  name: "kubernetes-no-host-path",
  theme: "kubernetes",
  description: "Pods must not mount hostPath volumes.",
  source: "Pod Security Standards baseline: HostPath volumes; trivy KSV-0023",
  unset: "No volumes passes.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    const { spec } = pod(r);
    knownArray(spec, ["volumes"]).forEach((v, i) => {
      if (present(v, ["hostPath"])) {
        r.fail(
          `\`volumes[${i}]\` is a hostPath volume. Use a PersistentVolumeClaim, emptyDir or a CSI volume.`,
        );
      }
    });
  },
});

export const kubernetesNoHostPorts = resourceRule({
  name: "kubernetes-no-host-ports",
  theme: "kubernetes",
  description: "Containers must not bind host ports.",
  source: "Pod Security Standards baseline: host ports; checkov CKV_K8S_26",
  unset: "`hostPort` unset or 0 passes.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    for (const { where, container } of pod(r).containers) {
      knownArray(container, ["ports"]).forEach((p, i) => {
        const hostPort = known<number>(p, ["hostPort"]);
        if (hostPort !== undefined && hostPort !== 0) {
          r.fail(`${where}: \`ports[${i}].hostPort\` is ${hostPort}.`);
        }
      });
    }
  },
});

interface ResourcesConfig {
  requireCpuLimit: boolean;
}

export const kubernetesResources = resourceRule<ResourcesConfig>({
  name: "kubernetes-resources",
  theme: "kubernetes",
  description:
    "Containers must declare CPU and memory requests and limits, so the scheduler can place them and a runaway model cannot starve its node.",
  source: "checkov CKV_K8S_10-13; kube-score container-resources; trivy KSV-0011/KSV-0018",
  unset:
    "Each unset value fails. `requireCpuLimit: false` drops the CPU-limit requirement (kube-score's --ignore-container-cpu-limit).",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  configSchema: {
    properties: {
      requireCpuLimit: {
        type: "boolean",
        default: true,
        description: "Require a CPU limit as well as a request.",
      },
    },
  },
  validate(r) {
    const needed = [
      ["requests", "cpu"],
      ["requests", "memory"],
      ["limits", "memory"],
      ...(r.config.requireCpuLimit ? [["limits", "cpu"]] : []),
    ];
    for (const { where, container } of pod(r).containers) {
      if (where.startsWith("ephemeralContainers")) {
        continue;
      }
      const missing = needed.filter((p) => !present(container, ["resources", ...p])).map((p) => p.join("."));
      if (missing.length > 0) {
        r.fail(`${where}: \`resources\` lacks ${missing.join(", ")}.`);
      }
    }
  },
});

export const kubernetesProbes = resourceRule({
  name: "kubernetes-probes",
  theme: "kubernetes",
  description:
    "Long-running serving containers must have readiness and liveness probes, so traffic only reaches a loaded model and a hung one restarts.",
  source: "kube-score pod-probes; checkov CKV_K8S_8 (liveness), CKV_K8S_9 (readiness)",
  unset:
    "A missing `readinessProbe` or `livenessProbe` on an app container fails. Jobs, CronJobs and bare Pods are not applicable.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: [...SERVING_WORKLOAD_TYPES, "kubernetes:apps/v1:DaemonSet"],
  validate(r) {
    const spec = pod(r).spec;
    for (const { where, container } of appContainersOf(spec)) {
      for (const probeName of ["readinessProbe", "livenessProbe"]) {
        if (!present(container, [probeName])) {
          r.fail(`${where}: no \`${probeName}\`.`);
        }
      }
    }
  },
});

interface ImageConfig {
  requireDigest: boolean;
}

export const kubernetesImagePinned = resourceRule<ImageConfig>({
  name: "kubernetes-image-pinned",
  theme: "kubernetes",
  description:
    "Container images must be pinned: a digest, or a tag other than latest, so what is reviewed is what runs.",
  source:
    "checkov CKV_K8S_14 (tag not latest), CKV_K8S_43 (digest); kube-score container-image-tag; trivy KSV-0013",
  unset:
    "An image with no tag (implicitly latest) or tag `latest` fails; with `requireDigest`, anything without `@sha256:` fails.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  configSchema: {
    properties: {
      requireDigest: {
        type: "boolean",
        default: false,
        description: "Require an @sha256 digest, not just a tag.",
      },
    },
  },
  validate(r) {
    for (const { where, container } of pod(r).containers) {
      const image = known<string>(container, ["image"]);
      if (!image) {
        r.fail(`${where}: no \`image\`.`);
        continue;
      }
      if (image.includes("@sha256:")) {
        continue;
      }
      if (r.config.requireDigest) {
        r.fail(`${where}: image ${show(image)} is not pinned by digest (@sha256:…).`);
        continue;
      }
      const lastSegment = image.split("/").pop() ?? image;
      const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
      if (!tag || tag === "latest") {
        r.fail(
          `${where}: image ${show(image)} has ${tag ? "tag latest" : "no tag (implicitly latest)"}. Pin a version or digest.`,
        );
      }
    }
  },
});

export const kubernetesReadOnlyRootFs = resourceRule({
  name: "kubernetes-read-only-root-fs",
  theme: "kubernetes",
  description: "Containers must run with a read-only root filesystem; writable paths are explicit volumes.",
  source: "checkov CKV_K8S_22; kube-score container-security-context-readonlyrootfilesystem; trivy KSV-0014",
  unset: "`securityContext.readOnlyRootFilesystem` unset fails.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    for (const { where, container } of pod(r).containers) {
      if (known(container, ["securityContext", "readOnlyRootFilesystem"]) !== true) {
        r.fail(`${where}: \`securityContext.readOnlyRootFilesystem\` is not true.`);
      }
    }
  },
});

export const kubernetesCronJobPolicy = resourceRule({
  name: "kubernetes-cronjob-policy",
  theme: "kubernetes",
  description:
    "CronJobs (drift and evaluation jobs) must set a starting deadline, so a missed schedule does not pile up runs, and restart policy Never or OnFailure.",
  source: "kube-score cronjob-has-deadline, cronjob-restartpolicy",
  unset:
    "`spec.startingDeadlineSeconds` unset fails; the pod's `restartPolicy` must be Never or OnFailure (Kubernetes rejects Always for Jobs).",
  severity: "low",
  enforcementLevel: "advisory",
  resourceTypes: [K8S.cronJob],
  validate(r) {
    if (!present(r.props, ["spec", "startingDeadlineSeconds"])) {
      r.fail("`spec.startingDeadlineSeconds` is not set.");
    }
    const policy = known<string>(pod(r).spec, ["restartPolicy"]);
    if (policy !== "Never" && policy !== "OnFailure") {
      r.fail(`the pod's \`restartPolicy\` is ${show(policy ?? "unset")}; set Never or OnFailure.`);
    }
  },
});

function replicasOf(r: PolicyResource): number {
  return known<number>(r.props, ["spec", "replicas"]) ?? 1;
}

export const kubernetesPdb = stackRule({
  name: "kubernetes-pdb",
  theme: "kubernetes",
  description:
    "Replicated serving workloads must have a PodDisruptionBudget that selects their pods, so node drains keep the model available.",
  source: "kube-score deployment-has-poddisruptionbudget, statefulset-has-poddisruptionbudget",
  unset:
    "A Deployment/StatefulSet/Rollout with more than one replica and no PodDisruptionBudget in its namespace whose `spec.selector.matchLabels` ⊆ its pod labels fails. `spec.replicas` unset counts as 1.",
  severity: "medium",
  enforcementLevel: "advisory",
  resourceTypes: [...SERVING_WORKLOAD_TYPES, K8S.pdb],
  appliesWhen: [...SERVING_WORKLOAD_TYPES],
  validate(s) {
    const pdbs = s.ofType(K8S.pdb);
    for (const w of s.ofType(...SERVING_WORKLOAD_TYPES)) {
      if (replicasOf(w) <= 1) {
        continue;
      }
      const labels = knownRecord(w.props, [...podMetadataPath(w.type), "labels"]);
      const covered = pdbs.some(
        (p) =>
          sameNamespace(p, w) && selects(knownRecord(p.props, ["spec", "selector", "matchLabels"]), labels),
      );
      if (!covered) {
        s.fail(
          w,
          `${w.type.split(":").pop()} "${w.name}" has ${replicasOf(w)} replicas and no PodDisruptionBudget selecting its pods.`,
        );
      }
    }
  },
});

interface ReplicasConfig {
  environment?: string;
  minReplicas: number;
}

export const kubernetesProdReplicas = stackRule<ReplicasConfig>({
  name: "kubernetes-prod-replicas",
  theme: "kubernetes",
  description:
    "In production, Deployments, StatefulSets and Rollouts must run at least two replicas (directly, or as an HPA's minReplicas), so one pod failure or node drain does not stop them.",
  source: "kube-score deployment-replicas; compliance-policies minimum-replica-count",
  unset:
    "`spec.replicas` unset counts as 1 and fails, unless a HorizontalPodAutoscaler whose `scaleTargetRef` names the workload has `minReplicas` at the minimum. Outside production, or with an unknown environment, not applicable.",
  severity: "medium",
  enforcementLevel: "advisory",
  resourceTypes: [...SERVING_WORKLOAD_TYPES, K8S.hpa],
  appliesWhen: [...SERVING_WORKLOAD_TYPES],
  configSchema: {
    properties: {
      environment: environmentConfigProperty,
      minReplicas: {
        type: "integer",
        minimum: 1,
        default: 2,
        description: "Minimum replicas in production.",
      },
    },
  },
  validate(s) {
    requireProduction(s);
    const hpas = s.ofType(K8S.hpa);
    for (const w of s.ofType(...SERVING_WORKLOAD_TYPES)) {
      const name = literal<string>(w.props, ["metadata", "name"]);
      const kind = w.type.split(":").pop();
      const hpa = hpas.find(
        (h) =>
          sameNamespace(h, w) &&
          literal(h.props, ["spec", "scaleTargetRef", "kind"]) === kind &&
          ((name !== undefined && literal(h.props, ["spec", "scaleTargetRef", "name"]) === name) ||
            (h.propertyDependencies.spec ?? []).some((d) => d.urn === w.urn)),
      );
      const min = hpa ? (known<number>(hpa.props, ["spec", "minReplicas"]) ?? 1) : replicasOf(w);
      if (min < s.config.minReplicas) {
        s.fail(
          w,
          `${kind} "${w.name}" runs ${min} replica(s)${hpa ? " (HPA minReplicas)" : ""}; production needs at least ${s.config.minReplicas}.`,
        );
      }
    }
  },
});

export const kubernetesRules = [
  kubernetesRunAsNonRoot,
  kubernetesNoPrivilegeEscalation,
  kubernetesDropAllCapabilities,
  kubernetesSeccompProfile,
  kubernetesNoPrivileged,
  kubernetesNoHostNamespaces,
  kubernetesNoHostPath,
  kubernetesNoHostPorts,
  kubernetesResources,
  kubernetesProbes,
  kubernetesImagePinned,
  kubernetesReadOnlyRootFs,
  kubernetesCronJobPolicy,
  kubernetesPdb,
  kubernetesProdReplicas,
];
