import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { type Capture, installCapture } from "./capture";
import { DeadlineError, formatSeconds, stageTimeoutMs, TIMEOUT_ENV, withDeadline } from "./deadline";
import { loadProject, loadStackConfig, type Project, type StackConfig } from "./project";

/** A program failure: what `pulumi preview` would print as the error, without the noise of a stack trace. */
export class ProgramError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProgramError";
  }
}

export interface RunProgramOptions {
  /** Directory holding `Pulumi.yaml`. */
  programDir: string;
  stack: string;
  /** @default true */
  preview?: boolean;
  organization?: string;
  /** How long the program may run, outputs settled included. @default `MLOPS_TIMEOUT` seconds, else 300 s */
  timeoutMs?: number;
}

export interface ProgramRun {
  project: Project;
  stackConfig: StackConfig;
  capture: Capture;
}

/**
 * Loads the program's entry module. Under the `mlops` CLI, tsx's require hook compiles TypeScript;
 * under vitest, its own module runner does, and only through `import()`.
 */
async function loadModule(entry: string): Promise<Record<string, unknown>> {
  if (process.env.VITEST) return (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const exports = require(entry) as unknown;
  return typeof exports === "function" ? { default: exports } : { default: exports, ...(exports as object) };
}

/** The message of an error as the engine would report it; ResourceErrors hide their stack. */
function describe(err: unknown): string {
  if (pulumi.RunError.isInstance(err)) return (err as Error).message;
  if (err instanceof Error) {
    const hide = (err as { hideStack?: boolean }).hideStack;
    return hide || !err.stack ? err.message : err.stack;
  }
  return String(err);
}

/** The program's stack outputs, as the Node language host takes them from its module. */
async function programOutputs(entry: string): Promise<Record<string, unknown>> {
  const mod = await loadModule(entry);
  // As the Node language host does: a default-exported function is the program; otherwise its exports are the outputs.
  if (typeof mod.default === "function")
    return (await (mod.default as () => unknown)()) as Record<string, unknown>;
  const { default: defaultExport, ...named } = mod;
  if (Object.keys(named).length === 0 && defaultExport && typeof defaultExport === "object") {
    return defaultExport as Record<string, unknown>;
  }
  return named;
}

/** Which stack outputs have settled, so that a program that never finishes can be told which did not. */
class OutputTracker {
  private readonly pending = new Set<string>();
  private returned = false;

  track(outputs: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    this.returned = true;
    if (!outputs || typeof outputs !== "object") return outputs;
    for (const [key, value] of Object.entries(outputs)) {
      const settles = pulumi.Output.isInstance(value)
        ? (value as unknown as { promise(withUnknowns: boolean): Promise<unknown> }).promise(true)
        : value instanceof Promise
          ? value
          : undefined;
      if (!settles) continue;
      this.pending.add(key);
      settles.then(
        () => this.pending.delete(key),
        () => this.pending.delete(key),
      );
    }
    return outputs;
  }

  describePending(): string {
    if (!this.returned)
      return "its main module never returned (a top-level await or program function that never settles).";
    if (this.pending.size === 0) return "a resource or output it depends on never settled.";
    const keys = [...this.pending].map((k) => `'${k}'`).join(", ");
    return `stack output${this.pending.size === 1 ? "" : "s"} ${keys} never settled.`;
  }
}

/**
 * Runs a Pulumi TypeScript program in this process under the capture mocks, inside a root stack,
 * with the stack's config, and returns every resource it registered. One program per process:
 * the Pulumi runtime keeps its state in globals.
 */
export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
  const programDir = path.resolve(options.programDir);
  const project = loadProject(programDir);
  const stackConfig = loadStackConfig(project, options.stack);
  const session = await installCapture({
    project: project.name,
    stack: options.stack,
    organization: options.organization,
    preview: options.preview ?? true,
    config: stackConfig.config,
    secretKeys: stackConfig.secretKeys,
  });

  // A failing program rejects several of the SDK's internal promises; the first is the cause, and the
  // handler stays installed so the rest do not crash the process after the error was reported.
  const failures: unknown[] = [];
  process.on("unhandledRejection", (reason: unknown) => failures.push(reason));
  const cwd = process.cwd();
  process.chdir(programDir);
  const entry = path.relative(cwd, project.entry) || project.entry;
  const timeoutMs = options.timeoutMs ?? stageTimeoutMs();
  const outputs = new OutputTracker();
  try {
    const finished = pulumi.runtime
      .runInPulumiStack(async () => outputs.track(await programOutputs(project.entry)))
      .then(() => session.finish());
    const capture = await withDeadline(Promise.race([finished, session.failed]), timeoutMs, {
      onTimeout: () =>
        `program ${entry} did not finish within ${formatSeconds(timeoutMs)}: ${outputs.describePending()} Fix: find the Promise or Output that never settles; if the program is only slow, raise --timeout or ${TIMEOUT_ENV}.`,
      onIdle: () =>
        `program ${entry} stopped without finishing: ${outputs.describePending()} Nothing is left that could settle it. Fix: find the Promise or Output that never settles (one that nothing resolves).`,
    });
    if (failures.length > 0) throw failures[0];
    if (pulumi.log.hasErrors()) throw new ProgramError("the program logged errors (see above)");
    return { project, stackConfig, capture };
  } catch (err) {
    if (err instanceof DeadlineError) throw err;
    throw new ProgramError(`program ${entry} failed: ${describe(err)}`);
  } finally {
    process.chdir(cwd);
  }
}
