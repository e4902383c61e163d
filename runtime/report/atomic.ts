import writeFileAtomic from "write-file-atomic";

/**
 * Writes a report so that readers see either the old file or the complete new one, never a
 * partial file: write-file-atomic writes a temporary file beside the target, fsyncs, then renames.
 */
export async function writeReportFile(path: string, contents: string): Promise<void> {
  await writeFileAtomic(path, contents, { encoding: "utf8" });
}
