import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { Readable } from "node:stream";
import type { ColumnKind } from "../drift/types";
import { RuntimeInputError } from "../errors";
import { openTabular } from "../io/open";
import type { DataFormat, Shard } from "../io/types";
import { DatasetProfile } from "../profile/profile";
import type { ProfileSettings } from "../profile/settings";
import type { Progress } from "../progress";

/** True when a path names a stored profile (`.json`) rather than data. */
export function isProfilePath(path: string): boolean {
  return extname(path).toLowerCase() === ".json";
}

/** Reads and validates a stored profile file. */
export async function loadProfile(path: string): Promise<DatasetProfile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
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

/** Streams a data file into a profile. Rows are never all held, unless `retainValues` asks for exact drift. */
export async function profileData(
  path: string,
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
  },
): Promise<DatasetProfile> {
  const source = await openTabular(path, {
    format: options.format,
    columns: options.columns,
    shard: options.shard,
    stdin: options.stdin,
  });
  const onBytes = options.progress?.start(options.label ?? source.name, source.byteSize);
  const profile = new DatasetProfile({
    settings: options.settings,
    sources: [source.name],
    retainValues: options.retainValues,
    declaredKinds: options.declaredKinds,
    shard: options.shard,
  });
  for (const name of options.columns ?? []) profile.ensureColumn(name);
  try {
    await profile.addAll(source.batches(onBytes));
  } finally {
    options.progress?.stop();
  }
  return profile;
}
