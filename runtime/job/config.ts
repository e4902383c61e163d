import { dirname, resolve } from "node:path";
import { prettifyError, z } from "zod";
import { driftMethodNames, loadDriftPlugins } from "../drift";
import type { DriftConfig } from "../drift/types";
import { RuntimeInputError } from "../errors";
import { DEFAULT_QUALITY_THRESHOLDS, type QualityThresholds } from "../quality/check";
import { readYamlFile } from "../yamlFile";

/** Any name here; checked against the registry once the plugins are loaded (see {@link checkMethodNames}). */
const methodName = z.string().min(1);
const methodOptions = {
  ksMode: z.enum(["auto", "exact", "asymp"]).optional(),
  wassersteinNormalize: z.boolean().optional(),
  wassersteinMinStd: z.number().positive().optional(),
  jsBase: z.number().positive().optional(),
  jsDivergence: z.boolean().optional(),
  bins: z.union([z.literal("evidently"), z.number().int().positive()]).optional(),
  chiSquareYates: z.boolean().optional(),
  mannwAlternative: z.enum(["less", "greater", "two-sided"]).optional(),
  tTestEqualVar: z.boolean().optional(),
  tvdPermutations: z.number().int().min(1).max(100_000).optional(),
  mmdPermutations: z.number().int().min(1).max(100_000).optional(),
  permutationSeed: z.number().int().nonnegative().optional(),
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
      /** Modules registering more methods (paths relative to the config file, or package names). */
      plugins: z.array(z.string().min(1)).optional(),
      method: methodName.optional(),
      numericalMethod: methodName.optional(),
      categoricalMethod: methodName.optional(),
      threshold: z.number().optional(),
      numericalThreshold: z.number().optional(),
      categoricalThreshold: z.number().optional(),
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
  /** Modules named in `drift.plugins`, loaded by {@link loadJobConfig}. @default [] */
  plugins?: string[];
  quality: QualityThresholds;
}

/** Reads and validates a thresholds file. */
export async function loadJobConfig(path: string): Promise<JobConfig> {
  const raw = await readYamlFile(path, "the config file", {
    unreadable: "Check the --config path",
    invalid: "Fix the syntax",
  });
  const config = parseJobConfig(raw ?? {}, path, { deferMethodCheck: true });
  if (config.plugins !== undefined && config.plugins.length > 0) {
    try {
      await loadDriftPlugins(config.plugins, dirname(resolve(path)));
    } catch (e) {
      throw new RuntimeInputError({
        source: path,
        problem: e instanceof Error ? e.message : String(e),
        fix: "Fix the module listed in drift.plugins, or remove it",
      });
    }
  }
  checkMethodNames(config.drift, path);
  return config;
}

/**
 * Every method the config names must be registered (built-in or from `drift.plugins`), so a typo fails the
 * job at start instead of turning every column into an error.
 */
export function checkMethodNames(drift: DriftConfig, source: string): void {
  const named: [string, string | undefined][] = [
    ["drift.method", drift.method],
    ["drift.numericalMethod", drift.numericalMethod],
    ["drift.categoricalMethod", drift.categoricalMethod],
    ...Object.entries(drift.columns ?? {}).map(([column, c]): [string, string | undefined] => [
      `drift.columns.${column}.method`,
      c.method,
    ]),
  ];
  const known = driftMethodNames();
  for (const [field, name] of named) {
    if (name !== undefined && !known.includes(name)) {
      throw new RuntimeInputError({
        source,
        problem: `${field} names an unknown drift method ${JSON.stringify(name)}`,
        fix: `Use one of: ${known.join(", ")}; or register it from a module listed in drift.plugins`,
      });
    }
  }
}

/**
 * Validates a config object. Method names are checked against the registry unless `deferMethodCheck` (set by
 * {@link loadJobConfig}, which loads `drift.plugins` first and checks them then).
 */
export function parseJobConfig(
  raw: unknown,
  source: string,
  options: { deferMethodCheck?: boolean } = {},
): JobConfig {
  const parsed = jobConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new RuntimeInputError({
      source,
      problem: `the config file is invalid:\n${prettifyError(parsed.error)}\n`,
      fix: "Use only the keys `drift` (driftShare, correction, plugins, method, numericalMethod, categoricalMethod, threshold, numericalThreshold, categoricalThreshold, rules, columns, method options) and `quality` (missingShareIncrease, typeMismatchShare, outOfRangeShare, newCategoryShare)",
    });
  }
  const { plugins = [], ...drift } = parsed.data.drift ?? {};
  if (!options.deferMethodCheck) checkMethodNames(drift as DriftConfig, source);
  return {
    drift: drift as DriftConfig,
    plugins,
    quality: { ...DEFAULT_QUALITY_THRESHOLDS, ...parsed.data.quality },
  };
}
