/**
 * The neutral serving rules (variant names, shadow weights, min ≤ max, weights summing to 100,
 * rollout steps), as the Kubernetes slice enforces them. They move to `spec/servingEndpoint.ts`
 * with the platform restructure (issue #10), and this file then re-exports from there.
 */
import { z } from "zod";
import { ACCELERATOR_NAMES } from "../../../core/accelerators";
import { dnsLabelSchema } from "../../../core/validation";

/** The spec's default rollout: 5% → 25% → 50% → 100%, 5 minutes each. */
export const DEFAULT_STEPS = [5, 25, 50, 100].map((weight) => ({ weight, pauseSeconds: 300 }));

export const variantSchema = z.strictObject({
  name: dnsLabelSchema,
  modelUri: z.string().min(1, "must not be empty. Fix: give a model package ARN or an s3:// artifact URI"),
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

export const rolloutSchema = z
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
      .min(1, "needs at least one step. Fix: e.g. [{ weight: 10 }, { weight: 100 }]")
      .default(DEFAULT_STEPS),
    maxErrorRate: z.number().min(0).max(1).default(0.01),
    maxP99LatencyMs: z
      .number()
      .positive("must be above 0. Fix: give the p99 SLO in milliseconds")
      .default(500),
  })
  .default({ steps: DEFAULT_STEPS, maxErrorRate: 0.01, maxP99LatencyMs: 500 });

export type Variant = z.output<typeof variantSchema>;
