import { extname } from "node:path";
import writeFileAtomic from "write-file-atomic";
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
