import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ACCELERATOR_NAMES, SCHEDULING_TARGETS, type SchedulingTarget } from "../core/accelerators";
import { childName, dnsLabel } from "../core/naming";
import { statefulOptions } from "../core/protection";
import { checkVariants } from "../core/servingRules";
import { type StandardTags, standardTagsSchema } from "../core/tags";
import {
  dns1035LabelSchema,
  dnsLabelSchema,
  imageSchema,
  input,
  quantitySchema,
  validateArgs,
} from "../core/validation";
import type { ServingEndpointSpec } from "../spec";
import { objectMeta, selectorLabels, VolumeAccessMode } from "./metadata";
import { claimPhysicalNames } from "./physicalNames";
import { scaleCpu } from "./quantity";
import {
  analysisTemplateSpec,
  CANARY_SHARE_TOLERANCE,
  canaryPodShare,
  canaryStrategy,
  inexpressibleReplicaCounts,
} from "./serving/canary";
import { httpRouteSpec } from "./serving/httpRoute";
import { servingPodMonitorSpec } from "./serving/podMonitor";
import {
  GATES_FILE,
  gatesFileSchema,
  isModelsPath,
  isObjectUri,
  MODELS_MOUNT_PATH,
  promotionGateStep,
  promotionGateTemplateSpec,
} from "./serving/promotionGate";
import {
  CAPTURE_MOUNT_PATH,
  METRICS_PORT,
  METRICS_PORT_NAME,
  SERVING_PORT,
  variantPodSpec,
} from "./serving/variantPod";

/** Label on every pod, Service and route of an endpoint; monitoring selects the pods to scrape by it. */
export const ENDPOINT_LABEL = "mlops.pulumi-mlops.io/endpoint";
/**
 * Label on the promotion gate's Job pods, naming the endpoint. Not {@link ENDPOINT_LABEL}: those pods
 * must not be scraped as serving pods or selected by the endpoint's Services and NetworkPolicy.
 */
export const ENDPOINT_GATE_LABEL = "mlops.pulumi-mlops.io/promotion-gate";
/** Label naming the variant of a pod or Service. */
export const VARIANT_LABEL = "mlops.pulumi-mlops.io/variant";
/** `live` on variants that take a share of traffic, `shadow` on mirrored ones. */
export const TRAFFIC_LABEL = "mlops.pulumi-mlops.io/traffic";

/** Port of the variant and endpoint Services. */
const SERVICE_PORT = 80;
const APP = "mlops-serving";
/**
 * The default canary ladder; each variant keeps the steps its replica range can express (50% and
 * 100% always can).
 */
const DEFAULT_STEPS = [5, 25, 50, 100].map((weight) => ({ weight, pauseSeconds: 300 }));
/** The kube-prometheus-stack default: its Prometheus selects monitors by the Helm release. */
const DEFAULT_PROMETHEUS_SELECTOR = { release: "kube-prometheus-stack" };
/** MLflow's core image (its Python environment holds MLflow's own dependencies). */
export const DEFAULT_MODEL_SERVER_IMAGE = "ghcr.io/mlflow/mlflow:v3.9.0";

/** Arguments of {@link KubernetesServingEndpoint}. */
export interface KubernetesServingEndpointArgs extends ServingEndpointSpec, KubernetesServingEndpointOptions {
  /** Governance tags, applied as labels and annotations to every object. */
  tags: StandardTags;
  /**
   * Namespace to deploy into; it must exist.
   * @default "default"
   */
  namespace?: string;
  /**
   * MLflow tracking/registry URI the model server resolves `models:/` and `runs:/` URIs against
   * (`KubernetesModelRegistry.registryUri`). Required when a variant's `modelUri` uses one of them.
   * @default none
   */
  registryUri?: pulumi.Input<string>;
  /**
   * Protect the capture volume from deletion.
   * @default true
   */
  protect?: boolean;
}

/** How a variant's model is served. */
export const ModelServer = { Mlflow: "mlflow", Custom: "custom" } as const;
/** How a variant's model is served. */
export type ModelServer = (typeof ModelServer)[keyof typeof ModelServer];

/** The Kubernetes-specific options of a serving endpoint, beyond the neutral {@link ServingEndpointSpec}. */
export interface KubernetesServingEndpointOptions {
  /**
   * `mlflow` runs `mlflow models serve` in `image`; `custom` runs the image's own entrypoint, which
   * must serve `MODEL_URI` on `MODEL_HOST`:`MODEL_PORT` (0.0.0.0, so the kubelet can probe it; the
   * NetworkPolicy keeps other pods out) and answer `healthPath`.
   * @default "mlflow"
   */
  modelServer?: ModelServer;
  /**
   * Model server image, for variants that do not name their own. For `mlflow` it must provide the
   * `mlflow` CLI and the model flavour's libraries (`--env-manager local` installs nothing at start).
   * The default, MLflow's core image, serves `python_function` models that need only MLflow's own
   * dependencies, the `sklearn` flavour among them; give variants of other flavours (PyTorch,
   * TensorFlow, XGBoost, transformers...) an image that carries them (`variants[].image`).
   * Pin it by digest (`<image>:<tag>@sha256:<digest>`) where the policy asks for one.
   * @default "ghcr.io/mlflow/mlflow:v3.9.0" (tag only: pin its digest in production)
   */
  image?: string;
  /**
   * Port the model server listens on (the container port `model`, which its probes use); the
   * NetworkPolicy admits only the sidecar's ports, so only the sidecar and the kubelet reach it.
   * @default 8081
   */
  modelPort?: number;
  /**
   * Health check path of the model server, probed on the model container's port and, for the
   * sidecar's readiness, through the sidecar.
   * @default "/ping" (the MLflow scoring server's)
   */
  healthPath?: string;
  /**
   * The pulumi-mlops runtime image, which provides `mlops capture` (the sidecar).
   * @default "ghcr.io/pulumi-mlops/runtime:0.1.0"
   */
  runtimeImage?: string;
  /**
   * CPU request of each model server container (no CPU limit, so it is never throttled).
   * @default "1"
   */
  cpu?: string;
  /**
   * Memory request and limit of each model server container.
   * @default "2Gi"
   */
  memory?: string;
  /**
   * GPUs per replica of variants that set `accelerator`.
   * @default 1
   */
  gpusPerReplica?: number;
  /**
   * Which cluster's node labels GPU variants are scheduled by: EKS (`aws`), GKE (`gcp`), AKS (`azure`),
   * or NVIDIA GPU Feature Discovery labels on any cluster (`kubernetes`).
   * @default "kubernetes"
   */
  schedulingTarget?: SchedulingTarget;
  /**
   * Average CPU utilisation (percent of request) the autoscaler keeps each variant at.
   * @default 70
   */
  targetCpuUtilizationPercent?: number;
  /**
   * Gateway the HTTPRoute attaches to (north-south traffic), whose controller applies the A/B weights
   * and mirrors. Unset: the route attaches to the endpoint's Service instead (Gateway API for service
   * mesh, "GAMMA"), and the weights and mirrors take effect only where a GAMMA mesh (Istio, Linkerd,
   * Cilium...) is installed; without one, requests spread over the live variants by pod count.
   * @default none (GAMMA)
   */
  gatewayName?: string;
  /**
   * Namespace of the Gateway; its listener must allow routes from `namespace`.
   * @default the route's namespace
   */
  gatewayNamespace?: string;
  /**
   * Listener of the Gateway to attach to.
   * @default all listeners
   */
  gatewaySectionName?: string;
  /**
   * Host names the route matches at the Gateway; the first one is the endpoint URL.
   * @default [] (every host of the listener)
   */
  hostnames?: string[];
  /**
   * Percent of requests mirrored to shadow variants. Below 100 it needs Gateway API v1.3 or later
   * (the `percent` field of the RequestMirror filter).
   * @default 100
   */
  shadowMirrorPercent?: number;
  /**
   * Namespaces (by name) whose pods may call the endpoint, besides its own and the Gateway's.
   * @default []
   */
  allowedNamespaces?: string[];
  /**
   * Namespace of the Prometheus that scrapes the sidecars' metrics port.
   * @default "monitoring"
   */
  prometheusNamespace?: string;
  /**
   * Create a `PodMonitor` that scrapes the sidecars' metrics, which the canary analysis (and the
   * monitoring alerts) read. Turn it off only when something else scrapes them; a canary whose
   * analysis reads nothing is paused as inconclusive, never promoted.
   * @default true
   */
  createPodMonitor?: boolean;
  /**
   * URN of the `PodMonitor` that `KubernetesMonitoring` created for this endpoint before the
   * endpoint scraped its own sidecars (`<monitoring name>-serving`). Given, the endpoint's
   * PodMonitor takes it as an alias, so an upgrade renames that object instead of deleting one
   * PodMonitor and creating another. `MlPlatform` sets it; an app program that built both
   * components sets it with `pulumi.createUrn` (see examples/kubernetes-recommender).
   * @default none
   */
  previousPodMonitorUrn?: pulumi.Input<string>;
  /**
   * Labels the Prometheus Operator's Prometheus selects PodMonitors by (kube-prometheus-stack:
   * `release: <Helm release name>`).
   * @default { release: "kube-prometheus-stack" }
   */
  prometheusSelectorLabels?: Record<string, string>;
  /**
   * Scrape interval of the sidecars' metrics.
   * @default "30s"
   */
  scrapeInterval?: string;
  /**
   * In-cluster Prometheus the canary analysis queries.
   * @default "http://prometheus-operated.monitoring.svc:9090"
   */
  prometheusAddress?: string;
  /**
   * Seconds between canary analysis measurements.
   * @default 60
   */
  analysisIntervalSeconds?: number;
  /**
   * Measurements that may breach the SLO before the rollout is aborted and rolled back.
   * @default 1
   */
  analysisFailureLimit?: number;
  /**
   * PromQL window of each analysis measurement.
   * @default "2m"
   */
  analysisWindow?: string;
  /**
   * Access mode of the capture volume: `ReadWriteMany` lets replicas on any node write it, and the
   * monitoring job read it while they do; `ReadWriteOnce` suits single-node clusters (`local`).
   * @default "ReadWriteMany"
   */
  captureVolumeAccessMode?: VolumeAccessMode;
  /**
   * Size of the capture volume.
   * @default "20Gi"
   */
  captureStorageSize?: string;
  /**
   * StorageClass of the capture volume (it must support the access mode).
   * @default the cluster's default StorageClass
   */
  storageClassName?: string;
  /**
   * Annotations of the model servers' ServiceAccount, e.g. for workload identity to the artifact store.
   * The promotion gate's Job runs under it too (reading an object-storage holdout).
   * @default {}
   */
  serviceAccountAnnotations?: Record<string, string>;
  /**
   * PersistentVolumeClaim (in `namespace`) holding the ONNX models the promotion gate evaluates,
   * mounted read-only at `/models` in its Job: `promotionGate`'s model paths (and a holdout that is
   * not in object storage) are absolute paths under `/models/`. Required with `promotionGate`.
   * @default none
   */
  promotionGateModelsClaimName?: string;
  /**
   * CPU request of the promotion gate's Job (its limit is twice this).
   * @default "1"
   */
  promotionGateCpu?: string;
  /**
   * Memory request and limit of the promotion gate's Job.
   * @default "2Gi"
   */
  promotionGateMemory?: string;
  /**
   * Seconds the promotion gate's Job may run before it is failed (and the version rolled back).
   * @default 1800
   */
  promotionGateTimeoutSeconds?: number;
}

const httpUrl = z
  .string()
  .regex(
    /^https?:\/\/[^\s/]+(\/[^\s]*)?$/,
    "must be an http:// or https:// URL. Fix: e.g. 'http://mlflow.mlops:5000'",
  );

// `mlops evaluate` reads models from files (runtime/model/session.ts), so models are paths on the
// volume mounted into the gate's Job.
const modelPath = z
  .string()
  .refine(
    isModelsPath,
    `must be the path of an ONNX file under ${MODELS_MOUNT_PATH}/ (the promotionGateModelsClaimName volume; mlops evaluate reads models from files). Fix: e.g. '${MODELS_MOUNT_PATH}/churn/4/model.onnx'`,
  );

const promotionGateSchema = z.strictObject({
  holdoutUri: z
    .string()
    .refine(
      (v) => isObjectUri(v) || isModelsPath(v),
      `must be an s3://, gs://, az:// or abfss:// URI, or a path under ${MODELS_MOUNT_PATH}/. Fix: e.g. 's3://ml/holdout/churn.parquet'`,
    ),
  labelColumn: z.string().min(1, "must name the label column. Fix: e.g. 'churned'"),
  protectedColumn: z.string().min(1).optional(),
  featureColumns: z
    .array(z.string().regex(/^[^,\s]+$/, "must be a column name without commas or spaces"))
    .min(1)
    .optional(),
  championModelUri: modelPath.optional(),
  candidateModelUris: z.record(z.string(), modelPath).default({}),
  gates: gatesFileSchema.default("{}"),
});

const variantSchema = z.strictObject({
  name: dnsLabelSchema,
  image: imageSchema.optional(),
  modelUri: z.string().min(1, "must not be empty. Fix: give a registry URI such as 'models:/fraud/3'"),
  weight: z
    .number()
    .int("must be a whole percent. Fix: use an integer from 0 to 100")
    .min(0)
    .max(100)
    .optional(),
  shadow: z.boolean().default(false),
  minReplicas: z.number().int().min(1, "must be at least 1. Fix: use 1 or more").default(1),
  maxReplicas: z.number().int().min(1).max(100).default(3),
  accelerator: z.enum(ACCELERATOR_NAMES).optional(),
});

const argsSchema = z
  .strictObject({
    // It names the endpoint's Service, and prefixes the variants' Services: a DNS-1035 label.
    name: dns1035LabelSchema.max(
      40,
      "must be at most 40 characters (object names append the variant). Fix: shorten it",
    ),
    variants: z.array(variantSchema).min(1, "needs at least one variant. Fix: add a variant"),
    rollout: z
      .strictObject({
        steps: z
          .array(
            z.strictObject({
              weight: z
                .number()
                .int("must be a whole percent. Fix: use an integer from 1 to 100")
                .min(1)
                .max(100),
              pauseSeconds: z.number().int().min(0).default(300),
            }),
          )
          .min(1, "needs at least one step. Fix: e.g. [{ weight: 50 }, { weight: 100 }]")
          .optional(),
        maxErrorRate: z.number().min(0).max(1).default(0.01),
        maxP99LatencyMs: z
          .number()
          .positive("must be above 0. Fix: give the p99 SLO in milliseconds")
          .default(500),
      })
      .default({ maxErrorRate: 0.01, maxP99LatencyMs: 500 }),
    captureSamplingPercent: z.number().min(0).max(100).default(100),
    tags: standardTagsSchema,
    namespace: dnsLabelSchema.default("default"),
    registryUri: input(httpUrl).optional(),
    modelServer: z.enum(ModelServer).default("mlflow"),
    image: imageSchema.default(DEFAULT_MODEL_SERVER_IMAGE),
    modelPort: z
      .number()
      .int()
      .min(1024)
      .max(65535)
      .refine(
        (p) => p !== SERVING_PORT && p !== METRICS_PORT,
        `is a port of the capture sidecar (${SERVING_PORT}, ${METRICS_PORT}), which shares the pod's network. Fix: e.g. 8081`,
      )
      .default(8081),
    healthPath: z
      .string()
      .regex(/^\/\S*$/, "must be an absolute path. Fix: e.g. '/ping'")
      .default("/ping"),
    runtimeImage: imageSchema.default("ghcr.io/pulumi-mlops/runtime:0.1.0"),
    cpu: quantitySchema.default("1"),
    memory: quantitySchema.default("2Gi"),
    gpusPerReplica: z.number().int().min(1).max(8).default(1),
    schedulingTarget: z.enum(SCHEDULING_TARGETS).default("kubernetes"),
    targetCpuUtilizationPercent: z.number().int().min(1).max(100).default(70),
    gatewayName: dnsLabelSchema.optional(),
    gatewayNamespace: dnsLabelSchema.optional(),
    gatewaySectionName: dnsLabelSchema.optional(),
    hostnames: z
      .array(
        z
          .string()
          .regex(
            /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
            "must be a DNS host name (optionally with a leading '*.'). Fix: e.g. 'fraud.ml.example.com'",
          ),
      )
      .max(16)
      .default([]),
    shadowMirrorPercent: z.number().int().min(1).max(100).default(100),
    createPodMonitor: z.boolean().default(true),
    previousPodMonitorUrn: input(z.string().startsWith("urn:pulumi:", "must be a Pulumi URN")).optional(),
    prometheusSelectorLabels: z
      .record(
        z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, {
          message: "is not a Kubernetes label key. Fix: e.g. 'release'",
        }),
        z.string().max(63),
      )
      .default(DEFAULT_PROMETHEUS_SELECTOR),
    scrapeInterval: z
      .string()
      .regex(/^([0-9]+(ms|s|m|h))+$/, "is not a Prometheus duration. Fix: e.g. '30s'")
      .default("30s"),
    prometheusAddress: httpUrl.default("http://prometheus-operated.monitoring.svc:9090"),
    allowedNamespaces: z.array(dnsLabelSchema).default([]),
    prometheusNamespace: dnsLabelSchema.default("monitoring"),
    analysisIntervalSeconds: z.number().int().min(10).max(3600).default(60),
    analysisFailureLimit: z.number().int().min(0).max(20).default(1),
    analysisWindow: z
      .string()
      .regex(/^([0-9]+(ms|s|m|h))+$/, "must be a Prometheus duration. Fix: e.g. '2m' or '5m'")
      .default("2m"),
    captureVolumeAccessMode: z.enum(VolumeAccessMode).default("ReadWriteMany"),
    captureStorageSize: quantitySchema.default("20Gi"),
    storageClassName: z.string().min(1).optional(),
    serviceAccountAnnotations: z.record(z.string(), z.string()).default({}),
    promotionGate: promotionGateSchema.optional(),
    promotionGateModelsClaimName: z
      .string()
      .max(253)
      .regex(
        /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
        "must be a PersistentVolumeClaim name (a DNS subdomain). Fix: e.g. 'models'",
      )
      .optional(),
    promotionGateCpu: quantitySchema.default("1"),
    promotionGateMemory: quantitySchema.default("2Gi"),
    promotionGateTimeoutSeconds: z.number().int().min(60).max(86400).default(1800),
    protect: z.boolean().default(true),
  })
  .superRefine((a, ctx) => {
    checkVariants(a.variants, ctx);
    a.variants.forEach((v, i) => {
      if (a.registryUri === undefined && /^(models|runs):\//.test(v.modelUri)) {
        ctx.addIssue({
          code: "custom",
          path: ["variants", i, "modelUri"],
          message:
            "is a registry URI, but registryUri is unset. Fix: pass the model registry's registryUri, or give an artifact URI (s3://, gs://, ...)",
        });
      }
    });
    if (a.rollout.steps !== undefined) checkStepsExpressible(a.rollout.steps, a.variants, ctx);
    checkPromotionGate(a, ctx);
  });

/**
 * Refuses canary steps that a variant's replica counts cannot express: without a traffic router the
 * canary's share of the variant's traffic is its share of pods ({@link canaryPodShare}), so with one
 * replica a 5% step sends half of it to the new version.
 */
function checkStepsExpressible(
  steps: { weight: number }[],
  variants: { name: string; minReplicas: number; maxReplicas: number }[],
  ctx: z.RefinementCtx,
): void {
  steps.forEach((step, i) => {
    for (const v of variants) {
      const bad = inexpressibleReplicaCounts(step.weight, v.minReplicas, v.maxReplicas);
      if (bad.length === 0) continue;
      const r = bad[0]!;
      ctx.addIssue({
        code: "custom",
        path: ["rollout", "steps", i, "weight"],
        message: `the canary is weighted by replicas, and variant ${v.name} at ${r} replica(s) would send ${canaryPodShare(step.weight, r).toFixed(0)}% of its traffic to the new version, not ${step.weight}% (more than ${CANARY_SHARE_TOLERANCE} points off). Fix: use weights its replica counts can express (50 always can), or raise its minReplicas`,
      });
      return;
    }
  });
}

/**
 * The promotion gate needs the models volume, and a candidate ONNX file on it for every variant:
 * named in `candidateModelUris`, or the variant's own `modelUri` when that is such a file.
 */
function checkPromotionGate(
  a: {
    variants: { name: string; modelUri: string }[];
    promotionGate?: { candidateModelUris: Record<string, string> } | undefined;
    promotionGateModelsClaimName?: string | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const gate = a.promotionGate;
  if (gate === undefined) {
    if (a.promotionGateModelsClaimName !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["promotionGateModelsClaimName"],
        message: "is set without promotionGate, so nothing mounts it. Fix: set promotionGate, or remove it",
      });
    return;
  }
  if (a.promotionGateModelsClaimName === undefined)
    ctx.addIssue({
      code: "custom",
      path: ["promotionGateModelsClaimName"],
      message: `is required with promotionGate: the gate's Job reads the ONNX models from that volume at ${MODELS_MOUNT_PATH}. Fix: name the PersistentVolumeClaim holding them`,
    });
  const names = new Set(a.variants.map((v) => v.name));
  for (const key of Object.keys(gate.candidateModelUris))
    if (!names.has(key))
      ctx.addIssue({
        code: "custom",
        path: ["promotionGate", "candidateModelUris", key],
        message: `names no variant (variants: ${[...names].join(", ")}). Fix: key it by a variant's name`,
      });
  a.variants.forEach((v, i) => {
    if (gate.candidateModelUris[v.name] === undefined && !isModelsPath(v.modelUri))
      ctx.addIssue({
        code: "custom",
        path: ["variants", i, "modelUri"],
        message: `is not an ONNX file under ${MODELS_MOUNT_PATH}/, so the promotion gate cannot evaluate variant ${v.name}'s new version. Fix: set promotionGate.candidateModelUris.${v.name} to its ONNX file, e.g. '${MODELS_MOUNT_PATH}/${v.name}/model.onnx'`,
      });
  });
}

/** The default ladder, less the steps the variant's replica range cannot express. */
function defaultSteps(v: { minReplicas: number; maxReplicas: number }) {
  return DEFAULT_STEPS.filter(
    (s) => inexpressibleReplicaCounts(s.weight, v.minReplicas, v.maxReplicas).length === 0,
  );
}

/**
 * A model serving endpoint on any Kubernetes cluster, with weighted A/B variants, shadow traffic,
 * canary rollouts that roll back on an SLO breach, and request/response capture for drift monitoring.
 *
 * Per variant: an Argo Rollouts `Rollout` (the variant's Deployment: it owns the ReplicaSets and pod
 * template exactly as a Deployment would, plus the canary strategy), a Service, a
 * HorizontalPodAutoscaler targeting the Rollout, and a PodDisruptionBudget. Each pod runs the model
 * server on 127.0.0.1 behind the `capture` sidecar (`mlops capture` from the runtime image), which
 * exports request/latency metrics and writes sampled exchanges as JSON Lines to a shared, protected
 * capture volume at `<volume>/<endpoint>/<variant>/YYYY/MM/DD/HH/<pod>-<seq>.jsonl`.
 *
 * Traffic: a Gateway API `HTTPRoute` splits requests across the live variants by weight (backendRef
 * weights) and mirrors them to shadow variants (`RequestMirror` filters). It attaches to a Gateway
 * when `gatewayName` is set, otherwise to the endpoint's own Service (GAMMA, for meshes). Without
 * either a Gateway controller or a GAMMA mesh, the endpoint Service still answers, spreading requests
 * over the live variants' pods in proportion to their replica counts rather than the weights.
 *
 * Why Argo Rollouts rather than KServe: KServe's `canaryTrafficPercent` only works in Serverless
 * (Knative) mode and is silently ignored in RawDeployment mode (kserve/kserve#5335), its rollback
 * is manual, and Knative is a heavy dependency for a library that should run on any cluster. Argo
 * Rollouts works with any model server, and its `AnalysisTemplate` queries Prometheus and aborts the
 * rollout (scaling the new pods away, restoring the stable ones) on an SLO breach.
 *
 * Why replica-weighted canary rather than Argo's Gateway API traffic-router plugin: the plugin
 * rewrites the weights of one HTTPRoute rule's two backends (stable/canary), which would fight both
 * the A/B weights across variants in that rule and Pulumi's own view of the route, and it needs a
 * plugin installed in the Argo controller. Replica weighting composes with the A/B split (each
 * variant's Service spreads its share over both revisions) at the cost of precision, so a step is
 * refused when, at some replica count between the variant's minimum and maximum, its share of pods
 * is more than 5 points from its weight (with one replica only 50% and 100% are exact); the default
 * ladder keeps the steps each variant can express. The SLO analysis watches the new pods only (their
 * `rollouts-pod-template-hash` is a metric label) through the endpoint's own PodMonitor, and a
 * measurement with no data is inconclusive (the rollout pauses), never a pass. The PromQL is shared
 * with the monitoring alerts (`promql.ts`).
 */
export class KubernetesServingEndpoint extends pulumi.ComponentResource {
  /** URL clients call: `http://<first hostname>` behind a Gateway, else the endpoint Service's DNS name. */
  public readonly url: pulumi.Output<string>;
  /** Name of the endpoint's own Service (all live variants; the GAMMA parent of the route). */
  public readonly serviceName: pulumi.Output<string>;
  /** Service name of each variant, by variant name. */
  public readonly variantServiceNames: pulumi.Output<Record<string, string>>;
  /** Name of the HTTPRoute. */
  public readonly routeName: pulumi.Output<string>;
  /** Name of the AnalysisTemplate the rollouts use. */
  public readonly analysisTemplateName: pulumi.Output<string>;
  /** Name of the promotion gate's AnalysisTemplate; unset without `promotionGate`. */
  public readonly promotionGateTemplateName: pulumi.Output<string | undefined>;
  /** Claim name of the capture volume, for the monitoring job to mount; unset when capture is off. */
  public readonly captureVolumeClaimName: pulumi.Output<string | undefined>;
  /**
   * Where the serving pods mount the capture volume; mount the claim at the same path in the drift job.
   * The endpoint's rows are under `<captureRoot>/<endpoint>/`.
   */
  public readonly captureRoot: pulumi.Output<string>;
  /** `<captureRoot>/<endpoint>`: every variant's capture partitions. */
  public readonly captureDirectory: pulumi.Output<string>;
  /** Pod labels that select every pod of the endpoint, for a PodMonitor. */
  public readonly metricsSelector: pulumi.Output<Record<string, string>>;
  /** Name of the container port serving `/metrics`. */
  public readonly metricsPortName: pulumi.Output<string>;
  /** Name of the PodMonitor that scrapes the sidecars; unset when `createPodMonitor` is off. */
  public readonly podMonitorName: pulumi.Output<string | undefined>;
  /** Namespace the endpoint runs in. */
  public readonly namespace: pulumi.Output<string>;
  /** The endpoint name (the `endpoint` label of the serving metrics). */
  public readonly endpointName: pulumi.Output<string>;

  constructor(name: string, args: KubernetesServingEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = validateArgs("KubernetesServingEndpoint", name, argsSchema, args);
    claimPhysicalNames("KubernetesServingEndpoint", name, "name", a.name, physicalNames(a));
    super("mlops:index:KubernetesServingEndpoint", name, args, opts);

    const ns = a.namespace;
    const endpoint = a.name;
    const gamma = !a.gatewayName;
    if (gamma && (a.variants.filter((v) => !v.shadow).length > 1 || a.variants.some((v) => v.shadow))) {
      pulumi.log.warn(
        `Endpoint ${endpoint}: its HTTPRoute's parent is the Service ${endpoint} (GAMMA), so the A/B weights and shadow mirrors take effect only where a GAMMA service mesh is installed (Istio, Linkerd, Cilium...); without one, requests spread over the live variants by pod count and no shadow gets a copy. Set gatewayName to route through a Gateway instead.`,
        this,
      );
    }
    const endpointLabels: Record<string, string> = { [ENDPOINT_LABEL]: endpoint };
    const meta = (
      objName: string,
      instance: string,
      component: string,
      labels: Record<string, string> = {},
    ) =>
      objectMeta({
        name: objName,
        namespace: ns,
        tags: a.tags,
        app: APP,
        instance,
        component,
        labels: { ...endpointLabels, ...labels },
      });

    const serviceAccount = new k8s.core.v1.ServiceAccount(
      childName(name, "model-server"),
      {
        metadata: objectMeta({
          name: dnsLabel(endpoint, "model-server"),
          namespace: ns,
          tags: a.tags,
          app: APP,
          instance: endpoint,
          component: "model-server",
          labels: endpointLabels,
          annotations: a.serviceAccountAnnotations,
        }),
        automountServiceAccountToken: false,
      },
      { parent: this },
    );

    const capturing = a.captureSamplingPercent > 0;
    const captureClaim = capturing
      ? new k8s.core.v1.PersistentVolumeClaim(
          childName(name, "capture"),
          {
            metadata: meta(dnsLabel(endpoint, "capture"), endpoint, "capture"),
            spec: {
              accessModes: [a.captureVolumeAccessMode],
              ...(a.storageClassName ? { storageClassName: a.storageClassName } : {}),
              resources: { requests: { storage: a.captureStorageSize } },
            },
          },
          statefulOptions({ parent: this }, a.protect),
        )
      : undefined;

    const templateName = dnsLabel(endpoint, "slo");
    const analysis = new k8s.apiextensions.CustomResource(
      childName(name, "slo"),
      {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AnalysisTemplate",
        metadata: meta(templateName, endpoint, "rollout-analysis"),
        spec: analysisTemplateSpec({
          endpoint,
          prometheusAddress: a.prometheusAddress,
          maxErrorRate: a.rollout.maxErrorRate,
          maxP99LatencyMs: a.rollout.maxP99LatencyMs,
          intervalSeconds: a.analysisIntervalSeconds,
          failureLimit: a.analysisFailureLimit,
          window: a.analysisWindow,
        }),
      },
      { parent: this },
    );

    const gateTemplate = a.promotionGate
      ? this.promotionGate(name, endpoint, a, meta, serviceAccount.metadata.name)
      : undefined;

    // The analysis reads the sidecars' metrics: scrape them here, so a canary is never judged on
    // nothing because no monitoring was set up beside the endpoint.
    const podMonitor = a.createPodMonitor
      ? new k8s.apiextensions.CustomResource(
          childName(name, "metrics"),
          {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PodMonitor",
            metadata: objectMeta({
              name: dnsLabel(endpoint, "metrics"),
              namespace: ns,
              tags: a.tags,
              app: APP,
              instance: endpoint,
              component: "metrics",
              labels: { ...endpointLabels, ...a.prometheusSelectorLabels },
            }),
            spec: servingPodMonitorSpec({
              selector: endpointLabels,
              namespace: ns,
              portName: METRICS_PORT_NAME,
              interval: a.scrapeInterval,
            }),
          },
          { parent: this, aliases: a.previousPodMonitorUrn ? [a.previousPodMonitorUrn] : [] },
        )
      : undefined;

    const variantServices: Record<string, pulumi.Output<string>> = {};
    const serviceResources: k8s.core.v1.Service[] = [];
    for (const v of a.variants) {
      const objName = dnsLabel(endpoint, v.name);
      const traffic = v.shadow ? "shadow" : "live";
      const variantLabels = { [VARIANT_LABEL]: v.name, [TRAFFIC_LABEL]: traffic };
      const selector = selectorLabels(APP, objName);
      const variantMeta = meta(objName, objName, "model-variant", variantLabels);

      const rollout = new k8s.apiextensions.CustomResource(
        childName(name, v.name),
        {
          apiVersion: "argoproj.io/v1alpha1",
          kind: "Rollout",
          metadata: variantMeta,
          spec: {
            // No `replicas`: the HorizontalPodAutoscaler owns the count, between min and max.
            selector: { matchLabels: selector },
            revisionHistoryLimit: 3,
            progressDeadlineSeconds: 1200,
            progressDeadlineAbort: true,
            template: {
              metadata: { labels: { ...variantMeta.labels } },
              spec: variantPodSpec({
                endpoint,
                variant: v.name,
                modelUri: v.modelUri,
                modelServer: a.modelServer,
                image: v.image ?? a.image,
                modelPort: a.modelPort,
                healthPath: a.healthPath,
                ...(a.registryUri !== undefined ? { registryUri: a.registryUri } : {}),
                runtimeImage: a.runtimeImage,
                samplePercent: a.captureSamplingPercent,
                ...(captureClaim ? { captureClaimName: captureClaim.metadata.name } : {}),
                serviceAccountName: serviceAccount.metadata.name,
                cpu: a.cpu,
                memory: a.memory,
                ...(v.accelerator ? { accelerator: v.accelerator } : {}),
                gpusPerReplica: a.gpusPerReplica,
                schedulingTarget: a.schedulingTarget,
              }),
            },
            strategy: {
              canary: canaryStrategy(
                a.rollout.steps ?? defaultSteps(v),
                templateName,
                v.name,
                gateTemplate && a.promotionGate
                  ? promotionGateStep(
                      gateTemplate.name,
                      a.promotionGate.candidateModelUris[v.name] ?? v.modelUri,
                    )
                  : undefined,
              ),
            },
          },
        },
        { parent: this, dependsOn: [analysis, ...(gateTemplate ? [gateTemplate.resource] : [])] },
      );

      const service = new k8s.core.v1.Service(
        childName(name, v.name),
        {
          metadata: variantMeta,
          spec: {
            type: "ClusterIP",
            selector,
            ports: [
              { name: "http", port: SERVICE_PORT, targetPort: "http", protocol: "TCP" },
              { name: METRICS_PORT_NAME, port: METRICS_PORT, targetPort: METRICS_PORT_NAME, protocol: "TCP" },
            ],
          },
        },
        { parent: this },
      );
      variantServices[v.name] = service.metadata.name;
      serviceResources.push(service);

      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        childName(name, v.name),
        {
          metadata: variantMeta,
          spec: {
            scaleTargetRef: { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: objName },
            minReplicas: v.minReplicas,
            maxReplicas: v.maxReplicas,
            metrics: [
              {
                type: "Resource",
                resource: {
                  name: "cpu",
                  target: { type: "Utilization", averageUtilization: a.targetCpuUtilizationPercent },
                },
              },
            ],
          },
        },
        { parent: this, dependsOn: [rollout] },
      );

      // One pod at a time may be evicted: a drain never takes a variant down entirely when it runs
      // two or more replicas, and never blocks forever when it runs one.
      new k8s.policy.v1.PodDisruptionBudget(
        childName(name, v.name),
        { metadata: variantMeta, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } },
        { parent: this },
      );
    }

    // Deny by default: only the sidecar's serving port is reachable (the model server binds
    // localhost), from this namespace, the Gateway's and the allowed ones; the metrics port only
    // from Prometheus.
    const callers = [
      ...new Set([...(a.gatewayNamespace ? [a.gatewayNamespace] : []), ...a.allowedNamespaces]),
    ];
    const byNamespace = (n: string) => ({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": n } },
    });
    new k8s.networking.v1.NetworkPolicy(
      childName(name, "network"),
      {
        metadata: meta(dnsLabel(endpoint, "serving"), endpoint, "network"),
        spec: {
          podSelector: { matchLabels: endpointLabels },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [{ podSelector: {} }, ...callers.map(byNamespace)],
              ports: [{ protocol: "TCP", port: SERVING_PORT }],
            },
            { from: [byNamespace(a.prometheusNamespace)], ports: [{ protocol: "TCP", port: METRICS_PORT }] },
          ],
        },
      },
      { parent: this },
    );

    // The endpoint's own Service: the GAMMA parent of the route, and a fallback that spreads requests
    // over every live variant's pods when no Gateway API implementation applies the weights.
    const frontService = new k8s.core.v1.Service(
      childName(name, "endpoint"),
      {
        metadata: meta(endpoint, endpoint, "endpoint", { [TRAFFIC_LABEL]: "live" }),
        spec: {
          type: "ClusterIP",
          selector: { ...endpointLabels, [TRAFFIC_LABEL]: "live" },
          ports: [{ name: "http", port: SERVICE_PORT, targetPort: "http", protocol: "TCP" }],
        },
      },
      { parent: this },
    );

    const route = new k8s.apiextensions.CustomResource(
      childName(name, "route"),
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: meta(endpoint, endpoint, "route"),
        spec: httpRouteSpec({
          backends: a.variants
            .filter((v) => !v.shadow)
            .map((v) => ({ serviceName: dnsLabel(endpoint, v.name), weight: v.weight ?? 100 })),
          mirrors: a.variants.filter((v) => v.shadow).map((v) => dnsLabel(endpoint, v.name)),
          mirrorPercent: a.shadowMirrorPercent,
          servicePort: SERVICE_PORT,
          ...(a.gatewayName
            ? {
                gateway: {
                  name: a.gatewayName,
                  ...(a.gatewayNamespace ? { namespace: a.gatewayNamespace } : {}),
                  ...(a.gatewaySectionName ? { sectionName: a.gatewaySectionName } : {}),
                },
              }
            : {}),
          frontServiceName: endpoint,
          hostnames: a.hostnames,
        }),
      },
      { parent: this, dependsOn: [frontService, ...serviceResources] },
    );

    this.namespace = pulumi.output(ns);
    this.endpointName = pulumi.output(endpoint);
    this.serviceName = frontService.metadata.name;
    this.url =
      a.gatewayName && a.hostnames.length > 0
        ? pulumi.output(`http://${a.hostnames[0]!.replace(/^\*\./, "")}`)
        : pulumi.interpolate`http://${frontService.metadata.name}.${ns}.svc.cluster.local`;
    this.variantServiceNames = pulumi.all(variantServices);
    this.routeName = route.metadata.name;
    this.analysisTemplateName = analysis.metadata.name;
    this.captureVolumeClaimName = captureClaim ? captureClaim.metadata.name : pulumi.output(undefined);
    this.captureRoot = pulumi.output(CAPTURE_MOUNT_PATH);
    this.captureDirectory = pulumi.output(`${CAPTURE_MOUNT_PATH}/${endpoint}`);
    this.metricsSelector = pulumi.output<Record<string, string>>(endpointLabels);
    this.metricsPortName = pulumi.output(METRICS_PORT_NAME);
    this.podMonitorName = podMonitor ? podMonitor.metadata.name : pulumi.output(undefined);
    this.promotionGateTemplateName = gateTemplate
      ? gateTemplate.resource.metadata.name
      : pulumi.output(undefined);
    this.registerOutputs({
      podMonitorName: this.podMonitorName,
      promotionGateTemplateName: this.promotionGateTemplateName,
      url: this.url,
      serviceName: this.serviceName,
      variantServiceNames: this.variantServiceNames,
      routeName: this.routeName,
      analysisTemplateName: this.analysisTemplateName,
      captureVolumeClaimName: this.captureVolumeClaimName,
      captureRoot: this.captureRoot,
      captureDirectory: this.captureDirectory,
      metricsSelector: this.metricsSelector,
      metricsPortName: this.metricsPortName,
      namespace: this.namespace,
      endpointName: this.endpointName,
    });
  }

  /**
   * The promotion gate: the gates file in a ConfigMap and the AnalysisTemplate whose Job evaluates a
   * variant's new version with them before its first traffic step.
   */
  private promotionGate(
    name: string,
    endpoint: string,
    a: z.infer<typeof argsSchema>,
    meta: (objName: string, instance: string, component: string) => k8s.types.input.meta.v1.ObjectMeta,
    serviceAccountName: pulumi.Input<string>,
  ): { name: string; resource: k8s.apiextensions.CustomResource } {
    const gate = a.promotionGate!;
    const gatesMap = new k8s.core.v1.ConfigMap(
      childName(name, "promotion-gates"),
      {
        metadata: meta(dnsLabel(endpoint, "promotion-gates"), endpoint, "promotion-gate"),
        // As given (comments kept): the schema checked it as the runtime will read it.
        data: { [GATES_FILE]: gate.gates.endsWith("\n") ? gate.gates : `${gate.gates}\n` },
      },
      { parent: this },
    );
    const templateName = dnsLabel(endpoint, "promotion-gate");
    const resource = new k8s.apiextensions.CustomResource(
      childName(name, "promotion-gate"),
      {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AnalysisTemplate",
        metadata: meta(templateName, endpoint, "promotion-gate"),
        spec: promotionGateTemplateSpec({
          image: a.runtimeImage,
          holdoutUri: gate.holdoutUri,
          labelColumn: gate.labelColumn,
          ...(gate.protectedColumn ? { protectedColumn: gate.protectedColumn } : {}),
          ...(gate.featureColumns ? { featureColumns: gate.featureColumns } : {}),
          ...(gate.championModelUri ? { championModelUri: gate.championModelUri } : {}),
          gatesConfigMapName: gatesMap.metadata.name,
          modelsClaimName: a.promotionGateModelsClaimName!,
          serviceAccountName,
          labels: { ...selectorLabels("mlops-promotion-gate", endpoint), [ENDPOINT_GATE_LABEL]: endpoint },
          cpu: a.promotionGateCpu,
          cpuLimit: scaleCpu(a.promotionGateCpu, 2),
          memory: a.promotionGateMemory,
          timeoutSeconds: a.promotionGateTimeoutSeconds,
        }),
      },
      { parent: this, dependsOn: [gatesMap] },
    );
    return { name: templateName, resource };
  }
}

/** The physical names the endpoint creates, for {@link claimPhysicalNames}. */
function physicalNames(a: {
  name: string;
  namespace: string;
  variants: { name: string }[];
  promotionGate?: unknown;
}) {
  const at = (kind: string, name: string) => ({ kind, namespace: a.namespace, name });
  return [
    at("v1/Service", a.name),
    at("v1/ServiceAccount", dnsLabel(a.name, "model-server")),
    at("v1/PersistentVolumeClaim", dnsLabel(a.name, "capture")),
    at("argoproj.io/AnalysisTemplate", dnsLabel(a.name, "slo")),
    at("gateway.networking.k8s.io/HTTPRoute", a.name),
    at("networking.k8s.io/NetworkPolicy", dnsLabel(a.name, "serving")),
    at("monitoring.coreos.com/PodMonitor", dnsLabel(a.name, "metrics")),
    ...(a.promotionGate
      ? [
          at("v1/ConfigMap", dnsLabel(a.name, "promotion-gates")),
          at("argoproj.io/AnalysisTemplate", dnsLabel(a.name, "promotion-gate")),
        ]
      : []),
    ...a.variants.flatMap((v) => {
      const n = dnsLabel(a.name, v.name);
      return [
        at("v1/Service", n),
        at("argoproj.io/Rollout", n),
        at("autoscaling/HorizontalPodAutoscaler", n),
        at("policy/PodDisruptionBudget", n),
      ];
    }),
  ];
}
