import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { prettifyError } from "zod";
import { errorMessage, RuntimeInputError } from "../errors";
import { type DriftReport, driftReportSchema } from "../report/schema";
import {
  type CreatedJob,
  createJobFromTemplate,
  type KubernetesApiOptions,
  loadJobTemplate,
} from "./kubernetesJob";
import type { RetryOptions } from "./retry";
import { type TriggerContext, triggerPayload } from "./summary";
import { postWebhook } from "./webhook";

export { type CreatedJob, createJobFromTemplate, loadJobTemplate, retrainJobName } from "./kubernetesJob";
export { DEFAULT_RETRY, type RetryOptions, TriggerError } from "./retry";
export { type AccuracyDrop, type TriggerContext, type TriggerPayload, triggerPayload } from "./summary";
export { postWebhook, type WebhookResult } from "./webhook";

/** Where a drift verdict goes. At most one of the two may be set. */
export interface RetrainTriggerOptions {
  /**
   * URL POSTed the trigger payload as JSON.
   * @default none
   */
  webhookUrl?: string;
  /**
   * Path of a `batch/v1` Job manifest (YAML or JSON) created through the Kubernetes API.
   * @default none
   */
  jobTemplate?: string;
  /**
   * How to reach the Kubernetes API for the Job trigger.
   * @default in-cluster
   */
  kubernetesApi?: KubernetesApiOptions;
  /**
   * Retries and per-attempt timeout.
   * @default DEFAULT_RETRY
   */
  retry?: RetryOptions & { sleep?: (ms: number) => Promise<void> };
}

/** What the trigger did. */
export type TriggerOutcome =
  | { action: "skipped"; reason: string }
  | { action: "webhook"; status: number; attempts: number }
  | ({ action: "job" } & CreatedJob);

/**
 * Triggers retraining when, and only when, the report's verdict is `drift` or the context carries an
 * accuracy drop (concept drift on labelled predictions): POSTs the payload to
 * the webhook, or creates the Job from the template. A verdict of `no-drift` or `error` (some column
 * could not be judged) triggers nothing. Failures throw once the retries are spent.
 */
export async function triggerRetraining(
  report: DriftReport,
  context: TriggerContext,
  options: RetrainTriggerOptions,
): Promise<TriggerOutcome> {
  if (options.webhookUrl !== undefined && options.jobTemplate !== undefined) {
    throw new RuntimeInputError({
      source: "retraining trigger",
      problem: "both a webhook and a Job template are given",
      fix: "Pass one of --retrain-webhook and --retrain-job-template",
    });
  }
  if (options.webhookUrl === undefined && options.jobTemplate === undefined) {
    return { action: "skipped", reason: "no retraining trigger is configured" };
  }
  if (report.summary.verdict !== "drift" && context.accuracyDrop === undefined) {
    return { action: "skipped", reason: `the verdict is ${report.summary.verdict}` };
  }
  const payload = triggerPayload(report, context);
  if (options.webhookUrl !== undefined) {
    const result = await postWebhook(options.webhookUrl, payload, options.retry);
    return { action: "webhook", ...result };
  }
  const template = await loadJobTemplate(options.jobTemplate as string);
  const job = await createJobFromTemplate(template, payload, options.kubernetesApi, options.retry);
  return { action: "job", ...job };
}

/** Reads and validates a drift report written by `mlops drift --json` or `mlops monitor-run`. */
export async function loadDriftReport(path: string): Promise<DriftReport> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new RuntimeInputError({
      source: path,
      problem: `cannot read the report as JSON (${errorMessage(error)})`,
      fix: "Pass the file written by `mlops drift --json`",
    });
  }
  const parsed = driftReportSchema.safeParse(json);
  if (!parsed.success) {
    throw new RuntimeInputError({
      source: path,
      problem: `this is not a drift report:\n${prettifyError(parsed.error)}\n`,
      fix: "Pass the file written by `mlops drift --json`",
    });
  }
  return parsed.data;
}

/** Describes an outcome in one line for the job log. */
export function describeOutcome(outcome: TriggerOutcome): string {
  switch (outcome.action) {
    case "skipped":
      return `retraining not triggered: ${outcome.reason}`;
    case "webhook":
      return `retraining webhook answered HTTP ${outcome.status} after ${outcome.attempts} attempt(s)`;
    case "job":
      return outcome.created
        ? `retraining Job ${outcome.namespace}/${outcome.name} created after ${outcome.attempts} attempt(s)`
        : `retraining Job ${outcome.namespace}/${outcome.name} already existed (created by an earlier attempt of this run)`;
  }
}

/**
 * Mounts `mlops trigger`: reads a drift report and, if its verdict is drift, calls the retraining
 * webhook or creates the retraining Job. Exit 0 when it triggered or had nothing to trigger, 1 when
 * the trigger failed.
 */
export function registerTriggerCommand(program: Command): Command {
  program
    .command("trigger")
    .description(
      "trigger retraining from a drift report: POST a webhook or create a Kubernetes Job, only on drift",
    )
    .requiredOption("--report <file>", "drift report JSON (from `mlops drift --json`)")
    .option("--webhook <url>", "POST the drift summary as JSON to this URL")
    .option(
      "--job-template <file>",
      "create this batch/v1 Job (YAML or JSON) through the in-cluster Kubernetes API",
    )
    .option("--namespace <name>", "namespace of the Job (default: the pod's namespace)")
    .option("--run-id <id>", "idempotency key of this run (default: $MLOPS_RUN_ID, else the report's time)")
    .option("--endpoint <name>", "serving endpoint the report is about")
    .action(async (opts) => {
      try {
        const report = await loadDriftReport(opts.report);
        const outcome = await triggerRetraining(
          report,
          { runId: opts.runId ?? process.env.MLOPS_RUN_ID ?? report.generatedAt, endpoint: opts.endpoint },
          {
            webhookUrl: opts.webhook,
            jobTemplate: opts.jobTemplate,
            kubernetesApi: opts.namespace === undefined ? {} : { namespace: opts.namespace },
          },
        );
        process.stderr.write(`mlops trigger: ${describeOutcome(outcome)}\n`);
        process.exitCode = 0;
      } catch (error) {
        process.stderr.write(`mlops trigger: error: ${errorMessage(error)}\n`);
        process.exitCode = 1;
      }
    });
  return program;
}
