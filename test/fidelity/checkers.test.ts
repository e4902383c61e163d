import { describe, expect, it } from "vitest";
import { clusterProblems, objectProblems, selfContainedProblems } from "./checks";
import { formatProblems, type Json, type Manifest } from "./manifests";
import type { AddOns } from "./promql";

// A small, correct cluster set written by hand: every checker must accept it as is, and must name the
// object, the field and the reason for each defect planted in a copy of it.

const ns = "team";
const meta = (name: string, labels: Record<string, string> = {}) => ({ name, namespace: ns, labels });
const podLabels = { app: "web", tier: "serving" };
/** The Pod Security "restricted" contexts the fixture's pods carry. */
const restrictedContainer = () => ({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
const restrictedPod = () => ({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });

function fixture(): Manifest[] {
  const m = (doc: Json): Manifest => ({ ...doc, source: "fixture" });
  return [
    m({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
    }),
    m({
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: { name: "serving" },
      value: 1000,
    }),
    m({ apiVersion: "v1", kind: "ServiceAccount", metadata: meta("web") }),
    m({ apiVersion: "v1", kind: "ConfigMap", metadata: meta("web-config"), data: { "app.yaml": "a: 1" } }),
    m({
      apiVersion: "v1",
      kind: "Secret",
      metadata: meta("web-secret"),
      type: "Opaque",
      stringData: { token: "t" },
    }),
    m({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: meta("web-data"),
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    }),
    m({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Rollout",
      metadata: meta("web", podLabels),
      spec: {
        replicas: 2,
        selector: { matchLabels: podLabels },
        strategy: {
          canary: { steps: [{ setWeight: 50 }], analysis: { templates: [{ templateName: "web-slo" }] } },
        },
        template: {
          metadata: { labels: { ...podLabels, "kueue.x-k8s.io/queue-name": "team-queue" } },
          spec: {
            serviceAccountName: "web",
            securityContext: restrictedPod(),
            priorityClassName: "serving",
            containers: [
              {
                name: "model",
                image: "registry.example/model:1",
                securityContext: restrictedContainer(),
                resources: { requests: { cpu: "1", memory: "1Gi" } },
                ports: [{ name: "model", containerPort: 8081 }],
                readinessProbe: { httpGet: { path: "/ping", port: "model" } },
                env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "web-secret", key: "token" } } }],
                volumeMounts: [{ name: "config", mountPath: "/etc/web" }],
              },
              {
                name: "capture",
                image: "registry.example/runtime:1",
                securityContext: restrictedContainer(),
                resources: { requests: { cpu: "100m", memory: "128Mi" } },
                args: ["capture", "--listen=8080", "--metrics-port=9090"],
                ports: [
                  { name: "http", containerPort: 8080 },
                  { name: "metrics", containerPort: 9090 },
                ],
                livenessProbe: { httpGet: { path: "/healthz", port: "metrics" } },
                volumeMounts: [{ name: "data", mountPath: "/capture" }],
              },
            ],
            volumes: [
              { name: "config", configMap: { name: "web-config" } },
              { name: "data", persistentVolumeClaim: { claimName: "web-data" } },
            ],
          },
        },
      },
    }),
    m({
      apiVersion: "v1",
      kind: "Service",
      metadata: meta("web"),
      spec: { selector: podLabels, ports: [{ name: "http", port: 80, targetPort: "http" }] },
    }),
    m({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: meta("web"),
      spec: { minAvailable: 1, selector: { matchLabels: podLabels } },
    }),
    m({
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: meta("web"),
      spec: {
        minReplicas: 2,
        maxReplicas: 4,
        scaleTargetRef: { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "web" },
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
          },
        ],
      },
    }),
    m({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("web"),
      spec: {
        podSelector: { matchLabels: { app: "web" } },
        policyTypes: ["Ingress"],
        ingress: [
          { from: [{ podSelector: {} }], ports: [{ port: 8080, protocol: "TCP" }] },
          {
            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
            ports: [{ port: "metrics" }],
          },
        ],
      },
    }),
    m({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: meta("web"),
      spec: { selector: { matchLabels: { app: "web" } }, podMetricsEndpoints: [{ port: "metrics" }] },
    }),
    m({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: meta("web"),
      spec: {
        groups: [
          {
            name: "web",
            rules: [
              { alert: "WebErrors", expr: 'sum(rate(mlops_requests_total{code=~"5.."}[5m])) > 1' },
              { alert: "WebDrift", expr: 'max(mlops_drift_share{endpoint="web",namespace="team"}) > 0.5' },
            ],
          },
        ],
      },
    }),
    m({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AnalysisTemplate",
      metadata: meta("web-slo"),
      spec: {
        args: [{ name: "variant" }],
        metrics: [
          {
            name: "p99",
            successCondition: "result[0] <= 0.4",
            provider: {
              prometheus: {
                address: "http://prometheus.monitoring:9090",
                query:
                  'histogram_quantile(0.99, sum by (le) (rate(mlops_request_duration_seconds_bucket{variant="{{args.variant}}"}[2m])))',
              },
            },
          },
        ],
      },
    }),
    m({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: meta("web-dashboard", { grafana_dashboard: "1" }),
      data: {
        "web.json": JSON.stringify({
          panels: [{ targets: [{ expr: "sum(rate(mlops_requests_total[$__rate_interval]))" }] }],
        }),
      },
    }),
    m({
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: meta("web-drift"),
      spec: {
        schedule: "0 * * * *",
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: "Never",
                securityContext: restrictedPod(),
                containers: [
                  {
                    name: "drift",
                    image: "registry.example/runtime:1",
                    securityContext: restrictedContainer(),
                    args: [
                      "monitor-run",
                      "--endpoint=web",
                      "--pushgateway=http://pushgateway.monitoring:9091",
                    ],
                    env: [
                      { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                    ],
                  },
                ],
              },
            },
          },
        },
      },
    }),
    m({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: meta("web"),
      spec: {
        parentRefs: [{ group: "", kind: "Service", name: "web" }],
        rules: [{ backendRefs: [{ name: "web", port: 80 }] }],
      },
    }),
    m({
      apiVersion: "kueue.x-k8s.io/v1beta2",
      kind: "ResourceFlavor",
      metadata: { name: "default-flavor" },
      spec: {},
    }),
    m({
      apiVersion: "kueue.x-k8s.io/v1beta2",
      kind: "ClusterQueue",
      metadata: { name: "team-cq" },
      spec: {
        namespaceSelector: {},
        resourceGroups: [
          {
            coveredResources: ["cpu"],
            flavors: [{ name: "default-flavor", resources: [{ name: "cpu", nominalQuota: "4" }] }],
          },
        ],
      },
    }),
    m({
      apiVersion: "kueue.x-k8s.io/v1beta2",
      kind: "LocalQueue",
      metadata: meta("team-queue"),
      spec: { clusterQueue: "team-cq" },
    }),
  ];
}

const ADD_ONS: AddOns = { pushgateways: ["http://pushgateway.monitoring:9091"], series: [] };

function find(ms: Manifest[], kind: string, name: string): Json {
  const found = ms.find((x) => x.kind === kind && x.metadata.name === name);
  if (!found) throw new Error(`fixture has no ${kind} ${name}`);
  return found;
}

const rolloutPod = (ms: Manifest[]) => find(ms, "Rollout", "web").spec.template.spec;

/** All problems of a cluster set, formatted, from every checker. */
async function allProblems(ms: Manifest[]): Promise<string[]> {
  const byCheck = await clusterProblems(ms, { addOns: ADD_ONS });
  return [...formatProblems(await objectProblems(ms)), ...Object.values(byCheck).flatMap(formatProblems)];
}

describe("the fidelity checkers", () => {
  it("accept the correct fixture", async () => {
    expect(await allProblems(fixture())).toEqual([]);
  });

  const cases: { name: string; mutate: (ms: Manifest[]) => void; expected: string }[] = [
    {
      name: "a field of the wrong type (schema)",
      mutate: (ms) => {
        rolloutPod(ms).containers[0].ports[0].containerPort = "8081";
      },
      expected:
        "Rollout team/web (fixture): /spec/template/spec/containers/0/ports/0/containerPort: schema: must be of type integer",
    },
    {
      name: "a required field missing (CRD schema)",
      mutate: (ms) => {
        delete find(ms, "PodMonitor", "web").spec.selector;
      },
      expected: "PodMonitor team/web (fixture): /spec: schema: required field 'selector' is missing",
    },
    {
      name: "an enum value the API does not have",
      mutate: (ms) => {
        find(ms, "NetworkPolicy", "web").spec.policyTypes = ["Inbound"];
      },
      expected: "NetworkPolicy team/web (fixture): /spec/policyTypes/0: schema: must be one of",
    },
    {
      name: "a CRD's CEL rule broken (HTTPRoute path with '//')",
      mutate: (ms) => {
        find(ms, "HTTPRoute", "web").spec.rules[0].matches = [
          { path: { type: "PathPrefix", value: "/v1//predict" } },
        ];
      },
      expected:
        "HTTPRoute team/web (fixture): /spec/rules/0/matches/0/path: CEL: must not contain '//' when type one of ['Exact', 'PathPrefix']",
    },
    {
      name: "a CRD's CEL rule that needs the schema's defaults (Service backend without port)",
      mutate: (ms) => {
        delete find(ms, "HTTPRoute", "web").spec.rules[0].backendRefs[0].port;
      },
      expected:
        "HTTPRoute team/web (fixture): /spec/rules/0/backendRefs/0: CEL: Must have port for Service reference",
    },
    {
      name: "a misspelt field in a custom resource (pruned by the API server)",
      mutate: (ms) => {
        find(ms, "Rollout", "web").spec.strategy.canary.steps[0] = { setWieght: 50 };
      },
      expected:
        "Rollout team/web (fixture): /spec/strategy/canary/steps/0/setWieght: unknown field: the CRD's structural schema does not declare it",
    },
    {
      name: "a Service named with a leading digit",
      mutate: (ms) => {
        find(ms, "Service", "web").metadata.name = "4cast";
      },
      expected: "Service team/4cast (fixture): /metadata/name: '4cast' is not a DNS-1035 label",
    },
    {
      name: "a port name longer than 15 characters",
      mutate: (ms) => {
        rolloutPod(ms).containers[1].ports[1].name = "prometheus-metrics";
      },
      expected:
        "/spec/template/spec/containers/1/ports/1/name: 'prometheus-metrics' is not an IANA service name",
    },
    {
      name: "a probe on another container's named port",
      mutate: (ms) => {
        rolloutPod(ms).containers[0].readinessProbe.httpGet.port = "http";
      },
      expected:
        "Rollout team/web (fixture): /spec/template/spec/containers/0/readinessProbe/httpGet/port: named port 'http' is not a port of container 'model' (it belongs to 'capture'",
    },
    {
      name: "a Service targetPort no selected pod has",
      mutate: (ms) => {
        find(ms, "Service", "web").spec.ports[0].targetPort = "web";
      },
      expected:
        "Service team/web (fixture): /spec/ports/0/targetPort: no container of the pods of Rollout web has a port named 'web'",
    },
    {
      name: "a Service selecting no pod",
      mutate: (ms) => {
        find(ms, "Service", "web").spec.selector = { app: "api" };
      },
      expected: "Service team/web (fixture): /spec/selector: selects no pod template in namespace team",
    },
    {
      name: "a PDB selecting no pod",
      mutate: (ms) => {
        find(ms, "PodDisruptionBudget", "web").spec.selector.matchLabels.tier = "batch";
      },
      expected:
        "PodDisruptionBudget team/web (fixture): /spec/selector: selects no pod template in namespace team",
    },
    {
      name: "a NetworkPolicy selecting no pod",
      mutate: (ms) => {
        find(ms, "NetworkPolicy", "web").spec.podSelector = {
          matchExpressions: [{ key: "app", operator: "In", values: ["api"] }],
        };
      },
      expected:
        "NetworkPolicy team/web (fixture): /spec/podSelector: selects no pod template in namespace team",
    },
    {
      name: "a NetworkPolicy admitting a port no pod declares",
      mutate: (ms) => {
        find(ms, "NetworkPolicy", "web").spec.ingress[0].ports[0].port = 5000;
      },
      expected:
        "NetworkPolicy team/web (fixture): /spec/ingress/0/ports/0/port: no container of the pods of Rollout web declares port 5000",
    },
    {
      name: "a Rollout whose selector misses its template's labels",
      mutate: (ms) => {
        find(ms, "Rollout", "web").spec.selector.matchLabels.version = "v2";
      },
      expected: "Rollout team/web (fixture): /spec/selector: does not match the pod template's labels",
    },
    {
      name: "an HPA scaling a workload that does not exist",
      mutate: (ms) => {
        find(ms, "HorizontalPodAutoscaler", "web").spec.scaleTargetRef.kind = "Deployment";
      },
      expected:
        "HorizontalPodAutoscaler team/web (fixture): /spec/scaleTargetRef: names Deployment team/web, which does not exist",
    },
    {
      name: "a PodMonitor on a port name the pods lack",
      mutate: (ms) => {
        find(ms, "PodMonitor", "web").spec.podMetricsEndpoints[0].port = "http-metrics";
      },
      expected:
        "PodMonitor team/web (fixture): /spec/podMetricsEndpoints/0/port: no container of the pods of Rollout web has a port named 'http-metrics'",
    },
    {
      name: "a scrape port that the pods' NetworkPolicy closes to Prometheus",
      mutate: (ms) => {
        find(ms, "NetworkPolicy", "web").spec.ingress.pop();
      },
      expected:
        "PodMonitor team/web (fixture): /spec/podMetricsEndpoints/0/port: Prometheus in namespace monitoring cannot reach port metrics of Rollout web: NetworkPolicy web admits no ingress to it from there",
    },
    {
      name: "an HPA on CPU utilization of a container without a CPU request",
      mutate: (ms) => {
        delete rolloutPod(ms).containers[1].resources.requests.cpu;
      },
      expected:
        "HorizontalPodAutoscaler team/web (fixture): /spec/metrics/0/resource: scales on cpu utilization, but container 'capture' of Rollout web requests no cpu",
    },
    {
      name: "a pod without the restricted security context in a namespace enforcing it",
      mutate: (ms) => {
        delete rolloutPod(ms).containers[1].securityContext.capabilities;
      },
      expected:
        'Rollout team/web (fixture): /spec/template/spec/containers/1/securityContext/capabilities/drop: namespace team enforces Pod Security "restricted": must drop ALL',
    },
    {
      name: "a ConfigMap volume naming a ConfigMap nothing creates",
      mutate: (ms) => {
        rolloutPod(ms).volumes[0].configMap.name = "web-settings";
      },
      expected:
        "/spec/template/spec/volumes/0/configMap/name: ConfigMap team/web-settings is neither created by the programs nor documented as user-provided",
    },
    {
      name: "an empty claim name",
      mutate: (ms) => {
        rolloutPod(ms).volumes[1].persistentVolumeClaim.claimName = "";
      },
      expected:
        "/spec/template/spec/volumes/1/persistentVolumeClaim/claimName: names an empty PersistentVolumeClaim",
    },
    {
      name: "a Secret key that is not in the Secret",
      mutate: (ms) => {
        rolloutPod(ms).containers[0].env[0].valueFrom.secretKeyRef.key = "password";
      },
      expected:
        "/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef/key: Secret team/web-secret has no key 'password'",
    },
    {
      name: "a missing ServiceAccount",
      mutate: (ms) => {
        rolloutPod(ms).serviceAccountName = "web-runner";
      },
      expected: "/spec/template/spec/serviceAccountName: ServiceAccount team/web-runner is neither created",
    },
    {
      name: "a missing PriorityClass",
      mutate: (ms) => {
        rolloutPod(ms).priorityClassName = "high";
      },
      expected: "/spec/template/spec/priorityClassName: PriorityClass high is neither created",
    },
    {
      name: "a Kueue queue label naming no LocalQueue",
      mutate: (ms) => {
        find(ms, "Rollout", "web").spec.template.metadata.labels["kueue.x-k8s.io/queue-name"] = "other-queue";
      },
      expected: "/metadata/labels/kueue.x-k8s.io~1queue-name: LocalQueue team/other-queue is neither created",
    },
    {
      name: "a LocalQueue naming no ClusterQueue",
      mutate: (ms) => {
        find(ms, "LocalQueue", "team-queue").spec.clusterQueue = "gpu-cq";
      },
      expected:
        "LocalQueue team/team-queue (fixture): /spec/clusterQueue: ClusterQueue gpu-cq is neither created",
    },
    {
      name: "a volume mount with no volume",
      mutate: (ms) => {
        rolloutPod(ms).containers[0].volumeMounts[0].name = "cfg";
      },
      expected: "/spec/template/spec/containers/0/volumeMounts/0/name: no volume named 'cfg' in the pod",
    },
    {
      name: "an HTTPRoute backend on a port the Service lacks",
      mutate: (ms) => {
        find(ms, "HTTPRoute", "web").spec.rules[0].backendRefs[0].port = 8080;
      },
      expected:
        "HTTPRoute team/web (fixture): /spec/rules/0/backendRefs/0/port: Service web has no port 8080",
    },
    {
      name: "a Rollout analysis naming no AnalysisTemplate",
      mutate: (ms) => {
        find(ms, "Rollout", "web").spec.strategy.canary.analysis.templates[0].templateName = "web-success";
      },
      expected: "AnalysisTemplate team/web-success is neither created",
    },
    {
      name: "a PromQL syntax error",
      mutate: (ms) => {
        find(ms, "PrometheusRule", "web").spec.groups[0].rules[0].expr =
          "sum(rate(mlops_requests_total[5m]) >";
      },
      expected: "PrometheusRule team/web (fixture): /spec/groups/0/rules/0/expr: PromQL syntax error",
    },
    {
      name: "a query on a series nothing exports",
      mutate: (ms) => {
        find(ms, "PrometheusRule", "web").spec.groups[0].rules[0].expr =
          "sum(rate(mlops_request_total[5m])) > 1";
      },
      expected:
        "PrometheusRule team/web (fixture): /spec/groups/0/rules/0/expr: reads series 'mlops_request_total', which nothing in the cluster exports",
    },
    {
      name: "a query on a series nothing scrapes (no PodMonitor)",
      mutate: (ms) => {
        ms.splice(ms.indexOf(find(ms, "PodMonitor", "web")), 1);
      },
      expected:
        "AnalysisTemplate team/web-slo (fixture): /spec/metrics/0/provider/prometheus/query: reads series 'mlops_request_duration_seconds_bucket', which nothing scrapes (container 'capture' of Rollout team/web: no PodMonitor scrapes port 'metrics' of its pods)",
    },
    {
      name: "a query matching a label the series never has",
      mutate: (ms) => {
        find(ms, "PrometheusRule", "web").spec.groups[0].rules[0].expr =
          'sum(rate(mlops_requests_total{status=~"5.."}[5m])) > 1';
      },
      expected:
        "PrometheusRule team/web (fixture): /spec/groups/0/rules/0/expr: matches label 'status', which series 'mlops_requests_total' never has",
    },
    {
      name: "a drift alert on the namespace label the job does not push",
      mutate: (ms) => {
        delete find(ms, "CronJob", "web-drift").spec.jobTemplate.spec.template.spec.containers[0].env;
      },
      expected:
        "PrometheusRule team/web (fixture): /spec/groups/0/rules/1/expr: matches label 'namespace', which series 'mlops_drift_share' never has",
    },
    {
      name: "a drift job pushing to a Pushgateway nothing documents",
      mutate: (ms) => {
        find(ms, "CronJob", "web-drift").spec.jobTemplate.spec.template.spec.containers[0].args[2] =
          "--pushgateway=http://pushgateway.example:9091";
      },
      expected:
        "reads series 'mlops_drift_share', which nothing scrapes (container 'drift' of CronJob team/web-drift: http://pushgateway.example:9091 is not a documented Pushgateway)",
    },
    {
      name: "a dashboard query with a syntax error",
      mutate: (ms) => {
        find(ms, "ConfigMap", "web-dashboard").data["web.json"] = JSON.stringify({
          panels: [{ targets: [{ expr: "sum(rate(mlops_requests_total[$__rate_interval])" }] }],
        });
      },
      expected:
        "ConfigMap team/web-dashboard (fixture): /data/web.json/panels/0/targets/0/expr: PromQL syntax error",
    },
    {
      name: "two objects with one physical name",
      mutate: (ms) => {
        const copy = structuredClone(find(ms, "Service", "web"));
        ms.push({ ...copy, source: "other program" });
      },
      expected: "Service team/web (other program): /metadata/name: collides with the same object of fixture",
    },
    {
      name: "a namespace nothing creates",
      mutate: (ms) => {
        find(ms, "ServiceAccount", "web").metadata.namespace = "teams";
      },
      expected: "ServiceAccount teams/web (fixture): /metadata/namespace: Namespace teams is neither created",
    },
  ];

  for (const c of cases) {
    it(`catch ${c.name}`, async () => {
      const ms = structuredClone(fixture());
      c.mutate(ms);
      const problems = await allProblems(ms);
      expect(
        problems.some((p) => p.includes(c.expected)),
        problems.join("\n"),
      ).toBe(true);
    });
  }

  it("hold a component test's objects to the rules that need no other object", async () => {
    const ms = structuredClone(fixture());
    expect(formatProblems(await selfContainedProblems(ms))).toEqual([]);
    rolloutPod(ms).containers[0].livenessProbe = { httpGet: { path: "/ping", port: "http" } };
    find(ms, "PrometheusRule", "web").spec.groups[0].rules[0].expr = "sum(";
    const problems = formatProblems(await selfContainedProblems(ms));
    expect(problems).toContainEqual(expect.stringContaining("livenessProbe/httpGet/port: named port 'http'"));
    expect(problems).toContainEqual(
      expect.stringContaining("/spec/groups/0/rules/0/expr: PromQL syntax error"),
    );
  });
});
