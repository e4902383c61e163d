import type { Readable, Writable } from "node:stream";
import { errorMessage, RuntimeInputError } from "../errors";
import type { CaptureFormat } from "../io/capture/formats";
import { captureWindow } from "../io/capture/window";
import type { DataFormat } from "../io/types";
import { parseColumnSpecs } from "../job/columns";
import { type JobConfig, loadJobConfig } from "../job/config";
import { runDriftJob } from "../job/drift-job";
import { loadModel } from "../model/session";
import type { ProfileSettings } from "../profile/settings";
import { Progress } from "../progress";
import { checkOutputPath, writeReportFile } from "../report/atomic";
import { emfLines } from "../report/emf";
import { renderHtml } from "../report/html";
import { isPushgatewayUrl, prometheusText, pushToGateway } from "../report/prometheus";
import type { DriftReport } from "../report/schema";

/** Exit codes, after `terraform plan -detailed-exitcode`. */
export const EXIT_NO_DRIFT = 0;
export const EXIT_ERROR = 1;
export const EXIT_DRIFT = 2;

export interface DriftCommandOptions {
  reference: string;
  current: string | string[];
  columns?: string[];
  format?: DataFormat;
  prediction?: string;
  target?: string;
  json?: string;
  html?: string;
  prometheus?: string;
  emf?: boolean;
  config?: string;
  quiet?: boolean;
  nonFinite?: ProfileSettings["nonFinite"];
  maxCategories?: number;
  /** An ONNX model that scores both sides; its predictions are compared as the prediction column. */
  model?: string;
  /** The model's feature columns, in input order. */
  modelFeatures?: string[];
  /** Read --current as a serving capture in this format. */
  captureFormat?: CaptureFormat;
  /** Names of a headerless CSV capture payload's fields. */
  captureColumns?: string[];
  /** Start of the capture window: ISO time or a duration before now. */
  since?: string;
  /** End of the capture window: ISO time or a duration before now. */
  until?: string;
  /** Skip and count malformed capture lines instead of failing. */
  skipBadRecords?: boolean;
}

export interface CommandIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

const defaultIo = (): CommandIo => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

/**
 * `mlops drift`: runs the job, writes every requested output, and returns the exit code. Nothing is
 * written unless the whole report was computed, and each file is written atomically, so a failed
 * run never leaves a partial or stale-looking report behind.
 */
export async function runDriftCommand(
  options: DriftCommandOptions,
  io: CommandIo = defaultIo(),
): Promise<number> {
  let report: DriftReport;
  let skipped = 0;
  try {
    const captureOnly = [
      ["--since", options.since],
      ["--until", options.until],
      ["--capture-columns", options.captureColumns],
      ["--skip-bad-records", options.skipBadRecords],
    ].find(([, value]) => value !== undefined && value !== false);
    if (options.captureFormat === undefined && captureOnly !== undefined) {
      throw new RuntimeInputError({
        source: captureOnly[0] as string,
        problem: "it applies to a serving capture only",
        fix: "Add --capture-format sagemaker|azureml|sidecar, or drop the option",
      });
    }
    checkOutputs(options);
    const config: JobConfig | undefined =
      options.config === undefined ? undefined : await loadJobConfig(options.config);
    const model = options.model === undefined ? undefined : await loadModel(options.model);
    report = await runDriftJob({
      model,
      modelFeatures: options.modelFeatures,
      reference: options.reference,
      current: options.current,
      format: options.format,
      columns: options.columns === undefined ? undefined : parseColumnSpecs(options.columns),
      prediction: options.prediction,
      target: options.target,
      config,
      profileSettings: {
        ...(options.nonFinite === undefined ? {} : { nonFinite: options.nonFinite }),
        ...(options.maxCategories === undefined ? {} : { maxCategories: options.maxCategories }),
      },
      stdin: io.stdin,
      progress: new Progress({ quiet: options.quiet }),
      capture:
        options.captureFormat === undefined
          ? undefined
          : {
              format: options.captureFormat,
              csvColumns: options.captureColumns,
              skipBadRecords: options.skipBadRecords,
              onBadRecord: () => {
                skipped++;
              },
              window: captureWindow(options.since, options.until, new Date()),
            },
    });
  } catch (error) {
    io.stderr.write(`mlops drift: error: ${errorMessage(error)}\n`);
    if (!(error instanceof RuntimeInputError)) io.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
    return EXIT_ERROR;
  }
  try {
    await writeOutputs(report, options, io);
  } catch (error) {
    io.stderr.write(`mlops drift: error: writing the outputs failed: ${errorMessage(error)}\n`);
    return EXIT_ERROR;
  }
  if (skipped > 0)
    io.stderr.write(`mlops drift: skipped ${skipped} bad capture record(s) (--skip-bad-records)\n`);
  if (!options.quiet) io.stderr.write(`${summaryLine(report)}\n`);
  for (const column of report.columns) {
    if (column.error !== null) io.stderr.write(`mlops drift: column error: ${column.error.message}\n`);
  }
  return report.summary.exitCode;
}

/** Refuses outputs that cannot be written, or that would share stdout, before any work is done. */
function checkOutputs(options: DriftCommandOptions): void {
  if (options.json === "-" && options.emf) {
    throw new RuntimeInputError({
      source: "--json - --emf",
      problem: "both would be written to stdout, mixed into one stream no reader can parse",
      fix: "Write the JSON report to a file (--json report.json) while --emf takes stdout, or drop --emf",
    });
  }
  if (options.json !== undefined && options.json !== "-") checkOutputPath(options.json, "--json");
  if (options.html !== undefined) checkOutputPath(options.html, "--html");
  if (options.prometheus !== undefined && !isPushgatewayUrl(options.prometheus)) {
    checkOutputPath(options.prometheus, "--prometheus");
  }
}

async function writeOutputs(report: DriftReport, options: DriftCommandOptions, io: CommandIo): Promise<void> {
  const json = `${JSON.stringify(report, null, 2)}\n`;
  // Render everything first, so a rendering failure leaves no file written.
  const html = options.html === undefined ? undefined : renderHtml(report);
  const prom = options.prometheus === undefined ? undefined : await prometheusText(report);
  if (options.json === "-") io.stdout.write(json);
  else if (options.json !== undefined) await writeReportFile(options.json, json);
  if (html !== undefined && options.html !== undefined) await writeReportFile(options.html, html);
  if (prom !== undefined && options.prometheus !== undefined) {
    if (isPushgatewayUrl(options.prometheus)) await pushToGateway(report, options.prometheus);
    else await writeReportFile(options.prometheus, prom);
  }
  if (options.emf) for (const line of emfLines(report)) io.stdout.write(`${line}\n`);
}

function summaryLine(report: DriftReport): string {
  const s = report.summary;
  const verdict = s.verdict === "drift" ? "DRIFT" : s.verdict === "error" ? "ERROR" : "no drift";
  return `mlops drift: ${verdict}: ${s.driftedCount}/${s.evaluatedCount} columns drifted (share ${s.driftShare.toFixed(3)}, threshold ${s.driftShareThreshold}), ${s.errorCount} errored, ${s.qualityViolationCount} quality violations; exit ${s.exitCode}`;
}
