/**
 * The retraining Job template under the Pod Security Standards "restricted" profile
 * (kubernetes.io/docs/concepts/security/pod-security-standards/#restricted): the drift job creates it
 * in the monitoring namespace, which the platform labels `enforce: restricted`, so a pod that does
 * not meet the profile would be refused at the moment drift is found. Fields the profile requires
 * are filled in where the manifest leaves them unset; a manifest that sets one against the profile
 * is refused, naming the field.
 */

/** Volume types the restricted profile allows. */
const ALLOWED_VOLUMES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);
const ALLOWED_SECCOMP = new Set(["RuntimeDefault", "Localhost"]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** One field of the manifest that the restricted profile refuses. */
export interface RestrictedConflict {
  /** Path inside the manifest, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  field: string;
  value: unknown;
  /** What the profile asks for. */
  expected: string;
}

function checkSecurityContext(
  sc: Obj,
  at: string,
  conflicts: RestrictedConflict[],
  container: boolean,
): void {
  const bad = (field: string, expected: string) =>
    conflicts.push({ field: `${at}.${field}`, value: sc[field], expected });
  if (sc.runAsNonRoot === false) bad("runAsNonRoot", "true or unset");
  if (sc.runAsUser === 0) bad("runAsUser", "a non-zero UID, or unset");
  const seccomp = isObj(sc.seccompProfile) ? sc.seccompProfile.type : undefined;
  if (seccomp !== undefined && !ALLOWED_SECCOMP.has(String(seccomp)))
    conflicts.push({
      field: `${at}.seccompProfile.type`,
      value: seccomp,
      expected: "RuntimeDefault or Localhost",
    });
  if (!container) return;
  if (sc.privileged === true) bad("privileged", "false or unset");
  if (sc.allowPrivilegeEscalation === true) bad("allowPrivilegeEscalation", "false");
  if (sc.procMount !== undefined && sc.procMount !== "Default") bad("procMount", "Default or unset");
  const caps = isObj(sc.capabilities) ? sc.capabilities : {};
  const added = Array.isArray(caps.add) ? caps.add.filter((c) => c !== "NET_BIND_SERVICE") : [];
  if (added.length > 0)
    conflicts.push({ field: `${at}.capabilities.add`, value: caps.add, expected: "only NET_BIND_SERVICE" });
}

/** The container security context with the restricted profile's required fields filled in. */
function restrictContainer(c: Obj): Obj {
  const sc = isObj(c.securityContext) ? c.securityContext : {};
  const caps = isObj(sc.capabilities) ? sc.capabilities : {};
  const drop = Array.isArray(caps.drop) ? (caps.drop as unknown[]) : [];
  return {
    ...c,
    securityContext: {
      ...sc,
      allowPrivilegeEscalation: false,
      capabilities: { ...caps, drop: drop.includes("ALL") ? drop : [...drop, "ALL"] },
    },
  };
}

/**
 * The Job manifest with the restricted profile applied, or the fields that conflict with it. The
 * pod gets `runAsNonRoot: true` and the `RuntimeDefault` seccomp profile unless it sets its own
 * allowed ones; every container gets `allowPrivilegeEscalation: false` and drops `ALL` capabilities.
 */
export function restrictJobManifest(job: Obj): { job: Obj } | { conflicts: RestrictedConflict[] } {
  const spec = job.spec as Obj;
  const template = spec.template as Obj;
  const pod = template.spec as Obj;
  const at = "spec.template.spec";
  const conflicts: RestrictedConflict[] = [];
  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
    if (pod[field] === true)
      conflicts.push({ field: `${at}.${field}`, value: true, expected: "false or unset" });
  }
  const podSc = isObj(pod.securityContext) ? pod.securityContext : {};
  checkSecurityContext(podSc, `${at}.securityContext`, conflicts, false);
  (Array.isArray(pod.volumes) ? pod.volumes : []).forEach((v, i) => {
    const kind = isObj(v) ? Object.keys(v).find((k) => k !== "name") : undefined;
    if (kind !== undefined && !ALLOWED_VOLUMES.has(kind))
      conflicts.push({
        field: `${at}.volumes[${i}].${kind}`,
        value: kind,
        expected: `a volume of type ${[...ALLOWED_VOLUMES].join(", ")}`,
      });
  });
  const lists = ["initContainers", "containers", "ephemeralContainers"] as const;
  for (const list of lists) {
    (Array.isArray(pod[list]) ? (pod[list] as unknown[]) : []).forEach((c, i) => {
      if (!isObj(c)) return;
      const where = `${at}.${list}[${i}]`;
      if (isObj(c.securityContext))
        checkSecurityContext(c.securityContext, `${where}.securityContext`, conflicts, true);
      (Array.isArray(c.ports) ? c.ports : []).forEach((p, j) => {
        if (isObj(p) && p.hostPort !== undefined && p.hostPort !== 0)
          conflicts.push({
            field: `${where}.ports[${j}].hostPort`,
            value: p.hostPort,
            expected: "0 or unset",
          });
      });
    });
  }
  if (conflicts.length > 0) return { conflicts };
  const restrictedPod: Obj = {
    ...pod,
    securityContext: {
      ...podSc,
      runAsNonRoot: podSc.runAsNonRoot ?? true,
      seccompProfile: podSc.seccompProfile ?? { type: "RuntimeDefault" },
    },
  };
  for (const list of lists) {
    if (Array.isArray(pod[list]))
      restrictedPod[list] = (pod[list] as unknown[]).map((c) => (isObj(c) ? restrictContainer(c) : c));
  }
  return { job: { ...job, spec: { ...spec, template: { ...template, spec: restrictedPod } } } };
}
