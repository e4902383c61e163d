import { RuntimeInputError } from "../errors";
import type { Shard } from "../io/types";

/**
 * Environment variables that carry the task index on each cloud's parallel job engine, in the order
 * they are tried by `--shard auto`.
 */
export const SHARD_INDEX_VARIABLES = [
  "JOB_COMPLETION_INDEX", // Kubernetes Indexed Job
  "CLOUD_RUN_TASK_INDEX", // Cloud Run job task
  "AWS_BATCH_JOB_ARRAY_INDEX", // AWS Batch array job
] as const;

/** Variables that carry the task count. Only Cloud Run sets one; elsewhere pass n or MLOPS_SHARD_COUNT. */
export const SHARD_COUNT_VARIABLES = ["CLOUD_RUN_TASK_COUNT", "MLOPS_SHARD_COUNT"] as const;

/**
 * Parses `--shard`: `i/n` (zero-based i), `auto` (index and count from the environment) or `auto/n`
 * (index from the environment, count given, for Indexed Jobs and Batch array jobs, which do not
 * export their size).
 */
export function parseShard(value: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const fix =
    "Write --shard i/n with 0 <= i < n, or --shard auto (reads JOB_COMPLETION_INDEX, CLOUD_RUN_TASK_INDEX or AWS_BATCH_JOB_ARRAY_INDEX, and CLOUD_RUN_TASK_COUNT or MLOPS_SHARD_COUNT)";
  const match = /^(auto|\d+)(?:\/(\d+))?$/.exec(value.trim());
  if (match === null) {
    throw new RuntimeInputError({ source: "--shard", problem: `"${value}" is not a shard`, fix });
  }
  let index: number;
  let count: number | undefined = match[2] === undefined ? undefined : Number(match[2]);
  if (match[1] === "auto") {
    const indexVariable = SHARD_INDEX_VARIABLES.find((name) => env[name] !== undefined && env[name] !== "");
    if (indexVariable === undefined) {
      throw new RuntimeInputError({
        source: "--shard",
        problem: "auto found no task index in the environment",
        fix,
      });
    }
    index = Number(env[indexVariable]);
    if (count === undefined) {
      const countVariable = SHARD_COUNT_VARIABLES.find((name) => env[name] !== undefined && env[name] !== "");
      if (countVariable === undefined) {
        throw new RuntimeInputError({
          source: "--shard",
          problem: `auto found the index in ${indexVariable} but no shard count`,
          fix: "Write --shard auto/n, or set MLOPS_SHARD_COUNT to the number of tasks",
        });
      }
      count = Number(env[countVariable]);
    }
  } else {
    index = Number(match[1]);
    if (count === undefined) {
      throw new RuntimeInputError({ source: "--shard", problem: `"${value}" has no shard count`, fix });
    }
  }
  if (!Number.isInteger(index) || !Number.isInteger(count) || count < 1 || index < 0 || index >= count) {
    throw new RuntimeInputError({
      source: "--shard",
      problem: `shard ${index}/${count} is out of range`,
      fix,
    });
  }
  return { index, count };
}
