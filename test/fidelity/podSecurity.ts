import { type Json, type Manifest, type Problem, problem } from "./manifests";
import { containersOf, type PodTemplate } from "./pods";
import type { Cluster } from "./xref";

/** Volume types the restricted profile allows (Pod Security Standards, "Volume Types"). */
const RESTRICTED_VOLUMES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/**
 * The restricted profile's checks of one pod (kubernetes.io/docs/concepts/security/pod-security-standards,
 * as the pod-security-admission controller applies them on Linux pods), each with the field it reads.
 */
export function restrictedViolations(t: PodTemplate): { field: string; reason: string }[] {
  const out: { field: string; reason: string }[] = [];
  const s = t.spec;
  const pod = s.securityContext ?? {};
  const at = (f: string) => `${t.path}/${f}`;
  for (const f of ["hostNetwork", "hostPID", "hostIPC"])
    if (s[f] === true) out.push({ field: at(f), reason: "host namespaces are forbidden" });
  (s.volumes ?? []).forEach((v: Record<string, Json>, i: number) => {
    const type = Object.keys(v).find((k) => k !== "name");
    if (type && !RESTRICTED_VOLUMES.has(type))
      out.push({ field: at(`volumes/${i}/${type}`), reason: `volume type ${type} is not allowed` });
  });
  const podSeccomp = pod.seccompProfile?.type;
  for (const { path, container: c } of containersOf(t)) {
    const sc = c.securityContext ?? {};
    const where = (f: string) => `${path}/securityContext/${f}`;
    if (sc.privileged === true)
      out.push({ field: where("privileged"), reason: "privileged containers are forbidden" });
    if (sc.allowPrivilegeEscalation !== false)
      out.push({ field: where("allowPrivilegeEscalation"), reason: "must be false" });
    if (!(sc.capabilities?.drop ?? []).includes("ALL"))
      out.push({ field: where("capabilities/drop"), reason: "must drop ALL" });
    const added = (sc.capabilities?.add ?? []).filter((x: string) => x !== "NET_BIND_SERVICE");
    if (added.length > 0)
      out.push({
        field: where("capabilities/add"),
        reason: `may add only NET_BIND_SERVICE, not ${added.join(", ")}`,
      });
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true)
      out.push({ field: where("runAsNonRoot"), reason: "must be true (in the container or the pod)" });
    if (sc.runAsUser === 0 || (sc.runAsUser === undefined && pod.runAsUser === 0))
      out.push({ field: where("runAsUser"), reason: "must not be 0" });
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") {
      out.push({
        field: where("seccompProfile/type"),
        reason: "must be RuntimeDefault or Localhost (in the container or the pod)",
      });
    }
  }
  return out;
}

/** The Pod Security level a namespace enforces, from its labels. */
function enforcedLevel(ns: Manifest | undefined): string | undefined {
  return ns?.metadata.labels?.["pod-security.kubernetes.io/enforce"];
}

/** Pods in namespaces that enforce the restricted level meet it, or admission refuses them. */
export function podSecurityProblems(c: Cluster): Problem[] {
  const out: Problem[] = [];
  for (const t of c.templates) {
    const ns = c.find("Namespace", undefined, t.owner.metadata.namespace ?? "");
    if (enforcedLevel(ns) !== "restricted") continue;
    for (const v of restrictedViolations(t)) {
      out.push(
        problem(
          t.owner,
          v.field,
          `namespace ${ns!.metadata.name} enforces Pod Security "restricted": ${v.reason}`,
        ),
      );
    }
  }
  return out;
}
