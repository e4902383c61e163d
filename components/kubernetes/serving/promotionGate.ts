/**
 * The promotion gate of a canary: an Argo Rollouts `AnalysisTemplate` whose one metric is a Job
 * running `mlops evaluate` (the runtime image), and the inline `analysis` step put before the first
 * `setWeight`. Argo Rollouts counts a Job that fails (`mlops evaluate` exits 2 on a failed gate, 1 on
 * an error) as a failed measurement; with `failureLimit` 0 that fails the analysis, which aborts the
 * rollout and keeps the stable version, as an SLO breach does. Field names follow the
 * argoproj.io/v1alpha1 CRDs (v1.9.1; the tests validate against the schema).
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../security";

/** Argo argument carrying the candidate model's path into the template. */
export const CANDIDATE_ARG = "candidate-model";
/** Where the gates ConfigMap is mounted (read-only) in the gate's Job. */
export const GATES_MOUNT_PATH = "/etc/mlops";
/** The gates file inside {@link GATES_MOUNT_PATH}. */
export const GATES_FILE = "gates.yaml";
/** Where the models volume is mounted (read-only) in the gate's Job; model paths start with it. */
export const MODELS_MOUNT_PATH = "/models";

/**
 * Metrics a gate may name. Components import nothing from `runtime/` (a separate image with its own
 * dependencies), so this mirrors `METRIC_DIRECTION` in `runtime/model/gates.ts`; a test keeps them equal.
 */
export const GATE_METRICS = [
  "accuracy",
  "precision",
  "recall",
  "f1",
  "macroPrecision",
  "macroRecall",
  "macroF1",
  "weightedPrecision",
  "weightedRecall",
  "weightedF1",
  "rocAuc",
  "prAuc",
  "logLoss",
  "brier",
  "ece",
  "mae",
  "rmse",
  "mape",
  "r2",
] as const;

const metric = z.enum(GATE_METRICS);
const bound = z.strictObject({ min: z.number().optional(), max: z.number().optional() });
const absBound = z.strictObject({ maxAbs: z.number().nonnegative() });

/**
 * The gates, as `runtime/model/gates.ts` `gatesSchema` accepts them (strict: an unknown or misspelt
 * key is refused at construction, not by a Job that fails during a rollout). A test parses the rendered
 * file with the runtime's own schema.
 */
export const gatesSchema = z.strictObject({
  metrics: z.partialRecord(metric, bound).optional(),
  champion: z
    .strictObject({
      metric: metric.optional(),
      margin: z.number().optional(),
      maxRegression: z.partialRecord(metric, z.number().nonnegative()).optional(),
      resamples: z.number().int().min(100).optional(),
      confidence: z.number().gt(0).lt(1).optional(),
      seed: z.number().int().optional(),
    })
    .optional(),
  fairness: z
    .strictObject({
      privileged: z.string().optional(),
      disparateImpact: bound.optional(),
      statisticalParityDifference: absBound.optional(),
      equalOpportunityDifference: absBound.optional(),
      averageOddsDifference: absBound.optional(),
    })
    .optional(),
  latency: z.strictObject({ p95BatchMs: z.number().positive() }).optional(),
  threshold: z.number().gt(0).lt(1).optional(),
});

/** The gates file's text: YAML (or JSON) that {@link gatesSchema} accepts. */
export const gatesFileSchema = z.string().superRefine((text, ctx) => {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    ctx.addIssue({ code: "custom", message: `is not YAML or JSON (${why}). Fix: correct the syntax` });
    return;
  }
  const parsed = gatesSchema.safeParse(raw ?? {});
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({
      code: "custom",
      path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
      message: `${issue.message}. Fix: use only the keys metrics, champion, fairness, latency and threshold (as \`mlops evaluate --help\` shows), naming metrics among ${GATE_METRICS.join(", ")}`,
    });
  }
});

/** True for the object-storage URIs the runtime's readers open (`runtime/io/objects/uri.ts`). */
export function isObjectUri(value: string): boolean {
  return /^(s3|gs|az|abfss):\/\/[^/]+/.test(value);
}

/** True for a path on the models volume, the only place the gate's Job reads model files from. */
export function isModelsPath(value: string): boolean {
  return value.startsWith(`${MODELS_MOUNT_PATH}/`) && !value.split("/").includes("..");
}

/** Inputs of {@link promotionGateTemplateSpec}. */
export interface PromotionGateInputs {
  image: string;
  holdoutUri: string;
  labelColumn: string;
  protectedColumn?: string;
  featureColumns?: string[];
  championModelUri?: string;
  gatesConfigMapName: pulumi.Input<string>;
  modelsClaimName: string;
  serviceAccountName: pulumi.Input<string>;
  labels: Record<string, string>;
  cpu: string;
  memory: string;
  cpuLimit: string;
  timeoutSeconds: number;
}

/** The `mlops evaluate` arguments; the report goes to stdout (the Job's log). */
export function evaluateArgs(i: PromotionGateInputs): string[] {
  return [
    "evaluate",
    "--model",
    `{{args.${CANDIDATE_ARG}}}`,
    ...(i.championModelUri ? ["--champion", i.championModelUri] : []),
    "--data",
    i.holdoutUri,
    "--label",
    i.labelColumn,
    ...(i.protectedColumn ? ["--protected", i.protectedColumn] : []),
    ...(i.featureColumns?.length ? ["--features", i.featureColumns.join(",")] : []),
    "--gates",
    `${GATES_MOUNT_PATH}/${GATES_FILE}`,
    "--json",
    "-",
  ];
}

/** The Job's pod: the restricted profile the monitoring CronJob runs under, read-only mounts. */
function gatePodSpec(i: PromotionGateInputs): k8s.types.input.core.v1.PodSpec {
  return {
    restartPolicy: "Never",
    serviceAccountName: i.serviceAccountName,
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurityContext(),
    containers: [
      {
        name: "evaluate",
        image: i.image,
        args: evaluateArgs(i),
        env: [
          { name: "HOME", value: "/tmp" },
          { name: "NO_PROGRESS", value: "1" },
        ],
        resources: {
          requests: { cpu: i.cpu, memory: i.memory },
          limits: { cpu: i.cpuLimit, memory: i.memory },
        },
        securityContext: restrictedContainerSecurityContext(),
        volumeMounts: [
          { name: "gates", mountPath: GATES_MOUNT_PATH, readOnly: true },
          { name: "models", mountPath: MODELS_MOUNT_PATH, readOnly: true },
          { name: "tmp", mountPath: "/tmp" },
        ],
      },
    ],
    volumes: [
      { name: "gates", configMap: { name: i.gatesConfigMapName } },
      { name: "models", persistentVolumeClaim: { claimName: i.modelsClaimName, readOnly: true } },
      { name: "tmp", emptyDir: {} },
    ],
  };
}

/**
 * The gate's AnalysisTemplate spec: one Job metric, measured once, no retry (`backoffLimit` 0,
 * `failureLimit` 0), so one failed evaluation rolls the version back.
 */
export function promotionGateTemplateSpec(i: PromotionGateInputs) {
  return {
    args: [{ name: CANDIDATE_ARG }],
    metrics: [
      {
        name: "promotion-gate",
        failureLimit: 0,
        provider: {
          job: {
            metadata: { labels: i.labels },
            spec: {
              backoffLimit: 0,
              activeDeadlineSeconds: i.timeoutSeconds,
              template: { metadata: { labels: i.labels }, spec: gatePodSpec(i) },
            },
          },
        },
      },
    ],
  };
}

/** The inline analysis step run before the first `setWeight`, judging `candidate`. */
export function promotionGateStep(templateName: string, candidate: string) {
  return {
    analysis: {
      templates: [{ templateName }],
      args: [{ name: CANDIDATE_ARG, value: candidate }],
    },
  };
}
