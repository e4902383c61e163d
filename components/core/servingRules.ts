import type { z } from "zod";

/** The fields of a serving variant that the neutral rules read. */
export interface VariantShape {
  name: string;
  shadow?: boolean;
  weight?: number;
  minReplicas: number;
  maxReplicas: number;
}

/**
 * The cross-field rules of a serving spec's variants that hold on every cloud: unique names, no
 * weight on a shadow, min ≤ max replicas, at least one live variant, and live weights summing to
 * 100. Each slice's schema calls it, so the same bad spec gives the same problem paths everywhere.
 */
export function checkVariants(variants: readonly VariantShape[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  variants.forEach((v, i) => {
    const first = seen.get(v.name);
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["variants", i, "name"],
        message: `duplicates variants[${first}].name; a variant's name names its resources. Fix: give each variant its own name`,
      });
    } else seen.set(v.name, i);
    if (v.shadow && v.weight !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["variants", i, "weight"],
        message:
          "a shadow variant receives a mirrored copy of every request, not a share of traffic. Fix: remove weight, or set shadow to false",
      });
    }
    if (v.minReplicas > v.maxReplicas) {
      ctx.addIssue({
        code: "custom",
        path: ["variants", i, "minReplicas"],
        message: `is above maxReplicas (${v.maxReplicas}). Fix: lower minReplicas or raise maxReplicas`,
      });
    }
  });
  const live = variants.filter((v) => !v.shadow);
  if (live.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["variants"],
      message:
        "every variant is a shadow, so nothing answers requests. Fix: make at least one variant non-shadow",
    });
    return;
  }
  if (live.length === 1 && live[0]!.weight === undefined) return;
  const missing = live.filter((v) => v.weight === undefined).map((v) => v.name);
  if (missing.length > 0) {
    ctx.addIssue({
      code: "custom",
      path: ["variants"],
      message: `variant(s) ${missing.join(", ")} have no weight; with several live variants each needs one. Fix: give every non-shadow variant a weight, summing to 100`,
    });
    return;
  }
  const sum = live.reduce((s, v) => s + v.weight!, 0);
  if (sum !== 100) {
    ctx.addIssue({
      code: "custom",
      path: ["variants"],
      message: `weights of the non-shadow variants sum to ${sum} (${live.map((v) => `${v.name} ${v.weight}`).join(", ")}), not 100. Fix: adjust them to sum to 100`,
    });
  }
}
