import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { type Capture, installCapture } from "./capture";
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
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      const mod = await loadModule(project.entry);
      // As the Node language host does: a default-exported function is the program; otherwise its exports are the outputs.
      if (typeof mod.default === "function") return await (mod.default as () => unknown)();
      const { default: defaultExport, ...named } = mod;
      if (Object.keys(named).length === 0 && defaultExport && typeof defaultExport === "object") {
        return defaultExport as Record<string, unknown>;
      }
      return named;
    });
    const capture = await session.finish();
    if (failures.length > 0) throw failures[0];
    if (pulumi.log.hasErrors()) throw new ProgramError("the program logged errors (see above)");
    return { project, stackConfig, capture };
  } catch (err) {
    throw new ProgramError(
      `program ${path.relative(cwd, project.entry) || project.entry} failed: ${describe(err)}`,
    );
  } finally {
    process.chdir(cwd);
  }
}
