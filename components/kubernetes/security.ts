import type * as k8s from "@pulumi/kubernetes";

/** A non-root UID/GID that no common base image assigns to a real user. */
export const DEFAULT_RUN_AS_USER = 10001;

/**
 * Pod-level security context that meets the Pod Security Standards "restricted" profile
 * (kubernetes.io/docs/concepts/security/pod-security-standards/#restricted): non-root, a seccomp
 * profile, and volumes owned by the pod's group so a non-root process can write them.
 */
export function restrictedPodSecurityContext(
  uid = DEFAULT_RUN_AS_USER,
): k8s.types.input.core.v1.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    fsGroupChangePolicy: "OnRootMismatch",
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/**
 * Container-level security context for the "restricted" profile, with a read-only root
 * filesystem: writable paths are explicit emptyDir or PVC mounts.
 */
export function restrictedContainerSecurityContext(
  uid = DEFAULT_RUN_AS_USER,
): k8s.types.input.core.v1.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}
