import { resolve } from "node:path";
import { errorMessage, RuntimeInputError } from "../errors";
import type { DataFormat } from "../io/types";
import { parseColumnSpecs } from "../job/columns";
import { loadProfile, profileData } from "../job/load";
import { parseShard } from "../job/shard";
import type { DatasetProfile } from "../profile/profile";
import type { ProfileSettings } from "../profile/settings";
import { Progress } from "../progress";
import { checkOutputPath, writeReportFile } from "../report/atomic";
import { type CommandIo, EXIT_ERROR } from "./drift";

export interface ProfileCommandOptions {
  /** One data file, `-` for stdin, or several files read in order as one data set. */
  input: string | string[];
  output: string;
  columns?: string[];
  format?: DataFormat;
  shard?: string;
  kllK?: number;
  maxCategories?: number;
  nonFinite?: ProfileSettings["nonFinite"];
  quiet?: boolean;
}

/**
 * `mlops profile`: streams a data file into a reference profile (never holding all rows). With
 * `--shard`, profiles one shard; `{shard}` in the output path becomes the shard index.
 */
export async function runProfileCommand(
  options: ProfileCommandOptions,
  io: Pick<CommandIo, "stdin" | "stderr">,
): Promise<number> {
  try {
    const shard = options.shard === undefined ? undefined : parseShard(options.shard);
    const output = options.output.replaceAll("{shard}", String(shard?.index ?? 0));
    checkOutputPath(output, "--output");
    const specs = options.columns === undefined ? undefined : parseColumnSpecs(options.columns);
    const profile = await profileData(options.input, {
      format: options.format,
      columns: specs?.map((spec) => spec.name),
      declaredKinds: new Map(
        specs?.flatMap((spec) => (spec.kind === undefined ? [] : [[spec.name, spec.kind] as const])),
      ),
      settings: {
        ...(options.kllK === undefined ? {} : { kllK: options.kllK }),
        ...(options.maxCategories === undefined ? {} : { maxCategories: options.maxCategories }),
        ...(options.nonFinite === undefined ? {} : { nonFinite: options.nonFinite }),
      },
      shard,
      stdin: io.stdin,
      progress: new Progress({ quiet: options.quiet }),
      label: "profile",
    });
    if (profile.rowCount === 0 && shard === undefined) {
      throw new RuntimeInputError({
        source: profile.sources.join(", "),
        problem: "the data set is empty (no data rows)",
        fix: "Profile a file with at least one row",
      });
    }
    await writeReportFile(output, `${JSON.stringify(profile.toJSON())}\n`);
    if (!options.quiet)
      io.stderr.write(
        `mlops profile: ${profile.rowCount} rows, ${profile.columns.length} columns → ${output}\n`,
      );
    return 0;
  } catch (error) {
    io.stderr.write(`mlops profile: error: ${errorMessage(error)}\n`);
    return EXIT_ERROR;
  }
}

/**
 * `mlops profile merge`: joins shard profiles into the profile of the whole. Refuses an incomplete
 * or duplicated set of shards unless `allowPartial`, because a silently missing shard would bias
 * every later drift check.
 */
export async function runProfileMergeCommand(
  options: { inputs: string[]; output: string; allowPartial?: boolean; quiet?: boolean },
  io: Pick<CommandIo, "stderr">,
): Promise<number> {
  try {
    checkOutputPath(options.output, "--output");
    const profiles: DatasetProfile[] = [];
    for (const input of options.inputs) profiles.push(await loadProfile(input));
    checkNoRepeats(profiles, options.inputs);
    checkShardSet(profiles, options.inputs, options.allowPartial ?? false);
    const [first, ...rest] = profiles as [DatasetProfile, ...DatasetProfile[]];
    for (const profile of rest) first.merge(profile);
    first.shard = undefined;
    await writeReportFile(options.output, `${JSON.stringify(first.toJSON())}\n`);
    if (!options.quiet)
      io.stderr.write(
        `mlops profile merge: ${profiles.length} profiles, ${first.rowCount} rows → ${options.output}\n`,
      );
    return 0;
  } catch (error) {
    io.stderr.write(`mlops profile merge: error: ${errorMessage(error)}\n`);
    return EXIT_ERROR;
  }
}

/**
 * Refuses a profile given twice, under one path or as a copy (the same sources, shard and counts), even
 * with --allow-partial: merged twice, its rows would count double in every later drift check.
 */
function checkNoRepeats(profiles: DatasetProfile[], names: string[]): void {
  const seen = new Map<string, string>();
  profiles.forEach((profile, i) => {
    const name = names[i] as string;
    for (const key of [`path:${resolve(name)}`, `profile:${JSON.stringify(profile.toJSON())}`]) {
      const other = seen.get(key);
      if (other !== undefined) {
        throw new RuntimeInputError({
          source: name,
          problem: `it is the same profile as ${other}${profile.shard ? ` (shard ${profile.shard.index}/${profile.shard.count})` : ""}, and merging it twice would count its ${profile.rowCount} rows twice`,
          fix: "Pass each shard's profile once",
        });
      }
      seen.set(key, name);
    }
  });
}

function checkShardSet(profiles: DatasetProfile[], names: string[], allowPartial: boolean): void {
  if (profiles.length === 0) {
    throw new RuntimeInputError({
      source: "profile merge",
      problem: "no profiles given",
      fix: "Pass the shard profiles to merge",
    });
  }
  const sharded = profiles.filter((profile) => profile.shard !== undefined);
  if (sharded.length === 0 || allowPartial) return;
  const count = sharded[0]?.shard?.count as number;
  const seen = new Map<number, string>();
  profiles.forEach((profile, i) => {
    const shard = profile.shard;
    const name = names[i] as string;
    if (shard === undefined) return;
    if (shard.count !== count) {
      throw new RuntimeInputError({
        source: name,
        problem: `it is shard ${shard.index}/${shard.count}, but others are of ${count}`,
        fix: "Merge shards of one run only",
      });
    }
    const other = seen.get(shard.index);
    if (other !== undefined) {
      throw new RuntimeInputError({
        source: name,
        problem: `shard ${shard.index}/${count} was already given by ${other}`,
        fix: "Pass each shard once",
      });
    }
    seen.set(shard.index, name);
  });
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new RuntimeInputError({
      source: "profile merge",
      problem: `shard(s) ${missing.join(", ")} of ${count} are missing`,
      fix: "Pass every shard's profile, or --allow-partial to merge what there is",
    });
  }
}
