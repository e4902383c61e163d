import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { Readable } from "node:stream";
import type { ColumnKind } from "../drift/types";
import { RuntimeInputError } from "../errors";
import type { CaptureReading } from "../io/capture/read";
import { inWindow, type TimeWindow } from "../io/capture/window";
import { expandObjectUri, isObjectUri, readObjectText } from "../io/objects";
import { openTabular } from "../io/open";
import type { DataFormat, Shard, TabularSource } from "../io/types";
import { assignShards } from "../jobs/window";
import { DatasetProfile } from "../profile/profile";
import type { ProfileSettings } from "../profile/settings";
import type { Progress } from "../progress";

/** True when a path names a stored profile (`.json`) rather than data. */
export function isProfilePath(path: string): boolean {
  return extname(path).toLowerCase() === ".json";
}

/** Reads and validates a stored profile file or object (s3://, gs://, az://, abfss://). */
export async function loadProfile(path: string): Promise<DatasetProfile> {
  let text: string;
  try {
    text = isObjectUri(path) ? await readObjectText(path) : await readFile(path, "utf8");
  } catch (error) {
    throw new RuntimeInputError({
      source: path,
      problem: `cannot read the profile (${error instanceof Error ? error.message : String(error)})`,
      fix: "Check the path",
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RuntimeInputError({
      source: path,
      problem: `the profile is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      fix: "Rebuild it with `mlops profile`",
    });
  }
  return DatasetProfile.fromJSON(json, path);
}

/** A serving capture to read: its format, and the time window its hour partitions must overlap. */
export type CaptureSelection = CaptureReading & {
  /** @default every hour */
  readonly window?: TimeWindow;
};

type Input = { path: string; bytes?: number };

/** The `.jsonl` files below a local capture directory, sorted by path. */
async function localCaptureFiles(dir: string): Promise<Input[]> {
  const names = (await readdir(dir, { recursive: true })).filter((name) => name.endsWith(".jsonl")).sort();
  return Promise.all(
    names.map(async (name) => ({ path: join(dir, name), bytes: (await stat(join(dir, name))).size })),
  );
}

/**
 * The inputs the arguments name, in order: local paths and stdin as given, and each object-storage
 * argument expanded to its objects (one object, or the sorted objects under a prefix or glob). For a
 * capture, a local directory stands for its `.jsonl` files, and only files whose hour partition
 * overlaps the window are kept; a window that keeps nothing is an error.
 */
async function expandInputs(paths: readonly string[], capture?: CaptureSelection): Promise<Input[]> {
  const inputs: Input[] = [];
  for (const path of paths) {
    let found: Input[];
    if (isObjectUri(path)) {
      found = (await expandObjectUri(path)).map((object) => ({ path: object.uri, bytes: object.bytes }));
      if (capture !== undefined) found = found.filter((input) => input.path.endsWith(".jsonl"));
    } else if (
      capture !== undefined &&
      path !== "-" &&
      (await stat(path).catch(() => undefined))?.isDirectory()
    ) {
      found = await localCaptureFiles(path);
    } else {
      found = [{ path }];
    }
    const window = capture?.window;
    if (window !== undefined) found = found.filter((input) => inWindow(input.path, window));
    if (capture !== undefined && found.length === 0) {
      throw new RuntimeInputError({
        source: path,
        problem: "no capture file (.jsonl) lies in the selected time window",
        fix: "Check the capture prefix and --since/--until (hour partitions yyyy/mm/dd/hh, UTC)",
      });
    }
    inputs.push(...found);
  }
  return inputs;
}

/**
 * Streams one data file, or several read in order as one data set, into a profile. Rows are never
 * all held, unless `retainValues` asks for exact drift. Row numbers in messages count across the
 * files in the order given.
 */
export async function profileData(
  path: string | readonly string[],
  options: {
    format?: DataFormat;
    columns?: readonly string[];
    declaredKinds?: ReadonlyMap<string, ColumnKind>;
    retainValues?: boolean;
    settings?: Partial<ProfileSettings>;
    shard?: Shard;
    stdin?: Readable;
    progress?: Progress;
    label?: string;
    /**
     * Adapts each opened source, e.g. to add the model's predictions (`mlops drift --model`); the
     * source is then opened with every column, since the adapter may need more than `columns`.
     * @default the source as read
     */
    adapt?: (source: TabularSource) => TabularSource;
    /** @default not a capture: plain data files */
    capture?: CaptureSelection;
  },
): Promise<DatasetProfile> {
  const paths = typeof path === "string" ? [path] : [...path];
  if (paths.length === 0) {
    throw new RuntimeInputError({
      source: options.label ?? "input",
      problem: "no data file was given",
      fix: "Pass at least one data file",
    });
  }
  const inputs = await expandInputs(paths, options.capture);
  // Objects matched by a prefix or glob are dealt to shards whole (by size, in a stable order), so
  // no shard reads another's bytes; a single file or object is split by rows as before.
  const byObject =
    options.shard !== undefined && inputs.length > 1 && inputs.every((i) => i.bytes !== undefined);
  const mine = byObject
    ? (assignShards(
        inputs.map((i) => ({ path: i.path, bytes: i.bytes as number })),
        (options.shard as Shard).count,
      )[(options.shard as Shard).index] ?? [])
    : inputs;
  const sources = [];
  for (const each of mine) {
    sources.push(
      await openTabular(each.path, {
        format: options.format,
        columns: options.adapt === undefined ? options.columns : undefined,
        shard: byObject ? undefined : options.shard,
        stdin: options.stdin,
        byteSize: each.bytes,
        capture: options.capture,
      }).then(options.adapt ?? ((source) => source)),
    );
  }
  const profile = new DatasetProfile({
    settings: options.settings,
    sources: sources.map((source) => source.name),
    retainValues: options.retainValues,
    declaredKinds: options.declaredKinds,
    shard: options.shard,
  });
  for (const name of options.columns ?? []) profile.ensureColumn(name);
  try {
    let rowsBefore = 0;
    for (const source of sources) {
      const label =
        sources.length === 1 ? (options.label ?? source.name) : `${options.label ?? "input"} ${source.name}`;
      const onBytes = options.progress?.start(label, source.byteSize);
      let rowsInSource = 0;
      for await (const batch of source.batches(onBytes)) {
        const last =
          batch.rowIndices === undefined
            ? batch.rowOffset + batch.length
            : (batch.rowIndices[batch.length - 1] as number) + 1;
        rowsInSource = Math.max(rowsInSource, last);
        profile.addBatch(
          rowsBefore === 0
            ? batch
            : {
                ...batch,
                rowOffset: batch.rowOffset + rowsBefore,
                rowIndices:
                  batch.rowIndices === undefined
                    ? undefined
                    : Array.from(batch.rowIndices, (i) => i + rowsBefore),
              },
        );
      }
      rowsBefore += rowsInSource;
    }
  } finally {
    options.progress?.stop();
  }
  return profile;
}
