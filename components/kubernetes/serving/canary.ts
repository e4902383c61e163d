/**
 * The Argo Rollouts objects of a variant's progressive delivery: the `canary` strategy of its
 * `Rollout` and the endpoint's `AnalysisTemplate` that rolls back on an SLO breach. Field names follow
 * the argoproj.io/v1alpha1 CRDs (argoproj/argo-rollouts `manifests/crds/rollout-crd.yaml` and
 * `analysis-template-crd.yaml`, v1.9.1; the tests validate against both schemas).
 */
import { errorRateQuery, p99LatencyQuery, type ServingSeriesSelector } from "../promql";

/** Argo argument carrying the variant name into the template. */
export const VARIANT_ARG = "variant";
/** Argo argument carrying the new pods' `rollouts-pod-template-hash`. */
export const CANARY_HASH_ARG = "canary-hash";
/** The pod label Argo Rollouts puts on every pod of a revision. */
export const POD_TEMPLATE_HASH_LABEL = "rollouts-pod-template-hash";

/** One resolved rollout step. */
export interface CanaryStep {
  weight: number;
  pauseSeconds: number;
}

/** `spec.strategy.canary` of a Rollout (the subset written here). */
export interface CanaryStrategy {
  maxSurge: string;
  maxUnavailable: number;
  steps: (
    | { setWeight: number }
    | { pause: { duration: string } }
    | { analysis: { templates: { templateName: string }[]; args: { name: string; value: string }[] } }
  )[];
  analysis: {
    /** Step index the background analysis starts at. */
    startingStep?: number;
    templates: { templateName: string }[];
    args: (
      | { name: string; value: string }
      | { name: string; valueFrom: { podTemplateHashValue: "Latest" } }
    )[];
  };
}

/**
 * The canary strategy: the promotion gate's analysis step first when there is one (a new version
 * then takes no traffic until it passes), then `setWeight` and `pause` for every step, with a
 * background SLO analysis from the first `setWeight` on. Without a traffic router the weight is a
 * share of pods ({@link canaryPodShare}); the endpoint refuses steps its replica counts cannot express.
 */
export function canaryStrategy(
  steps: CanaryStep[],
  templateName: string,
  variant: string,
  gateStep?: CanaryStrategy["steps"][number],
): CanaryStrategy {
  return {
    maxSurge: "25%",
    maxUnavailable: 0,
    steps: [...(gateStep ? [gateStep] : []), ...steps].flatMap((s) => ("weight" in s ? weightSteps(s) : [s])),
    analysis: {
      // The SLO analysis starts after the gate: before the first setWeight the new revision has no
      // pods, so its measurements would find nothing and pause the rollout as inconclusive.
      ...(gateStep ? { startingStep: 1 } : {}),
      templates: [{ templateName }],
      args: [
        { name: VARIANT_ARG, value: variant },
        { name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: "Latest" } },
      ],
    },
  };
}

function weightSteps(s: CanaryStep): CanaryStrategy["steps"] {
  return [
    { setWeight: s.weight },
    ...(s.pauseSeconds > 0 ? [{ pause: { duration: `${s.pauseSeconds}s` } }] : []),
  ];
}

/** Inputs of {@link analysisTemplateSpec}. */
export interface AnalysisInputs {
  endpoint: string;
  prometheusAddress: string;
  maxErrorRate: number;
  maxP99LatencyMs: number;
  /** Seconds between measurements. */
  intervalSeconds: number;
  /** Failed measurements tolerated before the rollout is aborted (rolled back). */
  failureLimit: number;
  /** PromQL `rate()` window of each measurement. */
  window: string;
}

/** One metric of the AnalysisTemplate. */
export interface AnalysisMetric {
  name: string;
  interval: string;
  failureLimit: number;
  inconclusiveLimit: number;
  successCondition: string;
  failureCondition: string;
  provider: { prometheus: { address: string; query: string } };
}

/** `spec` of the AnalysisTemplate. */
export interface AnalysisTemplateSpec {
  args: { name: string }[];
  metrics: AnalysisMetric[];
}

/** True when the Prometheus result holds a number to judge (Argo's `isNaN` is from its expr env). */
const MEASURED = "len(result) > 0 && !isNaN(result[0])";

/**
 * The two conditions of a "below the threshold" metric. Both are set, so a measurement with nothing
 * to judge (no sample because nothing scraped the canary or it had no traffic, or NaN from a quantile
 * over an empty histogram) satisfies neither and is Inconclusive: Argo Rollouts then pauses the
 * rollout for a person to judge (`inconclusiveLimit` 0), never promotes it. A background analysis
 * keeps the rollout paused on an inconclusive run from Argo Rollouts 1.8 (argoproj/argo-rollouts#3873;
 * earlier controllers promoted at the end of a timed pause, #3850), so run 1.8 or later.
 */
export function atMost(threshold: number): { successCondition: string; failureCondition: string } {
  return {
    successCondition: `${MEASURED} && result[0] <= ${threshold}`,
    failureCondition: `${MEASURED} && result[0] > ${threshold}`,
  };
}

/** How far (percentage points) a step's pod share may be from its weight. */
export const CANARY_SHARE_TOLERANCE = 10;

/**
 * The share of a variant's pods (percent) on the new revision at `weight` with `replicas` replicas.
 * Without a traffic router Argo Rollouts sizes both ReplicaSets by rounding up
 * (`ceil(replicas × weight / 100)` new, `ceil(replicas × (100 − weight) / 100)` stable), and the
 * variant's Service spreads requests evenly over the ready pods of both.
 */
export function canaryPodShare(weight: number, replicas: number): number {
  if (weight >= 100) return 100;
  const canary = Math.ceil((replicas * weight) / 100);
  const stable = Math.ceil((replicas * (100 - weight)) / 100);
  return (100 * canary) / (canary + stable);
}

/**
 * The replica counts (from `minReplicas` to `maxReplicas`, the autoscaler's range) at which a step
 * of `weight` sends more than {@link CANARY_SHARE_TOLERANCE} points more or less than `weight`
 * percent of the variant's traffic to the new revision; empty when every count expresses it.
 */
export function inexpressibleReplicaCounts(
  weight: number,
  minReplicas: number,
  maxReplicas: number,
): number[] {
  const bad: number[] = [];
  for (let r = minReplicas; r <= maxReplicas; r++) {
    if (Math.abs(canaryPodShare(weight, r) - weight) > CANARY_SHARE_TOLERANCE) bad.push(r);
  }
  return bad;
}

/**
 * The endpoint's SLO analysis, parameterised by variant and canary pod hash: the error rate and p99
 * latency of the new revision's pods only, from the same PromQL the monitoring alerts use.
 */
export function analysisTemplateSpec(i: AnalysisInputs): AnalysisTemplateSpec {
  const canaryPods: ServingSeriesSelector = {
    endpoint: i.endpoint,
    variant: `{{args.${VARIANT_ARG}}}`,
    revision: `{{args.${CANARY_HASH_ARG}}}`,
  };
  const common = { interval: `${i.intervalSeconds}s`, failureLimit: i.failureLimit, inconclusiveLimit: 0 };
  return {
    args: [{ name: VARIANT_ARG }, { name: CANARY_HASH_ARG }],
    metrics: [
      {
        name: "error-rate",
        ...common,
        ...atMost(i.maxErrorRate),
        provider: {
          prometheus: {
            address: i.prometheusAddress,
            query: errorRateQuery(canaryPods, { window: i.window }),
          },
        },
      },
      {
        name: "p99-latency",
        ...common,
        ...atMost(i.maxP99LatencyMs / 1000),
        provider: {
          prometheus: {
            address: i.prometheusAddress,
            query: p99LatencyQuery(canaryPods, { window: i.window }),
          },
        },
      },
    ],
  };
}
