import { prettifyError, z } from "zod";
import type { DriftConfig } from "../drift/types";
import { RuntimeInputError } from "../errors";
import { DEFAULT_QUALITY_THRESHOLDS, type QualityThresholds } from "../quality/check";
import { readYamlFile } from "../yamlFile";

const methodName = z.enum([
  "ks",
  "wasserstein",
  "psi",
  "kl_div",
  "jensenshannon",
  "hellinger",
  "linf",
  "chisquare",
  "z",
]);
const methodOptions = {
  ksMode: z.enum(["auto", "exact", "asymp"]).optional(),
  wassersteinNormalize: z.boolean().optional(),
  wassersteinMinStd: z.number().positive().optional(),
  jsBase: z.number().positive().optional(),
  jsDivergence: z.boolean().optional(),
  bins: z.union([z.literal("evidently"), z.number().int().positive()]).optional(),
  chiSquareYates: z.boolean().optional(),
};

/**
 * The `--config` thresholds file (YAML or JSON). `drift` is the drift engine's `DriftConfig`;
 * `quality` overrides the data-quality thresholds. Unknown keys are errors, so a typo never
 * silently falls back to a default.
 */
export const jobConfigSchema = z.strictObject({
  drift: z
    .strictObject({
      driftShare: z.number().min(0).max(1).optional(),
      correction: z.enum(["none", "bonferroni", "benjamini-hochberg"]).optional(),
      numericalMethod: methodName.optional(),
      categoricalMethod: methodName.optional(),
      threshold: z.number().optional(),
      rules: z
        .strictObject({
          smallReferenceMaxRows: z.number().int().nonnegative().optional(),
          lowCardinalityMaxDistinct: z.number().int().nonnegative().optional(),
          binaryMaxDistinct: z.number().int().nonnegative().optional(),
        })
        .optional(),
      columns: z
        .record(
          z.string(),
          z.strictObject({
            method: methodName.optional(),
            threshold: z.number().optional(),
            kind: z.enum(["numerical", "categorical"]).optional(),
            ...methodOptions,
          }),
        )
        .optional(),
      ...methodOptions,
    })
    .optional(),
  quality: z
    .strictObject({
      missingShareIncrease: z.number().min(0).max(1).optional(),
      typeMismatchShare: z.number().min(0).max(1).optional(),
      outOfRangeShare: z.number().min(0).max(1).optional(),
      newCategoryShare: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

export interface JobConfig {
  drift: DriftConfig;
  quality: QualityThresholds;
}

/** Reads and validates a thresholds file. */
export async function loadJobConfig(path: string): Promise<JobConfig> {
  const raw = await readYamlFile(path, "the config file", {
    unreadable: "Check the --config path",
    invalid: "Fix the syntax",
  });
  return parseJobConfig(raw ?? {}, path);
}

export function parseJobConfig(raw: unknown, source: string): JobConfig {
  const parsed = jobConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new RuntimeInputError({
      source,
      problem: `the config file is invalid:\n${prettifyError(parsed.error)}\n`,
      fix: "Use only the keys `drift` (driftShare, correction, numericalMethod, categoricalMethod, threshold, rules, columns, method options) and `quality` (missingShareIncrease, typeMismatchShare, outOfRangeShare, newCategoryShare)",
    });
  }
  return {
    drift: (parsed.data.drift ?? {}) as DriftConfig,
    quality: { ...DEFAULT_QUALITY_THRESHOLDS, ...parsed.data.quality },
  };
}
