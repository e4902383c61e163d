import { renderConceptDriftHtml } from "../concept/html";
import { runLabelledStream } from "../concept/labels";
import { conceptDriftEmfLines, conceptDriftRegistry } from "../concept/metrics";
import { type ConceptDriftReport, conceptDriftReport } from "../concept/report";
import { errorMessage, RuntimeInputError } from "../errors";
import type { DataFormat } from "../io/types";
import { writeReportOutputs } from "../report/outputs";
import { type CommandIo, EXIT_ERROR } from "./drift";

/** Options of `mlops drift --labels`. */
export interface ConceptDriftCommandOptions {
  /** Time-ordered data, read in order as one stream. */
  current: string | string[];
  format?: DataFormat;
  /** Column of the true class. */
  labels: string;
  /** Column of the predicted class. @default prediction, else __prediction (the capture's) */
  prediction?: string;
  /** Column the rows must be ordered by. @default __ts when present */
  timestamp?: string;
  /** Comma-separated classes. @default the predicted classes */
  classes?: string;
  json?: string;
  html?: string;
  prometheus?: string;
  emf?: boolean;
  quiet?: boolean;
}

const defaultIo = (): CommandIo => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

/**
 * `mlops drift --labels <column>`: ADWIN, DDM, EDDM and Page–Hinkley over the per-prediction errors
 * of a time-ordered file. Exit 2 when a detector saw the error rate rise, 0 otherwise, 1 on bad input
 * (no report written).
 */
export async function runConceptDriftCommand(
  options: ConceptDriftCommandOptions,
  io: CommandIo = defaultIo(),
): Promise<number> {
  let report: ConceptDriftReport;
  try {
    const files = Array.isArray(options.current) ? options.current : [options.current];
    const prediction = options.prediction ?? "__prediction";
    const classes = options.classes
      ?.split(",")
      .map((c) => c.trim())
      .filter((c) => c !== "");
    if (classes !== undefined && classes.length < 2) {
      throw new RuntimeInputError({
        source: "--classes",
        problem: `"${options.classes}" names fewer than two classes`,
        fix: "List every class, comma-separated",
      });
    }
    const result = await runLabelledStream({
      files,
      format: options.format,
      stdin: io.stdin,
      prediction,
      labels: options.labels,
      timestamp: options.timestamp,
      classes,
    });
    if (result.monitor.count === 0) {
      throw new RuntimeInputError({
        source: result.sources.join(", "),
        column: options.labels,
        problem: "no row has a label",
        fix: "Join the predictions with their labels first; rows without a label are skipped",
      });
    }
    report = conceptDriftReport(result, { prediction, labels: options.labels });
  } catch (error) {
    io.stderr.write(`mlops drift: error: ${errorMessage(error)}\n`);
    if (!(error instanceof RuntimeInputError)) io.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
    return EXIT_ERROR;
  }
  try {
    const written = report;
    await writeReportOutputs(
      {
        json: () => `${JSON.stringify(written, null, 2)}\n`,
        html: () => renderConceptDriftHtml(written),
        registry: () => conceptDriftRegistry(written),
        emfLines: () => conceptDriftEmfLines(written),
        jobName: "mlops_concept_drift",
      },
      options,
      io.stdout,
    );
  } catch (error) {
    io.stderr.write(`mlops drift: error: writing the outputs failed: ${errorMessage(error)}\n`);
    return EXIT_ERROR;
  }
  if (!options.quiet) {
    const fired = report.detectors.map((d) => `${d.name} ${d.detections.length}`).join(", ");
    io.stderr.write(
      `mlops drift: ${report.accuracyDrop ? "ACCURACY DROP" : "no accuracy drop"}: ${report.labelled} labelled predictions, error rate ${(report.errorRate * 100).toFixed(2)}%, detections: ${fired}; exit ${report.exitCode}\n`,
    );
  }
  return report.exitCode;
}
