import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { RuntimeInputError } from "../errors";
import { partitionHour } from "../io/capture/window";
import { isObjectUri, listObjects } from "../io/objects";

const HOUR_MS = 3_600_000;

/** One captured file in the window. */
export interface WindowFile {
  /** Absolute path. */
  path: string;
  /** Size in bytes, for balancing shards. */
  bytes: number;
}

/**
 * Parses a window length such as `1h`, `90m`, `24h` or `7d` into milliseconds. Only whole hours
 * select partitions, so shorter or fractional windows are refused rather than silently rounded.
 */
export function parseSince(value: string): number {
  const match = /^(\d+)(m|h|d)$/.exec(value.trim());
  const fix = "Write a whole number of hours as e.g. 1h, 24h, 120m or 7d";
  if (!match)
    throw new RuntimeInputError({ source: "--since", problem: `"${value}" is not a duration`, fix });
  const ms = Number(match[1]) * { m: 60_000, h: HOUR_MS, d: 24 * HOUR_MS }[match[2] as "m" | "h" | "d"];
  if (ms === 0 || ms % HOUR_MS !== 0) {
    throw new RuntimeInputError({
      source: "--since",
      problem: `"${value}" is not a positive whole number of hours (captures are partitioned by hour)`,
      fix,
    });
  }
  return ms;
}

/**
 * The hour partitions a run compares: the last `since` of *completed* hours before `now`. The hour
 * in progress is left out because the serving pods are still appending to it; a run at 10:00 or
 * 10:40 with `since` 1h reads the 09:00 partition.
 */
export function windowHours(now: Date, sinceMs: number): { from: number; to: number } {
  const to = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  return { from: to - sinceMs, to };
}

async function subdirectories(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * The captured `.jsonl` objects of the window below an object-storage prefix: any layout whose last
 * `YYYY/MM/DD/HH/` partition is in the window (the sidecar's `<variant>/…`, SageMaker's
 * `<variant>/…` below the endpoint, Azure ML's `<deployment>/<collection>/…`), sorted by URI.
 */
async function listWindowObjects(
  prefix: string,
  window: { from: number; to: number },
): Promise<WindowFile[]> {
  return (await listObjects(prefix))
    .filter((object) => object.uri.endsWith(".jsonl"))
    .filter((object) => {
      const hour = partitionHour(object.uri);
      return hour !== undefined && hour >= window.from && hour < window.to;
    })
    .map((object) => ({ path: object.uri, bytes: object.bytes }));
}

/**
 * Lists the captured JSON Lines files of the window under an endpoint's capture directory, laid out
 * by the capture sidecar as `<variant>/YYYY/MM/DD/HH/*.jsonl` (UTC). Directories that are not a
 * valid date are ignored; the result is sorted by path, so every pod of a run sees the same order.
 * An object-storage prefix (s3://, gs://, az://, abfss://) is listed instead of a directory.
 */
export async function listWindowFiles(
  captureDir: string,
  window: { from: number; to: number },
): Promise<WindowFile[]> {
  if (isObjectUri(captureDir)) return listWindowObjects(captureDir, window);
  try {
    const info = await stat(captureDir);
    if (!info.isDirectory()) throw new Error("not a directory");
  } catch (error) {
    throw new RuntimeInputError({
      source: captureDir,
      problem: `cannot read the capture directory (${error instanceof Error ? error.message : String(error)})`,
      fix: "Check the capture volume is mounted and --capture-dir names the endpoint's directory in it",
    });
  }
  const files: WindowFile[] = [];
  for (const variant of await subdirectories(captureDir)) {
    for (const year of await subdirectories(join(captureDir, variant))) {
      if (!/^\d{4}$/.test(year)) continue;
      for (const month of await subdirectories(join(captureDir, variant, year))) {
        if (!/^\d{2}$/.test(month)) continue;
        for (const day of await subdirectories(join(captureDir, variant, year, month))) {
          if (!/^\d{2}$/.test(day)) continue;
          for (const hour of await subdirectories(join(captureDir, variant, year, month, day))) {
            if (!/^\d{2}$/.test(hour)) continue;
            const start = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour));
            if (Number.isNaN(start) || start < window.from || start >= window.to) continue;
            const dir = join(captureDir, variant, year, month, day, hour);
            for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
              a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
            )) {
              if (!entry.isFile() || !entry.name.endsWith(".jsonl")) continue;
              const path = join(dir, entry.name);
              files.push({ path, bytes: (await stat(path)).size });
            }
          }
        }
      }
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Deals files to `count` shards so their byte totals are close: largest file first, each to the
 * lightest shard so far (ties to the lowest index). Deterministic for a given listing.
 */
export function assignShards(files: readonly WindowFile[], count: number): WindowFile[][] {
  const shards: WindowFile[][] = Array.from({ length: count }, () => []);
  const load = new Array<number>(count).fill(0);
  const order = [...files].sort(
    (a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  for (const file of order) {
    let lightest = 0;
    for (let i = 1; i < count; i++) if (load[i]! < load[lightest]!) lightest = i;
    shards[lightest]!.push(file);
    load[lightest]! += file.bytes;
  }
  for (const shard of shards) shard.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return shards;
}
