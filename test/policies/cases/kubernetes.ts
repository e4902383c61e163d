/** Kubernetes resource-rule cases: a restricted, kube-score-clean Deployment and mutations of it. */
import { K8S } from "../../../policies/lib/types";
import { type Case, env, fx, mut, set, TAGS } from "../fixtures";
import { UNKNOWN } from "../harness";

const container = {
  name: "server",
  image: "ghcr.io/acme/model-server:1.4.2",
  ports: [{ containerPort: 8080 }],
  resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
  readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
  livenessProbe: { httpGet: { path: "/live", port: 8080 } },
  securityContext: {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  },
};

const podSpec = {
  securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
  containers: [container],
};

const deployment = {
  metadata: { name: "fraud-model", namespace: "serving", labels: TAGS },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "fraud-model" } },
    template: { metadata: { labels: { app: "fraud-model" } }, spec: podSpec },
  },
};

const D = K8S.deployment;
const C = "spec.template.spec.containers.0";

const cronJob = {
  metadata: { name: "drift", namespace: "jobs", labels: TAGS },
  spec: {
    schedule: "0 * * * *",
    startingDeadlineSeconds: 300,
    jobTemplate: {
      spec: {
        template: {
          spec: {
            ...podSpec,
            restartPolicy: "OnFailure",
            containers: [{ ...container, readinessProbe: undefined, livenessProbe: undefined }],
          },
        },
      },
    },
  },
};

const rollout = {
  apiVersion: "argoproj.io/v1alpha1",
  kind: "Rollout",
  metadata: { name: "fraud-model", namespace: "serving", labels: TAGS },
  spec: deployment.spec,
};

export const kubernetesCases: Case[] = [
  // Pod Security Standards
  {
    rule: "kubernetes-run-as-non-root",
    title: "pod-level runAsNonRoot",
    fixture: fx(D, deployment),
    expect: "pass",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "unset everywhere",
    fixture: fx(D, {
      ...deployment,
      spec: { ...deployment.spec, template: { spec: { containers: [{ name: "c", image: "i:1" }] } } },
    }),
    expect: "fail",
    contains: 'containers[0] "c"',
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "container overrides with false",
    fixture: mut(D, deployment, `${C}.securityContext.runAsNonRoot`, false),
    expect: "fail",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "runAsUser 0",
    fixture: mut(D, deployment, "spec.template.spec.securityContext.runAsUser", 0),
    expect: "fail",
    contains: "runAsUser",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "init containers are checked",
    fixture: mut(D, deployment, "spec.template.spec", {
      containers: [container],
      initContainers: [{ name: "init", image: "i:1" }],
    }),
    expect: "fail",
    contains: "initContainers[0]",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "Argo Rollout template",
    fixture: fx(K8S.rollout, rollout),
    expect: "pass",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "Rollout with workloadRef has no template",
    fixture: fx(K8S.rollout, { ...rollout, spec: { workloadRef: { kind: "Deployment", name: "x" } } }),
    expect: "not-applicable",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "CronJob template",
    fixture: fx(K8S.cronJob, cronJob),
    expect: "pass",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "CronJob container runs as root",
    fixture: mut(
      K8S.cronJob,
      cronJob,
      "spec.jobTemplate.spec.template.spec.containers.0.securityContext.runAsNonRoot",
      false,
    ),
    expect: "fail",
    contains: "containers[0]",
  },
  {
    rule: "kubernetes-run-as-non-root",
    title: "unknown pod spec cannot be judged",
    fixture: mut(D, deployment, "spec.template.spec", UNKNOWN),
    expect: "cant-run",
  },
  { rule: "kubernetes-no-privilege-escalation", title: "false", fixture: fx(D, deployment), expect: "pass" },
  {
    rule: "kubernetes-no-privilege-escalation",
    title: "unset",
    fixture: mut(D, deployment, `${C}.securityContext.allowPrivilegeEscalation`, undefined),
    expect: "fail",
  },
  { rule: "kubernetes-drop-all-capabilities", title: "drop ALL", fixture: fx(D, deployment), expect: "pass" },
  {
    rule: "kubernetes-drop-all-capabilities",
    title: "NET_BIND_SERVICE added back",
    fixture: mut(D, deployment, `${C}.securityContext.capabilities.add`, ["NET_BIND_SERVICE"]),
    expect: "pass",
  },
  {
    rule: "kubernetes-drop-all-capabilities",
    title: "nothing dropped",
    fixture: mut(D, deployment, `${C}.securityContext.capabilities`, undefined),
    expect: "fail",
  },
  {
    rule: "kubernetes-drop-all-capabilities",
    title: "SYS_ADMIN added",
    fixture: mut(D, deployment, `${C}.securityContext.capabilities.add`, ["SYS_ADMIN"]),
    expect: "fail",
    contains: "SYS_ADMIN",
  },
  {
    rule: "kubernetes-seccomp-profile",
    title: "pod RuntimeDefault",
    fixture: fx(D, deployment),
    expect: "pass",
  },
  {
    rule: "kubernetes-seccomp-profile",
    title: "per-container Localhost",
    fixture: fx(D, {
      ...deployment,
      spec: {
        ...deployment.spec,
        template: {
          spec: {
            containers: [
              {
                ...container,
                securityContext: {
                  ...container.securityContext,
                  seccompProfile: { type: "Localhost", localhostProfile: "p.json" },
                },
              },
            ],
          },
        },
      },
    }),
    expect: "pass",
  },
  {
    rule: "kubernetes-seccomp-profile",
    title: "none",
    fixture: mut(D, deployment, "spec.template.spec.securityContext.seccompProfile", undefined),
    expect: "fail",
  },
  {
    rule: "kubernetes-seccomp-profile",
    title: "Unconfined",
    fixture: mut(D, deployment, "spec.template.spec.securityContext.seccompProfile.type", "Unconfined"),
    expect: "fail",
    contains: "Unconfined",
  },
  { rule: "kubernetes-no-privileged", title: "not privileged", fixture: fx(D, deployment), expect: "pass" },
  {
    rule: "kubernetes-no-privileged",
    title: "privileged",
    fixture: mut(D, deployment, `${C}.securityContext.privileged`, true),
    expect: "fail",
  },
  { rule: "kubernetes-no-host-namespaces", title: "none", fixture: fx(D, deployment), expect: "pass" },
  {
    rule: "kubernetes-no-host-namespaces",
    title: "hostNetwork",
    fixture: mut(D, deployment, "spec.template.spec.hostNetwork", true),
    expect: "fail",
    contains: "hostNetwork",
  },
  {
    rule: "kubernetes-no-host-namespaces",
    title: "bare Pod hostPID",
    fixture: fx(K8S.pod, { metadata: { name: "p" }, spec: { ...podSpec, hostPID: true } }),
    expect: "fail",
  },
  {
    rule: "kubernetes-no-host-path",
    title: "emptyDir",
    fixture: mut(D, deployment, "spec.template.spec.volumes", [{ name: "tmp", emptyDir: {} }]),
    expect: "pass",
  },
  {
    rule: "kubernetes-no-host-path",
    title: "hostPath",
    fixture: mut(D, deployment, "spec.template.spec.volumes", [
      { name: "docker", hostPath: { path: "/var/run" } },
    ]),
    expect: "fail",
  },
  {
    rule: "kubernetes-no-host-ports",
    title: "container port only",
    fixture: fx(D, deployment),
    expect: "pass",
  },
  {
    rule: "kubernetes-no-host-ports",
    title: "host port",
    fixture: mut(D, deployment, `${C}.ports.0.hostPort`, 8080),
    expect: "fail",
  },
  {
    rule: "kubernetes-restricted-volume-types",
    title: "emptyDir, PVC, projected and a CSI volume",
    fixture: mut(D, deployment, "spec.template.spec.volumes", [
      { name: "tmp", emptyDir: {} },
      { name: "data", persistentVolumeClaim: { claimName: "features" } },
      { name: "token", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } },
      { name: "secrets", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true } },
    ]),
    expect: "pass",
  },
  {
    rule: "kubernetes-restricted-volume-types",
    title: "an inline NFS volume",
    fixture: mut(D, deployment, "spec.template.spec.volumes", [
      { name: "tmp", emptyDir: {} },
      { name: "shared", nfs: { server: "10.0.0.2", path: "/exports" } },
    ]),
    expect: "fail",
    contains: "`volumes[1]` is a nfs volume",
  },
  {
    rule: "kubernetes-restricted-volume-types",
    title: "a hostPath volume is left to kubernetes-no-host-path",
    fixture: mut(D, deployment, "spec.template.spec.volumes", [{ name: "h", hostPath: { path: "/var" } }]),
    expect: "pass",
  },
  {
    rule: "kubernetes-safe-sysctls",
    title: "a safe sysctl",
    fixture: mut(D, deployment, "spec.template.spec.securityContext.sysctls", [
      { name: "net.ipv4.tcp_keepalive_time", value: "300" },
    ]),
    expect: "pass",
  },
  {
    rule: "kubernetes-safe-sysctls",
    title: "a node-wide sysctl",
    fixture: mut(D, deployment, "spec.template.spec.securityContext.sysctls", [
      { name: "net.ipv4.ip_local_port_range", value: "1024 65000" },
      { name: "net.core.somaxconn", value: "1024" },
    ]),
    expect: "fail",
    contains: '`securityContext.sysctls[1]` sets "net.core.somaxconn"',
  },
  {
    rule: "kubernetes-default-proc-mount",
    title: "procMount Default",
    fixture: mut(D, deployment, `${C}.securityContext.procMount`, "Default"),
    expect: "pass",
  },
  {
    rule: "kubernetes-default-proc-mount",
    title: "procMount Unmasked",
    fixture: mut(D, deployment, `${C}.securityContext.procMount`, "Unmasked"),
    expect: "fail",
    contains: '`securityContext.procMount` is "Unmasked"',
  },
  {
    rule: "kubernetes-apparmor-profile",
    title: "RuntimeDefault on the pod, a localhost annotation",
    fixture: mut(
      D,
      set(deployment, "spec.template.spec.securityContext.appArmorProfile", { type: "RuntimeDefault" }),
      "spec.template.metadata.annotations",
      { "container.apparmor.security.beta.kubernetes.io/server": "localhost/model-server" },
    ),
    expect: "pass",
  },
  {
    rule: "kubernetes-apparmor-profile",
    title: "Unconfined on a container",
    fixture: mut(D, deployment, `${C}.securityContext.appArmorProfile`, { type: "Unconfined" }),
    expect: "fail",
    contains: '`securityContext.appArmorProfile.type` is "Unconfined"',
  },
  {
    rule: "kubernetes-apparmor-profile",
    title: "unconfined through the beta annotation",
    fixture: mut(D, deployment, "spec.template.metadata.annotations", {
      "container.apparmor.security.beta.kubernetes.io/server": "unconfined",
    }),
    expect: "fail",
    contains: "container.apparmor.security.beta.kubernetes.io/server",
  },
  {
    rule: "kubernetes-selinux-options",
    title: "container_t with a level",
    fixture: mut(D, deployment, `${C}.securityContext.seLinuxOptions`, {
      type: "container_t",
      level: "s0:c1,c2",
    }),
    expect: "pass",
  },
  {
    rule: "kubernetes-selinux-options",
    title: "spc_t on the pod",
    fixture: mut(D, deployment, "spec.template.spec.securityContext.seLinuxOptions", { type: "spc_t" }),
    expect: "fail",
    contains: '`seLinuxOptions.type` is "spc_t"',
  },
  {
    rule: "kubernetes-selinux-options",
    title: "a custom SELinux user",
    fixture: mut(D, deployment, `${C}.securityContext.seLinuxOptions`, { user: "system_u" }),
    expect: "fail",
    contains: "`seLinuxOptions.user` is set",
  },
  {
    rule: "kubernetes-no-host-process",
    title: "Windows options without HostProcess",
    fixture: mut(D, deployment, `${C}.securityContext.windowsOptions`, { runAsUserName: "ContainerUser" }),
    expect: "pass",
  },
  {
    rule: "kubernetes-no-host-process",
    title: "a HostProcess pod",
    fixture: mut(D, deployment, "spec.template.spec.securityContext.windowsOptions", { hostProcess: true }),
    expect: "fail",
    contains: "hostProcess",
  },
  {
    rule: "kubernetes-no-host-probes",
    title: "probes on the pod's own address",
    fixture: fx(D, deployment),
    expect: "pass",
  },
  {
    rule: "kubernetes-no-host-probes",
    title: "a liveness probe sent to another host",
    fixture: mut(D, deployment, `${C}.livenessProbe.httpGet.host`, "169.254.169.254"),
    expect: "fail",
    contains: '`livenessProbe.httpGet.host` is "169.254.169.254"',
  },
  {
    rule: "kubernetes-no-host-probes",
    title: "a preStop hook sent to another host",
    fixture: mut(D, deployment, `${C}.lifecycle`, { preStop: { tcpSocket: { host: "10.0.0.1", port: 22 } } }),
    expect: "fail",
    contains: "lifecycle.preStop.tcpSocket.host",
  },
  // kube-score
  { rule: "kubernetes-resources", title: "requests and limits", fixture: fx(D, deployment), expect: "pass" },
  {
    rule: "kubernetes-resources",
    title: "no CPU limit",
    fixture: mut(D, deployment, `${C}.resources.limits.cpu`, undefined),
    expect: "fail",
    contains: "limits.cpu",
  },
  {
    rule: "kubernetes-resources",
    title: "no CPU limit allowed by config",
    fixture: mut(D, deployment, `${C}.resources.limits.cpu`, undefined),
    options: { config: { "kubernetes-resources": { requireCpuLimit: false } } },
    expect: "pass",
  },
  {
    rule: "kubernetes-resources",
    title: "no resources",
    fixture: mut(D, deployment, `${C}.resources`, undefined),
    expect: "fail",
  },
  { rule: "kubernetes-probes", title: "both probes", fixture: fx(D, deployment), expect: "pass" },
  {
    rule: "kubernetes-probes",
    title: "no readiness probe",
    fixture: mut(D, deployment, `${C}.readinessProbe`, undefined),
    expect: "fail",
    contains: "readinessProbe",
  },
  {
    rule: "kubernetes-probes",
    title: "CronJobs are not applicable",
    fixture: fx(K8S.cronJob, cronJob),
    expect: "not-applicable",
  },
  { rule: "kubernetes-image-pinned", title: "version tag", fixture: fx(D, deployment), expect: "pass" },
  {
    rule: "kubernetes-image-pinned",
    title: "registry with port and no tag",
    fixture: mut(D, deployment, `${C}.image`, "registry.local:5000/model"),
    expect: "fail",
    contains: "no tag",
  },
  {
    rule: "kubernetes-image-pinned",
    title: "latest",
    fixture: mut(D, deployment, `${C}.image`, "model:latest"),
    expect: "fail",
  },
  {
    rule: "kubernetes-image-pinned",
    title: "digest",
    fixture: mut(D, deployment, `${C}.image`, `model@sha256:${"a".repeat(64)}`),
    expect: "pass",
  },
  {
    rule: "kubernetes-image-pinned",
    title: "digest required by config",
    fixture: fx(D, deployment),
    options: { config: { "kubernetes-image-pinned": { requireDigest: true } } },
    expect: "fail",
  },
  {
    rule: "kubernetes-image-pinned",
    title: "image from a build (unknown)",
    fixture: mut(D, deployment, `${C}.image`, UNKNOWN),
    expect: "cant-run",
  },
  { rule: "kubernetes-read-only-root-fs", title: "read-only", fixture: fx(D, deployment), expect: "pass" },
  {
    rule: "kubernetes-read-only-root-fs",
    title: "writable",
    fixture: mut(D, deployment, `${C}.securityContext.readOnlyRootFilesystem`, false),
    expect: "fail",
  },
  {
    rule: "kubernetes-cronjob-policy",
    title: "deadline and OnFailure",
    fixture: fx(K8S.cronJob, cronJob),
    expect: "pass",
  },
  {
    rule: "kubernetes-cronjob-policy",
    title: "no deadline",
    fixture: mut(K8S.cronJob, cronJob, "spec.startingDeadlineSeconds", undefined),
    expect: "fail",
  },
  {
    rule: "kubernetes-cronjob-policy",
    title: "restartPolicy Always",
    fixture: mut(K8S.cronJob, cronJob, "spec.jobTemplate.spec.template.spec.restartPolicy", "Always"),
    expect: "fail",
    contains: "Always",
  },
  // network, iam, tagging, cost
  {
    rule: "kubernetes-service-not-public",
    title: "ClusterIP",
    fixture: fx(K8S.service, {
      metadata: { name: "s" },
      spec: { selector: { app: "a" }, ports: [{ port: 80 }] },
    }),
    expect: "pass",
  },
  {
    rule: "kubernetes-service-not-public",
    title: "internal load balancer",
    fixture: fx(K8S.service, {
      metadata: { name: "s", annotations: { "networking.gke.io/load-balancer-type": "Internal" } },
      spec: { type: "LoadBalancer" },
    }),
    expect: "pass",
  },
  {
    rule: "kubernetes-service-not-public",
    title: "public load balancer",
    fixture: fx(K8S.service, { metadata: { name: "s" }, spec: { type: "LoadBalancer" } }),
    expect: "fail",
  },
  {
    rule: "kubernetes-service-not-public",
    title: "NodePort",
    fixture: fx(K8S.service, { metadata: { name: "s" }, spec: { type: "NodePort" } }),
    expect: "fail",
    contains: "NodePort",
  },
  {
    rule: "kubernetes-rbac-no-wildcards",
    title: "explicit rules",
    fixture: fx(K8S.role, { rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }] }),
    expect: "pass",
  },
  {
    rule: "kubernetes-rbac-no-wildcards",
    title: "wildcard verbs",
    fixture: fx(K8S.clusterRole, { rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["*"] }] }),
    expect: "fail",
    contains: "rules[0].verbs",
  },
  {
    rule: "kubernetes-no-cluster-admin-binding",
    title: "scoped role",
    fixture: fx(K8S.roleBinding, {
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" },
      subjects: [],
    }),
    expect: "pass",
  },
  {
    rule: "kubernetes-no-cluster-admin-binding",
    title: "cluster-admin",
    fixture: fx(K8S.clusterRoleBinding, {
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
    }),
    expect: "fail",
  },
  { rule: "kubernetes-required-labels", title: "labelled", fixture: fx(D, deployment), expect: "pass" },
  {
    rule: "kubernetes-required-labels",
    title: "no labels",
    fixture: mut(D, deployment, "metadata.labels", undefined),
    expect: "fail",
  },
  { rule: "kubernetes-replica-cap", title: "2 replicas", fixture: fx(D, deployment), expect: "pass" },
  {
    rule: "kubernetes-replica-cap",
    title: "HPA above the cap",
    fixture: fx(K8S.hpa, {
      spec: { minReplicas: 2, maxReplicas: 100, scaleTargetRef: { kind: "Deployment", name: "x" } },
    }),
    expect: "fail",
    contains: "maxReplicas",
  },
  {
    rule: "kubernetes-replica-cap",
    title: "configured cap",
    fixture: fx(D, deployment),
    options: { config: { "kubernetes-replica-cap": { maxReplicas: 1 } } },
    expect: "fail",
  },
];

/** Re-exported for the stack cases. */
export const k8sDeployment = deployment;
export const k8sRollout = rollout;
export { env };
