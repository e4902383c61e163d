/**
 * The Pod Security Standards version a rule follows, and the two pod-level facts that relax checks:
 * `spec.os.name: windows` and `spec.hostUsers: false`.
 *
 * pod-security-admission versions each check (`policy/check_*.go`, `MinimumVersion`): a namespace labelled
 * `pod-security.kubernetes.io/enforce-version: v1.N` is judged by the checks as they stood in 1.N, and `latest`
 * by the cluster's own version. The rules whose verdict changed between 1.25 and the newest version this pack knows
 * take a `podSecurityVersion` setting; the default `latest` follows the newest checks. Set it to the minor version
 * of the oldest cluster the stack deploys to, so the pack never passes a pod that cluster's admission refuses.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { known } from "./values";

/** The oldest Pod Security version the pack follows: 1.25, the first that judges pods by `spec.os.name`. */
export const OLDEST_POD_SECURITY_MINOR = 25;
/** The newest Pod Security version whose checks the pack knows (pod-security-admission's newest fixtures). */
export const NEWEST_POD_SECURITY_MINOR = 37;

/** The setting, shared by every rule whose verdict depends on the version. */
export const podSecurityVersionProperty = {
  type: "string",
  pattern: "^(latest|v?1\\.(2[5-9]|3[0-7]))$",
  default: "latest",
  description:
    'The Pod Security Standards version to follow, as pod-security.kubernetes.io/enforce-version says it: "latest" ' +
    `(the newest checks, those of Kubernetes 1.${NEWEST_POD_SECURITY_MINOR}) or "1.${OLDEST_POD_SECURITY_MINOR}"` +
    ` … "1.${NEWEST_POD_SECURITY_MINOR}". Set it to the oldest cluster's minor version.`,
} as const;

/** A config schema with the version setting alone. */
export const podSecurityVersionSchema: PolicyConfigSchema = {
  properties: { podSecurityVersion: podSecurityVersionProperty },
};

/** The rule config of a version-dependent rule. */
export interface PodSecurityVersionConfig {
  podSecurityVersion: string;
}

/** The minor version a (validated) `podSecurityVersion` names: `latest` → the newest the pack knows. */
export function podSecurityMinor(config: PodSecurityVersionConfig): number {
  const version = config.podSecurityVersion;
  return version === "latest" ? NEWEST_POD_SECURITY_MINOR : Number(version.replace(/^v?1\./, ""));
}

/**
 * True when the pod declares `spec.os.name: windows`. From 1.25, pod-security-admission skips the
 * allowPrivilegeEscalation, capabilities and seccomp checks for such pods, and the API server refuses those
 * fields (and `readOnlyRootFilesystem`) on them. Throws `UnknownValueError` when the name is unknown in preview.
 */
export function isWindowsPod(spec: unknown): boolean {
  return known(spec, ["os", "name"]) === "windows";
}

/**
 * True when the pod runs in a user namespace (`spec.hostUsers: false`), pod-security-admission's
 * `relaxPolicyForUserNamespacePod`: from 1.35 the runAsNonRoot and runAsUser checks allow any value then (root in
 * the pod maps to an unprivileged user on the node). Throws `UnknownValueError` when the value is unknown.
 */
export function inUserNamespace(spec: unknown): boolean {
  return known(spec, ["hostUsers"]) === false;
}

/** The message for a Windows pod that sets a Linux-only field (the API server refuses the pod). */
export function windowsFieldMessage(where: string, field: string): string {
  return (
    `${where}: \`securityContext.${field}\` is set on a Windows pod (\`spec.os.name: windows\`); the API server ` +
    "refuses it there, and Pod Security does not require it for Windows pods. Remove it."
  );
}

/** A pod-security-admission check (`policy/check_<id>.go`) and the rule of this pack that implements it. */
export interface PodSecurityCheck {
  /** The check's ID in pod-security-admission. */
  readonly id: string;
  /** The level that introduces it (restricted includes every baseline check). */
  readonly level: "baseline" | "restricted";
  /** The first minor version (1.x) that has it. */
  readonly since: number;
  /** The rule that implements it. */
  readonly rule: string;
  /** Rules that report part of what the check refuses instead (e.g. hostPath volumes among restricted volumes). */
  readonly alsoReportedBy?: readonly string[];
}

/** Every pod-security-admission check, as of 1.37, with the rule that implements it. */
export const POD_SECURITY_CHECKS: readonly PodSecurityCheck[] = [
  {
    id: "allowPrivilegeEscalation",
    level: "restricted",
    since: 8,
    rule: "kubernetes-no-privilege-escalation",
  },
  { id: "appArmorProfile", level: "baseline", since: 0, rule: "kubernetes-apparmor-profile" },
  { id: "capabilities_baseline", level: "baseline", since: 0, rule: "kubernetes-drop-all-capabilities" },
  { id: "capabilities_restricted", level: "restricted", since: 22, rule: "kubernetes-drop-all-capabilities" },
  { id: "hostNamespaces", level: "baseline", since: 0, rule: "kubernetes-no-host-namespaces" },
  { id: "hostPathVolumes", level: "baseline", since: 0, rule: "kubernetes-no-host-path" },
  { id: "hostPorts", level: "baseline", since: 0, rule: "kubernetes-no-host-ports" },
  { id: "hostProbesAndHostLifecycle", level: "baseline", since: 34, rule: "kubernetes-no-host-probes" },
  { id: "privileged", level: "baseline", since: 0, rule: "kubernetes-no-privileged" },
  { id: "procMount", level: "baseline", since: 0, rule: "kubernetes-default-proc-mount" },
  { id: "procMount_restricted", level: "restricted", since: 35, rule: "kubernetes-default-proc-mount" },
  {
    id: "restrictedVolumes",
    level: "restricted",
    since: 0,
    rule: "kubernetes-restricted-volume-types",
    alsoReportedBy: ["kubernetes-no-host-path"],
  },
  { id: "runAsNonRoot", level: "restricted", since: 0, rule: "kubernetes-run-as-non-root" },
  { id: "runAsUser", level: "restricted", since: 23, rule: "kubernetes-run-as-non-root" },
  { id: "seLinuxOptions", level: "baseline", since: 0, rule: "kubernetes-selinux-options" },
  { id: "seccompProfile_baseline", level: "baseline", since: 0, rule: "kubernetes-seccomp-profile" },
  { id: "seccompProfile_restricted", level: "restricted", since: 19, rule: "kubernetes-seccomp-profile" },
  { id: "sysctls", level: "baseline", since: 0, rule: "kubernetes-safe-sysctls" },
  { id: "windowsHostProcess", level: "baseline", since: 0, rule: "kubernetes-no-host-process" },
];

/** The Pod Security rules of the pack: every rule that implements a check. */
export const POD_SECURITY_RULES: readonly string[] = [
  ...new Set(POD_SECURITY_CHECKS.flatMap((c) => [c.rule, ...(c.alsoReportedBy ?? [])])),
];

/**
 * The rules whose verdict is the baseline level's: those that implement only baseline checks. The others hold a pod
 * to restricted (a capability add-back, a missing seccomp profile, procMount in a user namespace), which a pod that
 * baseline admits need not meet.
 */
export const BASELINE_RULES: readonly string[] = POD_SECURITY_RULES.filter(
  (rule) => !POD_SECURITY_CHECKS.some((c) => c.level === "restricted" && c.rule === rule),
);
