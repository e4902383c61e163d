import { parser as promqlParser } from "@prometheus-io/lezer-promql";
import * as pulumi from "@pulumi/pulumi";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { ArgsValidationError } from "../../../components/core/validation";
import { KubernetesMonitoring } from "../../../components/kubernetes/monitoring";
import { requireClaim } from "../../../components/kubernetes/monitoring/captureClaim";
import {
  errorRateAboveExpr,
  p99LatencyAboveExpr,
  saturationAboveExpr,
} from "../../../components/kubernetes/promql";
import { isSecret } from "../../../offline/properties";
import { registerMonitorRunCommand } from "../../../runtime/jobs";
import { reportRegistry } from "../../../runtime/report/prometheus";
import type { DriftReport } from "../../../runtime/report/schema";
import { descendantsOf, ofType, one, podSpecsOf } from "../../helpers/capture";
import { expectRestricted } from "../../helpers/restricted";

const tags = {
  owner: "ml-platform@example.com",
  costCenter: "cc-42",
  environment: "dev",
  dataClassification: "internal",
} as const;

const retrainJob = `
apiVersion: batch/v1
kind: Job
metadata:
  name: fraud-retrain
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: train
          image: ghcr.io/acme/fraud-train:1.4.0
          args: ["--since", "7d"]
`;

// The defaults: one worker, the reference profile in a ConfigMap, the webhook trigger.
new KubernetesMonitoring("mon", {
  tags,
  namespace: "serving",
  endpointName: "fraud",
  podSelector: { "mlops.pulumi-mlops.io/endpoint": "fraud" },
  captureClaimName: "fraud-capture",
  referenceUri: "configmap://fraud-reference/reference.profile.json",
  retrainWebhookUrl: "https://ci.example.com/hooks/retrain-fraud",
  createPodMonitor: true,
});

// Wired from a serving endpoint's outputs: selector, port name and claim arrive as Outputs.
new KubernetesMonitoring("wired", {
  tags,
  namespace: "serving",
  endpointName: "wired",
  podSelector: pulumi.output({ "mlops.pulumi-mlops.io/endpoint": "wired" }),
  metricsPortName: pulumi.output("metrics"),
  captureClaimName: pulumi.output("wired-capture"),
  createPodMonitor: true,
  referenceUri: "configmap://wired-reference/reference.profile.json",
});

// Sharded over three workers, the reference on a claim, the Job-template trigger, per-variant alerts.
new KubernetesMonitoring("big", {
  tags: { ...tags, environment: "prod" },
  namespace: "serving-prod",
  endpointName: "churn",
  podSelector: { "mlops.pulumi-mlops.io/endpoint": "churn" },
  variants: ["champion", "challenger"],
  captureClaimName: "churn-capture",
  capturePath: "captures/churn",
  referenceUri: "pvc://training-data/churn/reference.profile.json",
  schedule: "*/30 * * * *",
  windowHours: 6,
  workers: 3,
  driftShareThreshold: 0.3,
  errorRateAlertThreshold: 0.02,
  p99LatencyAlertMs: 250,
  saturationAlertInFlight: 4,
  retrainJobManifest: retrainJob,
  prometheusSelectorLabels: { release: "monitoring" },
  grafanaDashboardNamespace: "grafana",
  grafanaFolder: "MLOps",
  runbookBaseUrl: "https://runbooks.example.com/mlops",
  reportsClaimName: "drift-reports",
  createPodMonitor: true,
});

// Beside a serving endpoint that scrapes its own pods (the default): no second PodMonitor.
new KubernetesMonitoring("beside", {
  tags,
  namespace: "serving",
  endpointName: "beside",
  podSelector: { "mlops.pulumi-mlops.io/endpoint": "beside" },
  captureClaimName: "beside-capture",
  referenceUri: "configmap://beside-reference/reference.profile.json",
});

// Concept drift: labels on a claim (sharded), in a ConfigMap with named columns, and in an object store.
new KubernetesMonitoring("labelled", {
  tags,
  namespace: "serving",
  endpointName: "labelled",
  podSelector: { "mlops.pulumi-mlops.io/endpoint": "labelled" },
  captureClaimName: "labelled-capture",
  referenceUri: "configmap://labelled-reference/reference.profile.json",
  workers: 2,
  labelsUri: "pvc://fraud-labels/daily/labels.parquet",
});
new KubernetesMonitoring("labelled-cm", {
  tags,
  namespace: "serving",
  endpointName: "labelled-cm",
  podSelector: { "mlops.pulumi-mlops.io/endpoint": "labelled-cm" },
  captureClaimName: "labelled-cm-capture",
  referenceUri: "configmap://labelled-reference/reference.profile.json",
  labelsUri: "configmap://fraud-labels/labels.csv",
  labelKey: "order_id",
  labelColumn: "is $(fraud)",
});
new KubernetesMonitoring("labelled-s3", {
  tags,
  namespace: "serving",
  endpointName: "labelled-s3",
  podSelector: { "mlops.pulumi-mlops.io/endpoint": "labelled-s3" },
  captureClaimName: "labelled-s3-capture",
  referenceUri: "s3://fraud-reference/2026/reference.profile.json",
  labelsUri: "s3://fraud-labels/2026/labels.jsonl",
});

const cronJob = (name: string) => one("kubernetes:batch/v1:CronJob", name);
const container = async (name: string) => podSpecsOf(await cronJob(name))[0]!.containers[0];
/** The value of `--flag=value` in the container's args, or undefined. */
const arg = (args: string[], flag: string) =>
  args.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);

describe("KubernetesMonitoring (one worker, ConfigMap reference, webhook trigger)", () => {
  it("registers its children under the component with derived names", async () => {
    const component = await one("mlops:index:KubernetesMonitoring", "mon");
    const children = await descendantsOf(component.urn);
    expect(children.map((c) => `${c.type}::${c.name}`).sort()).toEqual(
      [
        "kubernetes:batch/v1:CronJob::mon-drift",
        "kubernetes:core/v1:ConfigMap::mon-dashboard",
        "kubernetes:core/v1:Secret::mon-retrain-webhook",
        "kubernetes:core/v1:ServiceAccount::mon-drift",
        "kubernetes:monitoring.coreos.com/v1:PodMonitor::mon-serving",
        "kubernetes:monitoring.coreos.com/v1:PrometheusRule::mon-alerts",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy::mon-drift",
      ].sort(),
    );
    for (const c of children) {
      expect(c.parent).toBe(component.urn);
      expect(c.props.metadata.namespace, c.name).toBe("serving");
      expect(c.props.metadata.labels.owner, c.name).toBe("ml-platform_example.com");
    }
  });

  it("denies all ingress to the drift job's pods", async () => {
    const np = await one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "mon-drift");
    const job = await one("kubernetes:batch/v1:CronJob", "mon-drift");
    const podLabels = job.props.spec.jobTemplate.spec.template.metadata.labels;
    expect(np.props.spec.policyTypes).toEqual(["Ingress"]);
    expect(np.props.spec.ingress).toEqual([]);
    const selector = np.props.spec.podSelector.matchLabels;
    expect(Object.keys(selector).length).toBeGreaterThan(0);
    for (const [k, v] of Object.entries(selector)) expect(podLabels[k]).toBe(v);
  });

  it("scrapes the serving pods' metrics port, labelled for kube-prometheus-stack", async () => {
    const monitor = await one("kubernetes:monitoring.coreos.com/v1:PodMonitor", "mon-serving");
    expect(monitor.props.apiVersion).toBe("monitoring.coreos.com/v1");
    expect(monitor.props.kind).toBe("PodMonitor");
    expect(monitor.props.metadata.labels.release).toBe("kube-prometheus-stack");
    expect(monitor.props.spec.selector).toEqual({
      matchLabels: { "mlops.pulumi-mlops.io/endpoint": "fraud" },
    });
    expect(monitor.props.spec.namespaceSelector).toEqual({ matchNames: ["serving"] });
    // honorLabels keeps the sidecar's `endpoint` label: the operator's own `endpoint` target label
    // (the port name) would otherwise rename it to exported_endpoint.
    expect(monitor.props.spec.podMetricsEndpoints).toEqual([
      { port: "metrics", path: "/metrics", interval: "30s", honorLabels: true },
    ]);
  });

  it("alerts on error rate, p99 latency and saturation with the serving PromQL and the spec's thresholds", async () => {
    const rule = await one("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "mon-alerts");
    expect(rule.props.metadata.labels.release).toBe("kube-prometheus-stack");
    const [serving, drift] = rule.props.spec.groups;
    expect(serving.name).toBe("mlops-fraud-serving");
    const byName = Object.fromEntries(serving.rules.map((r: any) => [r.alert, r]));
    const selector = { endpoint: "fraud", namespace: "serving" };
    // Defaults of MonitoringSpec: 5% errors, 1000 ms p99, for 5 minutes; saturation 8 in flight.
    expect(byName.MlopsEndpointHighErrorRate.expr).toBe(errorRateAboveExpr(selector, 0.05, { window: "5m" }));
    expect(byName.MlopsEndpointHighErrorRate.expr).toMatch(/ > 0\.05$/);
    expect(byName.MlopsEndpointHighP99Latency.expr).toBe(
      p99LatencyAboveExpr(selector, 1000, { window: "5m" }),
    );
    expect(byName.MlopsEndpointHighP99Latency.expr).toMatch(/histogram_quantile\(0\.99, .* > 1$/);
    expect(byName.MlopsEndpointSaturated.expr).toBe(saturationAboveExpr(selector, 8, { window: "5m" }));
    for (const r of serving.rules) {
      expect(r.for, r.alert).toBe("5m");
      expect(r.labels.endpoint).toBe("fraud");
      expect(r.annotations.summary).toContain("fraud");
      expect(r.annotations.runbook_url).toBeUndefined();
    }
    expect(byName.MlopsEndpointHighErrorRate.labels.severity).toBe("critical");
    expect(byName.MlopsEndpointHighP99Latency.labels.severity).toBe("critical");
    expect(byName.MlopsEndpointSaturated.labels.severity).toBe("warning");
    expect(drift.name).toBe("mlops-fraud-drift");
  });

  it("alerts on drift, feature drift, quality, errored columns and a stale job from the pushed series", async () => {
    const rule = await one("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "mon-alerts");
    const drift = Object.fromEntries(rule.props.spec.groups[1].rules.map((r: any) => [r.alert, r]));
    const m = 'endpoint="fraud",namespace="serving"';
    expect(drift.MlopsDataDrift.expr).toBe(`max(mlops_drift_dataset_drift{${m}}) == 1`);
    expect(drift.MlopsFeatureDrift.expr).toBe(`max by (column) (mlops_drift_column_drifted{${m}}) == 1`);
    expect(drift.MlopsDataQualityViolations.expr).toBe(`max(mlops_drift_quality_violations{${m}}) > 0`);
    expect(drift.MlopsDriftColumnsErrored.expr).toBe(`max(mlops_drift_columns_errored{${m}}) > 0`);
    // Hourly schedule: the longest gap (3600 s) + the run's deadline (3000 s) + 600 s of grace.
    expect(drift.MlopsDriftJobStale.expr).toBe(
      `(time() - max(push_time_seconds{job="mlops_drift",${m}})) > 7200 or absent(push_time_seconds{job="mlops_drift",${m}})`,
    );
    expect(drift.MlopsDriftJobStale.for).toBe("120m");
    expect(drift.MlopsDataDrift.labels.severity).toBe("warning");
    expect(drift.MlopsFeatureDrift.annotations.summary).toContain("{{ $labels.column }}");
    const component = await one("mlops:index:KubernetesMonitoring", "mon");
    expect(component.outputs.alertNames).toEqual([
      "MlopsEndpointHighErrorRate",
      "MlopsEndpointHighP99Latency",
      "MlopsEndpointSaturated",
      "MlopsDataDrift",
      "MlopsFeatureDrift",
      "MlopsDataQualityViolations",
      "MlopsDriftColumnsErrored",
      "MlopsDriftJobStale",
    ]);
  });

  it("uses exactly the metric names the runtime's drift report publishes", async () => {
    const rule = await one("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "mon-alerts");
    const map = await one("kubernetes:core/v1:ConfigMap", "mon-dashboard");
    const dashboard = JSON.parse(Object.values(map.props.data)[0] as string);
    const exprs: string[] = [
      ...rule.props.spec.groups[1].rules.map((r: any) => r.expr),
      ...dashboard.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr)),
    ];
    const used = new Set(exprs.flatMap((e) => e.match(/mlops_drift_[a-z_]+/g) ?? []));
    expect(used.size).toBeGreaterThanOrEqual(7);
    const text = await reportRegistry(sampleReport()).metrics();
    const published = new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((x) => x[1]));
    for (const name of used) expect(published, name).toContain(name);
  });

  it("writes only syntactically valid PromQL (Prometheus' own grammar)", async () => {
    const rule = await one("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "mon-alerts");
    const map = await one("kubernetes:core/v1:ConfigMap", "mon-dashboard");
    const dashboard = JSON.parse(Object.values(map.props.data)[0] as string);
    const exprs: string[] = [
      ...rule.props.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.expr)),
      // Grafana substitutes its range variable before the query reaches Prometheus.
      ...dashboard.panels.flatMap((p: any) =>
        (p.targets ?? []).map((t: any) => t.expr.replaceAll("$__rate_interval", "5m")),
      ),
    ];
    const errorsIn = (expr: string) => {
      let errors = 0;
      promqlParser.parse(expr).iterate({
        enter: (node) => {
          if (node.type.isError) errors++;
        },
      });
      return errors;
    };
    expect(errorsIn("sum(rate(mlops_requests_total[5m]) >")).toBeGreaterThan(0);
    expect(exprs.length).toBeGreaterThan(15);
    for (const expr of exprs) expect(errorsIn(expr), expr).toBe(0);
  });

  it("ships a Grafana dashboard the sidecar picks up, with valid JSON and the panels", async () => {
    const map = await one("kubernetes:core/v1:ConfigMap", "mon-dashboard");
    expect(map.props.metadata.labels.grafana_dashboard).toBe("1");
    const [[key, json]] = Object.entries(map.props.data) as [string, string][];
    const dashboard = JSON.parse(json);
    expect(key).toBe(`${dashboard.uid}.json`);
    expect(dashboard.uid.length).toBeLessThanOrEqual(40);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.templating.list[0]).toMatchObject({
      name: "datasource",
      type: "datasource",
      query: "prometheus",
    });
    const titles = dashboard.panels.filter((p: any) => p.type !== "row").map((p: any) => p.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        "Request rate",
        "Error rate (5xx and unanswered)",
        "Latency percentiles",
        "Saturation (requests in flight per pod)",
        "Replicas",
        "Per-feature drift score",
        "Drift share",
      ]),
    );
    const ids = new Set<number>();
    for (const panel of dashboard.panels) {
      expect(ids.has(panel.id)).toBe(false);
      ids.add(panel.id);
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      if (panel.type === "row") continue;
      expect(panel.datasource.uid).toBe("${datasource}");
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const t of panel.targets) expect(t.expr.length, panel.title).toBeGreaterThan(0);
    }
    const byTitle = (t: string) => dashboard.panels.find((p: any) => p.title === t);
    expect(byTitle("Latency percentiles").targets.map((t: any) => t.legendFormat)).toEqual([
      "p50",
      "p90",
      "p99",
    ]);
    expect(byTitle("Latency percentiles").fieldConfig.defaults.thresholds.steps[1].value).toBe(1);
    expect(byTitle("Error rate (5xx and unanswered)").fieldConfig.defaults.thresholds.steps[1].value).toBe(
      0.05,
    );
    expect(byTitle("Replicas").targets[0].expr).toContain("kube_deployment_status_replicas_available");
    expect(byTitle("Replicas").targets[0].expr).toContain('deployment=~"fraud-.*"');
    expect(byTitle("Replicas").targets[1].expr).toContain(
      'rollout_info_replicas_available{namespace="serving"',
    );
    expect(byTitle("Replicas").targets[1].expr).toContain(
      ' or sum by (name) (rollout_info_replicas_available{exported_namespace="serving",name=~"fraud-.*"})',
    );
    expect(byTitle("Per-feature drift score").targets[0].expr).toContain("by (column, method)");
  });

  it("schedules the drift job in UTC without overlap, with deadlines, history and cleanup", async () => {
    const cron = await cronJob("mon-drift");
    const spec = cron.props.spec;
    expect(spec.schedule).toBe("0 * * * *");
    expect(spec.timeZone).toBe("Etc/UTC");
    expect(spec.concurrencyPolicy).toBe("Forbid");
    expect(spec.startingDeadlineSeconds).toBe(300);
    expect(spec.successfulJobsHistoryLimit).toBe(3);
    expect(spec.failedJobsHistoryLimit).toBe(3);
    const job = spec.jobTemplate.spec;
    expect(job.backoffLimit).toBe(2);
    expect(job.activeDeadlineSeconds).toBe(3000);
    expect(job.ttlSecondsAfterFinished).toBe(86400);
    expect(job.completionMode).toBeUndefined();
    expect(job.template.spec.restartPolicy).toBe("Never");
  });

  it("runs monitor-run over the capture window against the reference, pushing metrics and calling the webhook", async () => {
    const c = await container("mon-drift");
    expect(c.image).toBe("ghcr.io/pulumi-mlops/runtime:0.1.0");
    expect(c.args[0]).toBe("monitor-run");
    expect(arg(c.args, "endpoint")).toBe("fraud");
    expect(arg(c.args, "reference")).toBe("/var/lib/mlops/reference/reference.profile.json");
    expect(arg(c.args, "capture-dir")).toBe("/var/lib/mlops/capture/fraud");
    expect(arg(c.args, "since")).toBe("1h");
    expect(arg(c.args, "drift-share")).toBe("0.5");
    expect(arg(c.args, "workers")).toBe("1");
    expect(arg(c.args, "pushgateway")).toBe("http://prometheus-pushgateway.monitoring.svc:9091");
    // The URL (often with a token) stays in a Secret; Kubernetes expands $(VAR) in args from the env.
    expect(arg(c.args, "retrain-webhook")).toBe("$(MLOPS_RETRAIN_WEBHOOK_URL)");
    const webhookEnv = c.env.find((e: any) => e.name === "MLOPS_RETRAIN_WEBHOOK_URL");
    expect(webhookEnv.valueFrom.secretKeyRef).toEqual({ name: "mon-retrain-webhook", key: "url" });
    const secret = await one("kubernetes:core/v1:Secret", "mon-retrain-webhook");
    expect(secret.props.stringData.url).toBe("https://ci.example.com/hooks/retrain-fraud");
    expect(JSON.stringify((await cronJob("mon-drift")).props)).not.toContain("ci.example.com");
    expect(arg(c.args, "retrain-job-template")).toBeUndefined();
    expect(arg(c.args, "report-dir")).toBeUndefined();
    const runId = c.env.find((e: any) => e.name === "MLOPS_RUN_ID");
    expect(runId.valueFrom.fieldRef.fieldPath).toBe("metadata.labels['job-name']");
  });

  it("mounts the capture claim read-only, the reference ConfigMap key, and emptyDirs for /tmp and work", async () => {
    const pod = podSpecsOf(await cronJob("mon-drift"))[0]!;
    const volume = (n: string) => pod.volumes.find((v: any) => v.name === n);
    const mount = (n: string) => pod.containers[0].volumeMounts.find((m: any) => m.name === n);
    expect(volume("capture").persistentVolumeClaim).toEqual({ claimName: "fraud-capture", readOnly: true });
    expect(mount("capture")).toEqual({
      name: "capture",
      mountPath: "/var/lib/mlops/capture",
      readOnly: true,
    });
    expect(volume("reference").configMap).toEqual({
      name: "fraud-reference",
      items: [{ key: "reference.profile.json", path: "reference.profile.json" }],
    });
    expect(mount("reference").readOnly).toBe(true);
    expect(volume("tmp").emptyDir).toEqual({});
    expect(volume("work").emptyDir).toEqual({});
    expect(mount("tmp").mountPath).toBe("/tmp");
  });

  it("gives the job no API access when only the webhook triggers retraining", async () => {
    expect(await ofType("kubernetes:rbac.authorization.k8s.io/v1:Role", "mon")).toEqual([]);
    expect(await ofType("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "mon")).toEqual([]);
    const sa = await one("kubernetes:core/v1:ServiceAccount", "mon-drift");
    expect(sa.props.automountServiceAccountToken).toBe(false);
    const pod = podSpecsOf(await cronJob("mon-drift"))[0]!;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe("mon-drift");
  });

  it("meets Pod Security Standards restricted", async () => {
    for (const w of await ofType("kubernetes:batch/v1:CronJob"))
      for (const pod of podSpecsOf(w)) expectRestricted(pod);
  });
});

describe("KubernetesMonitoring wired from a serving endpoint's outputs", () => {
  it("takes the selector, the metrics port and the capture claim as Outputs", async () => {
    const monitor = await one("kubernetes:monitoring.coreos.com/v1:PodMonitor", "wired-serving");
    expect(monitor.props.spec.selector.matchLabels).toEqual({ "mlops.pulumi-mlops.io/endpoint": "wired" });
    expect(monitor.props.spec.podMetricsEndpoints[0].port).toBe("metrics");
    const pod = podSpecsOf(await cronJob("wired-drift"))[0]!;
    expect(pod.volumes.find((v: any) => v.name === "capture").persistentVolumeClaim.claimName).toBe(
      "wired-capture",
    );
  });
});

describe("KubernetesMonitoring (three workers, claim reference, Job trigger)", () => {
  it("runs each run as an Indexed Job of three pods sharing a work claim", async () => {
    const cron = await cronJob("big-drift");
    const job = cron.props.spec.jobTemplate.spec;
    expect(job.completionMode).toBe("Indexed");
    expect(job.completions).toBe(3);
    expect(job.parallelism).toBe(3);
    const pvc = await one("kubernetes:core/v1:PersistentVolumeClaim", "big-drift-work");
    expect(pvc.props.spec.accessModes).toEqual(["ReadWriteMany"]);
    expect(pvc.options.protect ?? false).toBe(false);
    const pod = podSpecsOf(cron)[0]!;
    expect(pod.volumes.find((v: any) => v.name === "work").persistentVolumeClaim.claimName).toBe(
      "big-drift-work",
    );
    const c = pod.containers[0];
    expect(arg(c.args, "workers")).toBe("3");
    expect(arg(c.args, "work-dir")).toBe("/var/lib/mlops/work");
    // Half-hourly: the run gets 90% of 30 minutes, and index 0 stops waiting for shards 2 minutes earlier.
    expect(job.activeDeadlineSeconds).toBe(1620);
    expect(arg(c.args, "shard-timeout")).toBe("1500");
  });

  it("passes the window, the threshold, the capture path, the claim reference and the reports dir", async () => {
    const cron = await cronJob("big-drift");
    expect(cron.props.spec.schedule).toBe("*/30 * * * *");
    const pod = podSpecsOf(cron)[0]!;
    const c = pod.containers[0];
    expect(arg(c.args, "since")).toBe("6h");
    expect(arg(c.args, "drift-share")).toBe("0.3");
    expect(arg(c.args, "capture-dir")).toBe("/var/lib/mlops/capture/captures/churn");
    expect(arg(c.args, "reference")).toBe("/var/lib/mlops/reference/churn/reference.profile.json");
    expect(pod.volumes.find((v: any) => v.name === "reference").persistentVolumeClaim).toEqual({
      claimName: "training-data",
      readOnly: true,
    });
    expect(arg(c.args, "report-dir")).toBe("/var/lib/mlops/reports/captures/churn");
    expect(pod.volumes.find((v: any) => v.name === "reports").persistentVolumeClaim.claimName).toBe(
      "drift-reports",
    );
    expect(arg(c.args, "retrain-webhook")).toBeUndefined();
    expect(arg(c.args, "retrain-job-template")).toBe("/etc/mlops/retrain/job.json");
  });

  it("holds the retraining Job template in a ConfigMap and grants only create on jobs", async () => {
    const template = await one("kubernetes:core/v1:ConfigMap", "big-retrain-template");
    const job = JSON.parse(template.props.data["job.json"]);
    expect(job.kind).toBe("Job");
    expect(job.spec.template.spec.containers[0].image).toBe("ghcr.io/acme/fraud-train:1.4.0");
    // The namespace enforces Pod Security "restricted": the template gets the fields it requires.
    expect(job.spec.template.spec.securityContext).toEqual({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(job.spec.template.spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    const role = await one("kubernetes:rbac.authorization.k8s.io/v1:Role", "big-retrain");
    expect(role.props.metadata.namespace).toBe("serving-prod");
    expect(role.props.rules).toEqual([{ apiGroups: ["batch"], resources: ["jobs"], verbs: ["create"] }]);
    const binding = await one("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "big-retrain");
    expect(binding.props.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: "big-retrain",
    });
    expect(binding.props.subjects).toEqual([
      { kind: "ServiceAccount", name: "big-drift", namespace: "serving-prod" },
    ]);
    const pod = podSpecsOf(await cronJob("big-drift"))[0]!;
    // The token is mounted only because the trigger must call the API; the account itself opts out.
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.serviceAccountName).toBe("big-drift");
    expect(pod.volumes.find((v: any) => v.name === "retrain-template").configMap.name).toBe(
      "big-retrain-template",
    );
  });

  it("alerts per variant with the spec's thresholds, runbook links and the custom Prometheus selector", async () => {
    const rule = await one("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "big-alerts");
    expect(rule.props.metadata.labels.release).toBe("monitoring");
    const serving = rule.props.spec.groups[0].rules;
    const errors = serving.filter((r: any) => r.alert === "MlopsEndpointHighErrorRate");
    expect(errors.map((r: any) => r.labels.variant)).toEqual(["champion", "challenger"]);
    expect(errors[1].expr).toBe(
      errorRateAboveExpr({ endpoint: "churn", namespace: "serving-prod", variant: "challenger" }, 0.02),
    );
    const latency = serving.find((r: any) => r.alert === "MlopsEndpointHighP99Latency");
    expect(latency.expr).toMatch(/ > 0\.25$/);
    const saturation = serving.find((r: any) => r.alert === "MlopsEndpointSaturated");
    expect(saturation.expr).toMatch(/ > 4$/);
    expect(errors[0].annotations.runbook_url).toBe(
      "https://runbooks.example.com/mlops#mlopsendpointhigherrorrate",
    );
    const monitor = await one("kubernetes:monitoring.coreos.com/v1:PodMonitor", "big-serving");
    expect(monitor.props.metadata.labels.release).toBe("monitoring");
  });

  it("puts the dashboard in Grafana's namespace and folder, with the drift threshold", async () => {
    const map = await one("kubernetes:core/v1:ConfigMap", "big-dashboard");
    expect(map.props.metadata.namespace).toBe("grafana");
    expect(map.props.metadata.annotations.grafana_folder).toBe("MLOps");
    expect(map.props.metadata.annotations["pulumi-mlops/owner"]).toBe("ml-platform@example.com");
    const dashboard = JSON.parse(Object.values(map.props.data)[0] as string);
    const share = dashboard.panels.find((p: any) => p.title === "Drift share");
    expect(share.fieldConfig.defaults.thresholds.steps[1].value).toBe(0.3);
  });

  it("meets Pod Security Standards restricted", async () => {
    for (const pod of podSpecsOf(await cronJob("big-drift"))) expectRestricted(pod);
  });
});

describe("KubernetesMonitoring and the runtime's monitor-run command", () => {
  /** Parses a container's args with the real `mlops monitor-run` definition, without running it. */
  const parse = async (args: string[]) => {
    let parsed: Record<string, unknown> | undefined;
    const program = registerMonitorRunCommand(new Command().exitOverride());
    const command = program.commands.find((c) => c.name() === "monitor-run")!;
    command.exitOverride().action((opts: Record<string, unknown>) => {
      parsed = opts;
    });
    await program.parseAsync(args, { from: "user" });
    return parsed!;
  };

  it("passes arguments the command accepts, with the values the spec asks for", async () => {
    // Kubernetes expands $(VAR) from the container's env before the process starts.
    const single = await parse(
      (await container("mon-drift")).args.map((a: string) =>
        a.replace("$(MLOPS_RETRAIN_WEBHOOK_URL)", "https://h"),
      ),
    );
    expect(single).toMatchObject({
      endpoint: "fraud",
      reference: "/var/lib/mlops/reference/reference.profile.json",
      captureDir: "/var/lib/mlops/capture/fraud",
      since: "1h",
      driftShare: 0.5,
      workers: 1,
      retrainWebhook: "https://h",
    });
    const sharded = await parse((await container("big-drift")).args);
    expect(sharded).toMatchObject({
      workers: 3,
      shardTimeout: 1500,
      driftShare: 0.3,
      since: "6h",
      retrainJobTemplate: "/etc/mlops/retrain/job.json",
      reportDir: "/var/lib/mlops/reports/captures/churn",
    });
  });
});

describe("KubernetesMonitoring with a labels source (concept drift)", () => {
  /** Parses a container's args with the real `mlops monitor-run` definition, without running it. */
  const parse = async (args: string[]) => {
    let parsed: Record<string, unknown> | undefined;
    const program = registerMonitorRunCommand(new Command().exitOverride());
    const command = program.commands.find((c) => c.name() === "monitor-run")!;
    command.exitOverride().action((opts: Record<string, unknown>) => {
      parsed = opts;
    });
    await program.parseAsync(args, { from: "user" });
    return parsed!;
  };
  /** What the container receives after Kubernetes' `$(VAR)` expansion, where `$$` stands for `$`. */
  const expanded = (args: string[]) => args.map((a) => a.replace(/\$\$/g, "$"));

  it("mounts the labels claim read-only and passes it to every worker of the Indexed Job", async () => {
    const cron = await cronJob("labelled-drift");
    expect(cron.props.spec.jobTemplate.spec.completionMode).toBe("Indexed");
    const pod = podSpecsOf(cron)[0]!;
    expect(pod.volumes.find((v: any) => v.name === "labels").persistentVolumeClaim).toEqual({
      claimName: "fraud-labels",
      readOnly: true,
    });
    const c = pod.containers[0];
    expect(c.volumeMounts.find((m: any) => m.name === "labels")).toEqual({
      name: "labels",
      mountPath: "/var/lib/mlops/labels",
      readOnly: true,
    });
    expect(await parse(expanded(c.args))).toMatchObject({
      labels: "/var/lib/mlops/labels/daily/labels.parquet",
      labelKey: "request_id",
      labelColumn: "label",
      workers: 2,
    });
  });

  it("mounts one ConfigMap key and keeps a column name with $( literal through Kubernetes' expansion", async () => {
    const pod = podSpecsOf(await cronJob("labelled-cm-drift"))[0]!;
    expect(pod.volumes.find((v: any) => v.name === "labels").configMap).toEqual({
      name: "fraud-labels",
      items: [{ key: "labels.csv", path: "labels.csv" }],
    });
    const c = pod.containers[0];
    expect(c.volumeMounts.find((m: any) => m.name === "labels").readOnly).toBe(true);
    expect(arg(c.args, "label-column")).toBe("is $$(fraud)");
    expect(await parse(expanded(c.args))).toMatchObject({
      labels: "/var/lib/mlops/labels/labels.csv",
      labelKey: "order_id",
      labelColumn: "is $(fraud)",
    });
  });

  it("passes object-store URIs (labels and reference) as they are, with no volume", async () => {
    const pod = podSpecsOf(await cronJob("labelled-s3-drift"))[0]!;
    expect(pod.volumes.find((v: any) => v.name === "labels")).toBeUndefined();
    expect(pod.volumes.find((v: any) => v.name === "reference")).toBeUndefined();
    expect(arg(pod.containers[0].args, "reference")).toBe("s3://fraud-reference/2026/reference.profile.json");
    expect(pod.containers[0].volumeMounts.find((m: any) => m.name === "labels")).toBeUndefined();
    expect(await parse(pod.containers[0].args)).toMatchObject({
      labels: "s3://fraud-labels/2026/labels.jsonl",
      labelKey: "request_id",
      labelColumn: "label",
    });
  });

  it("passes no labels argument and mounts no labels volume without labelsUri", async () => {
    const pod = podSpecsOf(await cronJob("mon-drift"))[0]!;
    expect(pod.volumes.find((v: any) => v.name === "labels")).toBeUndefined();
    expect(pod.containers[0].args.filter((a: string) => a.startsWith("--label"))).toEqual([]);
  });

  it("meets Pod Security Standards restricted with the labels mounted", async () => {
    for (const name of ["labelled-drift", "labelled-cm-drift", "labelled-s3-drift"]) {
      for (const pod of podSpecsOf(await cronJob(name))) expectRestricted(pod);
    }
  });
});

describe("KubernetesMonitoring beside a serving endpoint, and its secrets", () => {
  it("creates no PodMonitor of its own by default: the endpoint scrapes its pods, once", async () => {
    expect(await ofType("kubernetes:monitoring.coreos.com/v1:PodMonitor", "beside")).toEqual([]);
    const component = await one("mlops:index:KubernetesMonitoring", "beside");
    expect(component.outputs.podMonitorName).toBeUndefined();
  });

  it("keeps the retraining webhook URL secret in the component's inputs and in its Secret", async () => {
    const component = await one("mlops:index:KubernetesMonitoring", "mon");
    expect(isSecret(component.inputs.retrainWebhookUrl)).toBe(true);
    expect(component.props.retrainWebhookUrl).toBe("https://ci.example.com/hooks/retrain-fraud");
    const secret = await one("kubernetes:core/v1:Secret", "mon-retrain-webhook");
    expect(isSecret(secret.inputs.stringData) || isSecret((secret.inputs.stringData as any)?.url)).toBe(true);
    expect(secret.options.additionalSecretOutputs).toEqual(expect.arrayContaining(["data", "stringData"]));
  });
});

describe("KubernetesMonitoring validation", () => {
  const valid = {
    tags,
    endpointName: "ep",
    podSelector: { app: "ep" },
    captureClaimName: "ep-capture",
    referenceUri: "configmap://ref/profile.json",
  };
  const attempt = (extra: Record<string, unknown>) => () =>
    new KubernetesMonitoring(`bad-${Math.random().toString(36).slice(2, 8)}`, {
      ...valid,
      ...extra,
    } as never);

  it("refuses a cron expression with a value out of range, naming the field", () => {
    expect(attempt({ schedule: "61 * * * *" })).toThrow(ArgsValidationError);
    expect(attempt({ schedule: "61 * * * *" })).toThrow(
      /args\.schedule = "61 \* \* \* \*": the minute field has 61, outside 0–59\. Fix:/,
    );
    expect(attempt({ schedule: "0 0 * * 7" })).toThrow(/day-of-week field has 7.*Sunday as 0/);
    expect(attempt({ schedule: "0 0 * FOO *" })).toThrow(/the month field has "FOO".*JAN/);
    expect(attempt({ schedule: "*/0 * * * *" })).toThrow(/minute field has the step "\*\/0"/);
  });

  it("refuses a cron expression with the wrong number of fields or that never fires", () => {
    expect(attempt({ schedule: "0 * * * * *" })).toThrow(/args\.schedule = .*has 6 field\(s\).* has 5/);
    expect(attempt({ schedule: "0 0 30 2 *" })).toThrow(/never fires/);
  });

  it("accepts names, lists, ranges, steps and macros", () => {
    expect(attempt({ schedule: "15,45 8-18/2 * JAN-MAR,oct mon-fri" })).not.toThrow();
    expect(attempt({ schedule: "@daily" })).not.toThrow();
  });

  it("refuses fewer than one worker", () => {
    expect(attempt({ workers: 0 })).toThrow(/args\.workers = 0: must be at least 1\. Fix:/);
    expect(attempt({ workers: 2.5 })).toThrow(/args\.workers = 2\.5: must be a whole number/);
  });

  it("refuses a drift threshold outside 0–1", () => {
    expect(attempt({ driftShareThreshold: 1.5 })).toThrow(
      /args\.driftShareThreshold = 1\.5: must be a share from 0 to 1\. Fix:/,
    );
    expect(attempt({ driftShareThreshold: -0.1 })).toThrow(/args\.driftShareThreshold = -0\.1/);
  });

  it("refuses both retraining triggers at once", () => {
    expect(
      attempt({ retrainWebhookUrl: "https://x.example.com/hook", retrainJobManifest: retrainJob }),
    ).toThrow(/args\.retrainJobManifest = .*cannot be set together with retrainWebhookUrl.*Fix:/);
  });

  it("refuses a retraining manifest that is not a batch/v1 Job, or aims at another namespace", () => {
    expect(attempt({ retrainJobManifest: "apiVersion: v1\nkind: Pod\nspec: {}" })).toThrow(
      /args\.retrainJobManifest = .*kind "Pod", not a batch\/v1 Job/,
    );
    const elsewhere = retrainJob.replace(
      "name: fraud-retrain",
      "name: fraud-retrain\n  namespace: kube-system",
    );
    expect(attempt({ retrainJobManifest: elsewhere })).toThrow(/may only create Jobs in "default"/);
  });

  it("refuses a reference the runtime cannot read, and a plain-http webhook URL that is no URL", () => {
    expect(attempt({ referenceUri: "s3://bucket/" })).toThrow(
      /args\.referenceUri = "s3:\/\/bucket\/": must name one object, s3:\/\/<bucket or container>\/<key>.*Fix:/,
    );
    expect(attempt({ referenceUri: "wasbs://c@a.blob.core.windows.net/r.json" })).toThrow(
      /is a wasbs:\/\/ URI, which the runtime does not read. Fix: name the blob as az:\/\//,
    );
    expect(attempt({ referenceUri: "pvc://data" })).toThrow(/must be pvc:\/\/<claim name>\/<path/);
    expect(attempt({ retrainWebhookUrl: "not a url" })).toThrow(
      /args\.retrainWebhookUrl = "\(hidden\)": is not an http\(s\) URL/,
    );
  });

  it("refuses a webhook URL with credentials, and never prints its credentials, path or query", () => {
    const url = "https://bot:s3cret@ci.example.com/hooks/retrain?token=t0ken";
    let message = "";
    try {
      attempt({ retrainWebhookUrl: url })();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /args\.retrainWebhookUrl = "https:\/\/ci\.example\.com\/… \(rest hidden\)": holds credentials \(user:password@\).*Fix:/,
    );
    for (const leak of ["bot", "s3cret", "hooks", "retrain?", "t0ken"]) expect(message).not.toContain(leak);
    expect(attempt({ retrainWebhookUrl: "ftp://ci.example.com/x?token=t0ken" })).toThrow(
      /args\.retrainWebhookUrl = "\(hidden\)"/,
    );
  });

  it("refuses a retraining manifest that conflicts with the restricted profile, naming the field", () => {
    const privileged = retrainJob.replace(
      'args: ["--since", "7d"]',
      'args: ["--since", "7d"]\n          securityContext: { privileged: true }',
    );
    expect(attempt({ retrainJobManifest: privileged })).toThrow(
      /args\.retrainJobManifest = .*sets spec\.template\.spec\.containers\[0\]\.securityContext\.privileged = true, which the Pod Security Standards "restricted" profile of namespace default refuses\. Fix: make it false or unset/,
    );
    const hostPath = retrainJob.replace(
      "restartPolicy: Never",
      "restartPolicy: Never\n      hostNetwork: true\n      volumes: [{ name: d, hostPath: { path: /data } }]",
    );
    expect(attempt({ retrainJobManifest: hostPath })).toThrow(/spec\.template\.spec\.hostNetwork = true/);
    expect(attempt({ retrainJobManifest: hostPath })).toThrow(/spec\.template\.spec\.volumes\[0\]\.hostPath/);
  });

  it("refuses an endpoint that captures nothing: no claim at construction, or an Output that resolves to none", () => {
    expect(attempt({ captureClaimName: undefined })).toThrow(
      /args\.captureClaimName = \(missing\): is unset: the endpoint captures nothing.*Fix:/,
    );
    // An endpoint's `captureVolumeClaimName` Output is only known during the deployment: the
    // CronJob's claim is checked when it resolves.
    expect(() => requireClaim("late", undefined)).toThrow(
      /KubernetesMonitoring "late":\n {2}- args\.captureClaimName = \(missing\): resolved to no claim: the endpoint captures nothing.*Fix:/,
    );
    expect(() => requireClaim("late", "")).toThrow(/resolved to no claim/);
    expect(requireClaim("ok", "ep-capture")).toBe("ep-capture");
  });

  it("refuses a labels source monitor-run cannot read, naming the field and the fix", () => {
    expect(attempt({ labelsUri: "https://labels.example.com/labels.csv" })).toThrow(
      /KubernetesMonitoring "bad-\w+":\n {2}- args\.labelsUri = "https:\/\/labels\.example\.com\/labels\.csv": is an https:\/\/ URL, which monitor-run --labels does not download.*Fix: use pvc:\/\//,
    );
    expect(attempt({ labelsUri: "/data/labels.csv" })).toThrow(
      /args\.labelsUri = "\/data\/labels\.csv": is not a URI\. Fix:/,
    );
    expect(attempt({ labelsUri: "pvc://fraud-labels" })).toThrow(
      /args\.labelsUri = "pvc:\/\/fraud-labels": must be pvc:\/\/<claim name>\/<path.*Fix:/,
    );
    expect(attempt({ labelsUri: "pvc://fraud-labels/../etc/labels.csv" })).toThrow(/without '\.\.'/);
    expect(attempt({ labelsUri: "configmap://Fraud_Labels/labels.csv" })).toThrow(
      /args\.labelsUri = .*must be configmap:\/\/<configmap name>\/<key>/,
    );
    expect(attempt({ labelsUri: "pvc://fraud-labels/labels.xlsx" })).toThrow(
      /args\.labelsUri = "pvc:\/\/fraud-labels\/labels\.xlsx": names a file without a \.csv, \.jsonl, \.ndjson, \.parquet or \.pq extension.*Fix:/,
    );
    expect(attempt({ labelsUri: "s3:///labels.csv" })).toThrow(/args\.labelsUri = .*has no bucket/);
    expect(attempt({ labelsUri: "ftp://host/labels.csv" })).toThrow(/has the scheme "ftp"/);
  });

  it("refuses label columns without a labels source, empty, padded or equal to the key", () => {
    expect(attempt({ labelKey: "order_id" })).toThrow(
      /args\.labelKey = "order_id": is set without labelsUri.*Fix: set labelsUri/,
    );
    expect(attempt({ labelColumn: "y" })).toThrow(/args\.labelColumn = "y": is set without labelsUri/);
    const labelsUri = "pvc://fraud-labels/labels.csv";
    expect(attempt({ labelsUri, labelKey: "" })).toThrow(/args\.labelKey = "": must not be empty\. Fix:/);
    expect(attempt({ labelsUri, labelColumn: " label" })).toThrow(
      /args\.labelColumn = " label": has surrounding spaces or a line break.*Fix:/,
    );
    expect(attempt({ labelsUri, labelKey: "id", labelColumn: "id" })).toThrow(
      /args\.labelColumn = "id": is the join key too.*Fix:/,
    );
    expect(attempt({ labelsUri, labelColumn: "request_id" })).toThrow(
      /is the join key too \(labelKey "request_id"\)/,
    );
    expect(attempt({ labelsUri, labelKey: "order_id", labelColumn: "is_fraud" })).not.toThrow();
  });

  it("refuses zero and negative quantities", () => {
    for (const size of ["-5Gi", "0", "-8"]) {
      expect(attempt({ workVolumeSize: size })).toThrow(new RegExp(`args\\.workVolumeSize = "${size}": `));
    }
    expect(attempt({ memory: "0Gi" })).toThrow(/args\.memory = "0Gi": must be above zero\. Fix:/);
  });

  it("refuses a run deadline longer than the gap between runs", () => {
    expect(attempt({ schedule: "*/10 * * * *", jobTimeoutSeconds: 900 })).toThrow(
      /args\.jobTimeoutSeconds = 900: is longer than the 600 s between two runs/,
    );
  });

  it("keeps CronJob names within Kubernetes' 52 characters", async () => {
    const long = "a-very-long-monitoring-component-name-for-the-fraud-endpoint";
    new KubernetesMonitoring(long, valid as never);
    const cron = await cronJob(`${long}-drift`);
    expect(cron.props.metadata.name).toHaveLength(52);
    expect(cron.props.metadata.name).toMatch(/^a-very-long-monitoring-component-name-for-t-[0-9a-f]{8}$/);
  });

  it("refuses a misspelt field and an empty pod selector", () => {
    expect(attempt({ worker: 2 })).toThrow(/args\.worker = 2: unknown field\(s\) "worker"/);
    expect(attempt({ podSelector: {} })).toThrow(/args\.podSelector = \{\}: must not be empty/);
    expect(attempt({ metricsPortName: "Metrics_Port" })).toThrow(
      /args\.metricsPortName = "Metrics_Port": is not a port name/,
    );
  });
});

/** A drift report with one drifted numeric column and one categorical column, as the runtime emits it. */
function sampleReport(): DriftReport {
  const column = (name: string, drifted: boolean) => ({
    name,
    role: "feature" as const,
    status: "ok" as const,
    drift: {
      kind: "numerical" as const,
      method: "ks",
      methodSource: "default" as const,
      scoreKind: "p-value" as const,
      statistic: 0.3,
      score: drifted ? 0.001 : 0.4,
      threshold: 0.05,
      comparison: "<=" as const,
      drifted,
      referenceCount: 100,
      currentCount: 100,
      referenceNullCount: 0,
      currentNullCount: 0,
      computation: { mode: "exact" as const },
      histogram: {
        kind: "numerical" as const,
        edges: [0, 1],
        referenceShares: [1],
        currentShares: [1],
        currentBelowShare: 0,
        currentAboveShare: 0,
      },
    },
    error: null,
    quality: {
      referenceMissingShare: 0,
      currentMissingShare: 0.1,
      typeMismatchShare: 0,
      outOfRangeShare: 0,
      newCategoryShare: 0,
      newCategories: [],
    },
    warnings: [],
  });
  return {
    kind: "mlops-drift-report",
    schemaVersion: 1,
    generatedAt: "2026-01-01T00:00:00.000Z",
    reference: { source: "ref.json", mode: "sketch", rowCount: 100 },
    current: { source: "cur.jsonl", mode: "exact", rowCount: 100 },
    summary: {
      verdict: "drift",
      exitCode: 2,
      datasetDrift: true,
      driftShare: 0.5,
      driftShareThreshold: 0.5,
      evaluatedCount: 2,
      driftedCount: 1,
      errorCount: 0,
      correction: "none",
      qualityViolationCount: 0,
    },
    columns: [column("amount", true), column("age", false)],
    qualityViolations: [],
  } as DriftReport;
}
