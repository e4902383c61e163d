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
import {
  inUserNamespace,
  isWindowsPod,
  type PodSecurityVersionConfig,
  podSecurityMinor,
  podSecurityVersionSchema,
  windowsFieldMessage,
} from "../lib/podSecurity";
import { type ResourceCheck, resourceRule, stackRule } from "../lib/rule";
import { K8S } from "../lib/types";
import { known, knownArray, knownRecord, literal, present, probe, show } from "../lib/values";

/** The pod spec and containers of a workload, or not-applicable when it has no template. */
function pod<C>(r: ResourceCheck<C>): { spec: unknown; containers: ContainerRef[] } {
  const spec = podSpec(r.type, r.props);
  if (spec === undefined) {
    return r.args.notApplicable("the workload has no pod template (e.g. a Rollout with workloadRef)");
  }
  return { spec, containers: containersOf(spec) };
}

const workloadTypes = [...WORKLOAD_TYPES];

export const kubernetesRunAsNonRoot = resourceRule<PodSecurityVersionConfig>({
  name: "kubernetes-run-as-non-root",
  theme: "kubernetes",
  description:
    "Pods must run as a non-root user: runAsNonRoot true at pod level or on every container, and never runAsUser 0, unless they run in a user namespace (hostUsers false, Kubernetes 1.35+).",
  source:
    "Pod Security Standards restricted: runAsNonRoot (check_runAsNonRoot.go), runAsUser (check_runAsUser.go); checkov CKV_K8S_23; trivy KSV-0012",
  unset:
    "Unset at both pod and container level fails; an explicit false anywhere fails. With `spec.hostUsers: false` any value passes from `podSecurityVersion` 1.35 (root in the pod is an unprivileged user on the node).",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  configSchema: podSecurityVersionSchema,
  validate(r) {
    const { spec, containers } = pod(r);
    const problems = rootProblems(spec, containers);
    // check_runAsNonRoot.go / check_runAsUser.go 1.35: a user-namespaced pod may run as any UID. Read hostUsers
    // only when it decides, so an unknown hostUsers does not stop a compliant pod being judged in preview.
    if (problems.length === 0 || (podSecurityMinor(r.config) >= 35 && inUserNamespace(spec))) {
      return;
    }
    for (const problem of problems) {
      r.fail(problem);
    }
  },
});

/** What makes a pod run as root, as check_runAsNonRoot.go and check_runAsUser.go read it. */
function rootProblems(spec: unknown, containers: ContainerRef[]): string[] {
  const problems: string[] = [];
  const podLevel = known(spec, ["securityContext", "runAsNonRoot"]);
  if (podLevel === false) {
    problems.push("`securityContext.runAsNonRoot` of the pod is false.");
  }
  if (known(spec, ["securityContext", "runAsUser"]) === 0) {
    problems.push("`securityContext.runAsUser` of the pod is 0 (root).");
  }
  for (const { where, container } of containers) {
    const own = known(container, ["securityContext", "runAsNonRoot"]);
    if (own === false) {
      problems.push(`${where}: \`securityContext.runAsNonRoot\` is false.`);
    } else if (own !== true && podLevel !== true) {
      problems.push(`${where}: runAsNonRoot is not set to true on the container or the pod.`);
    }
    if (known(container, ["securityContext", "runAsUser"]) === 0) {
      problems.push(`${where}: \`securityContext.runAsUser\` is 0 (root).`);
    }
  }
  return problems;
}

/** True when the container sets `securityContext.<field>` at all (an unknown value is set too). */
function setsField(container: unknown, field: string): boolean {
  return probe(container, ["securityContext", field]).state !== "absent";
}

export const kubernetesNoPrivilegeEscalation = resourceRule({
  name: "kubernetes-no-privilege-escalation",
  theme: "kubernetes",
  description: "Containers must set allowPrivilegeEscalation false (Windows pods: must not set it).",
  source:
    "Pod Security Standards restricted: allowPrivilegeEscalation (check_allowPrivilegeEscalation.go); checkov CKV_K8S_20; trivy KSV-0001",
  unset:
    "Unset fails: PSS requires it to be explicitly false. A pod with `spec.os.name: windows` is exempt (PSS 1.25+) and fails only when it sets the field, which the API server refuses.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    const { spec, containers } = pod(r);
    const windows = isWindowsPod(spec);
    for (const { where, container } of containers) {
      if (windows) {
        if (setsField(container, "allowPrivilegeEscalation")) {
          r.fail(windowsFieldMessage(where, "allowPrivilegeEscalation"));
        }
      } else if (known(container, ["securityContext", "allowPrivilegeEscalation"]) !== false) {
        r.fail(`${where}: \`securityContext.allowPrivilegeEscalation\` is not false.`);
      }
    }
  },
});

export const kubernetesDropAllCapabilities = resourceRule({
  name: "kubernetes-drop-all-capabilities",
  theme: "kubernetes",
  description:
    "Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE (Windows pods: must not set capabilities).",
  source:
    "Pod Security Standards restricted: capabilities (check_capabilities_restricted.go, check_capabilities_baseline.go); checkov CKV_K8S_28/37; trivy KSV-0003",
  unset:
    '`securityContext.capabilities.drop` unset fails; it must contain "ALL". A pod with `spec.os.name: windows` is exempt (PSS 1.25+) and fails only when it sets capabilities, which the API server refuses.',
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    const { spec, containers } = pod(r);
    const windows = isWindowsPod(spec);
    for (const { where, container } of containers) {
      if (windows) {
        if (setsField(container, "capabilities")) {
          r.fail(windowsFieldMessage(where, "capabilities"));
        }
        continue;
      }
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
    "Pod Security Standards restricted: seccompProfile (check_seccompProfile_restricted.go, check_seccompProfile_baseline.go); checkov CKV_K8S_31; kube-score container-seccomp-profile",
  unset:
    "Fails unless the pod sets a RuntimeDefault/Localhost profile or every container does; Unconfined anywhere fails. A pod with `spec.os.name: windows` is exempt (PSS 1.25+) and fails only when it sets a profile, which the API server refuses.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  remediation:
    "Sets the pod-level `securityContext.seccompProfile: {type: RuntimeDefault}` when neither the pod nor any container sets a profile (RuntimeDefault is the container runtime's own default filter); never on a pod that is, or may be, a Windows pod.",
  validate(r) {
    const { spec, containers } = pod(r);
    if (isWindowsPod(spec)) {
      if (probe(spec, ["securityContext", "seccompProfile"]).state !== "absent") {
        r.fail(windowsFieldMessage("the pod", "seccompProfile"));
      }
      for (const { where, container } of containers) {
        if (setsField(container, "seccompProfile")) {
          r.fail(windowsFieldMessage(where, "seccompProfile"));
        }
      }
      return;
    }
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
    // The API server refuses a seccomp profile on a Windows pod; an unknown OS may be Windows.
    if (probe(spec, ["os", "name"]).state === "unknown" || literal(spec, ["os", "name"]) === "windows") {
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
  source:
    "Pod Security Standards baseline: privileged containers (check_privileged.go); checkov CKV_K8S_16; trivy KSV-0017",
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
    "Pod Security Standards baseline: host namespaces (check_hostNamespaces.go); checkov CKV_K8S_17 (hostPID), CKV_K8S_18 (hostIPC), CKV_K8S_19 (hostNetwork)",
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
  source: "Pod Security Standards baseline: HostPath volumes (check_hostPathVolumes.go); trivy KSV-0023",
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
  source: "Pod Security Standards baseline: host ports (check_hostPorts.go); checkov CKV_K8S_26",
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

/** Inline volume sources the restricted profile allows (check_restrictedVolumes.go). */
const RESTRICTED_VOLUME_SOURCES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

export const kubernetesRestrictedVolumeTypes = resourceRule({
  name: "kubernetes-restricted-volume-types",
  theme: "kubernetes",
  description:
    "Pods may mount only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes; storage goes through PersistentVolumeClaims.",
  source: "Pod Security Standards restricted: volume types (check_restrictedVolumes.go); trivy KSV-0028",
  unset: "No volumes passes. hostPath is reported by kubernetes-no-host-path.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    const { spec } = pod(r);
    knownArray(spec, ["volumes"]).forEach((volume, i) => {
      // The source is the one field besides the name that is set, as the admission check reads it.
      const sources = Object.keys(knownRecord(volume, [])).filter(
        (key) => key !== "name" && probe(volume, [key]).state !== "absent",
      );
      for (const source of sources) {
        if (source === "hostPath" || RESTRICTED_VOLUME_SOURCES.has(source)) continue;
        r.fail(
          `\`volumes[${i}]\` is a ${source} volume. Mount it through a PersistentVolumeClaim (or a CSI volume) instead.`,
        );
      }
    });
  },
});

/**
 * Sysctls namespaced to the pod and isolated from the node (check_sysctls.go), by the Kubernetes minor version
 * that made them safe.
 */
const SAFE_SYSCTLS_SINCE: readonly (readonly [number, readonly string[]])[] = [
  [
    0,
    [
      "kernel.shm_rmid_forced",
      "net.ipv4.ip_local_port_range",
      "net.ipv4.tcp_syncookies",
      "net.ipv4.ping_group_range",
      "net.ipv4.ip_unprivileged_port_start",
    ],
  ],
  [27, ["net.ipv4.ip_local_reserved_ports"]],
  [
    29,
    [
      "net.ipv4.tcp_keepalive_time",
      "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl",
      "net.ipv4.tcp_keepalive_probes",
    ],
  ],
  [32, ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]],
  [37, ["net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"]],
];

/** The minor version from which `name` is a safe sysctl, or undefined when it never is. */
function safeSince(name: string): number | undefined {
  return SAFE_SYSCTLS_SINCE.find(([, names]) => names.includes(name))?.[0];
}

export const kubernetesSafeSysctls = resourceRule<PodSecurityVersionConfig>({
  name: "kubernetes-safe-sysctls",
  theme: "kubernetes",
  description:
    "Pods may set only the sysctls Kubernetes classes as safe (namespaced and isolated from the node).",
  source: "Pod Security Standards baseline: sysctls (check_sysctls.go); trivy KSV-0026",
  unset:
    "No sysctls passes. A sysctl made safe in a later Kubernetes version than `podSecurityVersion` fails.",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  configSchema: podSecurityVersionSchema,
  validate(r) {
    const { spec } = pod(r);
    const minor = podSecurityMinor(r.config);
    knownArray(spec, ["securityContext", "sysctls"]).forEach((sysctl, i) => {
      const name = known<string>(sysctl, ["name"]);
      if (name === undefined) return;
      const since = safeSince(name);
      if (since === undefined) {
        r.fail(
          `\`securityContext.sysctls[${i}]\` sets ${show(name)}, which is not a safe sysctl. Tune it on the node pool instead.`,
        );
      } else if (since > minor) {
        r.fail(
          `\`securityContext.sysctls[${i}]\` sets ${show(name)}, a safe sysctl only from Kubernetes 1.${since}; Pod Security 1.${minor} refuses it.`,
        );
      }
    });
  },
});

export const kubernetesDefaultProcMount = resourceRule({
  name: "kubernetes-default-proc-mount",
  theme: "kubernetes",
  description: "Containers must keep the default /proc masks (procMount unset or Default).",
  source:
    "Pod Security Standards baseline and restricted: /proc mount type (check_procMount_baseline.go, check_procMount_restricted.go); trivy KSV-0027",
  unset: "Unset passes (the runtime default masks /proc).",
  severity: "high",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    for (const { where, container } of pod(r).containers) {
      const procMount = known<string>(container, ["securityContext", "procMount"]);
      if (procMount !== undefined && procMount !== "Default") {
        r.fail(`${where}: \`securityContext.procMount\` is ${show(procMount)}; only "Default" is allowed.`);
      }
    }
  },
});

const APPARMOR_TYPES_OK = new Set(["RuntimeDefault", "Localhost"]);
const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

export const kubernetesAppArmorProfile = resourceRule({
  name: "kubernetes-apparmor-profile",
  theme: "kubernetes",
  description:
    "Pods must not turn AppArmor off: a profile is RuntimeDefault or Localhost, in the securityContext or the beta annotations.",
  source: "Pod Security Standards baseline: AppArmor (check_appArmorProfile.go); trivy KSV-0002",
  unset: "Unset passes (the runtime applies its default profile where AppArmor is available).",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    const { spec, containers } = pod(r);
    const podType = known<string>(spec, ["securityContext", "appArmorProfile", "type"]);
    if (podType !== undefined && !APPARMOR_TYPES_OK.has(podType)) {
      r.fail(`the pod's \`securityContext.appArmorProfile.type\` is ${show(podType)}.`);
    }
    for (const { where, container } of containers) {
      const type = known<string>(container, ["securityContext", "appArmorProfile", "type"]);
      if (type !== undefined && !APPARMOR_TYPES_OK.has(type)) {
        r.fail(`${where}: \`securityContext.appArmorProfile.type\` is ${show(type)}.`);
      }
    }
    const annotations = knownRecord(r.props, [...podMetadataPath(r.type), "annotations"]);
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX) || typeof value !== "string") continue;
      if (value !== "" && value !== "runtime/default" && !value.startsWith("localhost/")) {
        r.fail(
          `the pod annotation \`${key}\` is ${show(value)}; use "runtime/default" or "localhost/<profile>".`,
        );
      }
    }
  },
});

/** SELinux types a container may run as (check_seLinuxOptions.go); container_engine_t from 1.31. */
const SELINUX_TYPES_OK = new Set(["", "container_t", "container_init_t", "container_kvm_t"]);
const SELINUX_ENGINE_TYPE_SINCE = 31;

export const kubernetesSeLinuxOptions = resourceRule<PodSecurityVersionConfig>({
  name: "kubernetes-selinux-options",
  theme: "kubernetes",
  description:
    "SELinux options may only pick a container type (container_t, container_init_t, container_kvm_t, container_engine_t); a custom user or role is forbidden.",
  source: "Pod Security Standards baseline: SELinux (check_seLinuxOptions.go); trivy KSV-0025",
  unset:
    "Unset passes (the runtime assigns container_t). container_engine_t passes from `podSecurityVersion` 1.31.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  configSchema: podSecurityVersionSchema,
  validate(r) {
    const { spec, containers } = pod(r);
    const engineOk = podSecurityMinor(r.config) >= SELINUX_ENGINE_TYPE_SINCE;
    const check = (options: unknown, where: string) => {
      const type = known<string>(options, ["type"]);
      if (type !== undefined && !SELINUX_TYPES_OK.has(type) && !(engineOk && type === "container_engine_t")) {
        r.fail(`${where}: \`seLinuxOptions.type\` is ${show(type)}.`);
      }
      for (const field of ["user", "role"]) {
        const value = known<string>(options, [field]);
        if (value !== undefined && value !== "") {
          r.fail(
            `${where}: \`seLinuxOptions.${field}\` is set (${show(value)}); a custom SELinux ${field} is forbidden.`,
          );
        }
      }
    };
    check(known(spec, ["securityContext", "seLinuxOptions"]), "the pod");
    for (const { where, container } of containers) {
      check(known(container, ["securityContext", "seLinuxOptions"]), where);
    }
  },
});

export const kubernetesNoHostProcess = resourceRule({
  name: "kubernetes-no-host-process",
  theme: "kubernetes",
  description: "Windows pods must not run HostProcess containers, which have privileged access to the node.",
  source: "Pod Security Standards baseline: HostProcess (check_windowsHostProcess.go)",
  unset: "Unset passes (default false).",
  severity: "critical",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    const { spec, containers } = pod(r);
    if (known(spec, ["securityContext", "windowsOptions", "hostProcess"]) === true) {
      r.fail("the pod's `securityContext.windowsOptions.hostProcess` is true.");
    }
    for (const { where, container } of containers) {
      if (known(container, ["securityContext", "windowsOptions", "hostProcess"]) === true) {
        r.fail(`${where}: \`securityContext.windowsOptions.hostProcess\` is true.`);
      }
    }
  },
});

/** Where a probe or lifecycle handler can name a host (check_hostProbesAndhostLifecycle.go). */
const HOST_HANDLERS = [
  ["livenessProbe", "httpGet"],
  ["livenessProbe", "tcpSocket"],
  ["readinessProbe", "httpGet"],
  ["readinessProbe", "tcpSocket"],
  ["startupProbe", "httpGet"],
  ["startupProbe", "tcpSocket"],
  ["lifecycle", "postStart", "httpGet"],
  ["lifecycle", "postStart", "tcpSocket"],
  ["lifecycle", "preStop", "httpGet"],
  ["lifecycle", "preStop", "tcpSocket"],
] as const;

/** The version whose Pod Security first checks probe and lifecycle hosts (check_hostProbesAndhostLifecycle.go). */
const HOST_PROBES_SINCE = 34;

export const kubernetesNoHostProbes = resourceRule<PodSecurityVersionConfig>({
  name: "kubernetes-no-host-probes",
  theme: "kubernetes",
  description:
    "Probes and lifecycle hooks must not name a host: the kubelet would send requests from the node to any address the pod spec chooses.",
  source:
    "Pod Security Standards baseline: host probes and lifecycle hooks, Kubernetes 1.34+ (check_hostProbesAndhostLifecycle.go)",
  unset:
    "Unset or empty `host` passes (the pod's own IP). With `podSecurityVersion` below 1.34 the rule is not applicable.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  configSchema: podSecurityVersionSchema,
  validate(r) {
    const { containers } = pod(r);
    const minor = podSecurityMinor(r.config);
    if (minor < HOST_PROBES_SINCE) {
      r.args.notApplicable(
        `Pod Security 1.${minor} does not check probe or lifecycle hosts (from 1.${HOST_PROBES_SINCE})`,
      );
    }
    for (const { where, container } of containers) {
      for (const path of HOST_HANDLERS) {
        const host = known<string>(container, [...path, "host"]);
        if (host !== undefined && host !== "") {
          r.fail(
            `${where}: \`${path.join(".")}.host\` is ${show(host)}; probes and hooks must target the pod itself.`,
          );
        }
      }
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
  description:
    "Containers must run with a read-only root filesystem; writable paths are explicit volumes (Windows pods: must not set it).",
  source: "checkov CKV_K8S_22; kube-score container-security-context-readonlyrootfilesystem; trivy KSV-0014",
  unset:
    "`securityContext.readOnlyRootFilesystem` unset fails. A pod with `spec.os.name: windows` cannot have one (the API server refuses the field there) and fails only when it sets it.",
  severity: "medium",
  enforcementLevel: "mandatory",
  resourceTypes: workloadTypes,
  validate(r) {
    const { spec, containers } = pod(r);
    const windows = isWindowsPod(spec);
    for (const { where, container } of containers) {
      if (windows) {
        if (setsField(container, "readOnlyRootFilesystem")) {
          r.fail(windowsFieldMessage(where, "readOnlyRootFilesystem"));
        }
      } else if (known(container, ["securityContext", "readOnlyRootFilesystem"]) !== true) {
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
  kubernetesRestrictedVolumeTypes,
  kubernetesSafeSysctls,
  kubernetesDefaultProcMount,
  kubernetesAppArmorProfile,
  kubernetesSeLinuxOptions,
  kubernetesNoHostProcess,
  kubernetesNoHostProbes,
  kubernetesResources,
  kubernetesProbes,
  kubernetesImagePinned,
  kubernetesReadOnlyRootFs,
  kubernetesCronJobPolicy,
  kubernetesPdb,
  kubernetesProdReplicas,
];
