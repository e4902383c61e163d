import { RuntimeInputError } from "../errors";
import { type Comparison, compareMeans, compareProportions } from "./compare";
import type { ExperimentData } from "./read";
import { checkSampleRatio, DEFAULT_SRM_ALPHA, type SrmCheck } from "./srm";
import type { MetricSummary } from "./summary";

/** What to do with a challenger (or the experiment). */
export const Recommendation = { promote: "promote", keep: "keep", continue: "continue" } as const;
export type Recommendation = (typeof Recommendation)[keyof typeof Recommendation];

/** Which way is better for the metric. */
export const MetricDirection = { higher: "higher", lower: "lower" } as const;
export type MetricDirection = (typeof MetricDirection)[keyof typeof MetricDirection];

/** How the variants are judged. */
export interface AnalysisOptions {
  /** The variant the others are compared with. */
  control: string;
  /**
   * Configured traffic split, variant → relative weight.
   * @default an equal split over the variants in the data
   */
  weights?: ReadonlyMap<string, number>;
  /**
   * Family-wise significance level, split over the challengers (Bonferroni).
   * @default 0.05
   */
  alpha?: number;
  /**
   * p-value below which the split is a sample-ratio mismatch.
   * @default 0.0005
   */
  srmAlpha?: number;
  /**
   * Smallest relative lift that matters: a result whose interval lies within ±mde of the control
   * mean is "keep" (no difference worth shipping), a wider one "continue".
   * @default 0.01
   */
  minimumEffect?: number;
  /**
   * Which way is better.
   * @default higher
   */
  direction?: MetricDirection;
  /** True when the data was read with sequential looks (the mSPRT decides). */
  sequential?: boolean;
}

/** One challenger against the control. */
export interface ChallengerResult {
  challenger: string;
  /** The significance level this comparison is judged at (alpha over the number of challengers). */
  alpha: number;
  fixedHorizon: Comparison;
  /** The mSPRT's always-valid results; null without --sequential. */
  sequential: {
    method: "mSPRT";
    tau: number | null;
    looks: number;
    pValue: number;
    interval: [number, number];
    firstRejectionLook: number | null;
  } | null;
  /** Null when the sample-ratio mismatch blocks every recommendation. */
  recommendation: Recommendation | null;
  reason: string;
}

/** The analysis: the SRM check, each comparison, and the decision. */
export interface ExperimentAnalysis {
  control: string;
  srm: SrmCheck;
  variants: { name: string; count: number; mean: number; variance: number; sum: number }[];
  challengers: ChallengerResult[];
  /** Null when the SRM check blocks every recommendation. */
  recommendation: Recommendation | null;
  /** The challenger to promote, when the recommendation is promote. */
  winner: string | null;
  reason: string;
  /** 2 promote, 0 keep or continue, 1 sample-ratio mismatch. */
  exitCode: 0 | 1 | 2;
}

/** Checks that the data and the configured split describe the same variants, each with traffic. */
export function validateVariants(data: ExperimentData, options: AnalysisOptions): Map<string, number> {
  const names = [...data.variants.keys()];
  const weights = options.weights;
  if (weights !== undefined) {
    const unknown = names.filter((name) => !weights.has(name));
    if (unknown.length > 0) {
      throw new RuntimeInputError({
        source: "--weights",
        problem: `the weights name ${[...weights.keys()].join(", ")} but the data also has variant(s) ${unknown.join(", ")}, so they do not match the variants`,
        fix: "Give a weight for every variant in the data (e.g. --weights champion=90,challenger=10)",
      });
    }
  }
  const expected = weights === undefined ? names : [...weights.keys()];
  for (const name of expected) {
    if ((data.variants.get(name)?.count ?? 0) === 0) {
      throw new RuntimeInputError({
        source: data.source,
        column: undefined,
        problem: `the variant "${name}" has no traffic`,
        fix: "Check that the variant is deployed and receives its share, or remove it from --weights",
      });
    }
  }
  if (expected.length < 2) {
    throw new RuntimeInputError({
      source: data.source,
      problem: `only one variant ("${expected[0] ?? ""}") is in the data`,
      fix: "An experiment compares two or more variants: check the --variant column and the capture of every variant",
    });
  }
  if (!expected.includes(options.control)) {
    throw new RuntimeInputError({
      source: "--control",
      problem: `"${options.control}" is not one of the variants (${expected.join(", ")})`,
      fix: "Name the control variant with --control",
    });
  }
  return weights === undefined ? new Map(names.map((name) => [name, 1])) : new Map(weights);
}

/**
 * Judges the experiment: the sample-ratio check first (a mismatch blocks every recommendation),
 * then each challenger against the control, at alpha / (number of challengers).
 */
export function analyzeExperiment(data: ExperimentData, options: AnalysisOptions): ExperimentAnalysis {
  const weights = validateVariants(data, options);
  const alpha = options.alpha ?? 0.05;
  const names = [...weights.keys()];
  const summaries = names.map((name) => data.variants.get(name) as MetricSummary);
  const srm = checkSampleRatio(
    names.map((name, i) => ({ name, count: (summaries[i] as MetricSummary).count })),
    weights,
    options.srmAlpha ?? DEFAULT_SRM_ALPHA,
  );
  const variants = names.map((name, i) => {
    const s = summaries[i] as MetricSummary;
    return { name, count: s.count, mean: s.mean, variance: s.variance, sum: s.sum };
  });
  const control = data.variants.get(options.control) as MetricSummary;
  const challengerNames = names.filter((name) => name !== options.control);
  const each = alpha / challengerNames.length;
  const challengers = challengerNames.map((name) => judge(name, data, control, each, options));
  if (srm.mismatch) {
    return {
      control: options.control,
      srm,
      variants,
      challengers: challengers.map((c) => ({
        ...c,
        recommendation: null,
        reason: `blocked by the sample-ratio mismatch (unblocked, the test would say: ${c.recommendation}, ${c.reason})`,
      })),
      recommendation: null,
      winner: null,
      reason: `the observed split (${srm.variants.map((v) => `${v.name} ${(v.observedShare * 100).toFixed(2)}%`).join(", ")}) is not the configured one (χ² = ${srm.statistic.toFixed(2)}, p = ${srm.pValue.toExponential(2)} < ${srm.alpha}); the assignment or the logging is biased, so no result can be trusted until it is found`,
      exitCode: 1,
    };
  }
  return { control: options.control, srm, variants, challengers, ...decide(challengers, options) };
}

function decide(
  challengers: ChallengerResult[],
  options: AnalysisOptions,
): Pick<ExperimentAnalysis, "recommendation" | "winner" | "reason" | "exitCode"> {
  const lower = options.direction === "lower";
  const promotable = challengers
    .filter((c) => c.recommendation === "promote")
    .sort((a, b) =>
      lower
        ? a.fixedHorizon.difference - b.fixedHorizon.difference
        : b.fixedHorizon.difference - a.fixedHorizon.difference,
    );
  const best = promotable[0];
  if (best !== undefined) {
    return {
      recommendation: "promote",
      winner: best.challenger,
      reason: best.reason,
      exitCode: 2,
    };
  }
  const pending = challengers.filter((c) => c.recommendation === "continue");
  if (pending.length > 0) {
    return {
      recommendation: "continue",
      winner: null,
      reason: pending.map((c) => `${c.challenger}: ${c.reason}`).join("; "),
      exitCode: 0,
    };
  }
  return {
    recommendation: "keep",
    winner: null,
    reason: challengers.map((c) => `${c.challenger}: ${c.reason}`).join("; "),
    exitCode: 0,
  };
}

function fmt(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

function judge(
  name: string,
  data: ExperimentData,
  control: MetricSummary,
  alpha: number,
  options: AnalysisOptions,
): ChallengerResult {
  const summary = data.variants.get(name) as MetricSummary;
  const fixedHorizon =
    data.kind === "proportion"
      ? compareProportions(summary, control, alpha)
      : compareMeans(summary, control, alpha);
  const monitor = data.monitors.get(name);
  const sequential =
    options.sequential === true
      ? {
          method: "mSPRT" as const,
          tau: monitor === undefined ? null : monitor.tau,
          looks: monitor?.looks ?? 0,
          pValue: monitor?.pValue ?? 1,
          interval:
            monitor?.interval ?? ([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] as [number, number]),
          firstRejectionLook: monitor?.firstRejection ?? null,
        }
      : null;
  const pValue = sequential === null ? fixedHorizon.pValue : sequential.pValue;
  const interval = sequential === null ? fixedHorizon.differenceInterval : sequential.interval;
  const test = sequential === null ? fixedHorizon.test : "mSPRT (always valid)";
  const lift =
    fixedHorizon.relativeLift === null ? "" : ` (lift ${(fixedHorizon.relativeLift * 100).toFixed(2)}%)`;
  const better = options.direction === "lower" ? fixedHorizon.difference < 0 : fixedHorizon.difference > 0;
  if (sequential !== null && sequential.looks === 0) {
    return {
      challenger: name,
      alpha,
      fixedHorizon,
      sequential,
      recommendation: "continue",
      reason: "too few observations for the first sequential look yet",
    };
  }
  if (pValue <= alpha) {
    return {
      challenger: name,
      alpha,
      fixedHorizon,
      sequential,
      recommendation: better ? "promote" : "keep",
      reason: `${better ? "better" : "worse"} than ${options.control}: difference ${fmt(fixedHorizon.difference)}${lift}, ${test} p = ${pValue.toExponential(2)} ≤ ${fmt(alpha)}`,
    };
  }
  const margin = (options.minimumEffect ?? 0.01) * Math.abs(control.mean);
  const within = margin > 0 && interval[0] >= -margin && interval[1] <= margin;
  return {
    challenger: name,
    alpha,
    fixedHorizon,
    sequential,
    recommendation: within ? "keep" : "continue",
    reason: within
      ? `no difference worth shipping: the interval [${fmt(interval[0])}, ${fmt(interval[1])}] lies within ±${fmt(margin)} (${((options.minimumEffect ?? 0.01) * 100).toFixed(1)}% of the control mean), ${test} p = ${pValue.toExponential(2)}`
      : `inconclusive: ${test} p = ${pValue.toExponential(2)} > ${fmt(alpha)} and the interval [${fmt(interval[0])}, ${fmt(interval[1])}] still holds effects larger than ±${fmt(margin)}; ${sequential === null ? "let the test reach its planned sample size (or use --sequential to look as often as you like)" : "keep collecting, the sequential test may be checked at any time"}`,
  };
}
