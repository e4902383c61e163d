/**
 * Generates Pod Security pass and fail fixtures the way kubernetes/pod-security-admission builds its own
 * (`test/fixtures*.go`): a minimal valid pod per level and version, and per check a set of mutations of it that
 * must pass or fail that level. Our own code, written from reading those definitions; see README.md here.
 *
 *   npx tsx test/policies/pod-security/generate.ts   # rewrites fixtures/
 *
 * `test/policies/pod-security.test.ts` checks that fixtures/ is what this produces, then runs every pod through
 * the pack's rules.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { POD_SECURITY_CHECKS as CHECKS } from "../../../policies/lib/podSecurity";

// biome-ignore lint/suspicious/noExplicitAny: pods are plain JSON manifests
export type Pod = Record<string, any>;
export type Level = "baseline" | "restricted";

/** The versions generated: 1.25 (the oldest the pack follows) to 1.37 (pod-security-admission's newest). */
export const MINORS = Array.from({ length: 13 }, (_, i) => 25 + i);
export const LEVELS: readonly Level[] = ["baseline", "restricted"];

/** pod-security-admission writes Linux and Windows variants of the restricted base pod from 1.29. */
const OS_SPECIFIC_BASE_SINCE = 29;

const clone = <T>(v: T): T => structuredClone(v);
function tweak(pod: Pod, f: (p: Pod) => void): Pod {
  const out = clone(pod);
  f(out);
  return out;
}
const spec = (p: Pod) => p.spec;
const c0 = (p: Pod) => p.spec.containers[0];
const i0 = (p: Pod) => p.spec.initContainers[0];
/** A container's securityContext, created when missing. */
function sc(container: Pod): Pod {
  container.securityContext ??= {};
  return container.securityContext;
}
/** The pod's securityContext, created when missing. */
function psc(p: Pod): Pod {
  p.spec.securityContext ??= {};
  return p.spec.securityContext;
}
/** ensureSecurityContext: the pod and every container get a (possibly empty) securityContext. */
function ensureSecurityContext(p: Pod): Pod {
  const out = clone(p);
  psc(out);
  for (const c of [...out.spec.containers, ...out.spec.initContainers]) sc(c);
  return out;
}
function ensureCapabilities(p: Pod): Pod {
  const out = ensureSecurityContext(p);
  for (const c of [...out.spec.containers, ...out.spec.initContainers]) c.securityContext.capabilities ??= {};
  return out;
}
function ensureSELinuxOptions(p: Pod): Pod {
  const out = ensureSecurityContext(p);
  out.spec.securityContext.seLinuxOptions ??= {};
  for (const c of [...out.spec.containers, ...out.spec.initContainers])
    c.securityContext.seLinuxOptions ??= {};
  return out;
}
function ensureAnnotations(p: Pod): Pod {
  const out = clone(p);
  out.metadata ??= {};
  out.metadata.annotations ??= {};
  return out;
}
/** Deletes a key, as a nil pointer or empty slice is omitted from the serialized pod. */
function unset(obj: Pod | undefined, key: string): void {
  if (obj) delete obj[key];
}

// ---- minimal valid pods (fixtures.go) ----------------------------------------------------------------------

const baseline: Pod = {
  spec: {
    containers: [{ name: "container1", image: "registry.k8s.io/pause" }],
    initContainers: [{ name: "initcontainer1", image: "registry.k8s.io/pause" }],
  },
};
const restricted1_0 = tweak(baseline, (p) => {
  p.spec.securityContext = { runAsNonRoot: true };
});
const restricted1_22 = tweak(restricted1_0, (p) => {
  c0(p).securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
  i0(p).securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
  p.spec.securityContext.seccompProfile = { type: "RuntimeDefault" };
});
const withOs = (p: Pod, name: string) => tweak(p, (q) => (q.spec.os = { name }));

/** The minimal valid OS-neutral pod of a level at 1.25+. */
export function minimalValidPod(level: Level): Pod {
  return clone(level === "baseline" ? baseline : restricted1_22);
}

// ---- per-check generators (fixtures_<check>.go), for minor versions 1.25+ ----------------------------------

interface Generator {
  pass(p: Pod, level: Level): Pod[];
  fail(p: Pod): Pod[];
}

const UNCONFINED = { type: "Unconfined" };
const RUNTIME_DEFAULT = { type: "RuntimeDefault" };
const LOCALHOST = { type: "Localhost", localhostProfile: "testing" };
const BASELINE_CAPS = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
];
const ALL_INDIVIDUAL_CAPS = [
  "SYS_TIME",
  "SYS_MODULE",
  "SYS_RAWIO",
  "SYS_PACCT",
  "SYS_ADMIN",
  "SYS_NICE",
  "SYS_RESOURCE",
  "SYS_TIME",
  "SYS_TTY_CONFIG",
  "MKNOD",
  "AUDIT_WRITE",
  "AUDIT_CONTROL",
  "MAC_OVERRIDE",
  "MAC_ADMIN",
  "NET_ADMIN",
  "SYSLOG",
  "CHOWN",
  "NET_RAW",
  "DAC_OVERRIDE",
  "FOWNER",
  "DAC_READ_SEARCH",
  "FSETID",
  "KILL",
  "SETGID",
  "SETUID",
  "LINUX_IMMUTABLE",
  "NET_BIND_SERVICE",
  "NET_BROADCAST",
  "IPC_LOCK",
  "IPC_OWNER",
  "SYS_CHROOT",
  "SYS_PTRACE",
  "SYS_BOOT",
  "LEASE",
  "SETFCAP",
  "WAKE_ALARM",
  "BLOCK_SUSPEND",
];
const APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

/** A container with a probe or hook naming `host`. */
const probeHandler = (kind: "httpGet" | "tcpSocket", host?: string) => ({
  [kind]: { ...(host === undefined ? {} : { host }), port: 8080 },
});

/** The sysctls each version's pass fixture sets (the set added at or before that version's generator). */
function sysctlPass(minor: number): { name: string; value: string }[] {
  if (minor >= 37) {
    return [
      { name: "net.ipv4.tcp_slow_start_after_idle", value: "0" },
      { name: "net.ipv4.tcp_notsent_lowat", value: "16384" },
    ];
  }
  if (minor >= 32) {
    return [
      { name: "net.ipv4.tcp_rmem", value: "4096 87380 16777216" },
      { name: "net.ipv4.tcp_wmem", value: "4096 65536 16777216" },
    ];
  }
  const list = [
    { name: "kernel.shm_rmid_forced", value: "0" },
    { name: "net.ipv4.ip_local_port_range", value: "1024 65535" },
    { name: "net.ipv4.tcp_syncookies", value: "0" },
    { name: "net.ipv4.ping_group_range", value: "1 0" },
    { name: "net.ipv4.ip_unprivileged_port_start", value: "1024" },
  ];
  if (minor >= 27) list.push({ name: "net.ipv4.ip_local_reserved_ports", value: "1024-4999" });
  if (minor >= 29) {
    list.push(
      { name: "net.ipv4.tcp_keepalive_time", value: "7200" },
      { name: "net.ipv4.tcp_fin_timeout", value: "60" },
      { name: "net.ipv4.tcp_keepalive_intvl", value: "75" },
      { name: "net.ipv4.tcp_keepalive_probes", value: "9" },
    );
  }
  return list;
}

/** The volumes the restricted level refuses (fixtures_restrictedVolumes.go), one fail fixture each. */
const RESTRICTED_VOLUME_SOURCES: Pod[] = [
  { gcePersistentDisk: { pdName: "test" } },
  { awsElasticBlockStore: { volumeID: "test" } },
  { gitRepo: { repository: "github.com/kubernetes/kubernetes" } },
  { nfs: { server: "test", path: "/test" } },
  { iscsi: { targetPortal: "test", iqn: "iqn.2001-04.com.example:storage.kube.sys1.xyz", lun: 0 } },
  { glusterfs: { path: "test", endpoints: "test" } },
  { rbd: { monitors: ["test"], image: "test" } },
  { flexVolume: { driver: "test" } },
  { cinder: { volumeID: "test" } },
  { cephfs: { monitors: ["test"] } },
  { flocker: { datasetName: "test" } },
  { fc: { wwids: ["test"] } },
  { azureFile: { secretName: "test", shareName: "test" } },
  { vsphereVolume: { volumePath: "test" } },
  { quobyte: { registry: "localhost:1234", volume: "test" } },
  { azureDisk: { diskName: "test", diskURI: "https://test.blob.core.windows.net/test/test.vhd" } },
  { portworxVolume: { volumeID: "test", fsType: "ext4" } },
  // secretRef is serialized even when nil (no omitempty in the API type).
  { scaleIO: { volumeName: "test", gateway: "localhost", system: "test", secretRef: null } },
  { storageos: { volumeName: "test" } },
  { hostPath: { path: "/dev/null" } },
];

function generators(minor: number): Record<string, Generator> {
  return {
    allowPrivilegeEscalation: {
      pass: () => [],
      fail: (p) => [
        tweak(p, (q) => (sc(c0(q)).allowPrivilegeEscalation = true)),
        tweak(p, (q) => (sc(i0(q)).allowPrivilegeEscalation = true)),
        tweak(p, (q) => unset(c0(q).securityContext, "allowPrivilegeEscalation")),
        tweak(p, (q) => unset(c0(q), "securityContext")),
      ],
    },
    appArmorProfile: {
      pass: (p) => {
        const a = ensureAnnotations(p);
        // As upstream: both annotations are keyed by the first container's name, so the second wins.
        return [
          tweak(a, (q) => (q.metadata.annotations[`${APPARMOR_PREFIX}${c0(q).name}`] = "localhost/foo")),
        ];
      },
      fail: (p) => {
        const a = ensureAnnotations(p);
        return [
          tweak(a, (q) => (q.metadata.annotations[`${APPARMOR_PREFIX}${c0(q).name}`] = "unconfined")),
          tweak(a, (q) => (q.metadata.annotations[`${APPARMOR_PREFIX}${i0(q).name}`] = "unconfined")),
        ];
      },
    },
    capabilities_baseline: {
      pass: (p) => {
        if ((p.spec.containers[0].securityContext?.capabilities?.drop ?? []).includes("ALL")) return [];
        const e = ensureCapabilities(p);
        return [
          tweak(e, (q) => {
            c0(q).securityContext.capabilities.add = [...BASELINE_CAPS];
            i0(q).securityContext.capabilities.add = [...BASELINE_CAPS];
          }),
        ];
      },
      fail: (p) => {
        const e = ensureCapabilities(p);
        return [["NET_RAW"], "init", ["chown"], ["CAP_CHOWN"]].map((add) =>
          tweak(e, (q) => {
            if (add === "init") i0(q).securityContext.capabilities.add = ["NET_RAW"];
            else c0(q).securityContext.capabilities.add = add;
          }),
        );
      },
    },
    capabilities_restricted: {
      pass: (p) => {
        const e = ensureCapabilities(p);
        return [
          tweak(e, (q) => {
            for (const c of [c0(q), i0(q)]) {
              c.securityContext.capabilities.drop = ["ALL"];
              c.securityContext.capabilities.add = ["NET_BIND_SERVICE"];
            }
          }),
        ];
      },
      fail: (p) => {
        const e = ensureCapabilities(p);
        return [
          tweak(e, (q) => unset(c0(q).securityContext.capabilities, "drop")),
          tweak(e, (q) => unset(i0(q).securityContext.capabilities, "drop")),
          tweak(e, (q) => {
            c0(q).securityContext.capabilities.drop = [...ALL_INDIVIDUAL_CAPS];
            i0(q).securityContext.capabilities.drop = [...ALL_INDIVIDUAL_CAPS];
          }),
          tweak(e, (q) => {
            for (const c of [c0(q), i0(q)]) {
              c.securityContext.capabilities.drop = ["ALL"];
              c.securityContext.capabilities.add = [...BASELINE_CAPS];
            }
          }),
        ];
      },
    },
    hostNamespaces: {
      pass: () => [],
      fail: (p) => ["hostIPC", "hostNetwork", "hostPID"].map((f) => tweak(p, (q) => (spec(q)[f] = true))),
    },
    hostPathVolumes: {
      pass: () => [],
      fail: (p) => [
        tweak(p, (q) => {
          q.spec.volumes = [
            { name: "volume-emptydir", emptyDir: {} },
            { name: "volume-hostpath", hostPath: { path: "/a" } },
          ];
        }),
        tweak(p, (q) => {
          q.spec.volumes = [
            { name: "volume-hostpath-a", hostPath: { path: "/a" } },
            { name: "volume-hostpath-b", hostPath: { path: "/b" } },
          ];
        }),
      ],
    },
    hostPorts: {
      pass: (p) => [
        tweak(p, (q) => {
          c0(q).ports = [{ containerPort: 12345 }];
          i0(q).ports = [{ containerPort: 12346 }];
        }),
      ],
      fail: (p) => [
        tweak(p, (q) => (c0(q).ports = [{ containerPort: 12345, hostPort: 12345 }])),
        tweak(p, (q) => (i0(q).ports = [{ containerPort: 12346, hostPort: 12346 }])),
        tweak(p, (q) => {
          c0(q).ports = [{ containerPort: 12345, hostPort: 12345 }, { containerPort: 12347 }];
          i0(q).ports = [{ containerPort: 12346, hostPort: 12346 }, { containerPort: 12348 }];
        }),
      ],
    },
    hostProbesAndHostLifecycle: {
      pass: (p) => [
        clone(p),
        tweak(p, (q) => (c0(q).livenessProbe = probeHandler("httpGet"))),
        tweak(p, (q) => (c0(q).readinessProbe = probeHandler("tcpSocket"))),
      ],
      fail: (p) => [
        tweak(p, (q) => (c0(q).livenessProbe = probeHandler("httpGet", "bad.host"))),
        tweak(p, (q) => {
          i0(q).restartPolicy = "Always";
          i0(q).readinessProbe = probeHandler("tcpSocket", "8.8.8.8");
        }),
        tweak(p, (q) => (c0(q).lifecycle = { postStart: probeHandler("httpGet", "bad.host") })),
        tweak(p, (q) => (c0(q).livenessProbe = probeHandler("httpGet", "127.0.0.1"))),
        tweak(p, (q) => (c0(q).readinessProbe = probeHandler("tcpSocket", "::1"))),
      ],
    },
    privileged: {
      pass: (p) => {
        const e = ensureSecurityContext(p);
        return [
          tweak(e, (q) => {
            c0(q).securityContext.privileged = false;
            i0(q).securityContext.privileged = false;
          }),
        ];
      },
      fail: (p) => {
        const e = ensureSecurityContext(p);
        return [c0, i0].map((which) =>
          tweak(e, (q) => {
            which(q).securityContext.privileged = true;
            unset(which(q).securityContext, "allowPrivilegeEscalation");
          }),
        );
      },
    },
    procMount: procMountGenerator(minor, "baseline"),
    procMount_restricted: procMountGenerator(minor, "restricted"),
    restrictedVolumes: {
      pass: (p) => [
        tweak(p, (q) => {
          q.spec.volumes = [
            { name: "volume0" },
            { name: "volume1", emptyDir: {} },
            { name: "volume2", secret: { secretName: "test" } },
            { name: "volume3", persistentVolumeClaim: { claimName: "test" } },
            {
              name: "volume4",
              downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] },
            },
            { name: "volume5", configMap: { name: "test" } },
            { name: "volume6", projected: { sources: [] } },
          ];
        }),
      ],
      fail: (p) =>
        RESTRICTED_VOLUME_SOURCES.map((source) =>
          tweak(p, (q) => {
            q.spec.volumes = [{ name: "volume1", ...clone(source) }];
          }),
        ),
    },
    runAsNonRoot: {
      pass: (p) => {
        const e = ensureSecurityContext(p);
        return [
          tweak(e, (q) => {
            psc(q).runAsNonRoot = true;
            unset(c0(q).securityContext, "runAsNonRoot");
            unset(i0(q).securityContext, "runAsNonRoot");
          }),
          tweak(e, (q) => {
            unset(psc(q), "runAsNonRoot");
            c0(q).securityContext.runAsNonRoot = true;
            i0(q).securityContext.runAsNonRoot = true;
          }),
        ];
      },
      fail: (p) => {
        const e = ensureSecurityContext(p);
        return [
          tweak(e, (q) => {
            unset(psc(q), "runAsNonRoot");
            unset(c0(q).securityContext, "runAsNonRoot");
            unset(i0(q).securityContext, "runAsNonRoot");
          }),
          tweak(e, (q) => (psc(q).runAsNonRoot = false)),
          tweak(e, (q) => (c0(q).securityContext.runAsNonRoot = false)),
          tweak(e, (q) => (i0(q).securityContext.runAsNonRoot = false)),
        ];
      },
    },
    runAsUser: {
      pass: (p) => {
        const e = ensureSecurityContext(p);
        return [
          tweak(e, (q) => {
            psc(q).runAsUser = 1000;
            c0(q).securityContext.runAsUser = 1000;
            i0(q).securityContext.runAsUser = 1000;
          }),
        ];
      },
      fail: (p) => {
        const e = ensureSecurityContext(p);
        return [
          tweak(e, (q) => (psc(q).runAsUser = 0)),
          tweak(e, (q) => (c0(q).securityContext.runAsUser = 0)),
          tweak(e, (q) => (i0(q).securityContext.runAsUser = 0)),
        ];
      },
    },
    seLinuxOptions: {
      pass: (p) => {
        const e = ensureSELinuxOptions(p);
        return [
          tweak(e, (q) => {
            unset(psc(q), "seLinuxOptions");
            unset(c0(q).securityContext, "seLinuxOptions");
            i0(q).securityContext.seLinuxOptions = {};
          }),
          tweak(e, (q) => {
            psc(q).seLinuxOptions.type = "container_t";
            c0(q).securityContext.seLinuxOptions.type = "container_init_t";
            i0(q).securityContext.seLinuxOptions.type = "container_kvm_t";
            c0(q).securityContext.seLinuxOptions.level = "somevalue";
          }),
        ];
      },
      fail: (p) => {
        const e = ensureSELinuxOptions(p);
        return [
          tweak(e, (q) => (psc(q).seLinuxOptions.type = "somevalue")),
          tweak(e, (q) => (c0(q).securityContext.seLinuxOptions.type = "somevalue")),
          tweak(e, (q) => (i0(q).securityContext.seLinuxOptions.type = "somevalue")),
          tweak(e, (q) => (psc(q).seLinuxOptions.user = "somevalue")),
          tweak(e, (q) => (psc(q).seLinuxOptions.role = "somevalue")),
        ];
      },
    },
    seccompProfile_baseline: {
      pass: (p) => {
        if (p.spec.securityContext?.seccompProfile?.type === "RuntimeDefault") return [];
        const e = ensureSecurityContext(p);
        return [
          tweak(e, (q) => {
            psc(q).seccompProfile = clone(RUNTIME_DEFAULT);
            c0(q).securityContext.seccompProfile = clone(RUNTIME_DEFAULT);
          }),
        ];
      },
      fail: (p) => {
        const e = ensureSecurityContext(p);
        return [
          tweak(e, (q) => (psc(q).seccompProfile = clone(UNCONFINED))),
          tweak(e, (q) => (c0(q).securityContext.seccompProfile = clone(UNCONFINED))),
          tweak(e, (q) => (i0(q).securityContext.seccompProfile = clone(UNCONFINED))),
        ];
      },
    },
    seccompProfile_restricted: {
      pass: (p) => {
        const e = ensureSecurityContext(p);
        return [
          tweak(e, (q) => (psc(q).seccompProfile = clone(RUNTIME_DEFAULT))),
          tweak(e, (q) => (psc(q).seccompProfile = clone(LOCALHOST))),
          tweak(e, (q) => {
            unset(psc(q), "seccompProfile");
            c0(q).securityContext.seccompProfile = clone(RUNTIME_DEFAULT);
            i0(q).securityContext.seccompProfile = clone(LOCALHOST);
          }),
        ];
      },
      fail: (p) => {
        const e = ensureSecurityContext(p);
        return [
          tweak(e, (q) => unset(psc(q), "seccompProfile")),
          tweak(e, (q) => (psc(q).seccompProfile = clone(UNCONFINED))),
          tweak(e, (q) => {
            unset(psc(q), "seccompProfile");
            c0(q).securityContext.seccompProfile = clone(RUNTIME_DEFAULT);
          }),
          tweak(e, (q) => {
            unset(psc(q), "seccompProfile");
            i0(q).securityContext.seccompProfile = clone(RUNTIME_DEFAULT);
          }),
          tweak(e, (q) => {
            unset(psc(q), "seccompProfile");
            c0(q).securityContext.seccompProfile = clone(RUNTIME_DEFAULT);
            i0(q).securityContext.seccompProfile = clone(UNCONFINED);
          }),
        ];
      },
    },
    sysctls: {
      pass: (p) => {
        const base = tweak(p, (q) => psc(q));
        return [clone(base), tweak(base, (q) => (psc(q).sysctls = sysctlPass(minor)))];
      },
      fail: (p) => [tweak(p, (q) => (psc(q).sysctls = [{ name: "othersysctl", value: "other" }]))],
    },
    windowsHostProcess: {
      pass: () => [],
      fail: (p) => {
        const e = ensureSecurityContext(p);
        psc(e).windowsOptions ??= {};
        c0(e).securityContext.windowsOptions ??= {};
        i0(e).securityContext.windowsOptions ??= {};
        return [
          tweak(e, (q) => {
            q.spec.hostNetwork = true;
            psc(q).windowsOptions.hostProcess = true;
          }),
          tweak(e, (q) => {
            q.spec.hostNetwork = true;
            c0(q).securityContext.windowsOptions.hostProcess = true;
            i0(q).securityContext.windowsOptions.hostProcess = true;
          }),
        ];
      },
    },
  };
}

/** fixtures_procMount.go: the 1.0 generator before 1.35; from 1.35 the baseline and restricted ones. */
function procMountGenerator(minor: number, check: Level): Generator {
  const setProcMount = (containers: ((p: Pod) => Pod)[], value: string, hostUsers: boolean) => (p: Pod) =>
    tweak(ensureSecurityContext(p), (q) => {
      for (const c of containers) c(q).securityContext.procMount = value;
      q.spec.hostUsers = hostUsers;
    });
  const defaultPass = setProcMount([c0, i0], "Default", false);
  if (minor < 35) {
    return {
      pass: (p) => [defaultPass(p)],
      fail: (p) => [setProcMount([c0], "Unmasked", false)(p), setProcMount([i0], "Unmasked", false)(p)],
    };
  }
  if (check === "baseline") {
    return {
      pass: (p, level) => [
        defaultPass(p),
        // Baseline 1.35+ relaxes procMount in a user namespace; restricted does not.
        ...(level === "restricted" ? [] : [setProcMount([c0, i0], "Unmasked", false)(p)]),
      ],
      fail: (p) => [setProcMount([c0], "Unmasked", true)(p), setProcMount([i0], "Unmasked", true)(p)],
    };
  }
  return {
    pass: (p) => [defaultPass(p)],
    fail: (p) => [setProcMount([c0], "Unmasked", false)(p), setProcMount([i0], "Unmasked", false)(p)],
  };
}

// ---- assembly (fixtures_test.go) ---------------------------------------------------------------------------

/** The fixtures of one level at one version, by name (`base`, `<check id in lower case><index>`). */
export interface FixtureSet {
  level: Level;
  version: string;
  pass: Record<string, Pod>;
  fail: Record<string, Pod>;
}

function named(name: string, pod: Pod): Pod {
  const { spec: podSpec, metadata } = clone(pod);
  return { apiVersion: "v1", kind: "Pod", metadata: { ...(metadata ?? {}), name }, spec: podSpec };
}

/** Every fixture pod-security-admission defines for `level` at 1.`minor`. */
export function fixtureSet(level: Level, minor: number): FixtureSet {
  if (minor < MINORS[0]!) throw new Error(`fixtures are generated from 1.${MINORS[0]} only, not 1.${minor}`);
  const base = minimalValidPod(level);
  const out: FixtureSet = { level, version: `1.${minor}`, pass: { base: named("base", base) }, fail: {} };
  if (level === "restricted" && minor >= OS_SPECIFIC_BASE_SINCE) {
    out.pass.base_linux = named("base_linux", withOs(base, "linux"));
    out.pass.base_windows = named("base_windows", withOs(restricted1_0, "windows"));
  }
  const gens = generators(minor);
  const checks = CHECKS.filter((c) => c.since <= minor && (level === "restricted" || c.level === "baseline"));
  for (const check of [...checks].sort((a, b) => a.id.localeCompare(b.id))) {
    const gen = gens[check.id];
    if (!gen) throw new Error(`no generator for ${check.id}`);
    const prefix = check.id.toLowerCase();
    for (const [kind, pods] of [
      ["pass", gen.pass(clone(base), level)],
      ["fail", gen.fail(clone(base))],
    ] as const) {
      for (const [i, pod] of pods.entries()) out[kind][`${prefix}${i}`] = named(`${prefix}${i}`, pod);
    }
  }
  return out;
}

/** The committed file of one level and version. */
export function fixtureFile(level: Level, minor: number): string {
  return path.join(__dirname, "fixtures", level, `v1.${minor}.json`);
}

/** JSON with one pod per line, so a diff shows which fixtures changed. */
export function serialize(set: FixtureSet): string {
  const pods = (pods: Record<string, Pod>) =>
    Object.entries(pods)
      .map(([name, pod]) => `  ${JSON.stringify(name)}: ${JSON.stringify(pod)}`)
      .join(",\n");
  return `{\n "level": ${JSON.stringify(set.level)},\n "version": ${JSON.stringify(set.version)},\n "pass": {\n${pods(set.pass)}\n },\n "fail": {\n${pods(set.fail)}\n }\n}\n`;
}

if (require.main === module) {
  for (const level of LEVELS) {
    for (const minor of MINORS) {
      const file = fixtureFile(level, minor);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, serialize(fixtureSet(level, minor)));
    }
  }
  console.log(
    `wrote ${LEVELS.length * MINORS.length} fixture files under ${path.join(__dirname, "fixtures")}`,
  );
}
