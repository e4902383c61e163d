import { type Command, InvalidArgumentError, Option } from "commander";
import { errorMessage, RuntimeInputError } from "../errors";
import { runMonitor } from "./monitorRun";

export {
  DRIFT_PUSH_JOB,
  defaultSteps,
  type MonitorRunOptions,
  type MonitorRunResult,
  type MonitorRunSteps,
  pushRegistry,
  runMonitor,
  scheduledTime,
} from "./monitorRun";
export { assignShards, listWindowFiles, parseSince, type WindowFile, windowHours } from "./window";

const HELP = `
One scheduled drift check of a serving endpoint, as the KubernetesMonitoring CronJob runs it:
the last --since of completed hours of captured requests (<capture-dir>/<variant>/YYYY/MM/DD/HH/*.jsonl)
against the reference; then the reports, the metrics push and, on drift, the retraining trigger.

With --workers n > 1 the pods of an Indexed Job (JOB_COMPLETION_INDEX) each profile a share of the
window's files onto the shared --work-dir, and index 0 merges the shard profiles and decides.

Exit codes: 0 the run completed (drift or not: the verdict is in the metrics, the report and the
trigger), 1 error (bad input, a failed push or trigger; the Job retries). With --detailed-exitcode,
2 on drift, as \`mlops drift\`.`;

function share(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError(`needs a share from 0 to 1, got "${value}".`);
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`needs a positive whole number, got "${value}".`);
  return n;
}

/** Mounts `mlops monitor-run` on a commander program (the lead mounts it on the runtime's CLI). */
export function registerMonitorRunCommand(program: Command): Command {
  program
    .command("monitor-run")
    .description(
      "run one scheduled drift check of an endpoint's captured traffic (the monitoring CronJob's command)",
    )
    .requiredOption("--endpoint <name>", "serving endpoint (labels the metrics and the trigger payload)")
    .requiredOption(
      "--reference <file|url>",
      "reference profile (.json) or data file, a path or an https URL",
    )
    .requiredOption(
      "--capture-dir <dir|uri>",
      "the endpoint's capture directory, or an s3://, gs://, az:// or abfss:// prefix",
    )
    .addOption(
      new Option(
        "--capture-format <format>",
        "capture lines: SageMaker data capture, Azure ML data collector, the sidecar's rows",
      ).choices(["sagemaker", "azureml", "sidecar"]),
    )
    .option(
      "--capture-columns <names>",
      "names of a headerless CSV capture payload's fields, comma-separated",
    )
    .option("--skip-bad-records", "skip and count malformed capture lines instead of failing")
    .option("--since <duration>", "window of completed hours, e.g. 1h, 24h, 7d", "1h")
    .option("--drift-share <share>", "dataset drift when at least this share of columns drifted (0–1)", share)
    .requiredOption("--work-dir <dir>", "scratch directory (shared by the pods of a sharded run)")
    .option("--workers <n>", "pods in the run; more than one shards the window", positiveInteger, 1)
    .option("--index <i>", "this pod's index (default: $JOB_COMPLETION_INDEX, else 0)", (v) => Number(v))
    .option("--shard-timeout <seconds>", "how long index 0 waits for the other shards", positiveInteger, 600)
    .option("--run-id <id>", "unique id of the run, the same in all its pods (default: $MLOPS_RUN_ID)")
    .option(
      "--namespace <name>",
      "namespace label of the metrics and of the retraining Job (default: $POD_NAMESPACE)",
    )
    .option("--pushgateway <url>", "Pushgateway to push the metrics to")
    .option(
      "--report-dir <dir|uri>",
      "write <run-id>.json and <run-id>.html here (a directory or an object-storage prefix)",
    )
    .option("--retrain-webhook <url>", "POST the drift summary here on drift")
    .option("--retrain-job-template <file>", "create this batch/v1 Job on drift (in-cluster API)")
    .option("--detailed-exitcode", "exit 2 on drift")
    .option(
      "--labels <file>",
      "labels file joined with the capture by --label-key: run the concept-drift detectors, trigger on an accuracy drop",
    )
    .option(
      "--label-key <column>",
      "column of the captured rows and the labels file that joins them",
      "request_id",
    )
    .option("--label-column <column>", "the labels file's column of true classes", "label")
    .addHelpText("after", HELP)
    .action(async (opts) => {
      try {
        const runId: string | undefined = opts.runId ?? process.env.MLOPS_RUN_ID;
        if (runId === undefined || runId === "") {
          throw new RuntimeInputError({
            source: "--run-id",
            problem: "no run id was given and MLOPS_RUN_ID is not set",
            fix: "Pass --run-id, or set MLOPS_RUN_ID from the pod's job-name label (the KubernetesMonitoring CronJob does)",
          });
        }
        const result = await runMonitor({
          endpoint: opts.endpoint,
          reference: opts.reference,
          captureDir: opts.captureDir,
          captureFormat: opts.captureFormat,
          captureColumns: opts.captureColumns?.split(","),
          skipBadRecords: opts.skipBadRecords,
          since: opts.since,
          driftShare: opts.driftShare,
          workDir: opts.workDir,
          workers: opts.workers,
          index: opts.index,
          runId,
          namespace: opts.namespace ?? process.env.POD_NAMESPACE,
          shardTimeoutSeconds: opts.shardTimeout,
          pushgateway: opts.pushgateway,
          reportDir: opts.reportDir,
          retrainWebhook: opts.retrainWebhook,
          retrainJobTemplate: opts.retrainJobTemplate,
          detailedExitcode: opts.detailedExitcode,
          labels: opts.labels,
          labelKey: opts.labelKey,
          labelColumn: opts.labelColumn,
        });
        process.exitCode = result.exitCode;
      } catch (error) {
        process.stderr.write(`mlops monitor-run: error: ${errorMessage(error)}\n`);
        process.exitCode = 1;
      }
    });
  return program;
}
