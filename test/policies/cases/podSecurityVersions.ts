/**
 * Pod Security cases that depend on the pod's OS, its user namespace or the Pod Security version
 * (pod-security-admission `policy/check_*.go`): Windows pods are exempt from the allowPrivilegeEscalation,
 * capabilities and seccomp checks from 1.25 and the API server refuses those fields (and readOnlyRootFilesystem) on
 * them; user-namespaced pods (`hostUsers: false`) may run as any UID from 1.35; sysctls, SELinux types and host
 * probes changed between versions.
 */
import { K8S } from "../../../policies/lib/types";
import { type Case, fx, mut, set } from "../fixtures";
import { UNKNOWN } from "../harness";

const P = K8S.pod;

/** A restricted Linux pod (pod-security-admission's minimal valid restricted pod, with our images). */
const linuxPod = {
  metadata: { name: "model" },
  spec: {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    initContainers: [
      {
        name: "init",
        image: "ghcr.io/acme/init:1.0.0",
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      },
    ],
    containers: [
      {
        name: "server",
        image: "ghcr.io/acme/model-server:1.4.2",
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
          readOnlyRootFilesystem: true,
        },
      },
    ],
  },
};

/** A restricted Windows pod: runAsNonRoot, and none of the fields the API server refuses on Windows. */
const windowsPod = {
  metadata: { name: "model" },
  spec: {
    os: { name: "windows" },
    securityContext: { runAsNonRoot: true },
    initContainers: [{ name: "init", image: "ghcr.io/acme/init:1.0.0" }],
    containers: [{ name: "server", image: "ghcr.io/acme/model-server:1.4.2" }],
  },
};

/** A root pod in a user namespace. */
const userNamespacePod = {
  metadata: { name: "model" },
  spec: {
    ...linuxPod.spec,
    hostUsers: false,
    securityContext: { runAsUser: 0, seccompProfile: { type: "RuntimeDefault" } },
  },
};

const version = (rule: string, podSecurityVersion: string) => ({
  config: { [rule]: { podSecurityVersion } },
});

const windowsExempt = (rule: string, field: string, value: unknown): Case[] => [
  { rule, title: "a Windows pod without the Linux-only field", fixture: fx(P, windowsPod), expect: "pass" },
  {
    rule,
    title: `a Windows pod that sets ${field}`,
    fixture: mut(P, windowsPod, `spec.containers.0.securityContext.${field}`, value),
    expect: "fail",
    contains: `containers[0] "server": \`securityContext.${field}\` is set on a Windows pod`,
  },
  {
    rule,
    title: "a pod that says it is Linux is not exempt",
    fixture: mut(P, windowsPod, "spec.os.name", "linux"),
    expect: "fail",
  },
  {
    rule,
    title: "an OS unknown in preview cannot be judged",
    fixture: mut(P, windowsPod, "spec.os.name", UNKNOWN),
    expect: "cant-run",
  },
];

export const podSecurityVersionCases: Case[] = [
  ...windowsExempt("kubernetes-no-privilege-escalation", "allowPrivilegeEscalation", false),
  ...windowsExempt("kubernetes-drop-all-capabilities", "capabilities", { drop: ["ALL"] }),
  ...windowsExempt("kubernetes-seccomp-profile", "seccompProfile", { type: "RuntimeDefault" }),
  ...windowsExempt("kubernetes-read-only-root-fs", "readOnlyRootFilesystem", true),
  {
    rule: "kubernetes-seccomp-profile",
    title: "a Windows pod with a pod-level profile",
    fixture: mut(P, windowsPod, "spec.securityContext.seccompProfile", { type: "RuntimeDefault" }),
    expect: "fail",
    contains: "the pod: `securityContext.seccompProfile` is set on a Windows pod",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "a Windows pod still needs runAsNonRoot",
    fixture: mut(P, windowsPod, "spec.securityContext", undefined),
    expect: "fail",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "a root pod in a user namespace (1.35+)",
    fixture: fx(P, userNamespacePod),
    expect: "pass",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "a user-namespaced pod with runAsNonRoot unset and false on a container",
    fixture: mut(
      P,
      set(userNamespacePod, "spec.securityContext.runAsUser", undefined),
      "spec.containers.0.securityContext.runAsNonRoot",
      false,
    ),
    expect: "pass",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "a root pod in a user namespace, Pod Security 1.35",
    fixture: fx(P, userNamespacePod),
    options: version("kubernetes-run-as-non-root", "1.35"),
    expect: "pass",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "a root pod in a user namespace, Pod Security 1.34",
    fixture: fx(P, userNamespacePod),
    options: version("kubernetes-run-as-non-root", "1.34"),
    expect: "fail",
    contains: "`securityContext.runAsUser` of the pod is 0",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "hostUsers true is no user namespace",
    fixture: mut(P, userNamespacePod, "spec.hostUsers", true),
    expect: "fail",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "a compliant pod with hostUsers unknown in preview",
    fixture: mut(P, linuxPod, "spec.hostUsers", UNKNOWN),
    expect: "pass",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "a root pod with hostUsers unknown in preview cannot be judged",
    fixture: mut(P, userNamespacePod, "spec.hostUsers", UNKNOWN),
    expect: "cant-run",
  },
  {
    rule: "kubernetes-safe-sysctls",
    title: "tcp_notsent_lowat at 1.37",
    fixture: mut(P, linuxPod, "spec.securityContext.sysctls", [
      { name: "net.ipv4.tcp_notsent_lowat", value: "16384" },
    ]),
    options: version("kubernetes-safe-sysctls", "v1.37"),
    expect: "pass",
  },
  {
    rule: "kubernetes-safe-sysctls",
    title: "tcp_notsent_lowat at 1.36",
    fixture: mut(P, linuxPod, "spec.securityContext.sysctls", [
      { name: "net.ipv4.tcp_notsent_lowat", value: "16384" },
    ]),
    options: version("kubernetes-safe-sysctls", "1.36"),
    expect: "fail",
    contains: "a safe sysctl only from Kubernetes 1.37; Pod Security 1.36 refuses it",
  },
  {
    rule: "kubernetes-selinux-options",
    title: "container_engine_t at 1.31",
    fixture: mut(P, linuxPod, "spec.securityContext.seLinuxOptions", { type: "container_engine_t" }),
    options: version("kubernetes-selinux-options", "1.31"),
    expect: "pass",
  },
  {
    rule: "kubernetes-selinux-options",
    title: "container_engine_t at 1.30",
    fixture: mut(P, linuxPod, "spec.securityContext.seLinuxOptions", { type: "container_engine_t" }),
    options: version("kubernetes-selinux-options", "1.30"),
    expect: "fail",
    contains: '`seLinuxOptions.type` is "container_engine_t"',
  },
  {
    rule: "kubernetes-no-host-probes",
    title: "host probes are not checked before 1.34",
    fixture: mut(P, linuxPod, "spec.containers.0.livenessProbe", {
      httpGet: { host: "bad.host", port: 8080 },
    }),
    options: version("kubernetes-no-host-probes", "1.33"),
    expect: "not-applicable",
  },
];
