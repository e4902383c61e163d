import * as pulumi from "@pulumi/pulumi";
import Ajv from "ajv";
import { describe, expect, it, vi } from "vitest";
import { ArgsValidationError } from "../../../components/core/validation";
import { errorRateQuery, p99LatencyQuery } from "../../../components/kubernetes/promql";
import { canaryPodShare, inexpressibleReplicaCounts } from "../../../components/kubernetes/serving/canary";
import { KubernetesServingEndpoint } from "../../../components/kubernetes/servingEndpoint";
import { descendantsOf, ofType, one, type PlainResource } from "../../helpers/capture";
import { expectRestricted } from "../../helpers/restricted";
import analysisSchema from "./fixtures/crds/argo-rollouts-v1.9.1-analysistemplate.schema.json";
import rolloutSchema from "./fixtures/crds/argo-rollouts-v1.9.1-rollout.schema.json";
import httpRouteSchema from "./fixtures/crds/gateway-api-v1.3.0-standard-httproute.schema.json";

const tags = {
  owner: "ml-platform@example.com",
  costCenter: "cc-42",
  environment: "prod",
  dataClassification: "confidential",
} as const;

const ROLLOUT = "kubernetes:argoproj.io/v1alpha1:Rollout";
const ANALYSIS = "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate";
const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const SERVICE = "kubernetes:core/v1:Service";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const PVC = "kubernetes:core/v1:PersistentVolumeClaim";

// An A/B endpoint behind a Gateway: 80/20 split, a GPU challenger, a shadow candidate mirrored at
// 50%, custom canary steps and SLOs, 25% capture.
const ab = new KubernetesServingEndpoint("fraud", {
  tags,
  name: "fraud",
  namespace: "serving",
  registryUri: "http://reg-mlflow.mlops.svc.cluster.local:5000",
  variants: [
    { name: "champion", modelUri: "models:/fraud/7", weight: 80, minReplicas: 2, maxReplicas: 6 },
    { name: "challenger", modelUri: "models:/fraud/8", weight: 20, accelerator: "nvidia-l4", minReplicas: 2 },
    {
      name: "candidate",
      modelUri: "models:/fraud/9",
      shadow: true,
      minReplicas: 2,
      image: "registry.example.com/torch-serving:2.5@sha256:" + "ab".repeat(32),
    },
  ],
  rollout: {
    steps: [{ weight: 25, pauseSeconds: 60 }, { weight: 50 }, { weight: 100, pauseSeconds: 0 }],
    maxErrorRate: 0.02,
    maxP99LatencyMs: 250,
  },
  captureSamplingPercent: 25,
  gatewayName: "ml-gateway",
  gatewayNamespace: "gateway",
  hostnames: ["fraud.ml.example.com"],
  shadowMirrorPercent: 50,
  schedulingTarget: "gcp",
});

// The local default: one variant from an artifact URI, no Gateway (GAMMA), ReadWriteOnce capture.
const local = new KubernetesServingEndpoint("churn", {
  tags: { ...tags, environment: "local" },
  name: "churn",
  variants: [{ name: "main", modelUri: "s3://models/churn/3" }],
  captureVolumeAccessMode: "ReadWriteOnce",
});

// Capture off: no volume, the sidecar only measures.
const uncaptured = new KubernetesServingEndpoint("nocap", {
  tags,
  name: "nocap",
  variants: [{ name: "main", modelUri: "s3://models/x/1" }],
  captureSamplingPercent: 0,
  protect: false,
});

// A custom model server (Triton-style image) on its own port and health path, three GPU replicas max on EKS.
const custom = new KubernetesServingEndpoint("rank", {
  tags,
  name: "rank",
  namespace: "serving",
  modelServer: "custom",
  image: "registry.example.com/ranker:2.1",
  modelPort: 9000,
  healthPath: "/v2/health/ready",
  variants: [{ name: "main", modelUri: "s3://models/rank/2", accelerator: "nvidia-a10g", maxReplicas: 3 }],
  gpusPerReplica: 1,
  schedulingTarget: "aws",
  captureSamplingPercent: 10,
});

const podOf = (r: PlainResource) => r.props.spec.template.spec as Record<string, any>;
const container = (r: PlainResource, name: string) => podOf(r).containers.find((c: any) => c.name === name);
const argValue = (args: string[], flag: string) =>
  args.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);

/**
 * The CRD schema with unknown fields refused, as the API server does under strict field validation
 * (`kubectl apply --validate=strict`); by default it would prune a misspelt field silently.
 */
function strictSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = strictSchema(v);
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    !out["x-kubernetes-preserve-unknown-fields"]
  ) {
    out.additionalProperties = false;
  }
  return out;
}
const validators = new Map<object, ReturnType<Ajv["compile"]>>();
function crdValidator(schema: object) {
  let v = validators.get(schema);
  if (!v) {
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    v = ajv.compile(strictSchema(schema) as object);
    validators.set(schema, v);
  }
  return v;
}
function expectValid(schema: object, r: PlainResource) {
  const validate = crdValidator(schema);
  const { apiVersion, kind, metadata, spec } = r.props;
  const ok = validate({ apiVersion, kind, metadata, spec });
  expect(validate.errors ?? [], `${r.type} ${r.name}`).toEqual([]);
  expect(ok).toBe(true);
}

describe("KubernetesServingEndpoint (A/B behind a Gateway, shadow, GPU challenger)", () => {
  it("registers one Rollout, Service, HPA and PDB per variant under the component", async () => {
    const component = await one("mlops:index:KubernetesServingEndpoint", "fraud");
    const children = await descendantsOf(component.urn);
    const names = children.map((c) => `${c.type}::${c.name}`).sort();
    const perVariant = (v: string) => [ROLLOUT, SERVICE, HPA, PDB].map((t) => `${t}::fraud-${v}`);
    expect(names).toEqual(
      [
        ...perVariant("champion"),
        ...perVariant("challenger"),
        ...perVariant("candidate"),
        `${SERVICE}::fraud-endpoint`,
        `${ROUTE}::fraud-route`,
        `${ANALYSIS}::fraud-slo`,
        "kubernetes:monitoring.coreos.com/v1:PodMonitor::fraud-metrics",
        `${PVC}::fraud-capture`,
        "kubernetes:core/v1:ServiceAccount::fraud-model-server",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy::fraud-network",
      ].sort(),
    );
    for (const c of children) expect(c.parent).toBe(component.urn);
  });

  it("splits live traffic by the spec's weights, summing to 100, through the Gateway", async () => {
    const route = await one(ROUTE, "fraud-route");
    const rule = route.props.spec.rules[0];
    expect(rule.backendRefs.map((b: any) => [b.name, b.weight])).toEqual([
      ["fraud-champion", 80],
      ["fraud-challenger", 20],
    ]);
    expect(rule.backendRefs.reduce((s: number, b: any) => s + b.weight, 0)).toBe(100);
    for (const b of rule.backendRefs) expect(b).toMatchObject({ group: "", kind: "Service", port: 80 });
    expect(route.props.spec.parentRefs).toEqual([
      { group: "gateway.networking.k8s.io", kind: "Gateway", name: "ml-gateway", namespace: "gateway" },
    ]);
    expect(route.props.spec.hostnames).toEqual(["fraud.ml.example.com"]);
  });

  it("mirrors requests to the shadow variant, which takes no share of traffic", async () => {
    const route = await one(ROUTE, "fraud-route");
    const rule = route.props.spec.rules[0];
    expect(rule.filters).toEqual([
      {
        type: "RequestMirror",
        requestMirror: {
          backendRef: { group: "", kind: "Service", name: "fraud-candidate", port: 80 },
          percent: 50,
        },
      },
    ]);
    expect(rule.backendRefs.map((b: any) => b.name)).not.toContain("fraud-candidate");
    const shadow = await one(ROLLOUT, "fraud-candidate");
    expect(shadow.props.spec.template.metadata.labels["mlops.pulumi-mlops.io/traffic"]).toBe("shadow");
  });

  it("rolls each variant out in the spec's canary steps and pauses, under the SLO analysis", async () => {
    const rollout = await one(ROLLOUT, "fraud-champion");
    const canary = rollout.props.spec.strategy.canary;
    expect(canary.steps).toEqual([
      { setWeight: 25 },
      { pause: { duration: "60s" } },
      { setWeight: 50 },
      { pause: { duration: "300s" } },
      { setWeight: 100 },
    ]);
    expect(canary.analysis.templates).toEqual([{ templateName: "fraud-slo" }]);
    expect(canary.analysis.args).toEqual([
      { name: "variant", value: "champion" },
      { name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } },
    ]);
    expect(canary.trafficRouting).toBeUndefined();
    expect(rollout.props.spec.progressDeadlineAbort).toBe(true);
    // The HPA owns the replica count.
    expect(rollout.props.spec.replicas).toBeUndefined();
  });

  it("rolls back when the canary pods breach the spec's error-rate or p99 SLO, from Prometheus", async () => {
    const template = await one(ANALYSIS, "fraud-slo");
    const [errorRate, p99] = template.props.spec.metrics;
    const canaryPods = { endpoint: "fraud", variant: "{{args.variant}}", revision: "{{args.canary-hash}}" };
    expect(errorRate.name).toBe("error-rate");
    // No sample (nothing scraped, no traffic) or NaN satisfies neither condition: Inconclusive, so
    // Argo pauses the rollout instead of promoting it.
    expect(errorRate.successCondition).toBe("len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.02");
    expect(errorRate.failureCondition).toBe("len(result) > 0 && !isNaN(result[0]) && result[0] > 0.02");
    expect(errorRate.inconclusiveLimit).toBe(0);
    expect(errorRate.provider.prometheus).toEqual({
      address: "http://prometheus-operated.monitoring.svc:9090",
      query: errorRateQuery(canaryPods, { window: "2m" }),
    });
    expect(errorRate.provider.prometheus.query).toContain('revision="{{args.canary-hash}}"');
    expect(p99.name).toBe("p99-latency");
    expect(p99.successCondition).toBe("len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.25");
    expect(p99.failureCondition).toBe("len(result) > 0 && !isNaN(result[0]) && result[0] > 0.25");
    expect(p99.provider.prometheus.query).toBe(p99LatencyQuery(canaryPods, { window: "2m" }));
    for (const m of [errorRate, p99]) expect(m).toMatchObject({ interval: "60s", failureLimit: 1 });
    expect(template.props.spec.args).toEqual([{ name: "variant" }, { name: "canary-hash" }]);
  });

  it("scales each variant between its min and max replicas on CPU, and allows one eviction at a time", async () => {
    const hpa = await one(HPA, "fraud-champion");
    expect(hpa.props.spec.scaleTargetRef).toEqual({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Rollout",
      name: "fraud-champion",
    });
    expect([hpa.props.spec.minReplicas, hpa.props.spec.maxReplicas]).toEqual([2, 6]);
    expect(hpa.props.spec.metrics[0].resource).toEqual({
      name: "cpu",
      target: { type: "Utilization", averageUtilization: 70 },
    });
    const challenger = await one(HPA, "fraud-challenger");
    expect([challenger.props.spec.minReplicas, challenger.props.spec.maxReplicas]).toEqual([2, 3]);
    const pdb = await one(PDB, "fraud-champion");
    expect(pdb.props.spec).toEqual({
      maxUnavailable: 1,
      selector: {
        matchLabels: {
          "app.kubernetes.io/name": "mlops-serving",
          "app.kubernetes.io/instance": "fraud-champion",
        },
      },
    });
    const rollout = await one(ROLLOUT, "fraud-champion");
    expect(rollout.props.spec.selector.matchLabels).toEqual(pdb.props.spec.selector.matchLabels);
  });

  it("serves the registry model with mlflow on the model port, with MLFLOW_TRACKING_URI from registryUri", async () => {
    const model = container(await one(ROLLOUT, "fraud-champion"), "model");
    expect(model.image).toBe("ghcr.io/mlflow/mlflow:v3.9.0");
    expect([model.command, ...model.args]).toEqual([
      ["mlflow"],
      "models",
      "serve",
      "-m",
      "models:/fraud/7",
      "--host",
      "0.0.0.0",
      "--port",
      "8081",
      "--env-manager",
      "local",
    ]);
    expect(model.env.find((e: any) => e.name === "MLFLOW_TRACKING_URI").value).toBe(
      "http://reg-mlflow.mlops.svc.cluster.local:5000",
    );
    expect(model.ports).toEqual([{ name: "model", containerPort: 8081, protocol: "TCP" }]);
  });

  it("probes each container on a port of its own (the kubelet resolves a named port only within the probed container)", async () => {
    const rollout = await one(ROLLOUT, "fraud-champion");
    const model = container(rollout, "model");
    const capture = container(rollout, "capture");
    for (const probe of [model.startupProbe, model.readinessProbe, model.livenessProbe]) {
      expect(probe.httpGet).toEqual({ path: "/ping", port: "model" });
    }
    expect(capture.readinessProbe.httpGet).toEqual({ path: "/ping", port: "http" });
    for (const c of podOf(rollout).containers) {
      const own = new Set((c.ports ?? []).map((p: any) => p.name));
      for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe].filter(Boolean)) {
        const port = probe.httpGet.port;
        expect(typeof port === "number" || own.has(port), `${c.name} probes ${port}`).toBe(true);
      }
    }
    expect(capture.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(capture.ports).toEqual([
      { name: "http", containerPort: 8080, protocol: "TCP" },
      { name: "metrics", containerPort: 9090, protocol: "TCP" },
    ]);
  });

  it("runs the capture sidecar with the variant's sampling, the capture volume and the pod's revision", async () => {
    const rollout = await one(ROLLOUT, "fraud-challenger");
    const capture = container(rollout, "capture");
    expect(capture.image).toBe("ghcr.io/pulumi-mlops/runtime:0.1.0");
    expect(capture.command).toBeUndefined();
    expect(capture.args[0]).toBe("capture");
    expect(capture.args[0]).toBe("capture");
    expect(argValue(capture.args, "listen")).toBe("8080");
    expect(argValue(capture.args, "upstream")).toBe("http://127.0.0.1:8081");
    expect(argValue(capture.args, "endpoint")).toBe("fraud");
    expect(argValue(capture.args, "variant")).toBe("challenger");
    expect(argValue(capture.args, "sample")).toBe("25");
    expect(argValue(capture.args, "out")).toBe("/capture");
    expect(argValue(capture.args, "metrics-port")).toBe("9090");
    expect(argValue(capture.args, "health-path")).toBe("/ping");
    expect(argValue(capture.args, "revision")).toBe("$(MLOPS_REVISION)");
    expect(capture.env.find((e: any) => e.name === "MLOPS_REVISION").valueFrom.fieldRef.fieldPath).toBe(
      "metadata.labels['rollouts-pod-template-hash']",
    );
    expect(capture.volumeMounts).toEqual([{ name: "capture", mountPath: "/capture" }]);
    const volume = podOf(rollout).volumes.find((v: any) => v.name === "capture");
    expect(volume.persistentVolumeClaim.claimName).toBe("fraud-capture");
  });

  it("protects the ReadWriteMany capture volume and nothing else", async () => {
    const component = await one("mlops:index:KubernetesServingEndpoint", "fraud");
    const children = await descendantsOf(component.urn);
    expect(children.filter((c) => c.options.protect).map((c) => c.name)).toEqual(["fraud-capture"]);
    const pvc = await one(PVC, "fraud-capture");
    expect(pvc.options.retainOnDelete).toBe(true);
    expect(pvc.props.spec.accessModes).toEqual(["ReadWriteMany"]);
    expect(pvc.props.spec.resources.requests.storage).toBe("20Gi");
  });

  it("schedules the GPU challenger on L4 nodes with an nvidia.com/gpu limit; the CPU variants stay off GPUs", async () => {
    const gpuPod = podOf(await one(ROLLOUT, "fraud-challenger"));
    expect(gpuPod.nodeSelector).toEqual({ "cloud.google.com/gke-accelerator": "nvidia-l4" });
    expect(gpuPod.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    expect(gpuPod.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
    const cpuPod = podOf(await one(ROLLOUT, "fraud-champion"));
    expect(cpuPod.nodeSelector).toBeUndefined();
    expect(cpuPod.containers[0].resources.limits["nvidia.com/gpu"]).toBeUndefined();
  });

  it("meets Pod Security Standards restricted in every variant", async () => {
    const rollouts = await ofType(ROLLOUT, "fraud");
    expect(rollouts).toHaveLength(3);
    for (const r of rollouts) {
      expectRestricted(podOf(r));
      expect(podOf(r).automountServiceAccountToken).toBe(false);
    }
  });

  it("writes Rollouts, the AnalysisTemplate and the HTTPRoute that their CRD schemas accept", async () => {
    for (const r of await ofType(ROLLOUT)) expectValid(rolloutSchema, r);
    for (const r of await ofType(ANALYSIS)) expectValid(analysisSchema, r);
    for (const r of await ofType(ROUTE)) expectValid(httpRouteSchema, r);
  });

  it("would catch a misspelt field or a bad value in those manifests", async () => {
    const rollout = await one(ROLLOUT, "fraud-champion");
    const validate = crdValidator(rolloutSchema);
    const misspelt = structuredClone(rollout.props);
    misspelt.spec.strategy.canary.steps[0] = { setWieght: 10 };
    expect(validate(misspelt)).toBe(false);
    const route = structuredClone((await one(ROUTE, "fraud-route")).props);
    route.spec.rules[0].filters[0].requestMirror.percent = 150;
    expect(crdValidator(httpRouteSchema)(route)).toBe(false);
  });

  it("labels pods for monitoring and exports the endpoint's wiring", async () => {
    const component = await one("mlops:index:KubernetesServingEndpoint", "fraud");
    const o = component.outputs;
    expect(o.url).toBe("http://fraud.ml.example.com");
    expect(o.variantServiceNames).toEqual({
      champion: "fraud-champion",
      challenger: "fraud-challenger",
      candidate: "fraud-candidate",
    });
    expect(o.captureVolumeClaimName).toBe("fraud-capture");
    expect(o.captureRoot).toBe("/capture");
    expect(o.captureDirectory).toBe("/capture/fraud");
    expect(o.metricsSelector).toEqual({ "mlops.pulumi-mlops.io/endpoint": "fraud" });
    expect(o.metricsPortName).toBe("metrics");
    expect(o.analysisTemplateName).toBe("fraud-slo");
    for (const r of await ofType(ROLLOUT, "fraud")) {
      expect(r.props.spec.template.metadata.labels).toMatchObject(
        o.metricsSelector as Record<string, string>,
      );
      expect(r.props.metadata.labels).toMatchObject({
        owner: "ml-platform_example.com",
        "cost-center": "cc-42",
      });
      expect(r.props.metadata.namespace).toBe("serving");
    }
    expect(ab.urn).toBeDefined();
  });
});

describe("KubernetesServingEndpoint (local defaults, no Gateway)", () => {
  it("routes through the endpoint Service as the GAMMA parent, with the single variant at 100", async () => {
    const route = await one(ROUTE, "churn-route");
    expect(route.props.spec.parentRefs).toEqual([{ group: "", kind: "Service", name: "churn", port: 80 }]);
    expect(route.props.spec.hostnames).toBeUndefined();
    expect(route.props.spec.rules[0].backendRefs).toEqual([
      { group: "", kind: "Service", name: "churn-main", port: 80, weight: 100 },
    ]);
    expect(route.props.spec.rules[0].filters).toBeUndefined();
    const front = await one(SERVICE, "churn-endpoint");
    expect(front.props.spec.selector).toEqual({
      "mlops.pulumi-mlops.io/endpoint": "churn",
      "mlops.pulumi-mlops.io/traffic": "live",
    });
  });

  it("keeps the steps of the default canary that one to three replicas can express (50 → 100)", async () => {
    const steps = (await one(ROLLOUT, "churn-main")).props.spec.strategy.canary.steps;
    expect(steps.filter((s: any) => s.setWeight).map((s: any) => s.setWeight)).toEqual([50, 100]);
    expect(steps.filter((s: any) => s.pause).map((s: any) => s.pause.duration)).toEqual(["300s", "300s"]);
    const [errorRate, p99] = (await one(ANALYSIS, "churn-slo")).props.spec.metrics;
    expect(errorRate.successCondition).toMatch(/result\[0\] <= 0\.01$/);
    expect(p99.successCondition).toMatch(/result\[0\] <= 0\.5$/);
  });

  it("captures everything to a ReadWriteOnce volume and exports the Service DNS name as URL", async () => {
    const capture = container(await one(ROLLOUT, "churn-main"), "capture");
    expect(argValue(capture.args, "sample")).toBe("100");
    expect((await one(PVC, "churn-capture")).props.spec.accessModes).toEqual(["ReadWriteOnce"]);
    const model = container(await one(ROLLOUT, "churn-main"), "model");
    expect(model.env.map((e: any) => e.name)).not.toContain("MLFLOW_TRACKING_URI");
    const component = await one("mlops:index:KubernetesServingEndpoint", "churn");
    expect(component.outputs.url).toBe("http://churn.default.svc.cluster.local");
    expect(local.urn).toBeDefined();
  });
});

describe("KubernetesServingEndpoint (custom model server on EKS GPUs)", () => {
  it("runs the image's own entrypoint with the model URI, host and port in the environment", async () => {
    const rollout = await one(ROLLOUT, "rank-main");
    const model = container(rollout, "model");
    expect(model.image).toBe("registry.example.com/ranker:2.1");
    expect(model.command).toBeUndefined();
    expect(model.args).toBeUndefined();
    const env = Object.fromEntries(model.env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({
      MODEL_URI: "s3://models/rank/2",
      MODEL_HOST: "0.0.0.0",
      MODEL_PORT: "9000",
    });
    expect(model.livenessProbe.httpGet).toEqual({ path: "/v2/health/ready", port: "model" });
    expect(model.ports).toEqual([{ name: "model", containerPort: 9000, protocol: "TCP" }]);
    const capture = container(rollout, "capture");
    expect(argValue(capture.args, "upstream")).toBe("http://127.0.0.1:9000");
    expect(argValue(capture.args, "health-path")).toBe("/v2/health/ready");
    expect(argValue(capture.args, "sample")).toBe("10");
  });

  it("selects the A10G instance types on EKS and requests one GPU", async () => {
    const pod = podOf(await one(ROLLOUT, "rank-main"));
    const terms = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms[0].matchExpressions[0].key).toBe("node.kubernetes.io/instance-type");
    expect(terms[0].matchExpressions[0].values).toContain("g5.xlarge");
    expect(pod.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
    expectRestricted(pod);
    expect(custom.urn).toBeDefined();
  });
});

describe("KubernetesServingEndpoint metrics for its canary analysis", () => {
  it("scrapes the sidecars' metrics port itself, so the analysis never reads an unscraped canary", async () => {
    const monitor = await one("kubernetes:monitoring.coreos.com/v1:PodMonitor", "fraud-metrics");
    expect(monitor.props.metadata).toMatchObject({ name: "fraud-metrics", namespace: "serving" });
    expect(monitor.props.metadata.labels.release).toBe("kube-prometheus-stack");
    expect(monitor.props.spec.selector.matchLabels).toEqual({ "mlops.pulumi-mlops.io/endpoint": "fraud" });
    expect(monitor.props.spec.namespaceSelector).toEqual({ matchNames: ["serving"] });
    expect(monitor.props.spec.podMetricsEndpoints).toEqual([
      { port: "metrics", path: "/metrics", interval: "30s", honorLabels: true },
    ]);
    // The port it scrapes is a container port of every pod it selects.
    const pod = podOf(await one(ROLLOUT, "fraud-champion"));
    expect(pod.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name))).toContain("metrics");
    const component = await one("mlops:index:KubernetesServingEndpoint", "fraud");
    expect(component.outputs.podMonitorName).toBe("fraud-metrics");
  });

  it("serves a variant from its own image when it names one", async () => {
    const model = container(await one(ROLLOUT, "fraud-candidate"), "model");
    expect(model.image).toBe(`registry.example.com/torch-serving:2.5@sha256:${"ab".repeat(32)}`);
    expect(container(await one(ROLLOUT, "fraud-champion"), "model").image).toBe(
      "ghcr.io/mlflow/mlflow:v3.9.0",
    );
  });
});

describe("KubernetesServingEndpoint (capture off)", () => {
  it("creates no capture volume and runs the sidecar for metrics only", async () => {
    expect(await ofType(PVC, "nocap")).toEqual([]);
    const rollout = await one(ROLLOUT, "nocap-main");
    const capture = container(rollout, "capture");
    expect(argValue(capture.args, "sample")).toBe("0");
    expect(argValue(capture.args, "out")).toBeUndefined();
    expect(capture.volumeMounts).toEqual([]);
    expect(podOf(rollout).volumes.map((v: any) => v.name)).toEqual(["tmp"]);
    const component = await one("mlops:index:KubernetesServingEndpoint", "nocap");
    expect(component.outputs.captureVolumeClaimName).toBeUndefined();
    expect(uncaptured.urn).toBeDefined();
  });
});

describe("KubernetesServingEndpoint validation", () => {
  const variant = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    modelUri: "s3://m/1",
    ...extra,
  });
  const attempt = (args: Record<string, unknown>) => () =>
    new KubernetesServingEndpoint("bad", { tags, name: "bad", variants: [variant("a")], ...args } as never);

  it("refuses live weights that do not sum to 100, naming them", () => {
    const bad = attempt({ variants: [variant("a", { weight: 60 }), variant("b", { weight: 30 })] });
    expect(bad).toThrow(ArgsValidationError);
    expect(bad).toThrow(
      /KubernetesServingEndpoint "bad":\n {2}- args\.variants = .*: weights of the non-shadow variants sum to 90 \(a 60, b 30\), not 100\. Fix:/,
    );
  });

  it("refuses several live variants when one has no weight", () => {
    expect(attempt({ variants: [variant("a", { weight: 100 }), variant("b")] })).toThrow(
      /variant\(s\) b have no weight.*Fix:/,
    );
  });

  it("refuses a variant name that is not a DNS label", () => {
    expect(attempt({ variants: [variant("Champion_1")] })).toThrow(
      /args\.variants\[0\]\.name = "Champion_1": must be a DNS-1123 label\. Fix:/,
    );
  });

  it("refuses an unknown accelerator, listing the known ones", () => {
    expect(attempt({ variants: [variant("a", { accelerator: "nvidia-v100" })] })).toThrow(
      /args\.variants\[0\]\.accelerator = "nvidia-v100": .*Fix: use one of "nvidia-t4", "nvidia-l4", .*"nvidia-h100-80gb"/,
    );
  });

  it("refuses duplicate variant names", () => {
    expect(attempt({ variants: [variant("a", { weight: 50 }), variant("a", { weight: 50 })] })).toThrow(
      /args\.variants\[1\]\.name = "a": duplicates variants\[0\]\.name.*Fix:/,
    );
  });

  it("refuses a shadow variant with a weight", () => {
    expect(attempt({ variants: [variant("a"), variant("s", { shadow: true, weight: 10 })] })).toThrow(
      /args\.variants\[1\]\.weight = 10: a shadow variant receives a mirrored copy of every request, not a share of traffic\. Fix:/,
    );
  });

  it("refuses an endpoint of shadows only, a registry model URI without registryUri, and min above max", () => {
    expect(attempt({ variants: [variant("s", { shadow: true })] })).toThrow(/every variant is a shadow/);
    expect(attempt({ variants: [{ name: "a", modelUri: "models:/x/1" }] })).toThrow(
      /args\.variants\[0\]\.modelUri = "models:\/x\/1": is a registry URI, but registryUri is unset\. Fix:/,
    );
    expect(attempt({ variants: [variant("a", { minReplicas: 5, maxReplicas: 2 })] })).toThrow(
      /args\.variants\[0\]\.minReplicas = 5: is above maxReplicas \(2\)/,
    );
  });

  it("refuses canary steps the replica counts cannot express, naming the variant and the share", () => {
    // One replica: Argo runs one new and one stable pod at any weight below 100, so 5% is half.
    expect(attempt({ rollout: { steps: [{ weight: 5 }, { weight: 100 }] } })).toThrow(
      /args\.rollout\.steps\[0\]\.weight = 5: the canary is weighted by replicas, and variant a at 1 replica\(s\) would send 50% of its traffic to the new version, not 5%.*Fix:/,
    );
    expect(
      attempt({
        variants: [variant("a", { minReplicas: 6, maxReplicas: 6 })],
        rollout: { steps: [{ weight: 5 }] },
      }),
    ).not.toThrow();
  });

  it("computes the pod share of a step as Argo Rollouts sizes the two ReplicaSets (both rounded up)", () => {
    // ceil(r·w/100) new and ceil(r·(100−w)/100) stable pods.
    expect(canaryPodShare(5, 1)).toBe(50);
    expect(canaryPodShare(5, 2)).toBeCloseTo(100 / 3, 10);
    expect(canaryPodShare(25, 4)).toBe(25);
    expect(canaryPodShare(25, 5)).toBeCloseTo(100 / 3, 10);
    expect(canaryPodShare(10, 11)).toBeCloseTo(100 * (2 / 12), 10);
    expect(canaryPodShare(50, 3)).toBe(50);
    expect(inexpressibleReplicaCounts(25, 1, 5)).toEqual([1]);
  });

  it("refuses an endpoint name that starts with a digit (Service names are DNS-1035 labels)", () => {
    expect(attempt({ name: "4cast" })).toThrow(/args\.name = "4cast": must start with a letter.*Fix:/);
  });

  it("refuses a model port the sidecar already listens on, and images not pinned", () => {
    expect(attempt({ modelPort: 8080 })).toThrow(/args\.modelPort = 8080: is a port of the capture sidecar/);
    expect(attempt({ image: "ghcr.io/mlflow/mlflow" })).toThrow(
      /args\.image = .*no tag \(implicitly latest\)/,
    );
    expect(attempt({ image: "ghcr.io/mlflow/mlflow:latest" })).toThrow(/args\.image = .*has tag latest/);
    expect(attempt({ variants: [variant("a", { image: "x/y:1@sha256:abc" })] })).toThrow(
      /args\.variants\[0\]\.image = .*digest that is not sha256:<64 hex digits>/,
    );
  });

  it("refuses a second endpoint whose physical names collide with another's, naming the first", () => {
    const clash = () =>
      new KubernetesServingEndpoint("fraud-again", {
        tags,
        name: "fraud",
        namespace: "serving",
        variants: [variant("a")],
      });
    expect(clash).toThrow(
      /KubernetesServingEndpoint "fraud-again":\n {2}- args\.name = "fraud": gives the v1\/Service "fraud" in namespace "serving", which KubernetesServingEndpoint "fraud" \(from its name\) already creates.*Fix:/,
    );
    // The same name in another namespace is another object.
    expect(
      () =>
        new KubernetesServingEndpoint("fraud-elsewhere", {
          tags,
          name: "fraud",
          namespace: "other",
          variants: [variant("a")],
        }),
    ).not.toThrow();
  });

  it("says in the preview that an A/B split without a Gateway needs a GAMMA mesh", () => {
    const warn = vi.spyOn(pulumi.log, "warn").mockImplementation(async () => {});
    new KubernetesServingEndpoint("split", {
      tags,
      name: "split",
      variants: [variant("a", { weight: 50 }), variant("b", { weight: 50 })],
    });
    new KubernetesServingEndpoint("single", { tags, name: "single", variants: [variant("a")] });
    const messages = warn.mock.calls.map((c) => String(c[0]));
    warn.mockRestore();
    expect(messages.filter((m) => m.includes("GAMMA"))).toHaveLength(1);
    expect(messages.find((m) => m.includes("GAMMA"))).toMatch(/Endpoint split: .*Set gatewayName/);
  });

  it("refuses out-of-range canary steps and capture percent", () => {
    expect(attempt({ rollout: { steps: [{ weight: 0 }] } })).toThrow(/args\.rollout\.steps\[0\]\.weight = 0/);
    expect(attempt({ captureSamplingPercent: 150 })).toThrow(/args\.captureSamplingPercent = 150: .*Fix:/);
  });
});
