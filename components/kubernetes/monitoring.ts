import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { childName, dnsLabel } from "../core/naming";
import { type StandardTags, standardTagsSchema } from "../core/tags";
import {
  dnsLabelSchema,
  imageSchema,
  input,
  quantitySchema,
  secretUrlSchema,
  validateArgs,
} from "../core/validation";
import type { MonitoringSpec } from "../spec";
import { objectMeta, VolumeAccessMode } from "./metadata";
import { ALERT_NAMES, alertGroups } from "./monitoring/alerts";
import { knownClaim } from "./monitoring/captureClaim";
import { CronScheduleError, parseCronSchedule } from "./monitoring/cron";
import { buildDashboard, dashboardUid } from "./monitoring/dashboard";
import { type LabelsSource, labelsJobParts, parseLabelsUri } from "./monitoring/labels";
import { parseReferenceUri, REFERENCE_MOUNT_PATH } from "./monitoring/reference";
import { restrictJobManifest } from "./monitoring/retrainJob";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./security";
import { servingPodMonitorSpec } from "./serving/podMonitor";

/** Where the drift job's container sees the capture volume (read-only). */
export const CAPTURE_MOUNT_PATH = "/var/lib/mlops/capture";
/** The drift job's scratch directory: shard profiles and the downloaded reference. */
export const WORK_MOUNT_PATH = "/var/lib/mlops/work";
/** Where reports are written when `reportsClaimName` is set. */
export const REPORTS_MOUNT_PATH = "/var/lib/mlops/reports";
/** Where the retraining Job template is mounted when the job trigger is on. */
export const RETRAIN_TEMPLATE_MOUNT_PATH = "/etc/mlops/retrain";
/** File name of the retraining Job template inside its ConfigMap and mount. */
export const RETRAIN_TEMPLATE_KEY = "job.json";

/** The longest CronJob name Kubernetes accepts. */
const CRONJOB_NAME_MAX = 52;
/** Environment variable the drift container reads the retraining webhook URL from (a Secret key). */
const WEBHOOK_ENV = "MLOPS_RETRAIN_WEBHOOK_URL";
/** The kube-prometheus-stack default: its Prometheus selects monitors and rules by the Helm release. */
const DEFAULT_PROMETHEUS_SELECTOR = { release: "kube-prometheus-stack" };
/** The kiwigrid k8s-sidecar default that Grafana's Helm chart and kube-prometheus-stack configure. */
const DEFAULT_DASHBOARD_LABELS = { grafana_dashboard: "1" };
/** The prometheus-community/prometheus-pushgateway chart's Service, installed as `prometheus-pushgateway` in `monitoring`. */
const DEFAULT_PUSHGATEWAY = "http://prometheus-pushgateway.monitoring.svc:9091";

/** Arguments of {@link KubernetesMonitoring}. */
export interface KubernetesMonitoringArgs extends MonitoringSpec, KubernetesMonitoringOptions {
  /** Governance tags, applied as labels and annotations to every object. */
  tags: StandardTags;
  /**
   * The serving endpoint to monitor: the `endpoint` label of the capture sidecar's metrics and the
   * directory its captured requests are written under.
   */
  endpointName: string;
  /**
   * Namespace of the serving endpoint. The monitors, rules and drift job go here too: the drift job
   * mounts the capture volume, and a claim can only be mounted in its own namespace.
   * @default "default"
   */
  namespace?: string;
  /** Labels that select the endpoint's serving pods (the serving endpoint's selector output). */
  podSelector: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Name of the serving pods' container port that exposes Prometheus metrics (the serving
   * endpoint's `metricsPortName` output).
   * @default "metrics"
   */
  metricsPortName?: pulumi.Input<string>;
  /**
   * Variants to alert on one by one (a canary at 5% of traffic can fail without moving the
   * endpoint's totals). Empty alerts on the endpoint as a whole.
   * @default []
   */
  variants?: string[];
  /**
   * The PersistentVolumeClaim the serving endpoint captures requests to (mounted read-only): the
   * endpoint's `captureVolumeClaimName`. An endpoint that captures nothing has none, and is refused.
   */
  captureClaimName: pulumi.Input<string | undefined>;
  /**
   * Directory of this endpoint's captured requests inside the capture volume, holding
   * `<variant>/YYYY/MM/DD/HH/*.jsonl`.
   * @default the endpoint name
   */
  capturePath?: string;
}

/** The Kubernetes-specific options of monitoring, beyond the neutral {@link MonitoringSpec} and the endpoint it watches. */
export interface KubernetesMonitoringOptions {
  /**
   * The runtime image (it must provide the `mlops` runtime commands as its entrypoint).
   * @default "ghcr.io/pulumi-mlops/runtime:0.1.0"
   */
  image?: string;
  /**
   * Hours of captured requests each run compares with the reference: the last completed hour
   * partitions before the run's scheduled time (the hour in progress is still being written).
   * @default 1
   */
  windowHours?: number;
  /**
   * A run's deadline (`activeDeadlineSeconds`); it must end before the next run is due.
   * @default 90% of the shortest gap between scheduled runs, at most 3000
   */
  jobTimeoutSeconds?: number;
  /**
   * How late a missed run may still start (`startingDeadlineSeconds`).
   * @default 300, or the shortest gap between runs when that is shorter
   */
  startingDeadlineSeconds?: number;
  /**
   * Retries of a failed run (`backoffLimit`).
   * @default 2
   */
  backoffLimit?: number;
  /**
   * Finished runs kept (`successfulJobsHistoryLimit`).
   * @default 3
   */
  successfulJobsHistoryLimit?: number;
  /**
   * Failed runs kept (`failedJobsHistoryLimit`).
   * @default 3
   */
  failedJobsHistoryLimit?: number;
  /**
   * Seconds a finished run's Job and pods are kept (`ttlSecondsAfterFinished`).
   * @default 86400
   */
  ttlSecondsAfterFinished?: number;
  /**
   * CPU request of each drift worker (the limit is twice the request).
   * @default "500m"
   */
  cpu?: string;
  /**
   * Memory request and limit of each drift worker. One worker holds the window's numeric values
   * (exact drift, about 8 bytes per value); with `workers > 1` each holds only sketches of its share
   * (index 0 also reads the reference, whole if it is data rather than a profile).
   * @default "2Gi"
   */
  memory?: string;
  /**
   * Size of the shared work volume that sharded runs (workers > 1) exchange shard profiles on.
   * @default "5Gi"
   */
  workVolumeSize?: string;
  /**
   * Access mode of the work volume. Workers of one run land on different nodes, so
   * `ReadWriteMany` is needed unless the cluster has a single node.
   * @default "ReadWriteMany"
   */
  workVolumeAccessMode?: VolumeAccessMode;
  /**
   * StorageClass of the work volume.
   * @default the cluster's default StorageClass
   */
  storageClassName?: string;
  /**
   * A PersistentVolumeClaim to keep each run's JSON and HTML reports on. Reports are only logged
   * and published as metrics when unset.
   * @default none
   */
  reportsClaimName?: pulumi.Input<string>;
  /**
   * Pushgateway the drift job pushes its metrics to. Its scrape must keep pushed labels
   * (`honorLabels: true`, the prometheus-pushgateway chart's default).
   * @default "http://prometheus-pushgateway.monitoring.svc:9091"
   */
  pushgatewayUrl?: string;
  /**
   * A `batch/v1` Job manifest (YAML or JSON) created in `namespace` when a run finds drift, as the
   * retraining trigger. The job's ServiceAccount then gets a Role allowing only `create` on `jobs`.
   * Its pod gets the Pod Security Standards "restricted" fields it leaves unset (`runAsNonRoot`,
   * the `RuntimeDefault` seccomp profile, no privilege escalation, all capabilities dropped); a
   * manifest that sets one against the profile is refused. Mutually exclusive with `retrainWebhookUrl`.
   * @default none
   */
  retrainJobManifest?: string;
  /**
   * Create a `PodMonitor` for the endpoint's metrics port. The serving endpoint scrapes its own pods
   * (its `createPodMonitor`, on by default); turn this on only for an endpoint that does not, or the
   * pods are scraped twice.
   * @default false
   */
  createPodMonitor?: boolean;
  /**
   * Labels the Prometheus Operator's Prometheus selects PodMonitors and PrometheusRules by. With
   * kube-prometheus-stack that is `release: <Helm release name>`, unless its
   * `*SelectorNilUsesHelmValues` values are false.
   * @default { release: "kube-prometheus-stack" }
   */
  prometheusSelectorLabels?: Record<string, string>;
  /**
   * Scrape interval of the serving pods' metrics.
   * @default "30s"
   */
  scrapeInterval?: string;
  /**
   * How long a serving condition must hold before its alert fires (`for:`).
   * @default "5m"
   */
  alertFor?: string;
  /**
   * Window of the serving alerts' `rate()`.
   * @default "5m"
   */
  alertWindow?: string;
  /**
   * Alert when pods hold more than this many requests in flight on average (saturation).
   * @default 8
   */
  saturationAlertInFlight?: number;
  /**
   * `severity` label of the error-rate and latency alerts.
   * @default "critical"
   */
  servingAlertSeverity?: string;
  /**
   * `severity` label of the drift, data-quality, saturation and job-health alerts.
   * @default "warning"
   */
  driftAlertSeverity?: string;
  /**
   * Base URL of the runbooks; each alert gets `runbook_url: <base>#<alert name in lower case>`.
   * @default none
   */
  runbookBaseUrl?: string;
  /**
   * Labels the Grafana dashboard sidecar picks ConfigMaps up by.
   * @default { grafana_dashboard: "1" }
   */
  grafanaDashboardLabels?: Record<string, string>;
  /**
   * Namespace of the dashboard ConfigMap; the sidecar's `searchNamespace` must include it.
   * @default the monitoring namespace
   */
  grafanaDashboardNamespace?: string;
  /**
   * Grafana folder of the dashboard (the sidecar's `grafana_folder` annotation).
   * @default none (the sidecar's default folder)
   */
  grafanaFolder?: string;
  /**
   * Regular expression matching the endpoint's Deployment or Rollout names, for the replicas panel.
   * @default "<endpointName>-.*"
   */
  workloadPattern?: string;
  /**
   * The true labels of the endpoint's predictions, as a CSV, JSON Lines or Parquet file (the
   * extension names the format). Each run joins the window's capture with it on `labelKey` and runs
   * the concept-drift detectors (`mlops monitor-run --labels`): an accuracy drop triggers retraining
   * as data drift does. One of `pvc://<claim>/<path>` (the claim mounted read-only; a labelling
   * pipeline writing to a `ReadWriteOnce` claim must run on the same node), `configmap://<name>/<key>`
   * (at most 1 MiB), or an `s3://`, `gs://`, `az://` or `abfss://` object, read with credentials the
   * cluster gives the drift job's ServiceAccount (e.g. EKS Pod Identity): the component adds none.
   * The claim or ConfigMap must exist in `namespace`.
   * @default none (no concept drift)
   */
  labelsUri?: string;
  /**
   * Column that joins the captured requests with the labels file: a request feature both have (an
   * order or request id; the capture adds no id of its own). Only with `labelsUri`.
   * @default "request_id"
   */
  labelKey?: string;
  /**
   * The labels file's column of true classes. Only with `labelsUri`.
   * @default "label"
   */
  labelColumn?: string;
}

const promDuration = z
  .string()
  .regex(/^([0-9]+(ms|s|m|h|d|w|y))+$/, "is not a Prometheus duration. Fix: use e.g. '30s', '5m' or '1h'");
const labelMap = z.record(
  z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, {
    message: "is not a Kubernetes label key. Fix: e.g. 'release' or 'example.com/team'",
  }),
  z.string().max(63),
);
const httpUrl = (what: string) =>
  z.string().refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  }, `is not an http(s) URL. Fix: give the full URL of the ${what}, e.g. 'https://ci.example.com/hooks/retrain'`);

/** A Kubernetes Job manifest given as YAML or JSON text; parsed to an object, or an issue. */
function parseJobManifest(
  text: string,
  namespace: string,
  ctx: z.RefinementCtx,
): Record<string, unknown> | undefined {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    ctx.addIssue({
      code: "custom",
      path: ["retrainJobManifest"],
      message: `is not valid YAML or JSON (${error instanceof Error ? error.message.split("\n")[0] : String(error)}). Fix: give one batch/v1 Job manifest`,
    });
    return undefined;
  }
  const job = doc as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { namespace?: unknown };
    spec?: { template?: { spec?: { containers?: unknown } } };
  } | null;
  const problem =
    job === null || typeof job !== "object"
      ? "is not a manifest object"
      : job.apiVersion !== "batch/v1" || job.kind !== "Job"
        ? `has apiVersion ${JSON.stringify(job.apiVersion)} and kind ${JSON.stringify(job.kind)}, not a batch/v1 Job`
        : !Array.isArray(job.spec?.template?.spec?.containers) ||
            job.spec.template.spec.containers.length === 0
          ? "has no spec.template.spec.containers"
          : job.metadata?.namespace !== undefined && job.metadata.namespace !== namespace
            ? `sets metadata.namespace ${JSON.stringify(job.metadata.namespace)}, but the trigger may only create Jobs in ${JSON.stringify(namespace)}`
            : undefined;
  if (problem !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["retrainJobManifest"],
      message: `${problem}. Fix: give a batch/v1 Job manifest (apiVersion: batch/v1, kind: Job, spec.template.spec.containers) for namespace ${namespace}`,
    });
    return undefined;
  }
  const restricted = restrictJobManifest(job as Record<string, unknown>);
  if ("conflicts" in restricted) {
    for (const c of restricted.conflicts) {
      ctx.addIssue({
        code: "custom",
        path: ["retrainJobManifest"],
        message: `sets ${c.field} = ${JSON.stringify(c.value)}, which the Pod Security Standards "restricted" profile of namespace ${namespace} refuses. Fix: make it ${c.expected}`,
      });
    }
    return undefined;
  }
  return restricted.job;
}

/** A column of the capture and the labels file: any name a CSV header can hold, on one line. */
const labelColumnName = z
  .string()
  .min(1, "must not be empty. Fix: name a column of the labels file")
  .refine(
    (v) => v.trim() === v && !/[\r\n\0]/.test(v),
    "has surrounding spaces or a line break, which no column name has. Fix: give the column name exactly as in the labels file's header",
  );

/** The labels source, join key and label column, or an issue for each problem. */
function labelsOptions(
  a: { labelsUri?: string; labelKey?: string; labelColumn?: string },
  ctx: z.RefinementCtx,
): { source: LabelsSource; key: string; column: string } | undefined {
  if (a.labelsUri === undefined) {
    for (const field of ["labelKey", "labelColumn"] as const) {
      if (a[field] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `is set without labelsUri, so there is no labels file to read it from. Fix: set labelsUri to the labels file, or remove ${field}`,
        });
      }
    }
    return undefined;
  }
  const key = a.labelKey ?? "request_id";
  const column = a.labelColumn ?? "label";
  if (key === column) {
    ctx.addIssue({
      code: "custom",
      path: ["labelColumn"],
      message: `is the join key too (labelKey ${JSON.stringify(key)}): the labels would be the request ids. Fix: name the labels file's column of true classes, e.g. 'label'`,
    });
  }
  try {
    return { source: parseLabelsUri(a.labelsUri), key, column };
  } catch (error) {
    ctx.addIssue({
      code: "custom",
      path: ["labelsUri"],
      message: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

const argsSchema = z
  .strictObject({
    tags: standardTagsSchema,
    // --- MonitoringSpec ---
    schedule: z.string().default("0 * * * *"),
    referenceUri: z.string().min(1),
    driftShareThreshold: z
      .number()
      .min(0, "must be a share from 0 to 1. Fix: e.g. 0.5 for half of the columns")
      .max(1, "must be a share from 0 to 1. Fix: e.g. 0.5 for half of the columns")
      .default(0.5),
    workers: z
      .number()
      .int("must be a whole number. Fix: e.g. 1 or 4")
      .min(1, "must be at least 1. Fix: use 1 for a single pod, or more to shard the window")
      .max(100, "must be at most 100. Fix: use fewer workers; each profiles a share of the window's files")
      .default(1),
    retrainWebhookUrl: input(secretUrlSchema("retraining webhook")).optional(),
    errorRateAlertThreshold: z
      .number()
      .gt(0, "must be a share above 0 and at most 1. Fix: e.g. 0.05 for 5%")
      .max(1, "must be a share above 0 and at most 1. Fix: e.g. 0.05 for 5%")
      .default(0.05),
    p99LatencyAlertMs: z.number().positive("must be above 0. Fix: e.g. 1000 for one second").default(1000),
    // --- Kubernetes options ---
    endpointName: dnsLabelSchema,
    namespace: dnsLabelSchema.default("default"),
    podSelector: input(
      z
        .record(z.string(), z.unknown())
        .refine(
          (m) => Object.keys(m).length > 0,
          "must not be empty. Fix: pass the serving endpoint's selector labels",
        ),
    ),
    metricsPortName: input(
      z
        .string()
        .regex(
          /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
          "is not a port name. Fix: use the container port's name, e.g. 'metrics'",
        )
        .max(15, "is longer than a port name may be (15). Fix: use the container port's name"),
    ).default("metrics"),
    variants: z.array(dnsLabelSchema).default([]),
    captureClaimName: input(
      dnsLabelSchema.optional().refine((c) => c !== undefined, {
        message:
          "is unset: the endpoint captures nothing (captureSamplingPercent 0), so the drift job would have nothing to read. Fix: capture a share of the endpoint's requests, or leave it unmonitored",
      }),
    ),
    capturePath: z
      .string()
      .regex(/^[^/].*$/, "must be relative to the capture volume. Fix: drop the leading '/'")
      .refine(
        (p) => !p.split("/").includes(".."),
        "must not contain '..'. Fix: give the path inside the volume",
      )
      .optional(),
    image: imageSchema.default("ghcr.io/pulumi-mlops/runtime:0.1.0"),
    windowHours: z
      .number()
      .int("must be a whole number of hours. Fix: e.g. 1 or 24")
      .min(1, "must be at least 1. Fix: e.g. 1 for the last hour")
      .max(24 * 31, "must be at most 744 (31 days). Fix: use a shorter window")
      .default(1),
    jobTimeoutSeconds: z
      .number()
      .int()
      .min(60, "must be at least 60. Fix: give a run a minute or more")
      .optional(),
    startingDeadlineSeconds: z.number().int().min(10, "must be at least 10. Fix: e.g. 300").optional(),
    backoffLimit: z.number().int().min(0).max(10).default(2),
    successfulJobsHistoryLimit: z.number().int().min(0).max(100).default(3),
    failedJobsHistoryLimit: z.number().int().min(0).max(100).default(3),
    ttlSecondsAfterFinished: z.number().int().min(0).default(86_400),
    cpu: quantitySchema.default("500m"),
    memory: quantitySchema.default("2Gi"),
    workVolumeSize: quantitySchema.default("5Gi"),
    workVolumeAccessMode: z.enum(VolumeAccessMode).default("ReadWriteMany"),
    storageClassName: z.string().min(1).optional(),
    reportsClaimName: input(dnsLabelSchema).optional(),
    pushgatewayUrl: httpUrl("Pushgateway").default(DEFAULT_PUSHGATEWAY),
    retrainJobManifest: z.string().min(1).optional(),
    createPodMonitor: z.boolean().default(false),
    prometheusSelectorLabels: labelMap.default(DEFAULT_PROMETHEUS_SELECTOR),
    scrapeInterval: promDuration.default("30s"),
    alertFor: promDuration.default("5m"),
    alertWindow: promDuration.default("5m"),
    saturationAlertInFlight: z
      .number()
      .positive("must be above 0. Fix: e.g. the model server's worker count")
      .default(8),
    servingAlertSeverity: z.string().min(1).default("critical"),
    driftAlertSeverity: z.string().min(1).default("warning"),
    runbookBaseUrl: httpUrl("runbook page").optional(),
    grafanaDashboardLabels: labelMap
      .refine((m) => Object.keys(m).length > 0, "must not be empty. Fix: e.g. { grafana_dashboard: '1' }")
      .default(DEFAULT_DASHBOARD_LABELS),
    grafanaDashboardNamespace: dnsLabelSchema.optional(),
    grafanaFolder: z.string().min(1).optional(),
    workloadPattern: z.string().min(1).optional(),
    labelsUri: z.string().optional(),
    labelKey: labelColumnName.optional(),
    labelColumn: labelColumnName.optional(),
  })
  .transform((a, ctx) => {
    let schedule: ReturnType<typeof parseCronSchedule> | undefined;
    try {
      schedule = parseCronSchedule(a.schedule);
    } catch (error) {
      if (!(error instanceof CronScheduleError)) throw error;
      ctx.addIssue({ code: "custom", path: ["schedule"], message: error.message });
    }
    try {
      parseReferenceUri(a.referenceUri);
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        path: ["referenceUri"],
        message: error instanceof Error ? error.message : String(error),
      });
    }
    if (a.retrainWebhookUrl !== undefined && a.retrainJobManifest !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["retrainJobManifest"],
        message:
          "cannot be set together with retrainWebhookUrl: a drift verdict triggers one retraining path. Fix: keep one; to do both, let the retraining Job call the webhook",
      });
    }
    const labels = labelsOptions(a, ctx);
    const retrainJob =
      a.retrainJobManifest === undefined
        ? undefined
        : parseJobManifest(a.retrainJobManifest, a.namespace, ctx);
    if (schedule === undefined) return z.NEVER;
    const gap = schedule.shortestGapSeconds;
    const jobTimeoutSeconds = a.jobTimeoutSeconds ?? Math.min(3000, Math.floor(gap * 0.9));
    if (jobTimeoutSeconds > gap) {
      ctx.addIssue({
        code: "custom",
        path: ["jobTimeoutSeconds"],
        message: `is longer than the ${gap} s between two runs of schedule ${JSON.stringify(a.schedule)}, so a slow run would make the next one be skipped (concurrencyPolicy Forbid). Fix: use at most ${gap}, or schedule less often`,
      });
    }
    if (jobTimeoutSeconds < 60) {
      ctx.addIssue({
        code: "custom",
        path: ["schedule"],
        message: `runs every ${gap} s, which leaves a run less than a minute. Fix: schedule runs at least two minutes apart, e.g. '*/5 * * * *'`,
      });
    }
    return {
      ...a,
      schedule: schedule.expression,
      scheduleGaps: schedule,
      jobTimeoutSeconds,
      startingDeadlineSeconds: a.startingDeadlineSeconds ?? Math.min(300, gap),
      capturePath: a.capturePath ?? a.endpointName,
      workloadPattern: a.workloadPattern ?? `${a.endpointName}-.*`,
      grafanaDashboardNamespace: a.grafanaDashboardNamespace ?? a.namespace,
      retrainJob,
      labels,
    };
  });

/**
 * Monitoring of one serving endpoint on Kubernetes, with the Prometheus Operator, Grafana's dashboard
 * sidecar and a Pushgateway in the cluster:
 *
 * - a `PodMonitor` for the capture sidecar's metrics port, only with `createPodMonitor` (the serving
 *   endpoint scrapes its own pods by default);
 * - a `PrometheusRule` with error-rate, p99-latency and saturation alerts (the same PromQL the canary
 *   analysis rolls back on, from `promql.ts`), and drift, feature-drift, data-quality, errored-column
 *   and stale-job alerts on the drift job's pushed metrics;
 * - a Grafana dashboard ConfigMap (serving health, replicas, per-feature drift scores);
 * - the drift job: a `CronJob` running `mlops monitor-run` from the runtime image over the captured
 *   requests of the last `windowHours` (capture volume mounted read-only) against the reference, which
 *   pushes its metrics and, on drift, calls the retraining webhook or creates the retraining Job.
 *   With `workers > 1` each run is an Indexed Job whose pods profile a share of the window's files
 *   onto a shared work volume; index 0 merges the shard profiles and decides from them alone
 *   (numeric columns sketch to sketch, categories by exact counts), so no pod reads the whole window.
 *   With `labelsUri`, index 0 also joins the window's capture with the labels and runs the
 *   concept-drift detectors; an accuracy drop triggers retraining too.
 *
 * The monitor CRDs must exist before this is deployed (install kube-prometheus-stack first, in an
 * earlier stack or update: pulumi-kubernetes cannot type a CR whose CRD lands in the same update,
 * pulumi/pulumi-kubernetes#3176). Every pod meets the Pod Security Standards "restricted" profile
 * with a read-only root filesystem. The ServiceAccount's token is mounted only when the job trigger
 * needs it, and then its Role allows `create` on `jobs` in this namespace and nothing else.
 */
export class KubernetesMonitoring extends pulumi.ComponentResource {
  /** Name of the drift CronJob. */
  public readonly cronJobName: pulumi.Output<string>;
  /** Name of the PodMonitor; unset unless `createPodMonitor` is on. */
  public readonly podMonitorName: pulumi.Output<string | undefined>;
  /** Name of the PrometheusRule. */
  public readonly prometheusRuleName: pulumi.Output<string>;
  /** Names of the alerts the PrometheusRule defines. */
  public readonly alertNames: pulumi.Output<string[]>;
  /** Name of the Grafana dashboard ConfigMap. */
  public readonly dashboardConfigMapName: pulumi.Output<string>;
  /** The Grafana dashboard's uid (its URL is `<grafana>/d/<uid>`). */
  public readonly dashboardUid: pulumi.Output<string>;
  /** Name of the drift job's ServiceAccount. */
  public readonly serviceAccountName: pulumi.Output<string>;
  /** Namespace everything runs in. */
  public readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: KubernetesMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = validateArgs("KubernetesMonitoring", name, argsSchema, args);
    // The webhook URL often carries a token: secret in the component's inputs in the state, too.
    super(
      "mlops:index:KubernetesMonitoring",
      name,
      args.retrainWebhookUrl === undefined
        ? args
        : { ...args, retrainWebhookUrl: pulumi.secret(args.retrainWebhookUrl) },
      opts,
    );

    const ns = a.namespace;
    const base = dnsLabel(name, "monitoring");
    const meta = (
      objName: string,
      component: string,
      extra: { labels?: Record<string, string>; namespace?: string } = {},
    ) =>
      objectMeta({
        name: objName,
        namespace: extra.namespace ?? ns,
        tags: a.tags,
        app: "mlops-monitoring",
        instance: base,
        component,
        labels: extra.labels,
      });

    // --- Scraping and alerting ----------------------------------------------------------------
    const podMonitor = a.createPodMonitor
      ? new k8s.apiextensions.CustomResource(
          childName(name, "serving"),
          {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PodMonitor",
            metadata: meta(dnsLabel(name, "serving"), "metrics", { labels: a.prometheusSelectorLabels }),
            spec: servingPodMonitorSpec({
              selector: a.podSelector as pulumi.Input<Record<string, pulumi.Input<string>>>,
              namespace: ns,
              portName: a.metricsPortName,
              interval: a.scrapeInterval,
            }),
          },
          { parent: this },
        )
      : undefined;

    const driftStaleSeconds = a.scheduleGaps.longestGapSeconds + a.jobTimeoutSeconds + 600;
    const groups = alertGroups({
      endpoint: a.endpointName,
      namespace: ns,
      variants: a.variants,
      errorRate: a.errorRateAlertThreshold,
      p99LatencyMs: a.p99LatencyAlertMs,
      maxInFlight: a.saturationAlertInFlight,
      for: a.alertFor,
      window: a.alertWindow,
      driftStaleSeconds,
      servingSeverity: a.servingAlertSeverity,
      driftSeverity: a.driftAlertSeverity,
      runbookBaseUrl: a.runbookBaseUrl,
    });
    const rule = new k8s.apiextensions.CustomResource(
      childName(name, "alerts"),
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: meta(dnsLabel(name, "alerts"), "alerts", { labels: a.prometheusSelectorLabels }),
        spec: { groups },
      },
      { parent: this },
    );

    // --- Dashboard ------------------------------------------------------------------------------
    const uid = dashboardUid(ns, a.endpointName);
    const dashboard = buildDashboard({
      title: `MLOps: ${a.endpointName} (${ns})`,
      endpoint: a.endpointName,
      namespace: ns,
      workloadPattern: a.workloadPattern,
      errorRate: a.errorRateAlertThreshold,
      p99LatencyMs: a.p99LatencyAlertMs,
      driftShareThreshold: a.driftShareThreshold,
      tags: [a.tags.environment],
    });
    const dashboardMap = new k8s.core.v1.ConfigMap(
      childName(name, "dashboard"),
      {
        metadata: {
          ...meta(dnsLabel(name, "dashboard"), "dashboard", {
            labels: a.grafanaDashboardLabels,
            namespace: a.grafanaDashboardNamespace,
          }),
          ...(a.grafanaFolder !== undefined
            ? {
                annotations: {
                  ...meta(base, "dashboard").annotations,
                  grafana_folder: a.grafanaFolder,
                },
              }
            : {}),
        },
        data: { [`${uid}.json`]: JSON.stringify(dashboard) },
      },
      { parent: this },
    );

    // --- Drift job identity and trigger -----------------------------------------------------------
    const jobName = cronJobName(dnsLabel(name, "drift"));
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      childName(name, "drift"),
      { metadata: meta(jobName, "drift"), automountServiceAccountToken: false },
      { parent: this },
    );
    const triggerJob = a.retrainJob !== undefined;
    // Webhook URLs often carry a token: keep it in a Secret (and secret in Pulumi state), not in the
    // CronJob's args where anyone who can read CronJobs would see it. Kubernetes expands $(VAR) in args.
    let webhookSecret: k8s.core.v1.Secret | undefined;
    if (a.retrainWebhookUrl !== undefined) {
      webhookSecret = new k8s.core.v1.Secret(
        childName(name, "retrain-webhook"),
        {
          metadata: meta(dnsLabel(name, "retrain-webhook"), "drift"),
          type: "Opaque",
          stringData: { url: pulumi.secret(a.retrainWebhookUrl) },
        },
        { parent: this, additionalSecretOutputs: ["data", "stringData"] },
      );
    }
    const rbac: pulumi.Resource[] = [];
    let retrainTemplate: k8s.core.v1.ConfigMap | undefined;
    if (a.retrainJob !== undefined) {
      retrainTemplate = new k8s.core.v1.ConfigMap(
        childName(name, "retrain-template"),
        {
          metadata: meta(dnsLabel(name, "retrain-template"), "drift"),
          data: { [RETRAIN_TEMPLATE_KEY]: JSON.stringify(a.retrainJob) },
        },
        { parent: this },
      );
      const role = new k8s.rbac.v1.Role(
        childName(name, "retrain"),
        {
          metadata: meta(dnsLabel(name, "retrain"), "drift"),
          // The trigger POSTs one Job; it never reads, lists, patches or deletes anything.
          rules: [{ apiGroups: ["batch"], resources: ["jobs"], verbs: ["create"] }],
        },
        { parent: this },
      );
      rbac.push(
        role,
        new k8s.rbac.v1.RoleBinding(
          childName(name, "retrain"),
          {
            metadata: meta(dnsLabel(name, "retrain"), "drift"),
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
            subjects: [{ kind: "ServiceAccount", name: serviceAccount.metadata.name, namespace: ns }],
          },
          { parent: this },
        ),
      );
    }

    // --- Volumes ----------------------------------------------------------------------------------
    const reference = parseReferenceUri(a.referenceUri);
    const volumes: k8s.types.input.core.v1.Volume[] = [
      {
        name: "capture",
        persistentVolumeClaim: { claimName: knownClaim(name, a.captureClaimName), readOnly: true },
      },
      { name: "tmp", emptyDir: {} },
    ];
    const mounts: k8s.types.input.core.v1.VolumeMount[] = [
      { name: "capture", mountPath: CAPTURE_MOUNT_PATH, readOnly: true },
      { name: "tmp", mountPath: "/tmp" },
      { name: "work", mountPath: WORK_MOUNT_PATH },
    ];
    if (reference.kind === "configmap") {
      volumes.push({
        name: "reference",
        configMap: { name: reference.name, items: [{ key: reference.key, path: reference.key }] },
      });
      mounts.push({ name: "reference", mountPath: REFERENCE_MOUNT_PATH, readOnly: true });
    } else if (reference.kind === "pvc") {
      volumes.push({
        name: "reference",
        persistentVolumeClaim: { claimName: reference.claimName, readOnly: true },
      });
      mounts.push({ name: "reference", mountPath: REFERENCE_MOUNT_PATH, readOnly: true });
    }
    const sharded = a.workers > 1;
    if (sharded) {
      // Pods of one Indexed Job may run on different nodes: an emptyDir cannot be shared between
      // them, so the shard profiles meet on a claim. It is scratch space, hence not protected.
      const work = new k8s.core.v1.PersistentVolumeClaim(
        childName(name, "drift-work"),
        {
          metadata: meta(dnsLabel(name, "drift-work"), "drift"),
          spec: {
            accessModes: [a.workVolumeAccessMode],
            ...(a.storageClassName ? { storageClassName: a.storageClassName } : {}),
            resources: { requests: { storage: a.workVolumeSize } },
          },
        },
        { parent: this },
      );
      volumes.push({ name: "work", persistentVolumeClaim: { claimName: work.metadata.name } });
    } else {
      volumes.push({ name: "work", emptyDir: {} });
    }
    if (retrainTemplate !== undefined) {
      volumes.push({ name: "retrain-template", configMap: { name: retrainTemplate.metadata.name } });
      mounts.push({ name: "retrain-template", mountPath: RETRAIN_TEMPLATE_MOUNT_PATH, readOnly: true });
    }
    if (a.reportsClaimName !== undefined) {
      volumes.push({ name: "reports", persistentVolumeClaim: { claimName: a.reportsClaimName } });
      mounts.push({ name: "reports", mountPath: REPORTS_MOUNT_PATH });
    }
    const labels = labelsJobParts(a.labels);
    volumes.push(...labels.volumes);
    mounts.push(...labels.mounts);

    // --- The drift CronJob ----------------------------------------------------------------------
    const shardTimeoutSeconds = Math.max(30, a.jobTimeoutSeconds - 120);
    const runArgs = [
      "monitor-run",
      `--endpoint=${a.endpointName}`,
      `--reference=${reference.path}`,
      `--capture-dir=${CAPTURE_MOUNT_PATH}/${a.capturePath}`,
      `--since=${a.windowHours}h`,
      `--drift-share=${a.driftShareThreshold}`,
      `--work-dir=${WORK_MOUNT_PATH}`,
      `--workers=${a.workers}`,
      ...(sharded ? [`--shard-timeout=${shardTimeoutSeconds}`] : []),
      `--pushgateway=${a.pushgatewayUrl}`,
      ...(a.reportsClaimName !== undefined ? [`--report-dir=${REPORTS_MOUNT_PATH}/${a.capturePath}`] : []),
      ...(webhookSecret !== undefined ? [`--retrain-webhook=$(${WEBHOOK_ENV})`] : []),
      ...(triggerJob
        ? [`--retrain-job-template=${RETRAIN_TEMPLATE_MOUNT_PATH}/${RETRAIN_TEMPLATE_KEY}`]
        : []),
      ...labels.args,
    ];
    const podLabels = meta(jobName, "drift").labels;
    // The drift job serves nothing: deny all ingress to its pods (egress stays open for the
    // Pushgateway, the webhook and an https reference).
    const jobSelector = Object.fromEntries(
      Object.entries(podLabels).filter(([k]) =>
        ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component"].includes(k),
      ),
    );
    new k8s.networking.v1.NetworkPolicy(
      childName(name, "drift"),
      {
        metadata: meta(jobName, "drift"),
        spec: { podSelector: { matchLabels: jobSelector }, policyTypes: ["Ingress"], ingress: [] },
      },
      { parent: this },
    );
    const cronJob = new k8s.batch.v1.CronJob(
      childName(name, "drift"),
      {
        metadata: meta(jobName, "drift"),
        spec: {
          schedule: a.schedule,
          timeZone: "Etc/UTC",
          concurrencyPolicy: "Forbid",
          startingDeadlineSeconds: a.startingDeadlineSeconds,
          successfulJobsHistoryLimit: a.successfulJobsHistoryLimit,
          failedJobsHistoryLimit: a.failedJobsHistoryLimit,
          jobTemplate: {
            metadata: { labels: podLabels },
            spec: {
              backoffLimit: a.backoffLimit,
              activeDeadlineSeconds: a.jobTimeoutSeconds,
              ttlSecondsAfterFinished: a.ttlSecondsAfterFinished,
              ...(sharded
                ? { completionMode: "Indexed", completions: a.workers, parallelism: a.workers }
                : {}),
              // A pod evicted or preempted is retried without spending the backoff budget.
              podFailurePolicy: {
                rules: [
                  { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] },
                ],
              },
              template: {
                metadata: { labels: podLabels },
                spec: {
                  restartPolicy: "Never",
                  serviceAccountName: serviceAccount.metadata.name,
                  automountServiceAccountToken: triggerJob,
                  securityContext: restrictedPodSecurityContext(),
                  containers: [
                    {
                      name: "drift",
                      image: a.image,
                      args: runArgs,
                      env: [
                        // The Job's name is unique per run: it keys the shard directory, the
                        // webhook's idempotency key and the retraining Job's name.
                        {
                          name: "MLOPS_RUN_ID",
                          valueFrom: { fieldRef: { fieldPath: "metadata.labels['job-name']" } },
                        },
                        {
                          name: "POD_NAMESPACE",
                          valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } },
                        },
                        { name: "HOME", value: "/tmp" },
                        ...(webhookSecret !== undefined
                          ? [
                              {
                                name: WEBHOOK_ENV,
                                valueFrom: {
                                  secretKeyRef: { name: webhookSecret.metadata.name, key: "url" },
                                },
                              },
                            ]
                          : []),
                        { name: "NO_PROGRESS", value: "1" },
                      ],
                      resources: {
                        requests: { cpu: a.cpu, memory: a.memory },
                        limits: { cpu: scaleCpu(a.cpu, 2), memory: a.memory },
                      },
                      securityContext: restrictedContainerSecurityContext(),
                      volumeMounts: mounts,
                    },
                  ],
                  volumes,
                },
              },
            },
          },
        },
      },
      { parent: this, dependsOn: rbac },
    );

    this.namespace = pulumi.output(ns);
    this.cronJobName = cronJob.metadata.name;
    this.podMonitorName = podMonitor ? podMonitor.metadata.name : pulumi.output(undefined);
    this.prometheusRuleName = rule.metadata.name;
    this.alertNames = pulumi.output([...new Set(groups.flatMap((g) => g.rules.map((r) => r.alert)))]);
    this.dashboardConfigMapName = dashboardMap.metadata.name;
    this.dashboardUid = pulumi.output(uid);
    this.serviceAccountName = serviceAccount.metadata.name;
    this.registerOutputs({
      cronJobName: this.cronJobName,
      podMonitorName: this.podMonitorName,
      prometheusRuleName: this.prometheusRuleName,
      alertNames: this.alertNames,
      dashboardConfigMapName: this.dashboardConfigMapName,
      dashboardUid: this.dashboardUid,
      serviceAccountName: this.serviceAccountName,
      namespace: this.namespace,
    });
  }
}

export { ALERT_NAMES };

/**
 * Kubernetes refuses CronJob names over 52 characters: the controller appends `-<Unix minutes>` (11
 * characters) to name each Job, which must stay a 63-character label. Longer names are cut and
 * keep a hash of the full name, as `dnsLabel` does.
 */
function cronJobName(label: string): string {
  if (label.length <= CRONJOB_NAME_MAX) return label;
  const hash = createHash("sha256").update(label).digest("hex").slice(0, 8);
  return `${label.slice(0, CRONJOB_NAME_MAX - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/** Multiplies a CPU quantity (`250m`, `1.5`, `2`) for a limit derived from the request. */
function scaleCpu(cpu: string, factor: number): string {
  const milli = cpu.endsWith("m") ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
  return `${Math.round(milli * factor)}m`;
}
