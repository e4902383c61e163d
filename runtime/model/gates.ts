import { prettifyError, z } from "zod";
import { RuntimeInputError } from "../errors";
import { readYamlFile } from "../yamlFile";
import { DEFAULT_BOOTSTRAP } from "./bootstrap";

/** Metrics a gate may name, and whether a higher value is better. */
export const METRIC_DIRECTION = {
  accuracy: "higher",
  precision: "higher",
  recall: "higher",
  f1: "higher",
  macroPrecision: "higher",
  macroRecall: "higher",
  macroF1: "higher",
  weightedPrecision: "higher",
  weightedRecall: "higher",
  weightedF1: "higher",
  rocAuc: "higher",
  prAuc: "higher",
  logLoss: "lower",
  brier: "lower",
  ece: "lower",
  mae: "lower",
  rmse: "lower",
  mape: "lower",
  r2: "higher",
} as const;
export type MetricName = keyof typeof METRIC_DIRECTION;
const metricName = z.enum(Object.keys(METRIC_DIRECTION) as [MetricName, ...MetricName[]]);

const bound = z.strictObject({ min: z.number().optional(), max: z.number().optional() });
const absBound = z.strictObject({ maxAbs: z.number().nonnegative() });

/**
 * The gates file (YAML or JSON). Unknown keys are refused, so a misspelt gate never silently
 * passes. Every section is optional; with no file, only the four-fifths rule applies (with --protected).
 */
export const gatesSchema = z.strictObject({
  /** Bounds per metric, e.g. `rocAuc: {min: 0.8}`, `logLoss: {max: 0.5}`. */
  metrics: z.partialRecord(metricName, bound).optional(),
  champion: z
    .strictObject({
      /** The metric the candidate must win on. @default rocAuc (classification), rmse (regression) */
      metric: metricName.optional(),
      /**
       * The lower end of the bootstrap interval of the improvement (candidate − champion, sign turned
       * for lower-is-better metrics) must be at least this. Negative allows a bounded loss. @default 0
       */
      margin: z.number().default(0),
      /** The largest loss allowed against the champion per metric (point estimates), e.g. `{f1: 0.01}`. */
      maxRegression: z.partialRecord(metricName, z.number().nonnegative()).optional(),
      resamples: z.number().int().min(100).default(DEFAULT_BOOTSTRAP.resamples),
      confidence: z.number().gt(0).lt(1).default(DEFAULT_BOOTSTRAP.confidence),
      seed: z.number().int().default(DEFAULT_BOOTSTRAP.seed),
    })
    .optional(),
  fairness: z
    .strictObject({
      /** The privileged group's value in the protected column. @default the largest group */
      privileged: z.string().optional(),
      /** @default {min: 0.8} (the four-fifths rule) */
      disparateImpact: bound.optional(),
      statisticalParityDifference: absBound.optional(),
      equalOpportunityDifference: absBound.optional(),
      averageOddsDifference: absBound.optional(),
    })
    .optional(),
  latency: z
    .strictObject({
      /** Budget for the 95th percentile of the time one batch takes in ONNX Runtime, in milliseconds. */
      p95BatchMs: z.number().positive(),
    })
    .optional(),
  /** Decision threshold on P(class 1) for binary classifiers. @default 0.5 */
  threshold: z.number().gt(0).lt(1).optional(),
});
export type Gates = z.infer<typeof gatesSchema>;

/** The four-fifths rule: disparate impact at least 0.8, applied whenever a protected attribute is given. */
export const DEFAULT_DISPARATE_IMPACT: { min?: number; max?: number } = { min: 0.8 };

export async function loadGates(path: string): Promise<Gates> {
  const raw = await readYamlFile(path, "the gates file", {
    unreadable: "Check the --gates path",
    invalid: "Fix the syntax",
  });
  return parseGates(raw ?? {}, path);
}

export function parseGates(raw: unknown, source: string): Gates {
  const parsed = gatesSchema.safeParse(raw);
  if (!parsed.success) {
    throw new RuntimeInputError({
      source,
      problem: `the gates file is invalid:\n${prettifyError(parsed.error)}\n`,
      fix: "Use only the keys metrics, champion, fairness, latency and threshold (see `mlops evaluate --help`)",
    });
  }
  return parsed.data;
}

/** One gate's outcome. */
export interface GateResult {
  /** e.g. `metrics.rocAuc.min`, `champion.rocAuc.margin`, `fairness.disparateImpact.min[b]`. */
  readonly name: string;
  readonly value: number;
  readonly limit: number;
  /** How value is compared with limit for the gate to pass. */
  readonly comparison: ">=" | "<=";
  readonly passed: boolean;
}

export function gate(name: string, value: number, comparison: ">=" | "<=", limit: number): GateResult {
  const passed = Number.isFinite(value) && (comparison === ">=" ? value >= limit : value <= limit);
  return { name, value, limit, comparison, passed };
}
