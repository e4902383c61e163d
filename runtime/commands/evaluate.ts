import { errorMessage, RuntimeInputError } from "../errors";
import type { DataFormat } from "../io/types";
import { type EvaluationReport, evaluateModel, type Task } from "../model/evaluate";
import { type Gates, loadGates } from "../model/gates";
import { evaluationHtml } from "../model/html";
import { writeReportFile } from "../report/atomic";
import type { CommandIo } from "./drift";

/** Exit codes: the verdict, as `mlops drift`'s. */
export const EXIT_PASS = 0;
export const EXIT_EVALUATE_ERROR = 1;
export const EXIT_GATE_FAILED = 2;

export interface EvaluateCommandOptions {
  model: string;
  data: string;
  label: string;
  features?: string[];
  champion?: string;
  gates?: string;
  protected?: string;
  json?: string;
  html?: string;
  format?: DataFormat;
  task?: Task;
  batchSize?: number;
  quiet?: boolean;
}

/**
 * `mlops evaluate`: scores the holdout, judges the gates, writes the reports, and returns the
 * verdict as the exit code. Reports are rendered in full before any is written, and each is written
 * atomically, so a failed run leaves no partial report.
 */
export async function runEvaluateCommand(options: EvaluateCommandOptions, io: CommandIo): Promise<number> {
  let report: EvaluationReport;
  try {
    const gates: Gates | undefined = options.gates === undefined ? undefined : await loadGates(options.gates);
    report = await evaluateModel({
      model: options.model,
      data: options.data,
      label: options.label,
      format: options.format,
      features: options.features,
      champion: options.champion,
      protectedAttribute: options.protected,
      gates,
      task: options.task,
      batchSize: options.batchSize,
    });
  } catch (error) {
    io.stderr.write(`mlops evaluate: error: ${errorMessage(error)}\n`);
    if (!(error instanceof RuntimeInputError)) io.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
    return EXIT_EVALUATE_ERROR;
  }
  try {
    const json = `${JSON.stringify(report, null, 2)}\n`;
    const html = options.html === undefined ? undefined : evaluationHtml(report);
    if (options.json === "-") io.stdout.write(json);
    else if (options.json !== undefined) await writeReportFile(options.json, json);
    if (html !== undefined && options.html !== undefined) await writeReportFile(options.html, html);
  } catch (error) {
    io.stderr.write(`mlops evaluate: error: writing the reports failed: ${errorMessage(error)}\n`);
    return EXIT_EVALUATE_ERROR;
  }
  for (const g of report.gates.filter((r) => !r.passed)) {
    io.stderr.write(`mlops evaluate: gate failed: ${g.name}: ${g.value} is not ${g.comparison} ${g.limit}\n`);
  }
  if (!options.quiet) io.stderr.write(`${summaryLine(report)}\n`);
  return report.exitCode;
}

function summaryLine(report: EvaluationReport): string {
  const m = report.candidate.classification ?? report.candidate.regression;
  const headline =
    report.candidate.classification !== undefined
      ? `accuracy ${report.candidate.classification.accuracy.toFixed(4)}, ROC AUC ${report.candidate.classification.rocAuc.toFixed(4)}`
      : `RMSE ${report.candidate.regression?.rmse.toPrecision(4)}, R² ${report.candidate.regression?.r2.toFixed(4)}`;
  const failed = report.gates.filter((g) => !g.passed).length;
  return `mlops evaluate: ${report.verdict === "pass" ? "PASS" : "FAIL"}: ${report.task} on ${m?.rows} rows (${headline}); ${report.gates.length - failed}/${report.gates.length} gates passed; exit ${report.exitCode}`;
}
