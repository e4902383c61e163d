import { renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { checkOutputPath } from "../runtime/report/atomic";
import type { Capture } from "./capture";
import { stageTimeoutMs } from "./deadline";
import { runProgram } from "./run";
import { formatOutput, renderTree, summarize } from "./tree";

/** Version of the JSON plan's shape; bump on any breaking change. */
export const PLAN_SCHEMA_VERSION = 1;

/** What an offline run cannot know, said once wherever its results are shown. */
export const OFFLINE_LIMITS =
  "Offline approximation: no provider Check or Diff ran, so provider defaults, auto-names and diffs against deployed state are unknown; computed values are shown as unknown.";

export interface PreviewOptions {
  programDir: string;
  stack: string;
  /** Write the JSON plan here; `-` writes it to stdout (and the tree to stderr). @default none */
  json?: string;
  /** Where to print. @default process.stdout */
  out?: NodeJS.WritableStream;
  /** Where the tree goes when the plan takes stdout. @default process.stderr */
  err?: NodeJS.WritableStream;
  /** How long the program may run, in seconds. @default `MLOPS_TIMEOUT`, else 300 */
  timeoutSeconds?: number;
}

/** The JSON plan written by `mlops preview --json`. */
export function planDocument(capture: Capture) {
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    project: capture.project,
    stack: capture.stack,
    preview: capture.preview,
    note: OFFLINE_LIMITS,
    unmockedInvokes: capture.unmockedInvokes,
    stackOutputs: capture.stackOutputs,
    resources: capture.resources,
  };
}

/** Writes a file so that a reader never sees half of it: a temporary file, then a rename. */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

/** `mlops preview`: run the program offline and print the resource tree, counts and stack outputs. */
export async function preview(options: PreviewOptions): Promise<Capture> {
  const stdout = options.out ?? process.stdout;
  const planToStdout = options.json === "-";
  // The plan on stdout must be the only thing there, so the tree goes to stderr.
  const out = planToStdout ? (options.err ?? process.stderr) : stdout;
  const timeoutMs = stageTimeoutMs(options.timeoutSeconds);
  if (options.json && !planToStdout) checkOutputPath(options.json, "--json");
  const { capture } = await runProgram({
    programDir: options.programDir,
    stack: options.stack,
    timeoutMs,
  });
  const s = summarize(capture);
  out.write(`Previewing stack '${capture.stack}' of project '${capture.project}' (offline)\n\n`);
  out.write(`${renderTree(capture)}\n\n`);
  out.write(
    `Resources: ${s.total} to create (${s.custom} resources, ${s.components} components; ${s.protected} protected)\n`,
  );
  const outputs = Object.entries(capture.stackOutputs);
  if (outputs.length > 0) {
    out.write("\nOutputs:\n");
    for (const [k, v] of outputs) out.write(`    ${k}: ${formatOutput(v, "        ")}\n`);
  }
  if (capture.unmockedInvokes.length > 0) {
    out.write(
      `\nProvider functions answered with empty results offline: ${capture.unmockedInvokes.join(", ")}\n`,
    );
  }
  out.write(`\n${OFFLINE_LIMITS}\n`);
  if (planToStdout) stdout.write(`${JSON.stringify(planDocument(capture), null, 2)}\n`);
  else if (options.json) {
    writeFileAtomic(options.json, `${JSON.stringify(planDocument(capture), null, 2)}\n`);
    out.write(`Plan written to ${options.json}\n`);
  }
  return capture;
}
