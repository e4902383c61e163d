import { expect } from "vitest";

/**
 * Asserts that a pod spec meets the Pod Security Standards "restricted" profile
 * (kubernetes.io/docs/concepts/security/pod-security-standards/#restricted) plus a read-only root.
 */
export function expectRestricted(podSpec: Record<string, any>): void {
  const pod = podSpec.securityContext ?? {};
  expect(podSpec.hostNetwork ?? false).toBe(false);
  expect(podSpec.hostPID ?? false).toBe(false);
  expect(podSpec.hostIPC ?? false).toBe(false);
  for (const v of podSpec.volumes ?? []) expect(v.hostPath, `volume ${v.name}`).toBeUndefined();
  const containers = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
  expect(containers.length).toBeGreaterThan(0);
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    expect(sc.allowPrivilegeEscalation, where).toBe(false);
    expect(sc.privileged ?? false, where).toBe(false);
    expect(sc.capabilities?.drop, where).toContain("ALL");
    expect(sc.capabilities?.add ?? [], where).toEqual([]);
    expect(sc.runAsNonRoot ?? pod.runAsNonRoot, where).toBe(true);
    expect(sc.runAsUser ?? pod.runAsUser ?? 1, where).not.toBe(0);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    expect(["RuntimeDefault", "Localhost"], where).toContain(seccomp);
    expect(sc.readOnlyRootFilesystem, where).toBe(true);
    expect(c.resources?.requests, `${where} requests`).toBeDefined();
    expect(c.resources?.limits?.memory, `${where} memory limit`).toBeDefined();
  }
}
