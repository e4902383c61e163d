import { access, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { Gauge, Pushgateway, Registry } from "prom-client";
import { conceptDriftOnCapture } from "../concept/capture";
import { renderConceptDriftHtml } from "../concept/html";
import { conceptDriftRegistry } from "../concept/metrics";
import { type ConceptDriftReport, conceptDriftReport } from "../concept/report";
import { errorMessage, RuntimeInputError } from "../errors";
import type { CaptureFormat } from "../io/capture/formats";
import { isObjectUri } from "../io/objects";
import { type JobConfig, parseJobConfig } from "../job/config";
import { runDriftJob } from "../job/drift-job";
import { type CaptureSelection, loadProfile, profileData } from "../job/load";
import { DatasetProfile } from "../profile/profile";
import { writeReportFile } from "../report/atomic";
import { renderHtml } from "../report/html";
import { METRIC_PREFIX, reportRegistry } from "../report/prometheus";
import type { DriftReport } from "../report/schema";
import { type AccuracyDrop, describeOutcome, type TriggerOutcome, triggerRetraining } from "../trigger";
import { type RetryOptions, withRetries } from "../trigger/retry";
import { assignShards, listWindowFiles, parseSince, windowHours } from "./window";

/** The Pushgateway job the drift metrics are pushed under (alerts and dashboards select it). */
export const DRIFT_PUSH_JOB = "mlops_drift";
/** Run directories older than this are left-overs of crashed runs and are removed. */
const STALE_RUN_MS = 24 * 3_600_000;

/** Options of one `mlops monitor-run`. */
export interface MonitorRunOptions {
  /** The serving endpoint (labels the metrics and the trigger payload). */
  endpoint: string;
  /** Reference: a profile (`.json`) or a data file, as a path or an https URL (downloaded per run). */
  reference: string;
  /**
   * The endpoint's capture directory: `<variant>/YYYY/MM/DD/HH/*.jsonl` below it; or an
   * object-storage prefix, below which every `.jsonl` object in an hour partition of the window is read.
   */
  captureDir: string;
  /**
   * How capture lines are read (SageMaker data capture, Azure ML data collector, or the sidecar's rows).
   * @default the sidecar's rows, read as plain JSON Lines
   */
  captureFormat?: CaptureFormat;
  /**
   * Names of a headerless CSV capture payload's fields (SageMaker), in order.
   * @default _c0, _c1, …
   */
  captureColumns?: string[];
  /**
   * Skip and count malformed capture lines instead of failing (with `captureFormat`).
   * @default false
   */
  skipBadRecords?: boolean;
  /** Window of completed hours to compare, e.g. `1h`. */
  since: string;
  /**
   * Dataset drift when at least this share of columns drifted.
   * @default the engine's default (0.5)
   */
  driftShare?: number;
  /** Scratch directory; shared between the pods of a sharded run. */
  workDir: string;
  /**
   * Pods in the run; more than one shards the window's files.
   * @default 1
   */
  workers?: number;
  /**
   * This pod's index in a sharded run.
   * @default $JOB_COMPLETION_INDEX, else 0
   */
  index?: number;
  /** Unique id of the run, the same in every pod of it (the Kubernetes Job name). */
  runId: string;
  /**
   * Namespace label of the pushed metrics.
   * @default none
   */
  namespace?: string;
  /**
   * How long index 0 waits for the other shards (and they for its plan), in seconds.
   * @default 600
   */
  shardTimeoutSeconds?: number;
  /**
   * Pushgateway base URL for the metrics.
   * @default none (no push)
   */
  pushgateway?: string;
  /**
   * Directory the JSON and HTML reports are written to, as `<runId>.json` / `<runId>.html`.
   * @default none
   */
  reportDir?: string;
  /**
   * Retraining webhook, called on drift.
   * @default none
   */
  retrainWebhook?: string;
  /**
   * Retraining Job template, created on drift.
   * @default none
   */
  retrainJobTemplate?: string;
  /**
   * Exit 2 on drift (as `mlops drift`); otherwise a completed run exits 0 whatever its verdict,
   * so a scheduled Job reports its own health, not the data's.
   * @default false
   */
  detailedExitcode?: boolean;
  /**
   * A labels file (CSV, JSON Lines, Parquet) joined with the window's capture by `labelKey`: the
   * concept-drift detectors then run over the labelled predictions' errors, and an accuracy drop
   * triggers retraining as data drift does.
   * @default none (no concept drift)
   */
  labels?: string;
  /**
   * Column of the captured rows and of the labels file that joins them.
   * @default request_id
   */
  labelKey?: string;
  /**
   * The labels file's column of true classes.
   * @default label
   */
  labelColumn?: string;
  /**
   * The run's clock.
   * @default new Date()
   */
  now?: Date;
}

/** What one pod of a run did. */
export interface MonitorRunResult {
  exitCode: 0 | 1 | 2;
  /** `shard`: a pod that only profiled its share; `decider`: the pod that ran the drift check. */
  role: "shard" | "decider";
  /** Captured files this pod read. */
  files: number;
  report?: DriftReport;
  /** The concept-drift report, with `labels`. */
  concept?: ConceptDriftReport;
  trigger?: TriggerOutcome;
  /** Problems that made the run fail after the verdict (metrics push, trigger). */
  errors: string[];
}

/** The steps a run is built from; tests replace some, the command uses the runtime's own. */
export interface MonitorRunSteps {
  /** `current` is a data file, several files read in order as one data set, or a profile. */
  drift(options: {
    reference: string;
    current: string | readonly string[];
    config: JobConfig;
    capture?: CaptureSelection;
  }): Promise<DriftReport>;
  push(registry: Registry, url: string, groupings: Record<string, string>): Promise<void>;
  trigger: typeof triggerRetraining;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
  /** Poll interval while waiting for shard files, in milliseconds. */
  pollMs: number;
}

export const defaultSteps = (): MonitorRunSteps => ({
  drift: ({ reference, current, config, capture }) => runDriftJob({ reference, current, config, capture }),
  push: pushRegistry,
  trigger: triggerRetraining,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  log: (line) => process.stderr.write(`mlops monitor-run: ${line}\n`),
  pollMs: 1000,
});

/** A sharded run's plan, written by index 0 so every pod reads the same window. */
interface RunPlan {
  runId: string;
  window: { from: string; to: string };
  shards: string[][];
}

/**
 * One scheduled drift check of a serving endpoint's captured traffic.
 *
 * With one worker: list the window's capture files and compare them, read in order as one data set,
 * with the reference.
 *
 * With n workers (a Kubernetes Indexed Job): index 0 lists the window and writes a plan dealing the
 * files to n shards by size; every index profiles its files into `shard-<i>.profile.json` on the
 * shared work volume; index 0 waits for all n (with a timeout), merges them into the window's
 * profile and compares that with the reference. The other indexes exit once their profile is written.
 * No pod reads the whole window: numeric columns are compared through the two profiles' quantile
 * sketches (each result carries the combined error bound), categorical ones by their exact counts.
 *
 * The deciding pod then writes the reports, pushes the metrics (grouped by endpoint and namespace,
 * replacing the previous run's) and, on a drift verdict, triggers retraining. An empty window (no
 * traffic) pushes `current_rows 0` and no verdict.
 */
export async function runMonitor(
  options: MonitorRunOptions,
  steps: MonitorRunSteps = defaultSteps(),
): Promise<MonitorRunResult> {
  const workers = options.workers ?? 1;
  const index = options.index ?? indexFromEnvironment();
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RuntimeInputError({
      source: "--workers",
      problem: `${workers} is not a positive whole number`,
      fix: "Give 1 or more",
    });
  }
  if (!Number.isInteger(index) || index < 0 || index >= workers) {
    throw new RuntimeInputError({
      source: "--index",
      problem: `index ${index} is outside 0..${workers - 1}`,
      fix: "Run with JOB_COMPLETION_INDEX below --workers (completions = parallelism = workers)",
    });
  }
  const sinceMs = parseSince(options.since);
  const now = options.now ?? scheduledTime(options.runId, new Date());
  const window = windowHours(now, sinceMs);
  const runsDir = join(options.workDir, "runs");
  const runDir = join(runsDir, safeName(options.runId));
  await mkdir(runDir, { recursive: true });
  const timeoutMs = (options.shardTimeoutSeconds ?? 600) * 1000;
  const config = parseJobConfig(
    options.driftShare === undefined ? {} : { drift: { driftShare: options.driftShare } },
    "--drift-share",
  );

  if (workers === 1) {
    try {
      await pruneStaleRuns(runsDir, runDir, now);
      const files = await listWindowFiles(options.captureDir, window);
      steps.log(`${files.length} capture file(s) in ${describeWindow(window)}`);
      if (files.length === 0) return await emptyWindow(options, steps, 0);
      const current = files.map((file) => file.path);
      return await decide(options, steps, config, runDir, current, files.length, current);
    } finally {
      await rm(runDir, { recursive: true, force: true });
    }
  }

  const planFile = join(runDir, "plan.json");
  let plan: RunPlan;
  if (index === 0 && (await exists(planFile))) {
    // A retried index 0: the other shards profiled the plan already written; keep to it.
    plan = JSON.parse(await readFile(planFile, "utf8")) as RunPlan;
    steps.log("reusing the plan of an earlier attempt of this run");
  } else if (index === 0) {
    await pruneStaleRuns(runsDir, runDir, now);
    const files = await listWindowFiles(options.captureDir, window);
    plan = {
      runId: options.runId,
      window: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() },
      shards: assignShards(files, workers).map((shard) => shard.map((file) => file.path)),
    };
    await writeReportFile(planFile, JSON.stringify(plan));
    steps.log(`${files.length} capture file(s) in ${describeWindow(window)}, dealt to ${workers} shards`);
  } else {
    await waitFor([planFile], timeoutMs, steps, "the run plan from index 0");
    plan = JSON.parse(await readFile(planFile, "utf8")) as RunPlan;
  }
  if (plan.shards.length !== workers) {
    throw new RuntimeInputError({
      source: planFile,
      problem: `the plan has ${plan.shards.length} shards but this pod was started with --workers ${workers}`,
      fix: "Use the same --workers in every pod of a run",
    });
  }

  const mine = plan.shards[index] ?? [];
  const profile = new DatasetProfile({ sources: [], shard: { index, count: workers } });
  for (const path of mine)
    profile.merge(await profileData(path, { label: path, capture: captureOf(options) }));
  profile.shard = { index, count: workers };
  await writeReportFile(shardFile(runDir, index), JSON.stringify(profile.toJSON()));
  steps.log(`shard ${index}/${workers}: ${mine.length} file(s), ${profile.rowCount} rows profiled`);
  if (index !== 0) return { exitCode: 0, role: "shard", files: mine.length, errors: [] };

  // The run directory is removed only once the run has decided: a retried index 0 finds the plan
  // and the other shards' profiles still there (completed indexes are not run again). Left-overs of
  // runs that never decide are pruned after a day.
  const shardFiles = Array.from({ length: workers }, (_, i) => shardFile(runDir, i));
  await waitFor(shardFiles, timeoutMs, steps, "the shard profiles");
  const [first, ...rest] = await Promise.all(shardFiles.map((file) => loadProfile(file)));
  const merged = first as DatasetProfile;
  for (const other of rest) merged.merge(other);
  merged.shard = undefined;
  const total = plan.shards.reduce((n, shard) => n + shard.length, 0);
  let result: MonitorRunResult;
  if (merged.rowCount === 0) {
    result = await emptyWindow(options, steps, mine.length);
  } else {
    const current = join(runDir, "current.profile.json");
    await writeReportFile(current, JSON.stringify(merged.toJSON()));
    steps.log(`merged ${workers} shard profiles: ${merged.rowCount} rows from ${total} file(s)`);
    // No pod reads the whole window: numeric columns are compared sketch to sketch, categories by
    // their exact merged counts.
    result = await decide(options, steps, config, runDir, current, mine.length, plan.shards.flat());
  }
  await rm(runDir, { recursive: true, force: true });
  return result;
}

/** How the run reads its capture files: by format when one was given, else as plain JSON Lines. */
function captureOf(options: MonitorRunOptions): CaptureSelection | undefined {
  if (options.captureFormat === undefined) return undefined;
  let skipped = 0;
  return {
    format: options.captureFormat,
    csvColumns: options.captureColumns,
    skipBadRecords: options.skipBadRecords,
    onBadRecord: (source, line, problem) => {
      skipped++;
      process.stderr.write(
        `mlops monitor-run: skipped ${source} line ${line} (${problem}); ${skipped} so far\n`,
      );
    },
  };
}

/**
 * The time a run was scheduled for. A CronJob names each Job `<cronjob>-<scheduled time in Unix
 * minutes>`, so every pod of a run, and every retry, agrees on the window even when it starts in a
 * later hour. A run id without that suffix (a Job created by hand) uses the clock.
 */
export function scheduledTime(runId: string, clock: Date): Date {
  const match = /-(\d{7,})$/.exec(runId);
  if (match) {
    const scheduled = new Date(Number(match[1]) * 60_000);
    if (Math.abs(clock.getTime() - scheduled.getTime()) <= 7 * 24 * 3_600_000) return scheduled;
  }
  return clock;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Compares `current` with the reference, then reports, pushes and triggers. */
async function decide(
  options: MonitorRunOptions,
  steps: MonitorRunSteps,
  config: JobConfig,
  runDir: string,
  current: string | readonly string[],
  files: number,
  captureFiles: readonly string[],
): Promise<MonitorRunResult> {
  const reference = /^https:\/\//i.test(options.reference)
    ? await downloadReference(options.reference, runDir)
    : options.reference;
  // A profile (a sharded run's merged window) is already rows; capture files are read by format.
  const capture = typeof current === "string" && current.endsWith(".json") ? undefined : captureOf(options);
  const report = await steps.drift({
    reference,
    current,
    config,
    ...(capture === undefined ? {} : { capture }),
  });
  const s = report.summary;
  steps.log(
    `${s.verdict}: ${s.driftedCount}/${s.evaluatedCount} columns drifted (share ${s.driftShare.toFixed(3)}, threshold ${s.driftShareThreshold}), ${s.errorCount} errored, ${s.qualityViolationCount} quality violations, ${report.current.rowCount} rows`,
  );
  for (const column of report.columns)
    if (column.error !== null) steps.log(`column error: ${column.error.message}`);
  const concept = await conceptDrift(options, steps, captureFiles, report.generatedAt);

  const errors: string[] = [];
  if (options.reportDir !== undefined) {
    try {
      const remote = isObjectUri(options.reportDir);
      if (!remote) await mkdir(options.reportDir, { recursive: true });
      const base = remote
        ? `${options.reportDir.replace(/\/+$/, "")}/${safeName(options.runId)}`
        : join(options.reportDir, safeName(options.runId));
      await writeReportFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
      await writeReportFile(`${base}.html`, renderHtml(report));
      if (concept !== undefined) {
        await writeReportFile(`${base}.concept.json`, `${JSON.stringify(concept, null, 2)}\n`);
        await writeReportFile(`${base}.concept.html`, renderConceptDriftHtml(concept));
      }
      steps.log(`reports written to ${base}.json and .html`);
    } catch (error) {
      errors.push(`writing the reports failed: ${errorMessage(error)}`);
    }
  }
  if (options.pushgateway !== undefined) {
    try {
      const registry = reportRegistry(report);
      if (concept !== undefined) conceptDriftRegistry(concept, registry);
      await steps.push(registry, options.pushgateway, groupings(options));
      steps.log(`metrics pushed to ${new URL(options.pushgateway).origin}`);
    } catch (error) {
      errors.push(`pushing the metrics failed: ${errorMessage(error)}`);
    }
  }
  let trigger: TriggerOutcome | undefined;
  try {
    trigger = await steps.trigger(
      report,
      { runId: options.runId, endpoint: options.endpoint, accuracyDrop: accuracyDropOf(concept) },
      {
        webhookUrl: options.retrainWebhook,
        jobTemplate: options.retrainJobTemplate,
        kubernetesApi: options.namespace === undefined ? {} : { namespace: options.namespace },
      },
    );
    steps.log(describeOutcome(trigger));
  } catch (error) {
    errors.push(`the retraining trigger failed: ${errorMessage(error)}`);
  }
  for (const error of errors) steps.log(`error: ${error}`);
  const verdictCode = s.exitCode === 0 && concept?.accuracyDrop ? 2 : (s.exitCode as 0 | 1 | 2);
  const exitCode = errors.length > 0 ? 1 : options.detailedExitcode ? verdictCode : 0;
  return { exitCode, role: "decider", files, report, ...(concept ? { concept } : {}), trigger, errors };
}

/** With `labels`: the concept-drift detectors over the window's labelled predictions. */
async function conceptDrift(
  options: MonitorRunOptions,
  steps: MonitorRunSteps,
  captureFiles: readonly string[],
  generatedAt: string,
): Promise<ConceptDriftReport | undefined> {
  if (options.labels === undefined) return undefined;
  const result = await conceptDriftOnCapture({
    files: captureFiles,
    labels: options.labels,
    key: options.labelKey,
    labelColumn: options.labelColumn,
  });
  const concept = conceptDriftReport(
    result,
    { prediction: "__prediction", labels: options.labelColumn ?? "label" },
    new Date(generatedAt),
  );
  steps.log(
    `concept drift: ${concept.labelled} labelled predictions (${concept.unlabelled} without a label), error rate ${(concept.errorRate * 100).toFixed(2)}%, ${concept.detectors.map((d) => `${d.name} ${d.detections.length}`).join(", ")}: ${concept.accuracyDrop ? "accuracy drop" : "no accuracy drop"}`,
  );
  return concept;
}

function accuracyDropOf(concept: ConceptDriftReport | undefined): AccuracyDrop | undefined {
  if (concept === undefined || !concept.accuracyDrop) return undefined;
  return {
    detectors: concept.detectors
      .filter((d) => d.detections.some((h) => h.direction === "increase"))
      .map((d) => d.name),
    errorRate: concept.errorRate,
    labelled: concept.labelled,
  };
}

/** No traffic in the window: nothing to judge. Publish that, so dashboards and staleness alerts see the run. */
async function emptyWindow(
  options: MonitorRunOptions,
  steps: MonitorRunSteps,
  files: number,
): Promise<MonitorRunResult> {
  steps.log("no captured requests in the window: nothing to compare, no verdict");
  const errors: string[] = [];
  if (options.pushgateway !== undefined) {
    const registry = new Registry();
    new Gauge({
      name: `${METRIC_PREFIX}_current_rows`,
      help: "Rows in the current data",
      registers: [registry],
    }).set(0);
    try {
      await steps.push(registry, options.pushgateway, groupings(options));
    } catch (error) {
      errors.push(`pushing the metrics failed: ${errorMessage(error)}`);
      steps.log(`error: ${errors[0]}`);
    }
  }
  return { exitCode: errors.length > 0 ? 1 : 0, role: "decider", files, errors };
}

function groupings(options: MonitorRunOptions): Record<string, string> {
  return {
    endpoint: options.endpoint,
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
  };
}

/**
 * PUTs a registry to a Pushgateway under job `mlops_drift` and the run's grouping labels. PUT
 * replaces the whole group, so a column that disappeared does not linger from an older run.
 */
export async function pushRegistry(
  registry: Registry,
  url: string,
  grouping: Record<string, string>,
  retry: RetryOptions = { attempts: 3, timeoutMs: 10_000 },
): Promise<void> {
  await withRetries("pushing to the Pushgateway", retry, async (timeoutMs) => {
    const gateway = new Pushgateway(url, { timeout: timeoutMs }, registry);
    const { resp } = await gateway.push({ jobName: DRIFT_PUSH_JOB, groupings: grouping });
    const status = (resp as { statusCode?: number } | undefined)?.statusCode;
    if (status !== undefined && (status < 200 || status >= 300)) {
      throw new Error(`the Pushgateway at ${new URL(url).origin} answered HTTP ${status}`);
    }
  });
}

async function downloadReference(url: string, runDir: string): Promise<string> {
  const extension = extname(new URL(url).pathname).toLowerCase();
  if (![".json", ".jsonl", ".ndjson", ".csv", ".parquet", ".pq"].includes(extension)) {
    throw new RuntimeInputError({
      source: new URL(url).origin,
      problem: `the reference URL's path ends in "${extension}", which names no profile or data format`,
      fix: "Point --reference at a .json profile, or a .jsonl, .csv or .parquet file",
    });
  }
  const target = join(runDir, `reference${extension}`);
  await withRetries(
    `downloading the reference from ${new URL(url).origin}`,
    { attempts: 3, timeoutMs: 120_000 },
    async (timeoutMs) => {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok || response.body === null) {
        throw new Error(`HTTP ${response.status}`);
      }
      await writeFile(target, Buffer.from(await response.arrayBuffer()));
    },
  );
  return target;
}

async function waitFor(
  files: readonly string[],
  timeoutMs: number,
  steps: MonitorRunSteps,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing: string[] = [];
    for (const file of files) {
      try {
        await access(file);
      } catch {
        missing.push(file);
      }
    }
    if (missing.length === 0) return;
    if (Date.now() >= deadline) {
      throw new RuntimeInputError({
        source: "monitor-run",
        problem: `gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s; missing: ${missing.join(", ")}`,
        fix: "Check the other pods of the run (kubectl logs -l job-name=<run>): a pod that failed or never started leaves its file missing. The work volume must be shared (ReadWriteMany) between the pods",
      });
    }
    await steps.sleep(steps.pollMs);
  }
}

async function pruneStaleRuns(runsDir: string, keep: string, now: Date): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(runsDir);
  } catch {
    return;
  }
  for (const name of entries) {
    const path = join(runsDir, name);
    if (path === keep) continue;
    try {
      if (now.getTime() - (await stat(path)).mtimeMs > STALE_RUN_MS)
        await rm(path, { recursive: true, force: true });
    } catch {
      // another pod removed it first
    }
  }
}

function shardFile(runDir: string, index: number): string {
  return join(runDir, `shard-${index}.profile.json`);
}

function safeName(runId: string): string {
  const name = runId.replace(/[^A-Za-z0-9._-]/g, "_");
  if (name === "" || name === "." || name === "..") {
    throw new RuntimeInputError({
      source: "--run-id",
      problem: `"${runId}" is not usable as a name`,
      fix: "Give the Job's name",
    });
  }
  return name;
}

function indexFromEnvironment(): number {
  const value = process.env.JOB_COMPLETION_INDEX;
  return value === undefined || value === "" ? 0 : Number(value);
}

function describeWindow(window: { from: number; to: number }): string {
  return `${new Date(window.from).toISOString()} – ${new Date(window.to).toISOString()}`;
}
