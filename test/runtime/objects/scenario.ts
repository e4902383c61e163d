import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runDriftCommand } from "../../../runtime/commands/drift";
import type { DriftReport } from "../../../runtime/report/schema";
import { captureIo, DATA, tempDir } from "../helpers";

/** The capture partitions the emulator tests upload, as `key → JSON Lines text`. */
export interface CaptureLayout {
  readonly files: ReadonlyMap<string, string>;
  /** The same files under a local directory, sorted as the object listing sorts them. */
  readonly localPaths: string[];
}

/**
 * Splits current-drift.jsonl into four parts in two hour partitions, as a serving capture leaves
 * them, and writes the same parts locally, so a run over objects can be compared with a run over
 * files.
 */
export function captureLayout(): CaptureLayout {
  const lines = readFileSync(join(DATA, "current-drift.jsonl"), "utf8").trimEnd().split("\n");
  const quarter = Math.ceil(lines.length / 4);
  const keys = [
    "capture/2026/12/03/09/part-0.jsonl",
    "capture/2026/12/03/09/part-1.jsonl",
    "capture/2026/12/03/10/part-0.jsonl",
    "capture/2026/12/03/10/part-1.jsonl",
  ];
  const files = new Map(
    keys.map((key, i) => [key, `${lines.slice(i * quarter, (i + 1) * quarter).join("\n")}\n`]),
  );
  const dir = tempDir("mlops-capture-");
  const localPaths = keys.map((key) => {
    const path = join(dir, key);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, files.get(key) as string);
    return path;
  });
  return { files, localPaths };
}

export const REFERENCE_CSV = (): string => readFileSync(join(DATA, "reference.csv"), "utf8");

/** Runs `mlops drift` in-process; returns its exit code, stderr and the JSON report on stdout. */
export async function drift(
  reference: string,
  current: string | string[],
  extra: { json?: string } = {},
): Promise<{ code: number; err: string; report?: DriftReport }> {
  const io = captureIo();
  const code = await runDriftCommand({ reference, current, json: extra.json ?? "-", quiet: true }, io);
  const out = io.out();
  return { code, err: io.err(), report: out === "" ? undefined : (JSON.parse(out) as DriftReport) };
}

/** A report without what names its inputs or its time: what must match between stores. */
export function verdictOf(report: DriftReport | undefined): unknown {
  if (report === undefined) return undefined;
  const { generatedAt: _time, reference, current, ...rest } = report as DriftReport & Record<string, unknown>;
  return {
    ...rest,
    reference: { ...reference, source: undefined },
    current: { ...current, source: undefined },
  };
}
