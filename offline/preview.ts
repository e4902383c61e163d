import { renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Capture } from "./capture";
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
  /** Write the JSON plan here. */
  json?: string;
  /** Where to print. @default process.stdout */
  out?: NodeJS.WritableStream;
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
  const out = options.out ?? process.stdout;
  const { capture } = await runProgram({ programDir: options.programDir, stack: options.stack });
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
  if (options.json) {
    writeFileAtomic(options.json, `${JSON.stringify(planDocument(capture), null, 2)}\n`);
    out.write(`Plan written to ${options.json}\n`);
  }
  return capture;
}
