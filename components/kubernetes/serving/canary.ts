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
  steps: ({ setWeight: number } | { pause: { duration: string } })[];
  analysis: {
    templates: { templateName: string }[];
    args: (
      | { name: string; value: string }
      | { name: string; valueFrom: { podTemplateHashValue: "Latest" } }
    )[];
  };
}

/**
 * The canary strategy: `setWeight` then `pause` for every step, with a background analysis over the
 * whole rollout. Without a traffic router the weight is a share of pods: Argo scales the new
 * ReplicaSet to `ceil(weight × replicas / 100)` and the variant's Service spreads requests over all
 * ready pods of both revisions.
 */
export function canaryStrategy(steps: CanaryStep[], templateName: string, variant: string): CanaryStrategy {
  return {
    maxSurge: "25%",
    maxUnavailable: 0,
    steps: steps.flatMap((s) => [
      { setWeight: s.weight },
      ...(s.pauseSeconds > 0 ? [{ pause: { duration: `${s.pauseSeconds}s` } }] : []),
    ]),
    analysis: {
      templates: [{ templateName }],
      args: [
        { name: VARIANT_ARG, value: variant },
        { name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: "Latest" } },
      ],
    },
  };
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
  successCondition: string;
  provider: { prometheus: { address: string; query: string } };
}

/** `spec` of the AnalysisTemplate. */
export interface AnalysisTemplateSpec {
  args: { name: string }[];
  metrics: AnalysisMetric[];
}

/**
 * "Below the threshold" for a Prometheus result vector. No sample (the canary had no traffic in the
 * window) and NaN (a quantile over an empty histogram) pass: there is nothing to judge yet, and a
 * canary that cannot start fails the Rollout's progress deadline instead.
 */
export function atMost(threshold: number): string {
  return `len(result) == 0 || isNaN(result[0]) || result[0] <= ${threshold}`;
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
  const common = { interval: `${i.intervalSeconds}s`, failureLimit: i.failureLimit };
  return {
    args: [{ name: VARIANT_ARG }, { name: CANARY_HASH_ARG }],
    metrics: [
      {
        name: "error-rate",
        ...common,
        successCondition: atMost(i.maxErrorRate),
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
        successCondition: atMost(i.maxP99LatencyMs / 1000),
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
