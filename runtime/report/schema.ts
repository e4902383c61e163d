import { z } from "zod";

/**
 * The drift report's JSON schema: stable and versioned. Consumers (alarms, retraining triggers,
 * dashboards) may rely on every field here; `schemaVersion` changes when one changes meaning.
 */
export const REPORT_KIND = "mlops-drift-report";
export const REPORT_SCHEMA_VERSION = 1;

const num = z.number();
const count = z.number().int().nonnegative();

const histogramSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("numerical"),
    edges: z.array(num),
    referenceShares: z.array(num),
    currentShares: z.array(num),
    currentBelowShare: num,
    currentAboveShare: num,
  }),
  z.object({
    kind: z.literal("categorical"),
    categories: z.array(z.string()),
    referenceShares: z.array(num),
    currentShares: z.array(num),
    otherLabel: z.string().optional(),
  }),
]);

const computationSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("exact") }),
  z.object({
    mode: z.literal("sketch"),
    rankErrorBound: num,
    rankErrorConfidence: num,
    statisticBounds: z.tuple([num, num]).optional(),
    note: z.string(),
  }),
]);

export const columnDriftSchema = z.object({
  kind: z.enum(["numerical", "categorical"]),
  method: z.string(),
  methodSource: z.enum(["config", "default"]),
  scoreKind: z.enum(["p-value", "distance"]),
  statistic: num,
  pValue: num.optional(),
  adjustedPValue: num.optional(),
  degreesOfFreedom: num.optional(),
  score: num,
  threshold: num,
  comparison: z.enum(["<=", "<", ">=", ">"]),
  drifted: z.boolean(),
  referenceCount: count,
  currentCount: count,
  referenceNullCount: count,
  currentNullCount: count,
  computation: computationSchema,
  histogram: histogramSchema,
  details: z.record(z.string(), z.union([z.string(), num, z.boolean()])).optional(),
});

const qualitySchema = z.object({
  referenceMissingShare: num,
  currentMissingShare: num,
  typeMismatchShare: num,
  outOfRangeShare: num,
  newCategoryShare: num,
  newCategories: z.array(z.string()),
});

export const reportColumnSchema = z.object({
  name: z.string(),
  role: z.enum(["feature", "prediction", "target"]),
  status: z.enum(["ok", "error"]),
  /** Present when status is ok. */
  drift: columnDriftSchema.nullable(),
  /** Present when status is error. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  quality: qualitySchema.nullable(),
  warnings: z.array(z.string()),
});

export const qualityViolationSchema = z.object({
  column: z.string(),
  check: z.enum([
    "completeness_check",
    "data_type_check",
    "out_of_range_check",
    "categorical_values_check",
    "missing_column_check",
    "extra_column_check",
  ]),
  description: z.string(),
  value: num.nullable(),
  threshold: num.nullable(),
});

export const driftReportSchema = z.object({
  kind: z.literal(REPORT_KIND),
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generatedAt: z.iso.datetime(),
  reference: z.object({ source: z.string(), mode: z.enum(["exact", "sketch"]), rowCount: count }),
  /** `mode` is `sketch` when the current side was a profile (a sharded run's merged shards). */
  current: z.object({
    source: z.string(),
    mode: z.enum(["exact", "sketch"]).default("exact"),
    rowCount: count,
  }),
  summary: z.object({
    /** `drift` (exit 2), `no-drift` (exit 0) or `error` (exit 1: at least one column errored). */
    verdict: z.enum(["drift", "no-drift", "error"]),
    exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    datasetDrift: z.boolean(),
    driftShare: num,
    driftShareThreshold: num,
    evaluatedCount: count,
    driftedCount: count,
    errorCount: count,
    correction: z.enum(["none", "bonferroni", "benjamini-hochberg"]),
    qualityViolationCount: count,
  }),
  columns: z.array(reportColumnSchema),
  qualityViolations: z.array(qualityViolationSchema),
});

export type DriftReport = z.infer<typeof driftReportSchema>;
export type ReportColumn = z.infer<typeof reportColumnSchema>;
