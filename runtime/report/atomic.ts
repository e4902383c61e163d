import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { RuntimeInputError } from "../errors";
import { isObjectUri, writeObject } from "../io/objects";

const CONTENT_TYPES: Record<string, string> = {
  ".json": "application/json",
  ".html": "text/html; charset=utf-8",
  ".prom": "text/plain; version=0.0.4",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Writes a report so that readers see either the old file or the complete new one, never a
 * partial file: write-file-atomic writes a temporary file beside the target, fsyncs, then renames.
 * An object-storage URI (s3://, gs://, az://, abfss://) is written in one request, which the stores
 * commit whole or not at all.
 */
export async function writeReportFile(path: string, contents: string): Promise<void> {
  if (isObjectUri(path)) {
    await writeObject(
      path,
      contents,
      CONTENT_TYPES[extname(path).toLowerCase()] ?? "text/plain; charset=utf-8",
    );
    return;
  }
  await writeFileAtomic(path, contents, { encoding: "utf8" });
}

/**
 * Refuses an output path that cannot be written (its directory missing or read-only, or the path a
 * directory), so a run fails before its work rather than after it. `flag` names the option (`--json`).
 */
export function checkOutputPath(path: string, flag: string): void {
  // An object URI has no local directory; writeObject refuses a prefix or pattern, and the store's
  // own errors (missing bucket, denied access) name the URI when the report is written.
  if (isObjectUri(path)) return;
  const fail = (problem: string, fix: string) => {
    throw new RuntimeInputError({ source: `${flag} ${path}`, problem, fix });
  };
  if (existsSync(path) && statSync(path).isDirectory()) {
    fail("the path is a directory", "Give a file name");
  }
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    fail(`the directory ${dir} does not exist`, "Create it first, or write elsewhere");
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    fail(`the directory ${dir} is not writable`, "Write elsewhere, or fix its permissions");
  }
}
