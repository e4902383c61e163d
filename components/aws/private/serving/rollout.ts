import type * as aws from "@pulumi/aws";

/** A rollout step after validation (weights 1–100, pause in seconds). */
export interface Step {
  weight: number;
  pauseSeconds: number;
}

/**
 * SageMaker's blue/green traffic shifting as the endpoint's `deploymentConfig` takes it
 * (docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green.html):
 *
 * - one step at 100% → `ALL_AT_ONCE`, baking for the step's pause;
 * - equal steps (k, 2k, … 100, with k from 10 to 50) → `LINEAR` with `k%` of capacity per step;
 * - anything else → `CANARY` with the first step's share, baking for its pause, then the rest at
 *   once: SageMaker has a single canary step, so later intermediate steps collapse into the final shift.
 *
 * `CAPACITY_PERCENT` sizes are shares of the variant's instances, which SageMaker rounds up to whole
 * instances, so with few instances the canary carries more traffic than the percent says.
 */
export function trafficRouting(
  steps: Step[],
): aws.types.input.sagemaker.EndpointDeploymentConfigBlueGreenUpdatePolicyTrafficRoutingConfiguration {
  const first = steps[0]!;
  if (steps.length === 1) return { type: "ALL_AT_ONCE", waitIntervalInSeconds: first.pauseSeconds };
  const linear = steps.every((s, i) => s.weight === first.weight * (i + 1)) && steps.at(-1)!.weight === 100;
  if (linear && first.weight >= 10 && first.weight <= 50) {
    return {
      type: "LINEAR",
      linearStepSize: { type: "CAPACITY_PERCENT", value: first.weight },
      waitIntervalInSeconds: first.pauseSeconds,
    };
  }
  return {
    type: "CANARY",
    canarySize: { type: "CAPACITY_PERCENT", value: first.weight },
    waitIntervalInSeconds: first.pauseSeconds,
  };
}

/**
 * The longest a blue/green deployment may run before SageMaker gives up (600–14400 s per the API):
 * every step's pause plus ten minutes per step for provisioning, clamped to that range.
 */
export function maximumExecutionTimeout(steps: Step[]): number {
  const total = steps.reduce((s, step) => s + step.pauseSeconds + 600, 0);
  return Math.min(14_400, Math.max(600, total));
}

/**
 * Checks the steps against what SageMaker accepts: a canary share of at most 50% of capacity, and
 * pauses (`WaitIntervalInSeconds`) of at most 3600 s. Returns a problem per bad step.
 */
export function rolloutProblems(
  steps: Step[],
): { index: number; field: "weight" | "pauseSeconds"; message: string }[] {
  const problems: { index: number; field: "weight" | "pauseSeconds"; message: string }[] = [];
  steps.forEach((s, i) => {
    if (i > 0 && s.weight <= steps[i - 1]!.weight) {
      problems.push({
        index: i,
        field: "weight",
        message: `must be above the previous step's ${steps[i - 1]!.weight}%. Fix: order the steps by increasing weight`,
      });
    }
    if (s.pauseSeconds > 3600) {
      problems.push({
        index: i,
        field: "pauseSeconds",
        message:
          "is above 3600, SageMaker's longest wait between traffic steps. Fix: use at most 3600 seconds",
      });
    }
  });
  if (steps.length > 0 && steps.at(-1)!.weight !== 100) {
    problems.push({
      index: steps.length - 1,
      field: "weight",
      message:
        "the last step must reach 100% (SageMaker always finishes the shift). Fix: end with { weight: 100 }",
    });
  }
  const linear = trafficRouting(steps).type === "LINEAR";
  if (steps.length > 1 && !linear && steps[0]!.weight > 50) {
    problems.push({
      index: 0,
      field: "weight",
      message:
        "a SageMaker canary may hold at most 50% of the variant's capacity. Fix: use a first step of 50 or less",
    });
  }
  return problems;
}
