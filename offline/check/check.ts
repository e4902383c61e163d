import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { checkOutputPath } from "../../runtime/report/atomic";
import { stageTimeoutMs } from "../deadline";
import { writeFileAtomic } from "../preview";
import { loadProject, loadStackConfig } from "../project";
import { type ProgramRun, runProgram } from "../run";
import { analyzeCapture } from "./analyze";
import { loadPolicyProject, PolicyPackProcess } from "./pack-process";
import { loadPolicyPackConfig, type PolicyConfig } from "./policy-config";
import { renderReport, reportDocument } from "./report";
import { type CheckResult, mandatoryCount } from "./result";
import { sarifLog } from "./sarif";

/** The organization the offline run uses, as `mlops preview` does. */
const ORGANIZATION = "organization";

/**
 * Runs `fn` with V8 stack capture off (`Error.stackTraceLimit = 0`), then restores it.
 *
 * The Pulumi SDK records a stack trace on every promise it creates (`runtime/debuggable.js`, used only to
 * explain leaked promises at exit), and with source maps on, each trace is mapped back to TypeScript. For a
 * program of 1,000 resources that is more than half of the program's CPU time (measured: 12.0 s of user time
 * with, 5.2 s without). The price: a program that throws is reported by its message alone, without frames.
 *
 * The analyzer pass runs the same way: `@grpc/grpc-js` captures the caller's stack (`new Error()`) on every
 * unary call, only to append it to the error of a call that fails, and `mlops check` reports a failed call by
 * the pack's details and stderr (`rpcFailure`), never by that stack. Two calls per resource made it the largest
 * self cost of this process during the pass.
 */
async function withoutStackCapture<T>(fn: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await fn();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export interface CheckOptions {
  /** Directory holding `Pulumi.yaml`. */
  programDir: string;
  stack: string;
  /** Directory holding `PulumiPolicy.yaml`. */
  policyPack: string;
  /** A `--policy-pack-config` JSON file. @default none: schema defaults and the pack's own levels */
  policyPackConfig?: string;
  /** Write the JSON report here. @default none */
  json?: string;
  /** Write the SARIF 2.1.0 log here. @default none */
  sarif?: string;
  /** Where to print the report. @default process.stdout */
  out?: NodeJS.WritableStream;
  /** Resources analyzed at once over the pack's gRPC connection. @default 16 */
  concurrency?: number;
  /**
   * Deadline of each stage in seconds: running the program, starting the pack, each call to it.
   * @default `MLOPS_TIMEOUT`, else 300
   */
  timeoutSeconds?: number;
}

export interface CheckRun {
  result: CheckResult;
  /** 1 when any mandatory violation was found, else 0. */
  exitCode: number;
}

/**
 * `mlops check`: runs the program once under the offline preview's capture, starts the policy pack once,
 * and drives it over the analyzer protocol as `pulumi preview --policy-pack` does; prints the violations,
 * writes JSON and SARIF, and returns exit code 1 on any mandatory violation.
 */
export async function check(options: CheckOptions): Promise<CheckRun> {
  const started = performance.now();
  const out = options.out ?? process.stdout;
  const programDir = path.resolve(options.programDir);
  const packDir = path.resolve(options.policyPack);

  // Everything that can be refused cheaply is refused before anything runs.
  const timeoutMs = stageTimeoutMs(options.timeoutSeconds);
  if (options.json) checkOutputPath(options.json, "--json");
  if (options.sarif) checkOutputPath(options.sarif, "--sarif");
  const project = loadProject(programDir);
  const stackConfig = loadStackConfig(project, options.stack);
  const policyProject = loadPolicyProject(packDir);
  const configFile = options.policyPackConfig ? path.resolve(options.policyPackConfig) : undefined;
  const fileConfig: Record<string, PolicyConfig> | undefined = configFile
    ? loadPolicyPackConfig(configFile)
    : undefined;

  // The pack starts (and ts-node compiles it) while the program runs; a program that fails stops it.
  const packStarted = performance.now();
  const stopPack = new AbortController();
  const packPromise = PolicyPackProcess.start(
    policyProject,
    {
      organization: ORGANIZATION,
      project: project.name,
      stack: options.stack,
      dryRun: true,
      config: stackConfig.config,
      secretKeys: stackConfig.secretKeys,
    },
    timeoutMs,
    stopPack.signal,
  );
  let packReadyAt = 0;
  void packPromise.then(
    () => {
      packReadyAt = performance.now();
    },
    () => {},
  );
  const programStarted = performance.now();
  let run: ProgramRun;
  let programMs: number;
  try {
    run = await withoutStackCapture(() =>
      runProgram({ programDir, stack: options.stack, organization: ORGANIZATION, timeoutMs }),
    );
    programMs = performance.now() - programStarted;
  } catch (err) {
    stopPack.abort();
    throw err;
  }
  const pack = await packPromise;

  const analyzeStarted = performance.now();
  let outcome: Awaited<ReturnType<typeof analyzeCapture>>;
  try {
    outcome = await withoutStackCapture(() =>
      analyzeCapture({
        pack,
        capture: run.capture,
        programDir,
        stackConfig: run.stackConfig.config,
        secretKeys: run.stackConfig.secretKeys,
        fileConfig,
        configSource: configFile,
        concurrency: options.concurrency,
      }),
    );
  } finally {
    await pack.close();
  }
  const finished = performance.now();

  const result: CheckResult = {
    project: run.project.name,
    stack: options.stack,
    programDir,
    entry: run.project.entry,
    ...(run.stackConfig.file ? { stackFile: run.stackConfig.file } : {}),
    pack: outcome.packInfo,
    config: outcome.config,
    ...(configFile ? { configFile } : {}),
    resourceCount: run.capture.resources.length,
    violations: outcome.violations,
    remediations: outcome.remediations,
    unmockedInvokes: run.capture.unmockedInvokes,
    timings: {
      program: Math.round(programMs),
      packStart: Math.round((packReadyAt || analyzeStarted) - packStarted),
      analyze: Math.round(finished - analyzeStarted),
      ...outcome.timings,
      total: Math.round(finished - started),
    },
  };

  out.write(renderReport(result));
  if (options.json) {
    writeFileAtomic(options.json, `${JSON.stringify(reportDocument(result), null, 2)}\n`);
    out.write(`Report written to ${options.json}\n`);
  }
  if (options.sarif) {
    writeFileAtomic(options.sarif, `${JSON.stringify(sarifLog(result), null, 2)}\n`);
    out.write(`SARIF written to ${options.sarif}\n`);
  }
  return { result, exitCode: mandatoryCount(result) > 0 ? 1 : 0 };
}
