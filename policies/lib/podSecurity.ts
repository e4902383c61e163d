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
