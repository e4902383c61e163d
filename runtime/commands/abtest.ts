import { errorMessage, RuntimeInputError } from "../errors";
import { type AnalysisOptions, analyzeExperiment, type MetricDirection } from "../experiment/analyze";
import type { MetricKind } from "../experiment/compare";
import { renderExperimentHtml } from "../experiment/html";
import { experimentEmfLines, experimentRegistry } from "../experiment/metrics";
import { type ExperimentData, readExperiment } from "../experiment/read";
import {
  ABTEST_REPORT_KIND,
  ABTEST_REPORT_VERSION,
  type ExperimentReport,
  MSPRT_REFERENCE,
} from "../experiment/report";
import { parseWeights } from "../experiment/weights";
import type { DataFormat } from "../io/types";
import { writeReportOutputs } from "../report/outputs";
import { type CommandIo, EXIT_ERROR } from "./drift";

/** Options of `mlops abtest`, as the CLI passes them. */
export interface AbtestCommandOptions {
  data: string;
  format?: DataFormat;
  variant: string;
  metric: string;
  kind?: MetricKind;
  count?: string;
  std?: string;
  weights?: string;
  control?: string;
  direction?: MetricDirection;
  alpha?: number;
  minimumEffect?: number;
  sequential?: boolean;
  /** Observations per variant before the first sequential look. @default 100 */
  minSamples?: number;
  /** mSPRT mixing standard deviation, in metric units. @default see defaultTau */
  tau?: number;
  json?: string;
  html?: string;
  prometheus?: string;
  emf?: boolean;
  quiet?: boolean;
  /** @default new Date() */
  now?: Date;
}

const defaultIo = (): CommandIo => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

/** Observations each variant needs before the first sequential look. */
export const DEFAULT_MIN_SAMPLES = 100;

/** The control: --control, else the first variant of --weights, else a variant named control or champion. */
function controlOf(
  options: AbtestCommandOptions,
  weights: Map<string, number> | undefined,
  data?: ExperimentData,
): string | undefined {
  if (options.control !== undefined) return options.control;
  const first = weights?.keys().next().value;
  if (first !== undefined) return first;
  if (data === undefined) return undefined;
  return ["control", "champion"].find((name) => data.variants.has(name));
}

/**
 * Reads, judges and reports one experiment. Returns the exit code: 2 promote, 0 keep or continue,
 * 1 error (bad input, a sample-ratio mismatch, or an output that could not be written). Bad input
 * writes nothing; a mismatch writes the reports (they say why) and exits 1.
 */
export async function buildExperimentReport(
  options: AbtestCommandOptions,
  io: CommandIo,
): Promise<ExperimentReport> {
  const weights = options.weights === undefined ? undefined : parseWeights(options.weights);
  let control = controlOf(options, weights);
  if (options.sequential && control === undefined) {
    throw new RuntimeInputError({
      source: "--control",
      problem: "the sequential test needs the control before it reads the first row",
      fix: "Pass --control <variant>, or --weights with the control first",
    });
  }
  const alpha = options.alpha ?? 0.05;
  const minSamples = options.minSamples ?? DEFAULT_MIN_SAMPLES;
  const data = await readExperiment(
    {
      data: options.data,
      format: options.format,
      stdin: io.stdin,
      variant: options.variant,
      metric: options.metric,
      count: options.count,
      std: options.std,
      kind: options.kind,
    },
    options.sequential && control !== undefined
      ? { control, alpha: alpha / Math.max(1, (weights?.size ?? 2) - 1), minSamples, tau: options.tau }
      : undefined,
  );
  if (options.sequential && weights === undefined && data.variants.size > 2) {
    // The looks were taken at alpha / 1: with more challengers the split must be known up front.
    throw new RuntimeInputError({
      source: "--weights",
      problem: `the sequential test met ${data.variants.size} variants but was not told them before the first look, so it could not split alpha between the challengers`,
      fix: "Pass --weights naming every variant (e.g. --weights A=1,B=1,C=1)",
    });
  }
  // One variant: let the variant check say so, rather than asking for a control.
  control ??=
    controlOf(options, weights, data) ?? (data.variants.size < 2 ? [...data.variants.keys()][0] : undefined);
  if (control === undefined) {
    throw new RuntimeInputError({
      source: "--control",
      problem: `no control was named and no variant is called control or champion (variants: ${[...data.variants.keys()].join(", ")})`,
      fix: "Pass --control <variant>",
    });
  }
  const analysisOptions: AnalysisOptions = {
    control,
    weights,
    alpha,
    minimumEffect: options.minimumEffect,
    direction: options.direction,
    sequential: options.sequential,
  };
  const analysis = analyzeExperiment(data, analysisOptions);
  return {
    kind: ABTEST_REPORT_KIND,
    schemaVersion: ABTEST_REPORT_VERSION,
    generatedAt: (options.now ?? new Date()).toISOString(),
    data: {
      source: data.source,
      rows: data.rows,
      aggregated: data.aggregated,
      variantColumn: options.variant,
    },
    metric: {
      column: options.metric,
      kind: data.kind,
      kindSource: data.kindSource,
      direction: options.direction ?? "higher",
    },
    alpha,
    minimumEffect: options.minimumEffect ?? 0.01,
    sequential: options.sequential ? { method: "mSPRT", reference: MSPRT_REFERENCE, minSamples } : null,
    ...analysis,
  };
}

/** `mlops abtest`: the report, every requested output, and the exit code. */
export async function runAbtestCommand(
  options: AbtestCommandOptions,
  io: CommandIo = defaultIo(),
): Promise<number> {
  let report: ExperimentReport;
  try {
    report = await buildExperimentReport(options, io);
  } catch (error) {
    io.stderr.write(`mlops abtest: error: ${errorMessage(error)}\n`);
    if (!(error instanceof RuntimeInputError)) io.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
    return EXIT_ERROR;
  }
  try {
    await writeOutputs(report, options, io);
  } catch (error) {
    io.stderr.write(`mlops abtest: error: writing the outputs failed: ${errorMessage(error)}\n`);
    return EXIT_ERROR;
  }
  if (!options.quiet) {
    io.stderr.write(
      `mlops abtest: ${(report.recommendation ?? "blocked (sample-ratio mismatch)").toUpperCase()}${report.winner === null ? "" : ` ${report.winner}`}: ${report.reason}; exit ${report.exitCode}\n`,
    );
  }
  return report.exitCode;
}

async function writeOutputs(
  report: ExperimentReport,
  options: AbtestCommandOptions,
  io: CommandIo,
): Promise<void> {
  await writeReportOutputs(
    {
      json: () => `${JSON.stringify(report, null, 2)}\n`,
      html: () => renderExperimentHtml(report),
      registry: () => experimentRegistry(report),
      emfLines: () => experimentEmfLines(report),
      jobName: "mlops_abtest",
    },
    options,
    io.stdout,
  );
}
