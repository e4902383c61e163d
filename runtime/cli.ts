import { type Command, InvalidArgumentError, Option } from "commander";
import { registerAbtestCommand } from "./commands/abtestCli";
import { runConceptDriftCommand } from "./commands/conceptDrift";
import { EXIT_DRIFT, EXIT_ERROR, EXIT_NO_DRIFT, runDriftCommand } from "./commands/drift";
import { registerEvaluateCommand } from "./commands/evaluateCli";
import { runProfileCommand, runProfileMergeCommand } from "./commands/profile";

const collect = (value: string, previous: string[] = []) => [...previous, value];

function positiveInteger(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} needs a positive integer, got "${value}".`);
    return n;
  };
}

const formatOption = () =>
  new Option(
    "--format <format>",
    "input format (default: from the file extension; required for stdin)",
  ).choices(["csv", "jsonl", "parquet"]);
const nonFiniteOption = () =>
  new Option(
    "--non-finite <policy>",
    "NaN and ±Infinity: error marks the column errored, missing counts them as missing",
  )
    .choices(["error", "missing"])
    .default("error");

const DRIFT_HELP = `
Inputs: CSV, JSON Lines or Parquet files, or - for stdin (with --format). --reference may also be a
profile (.json) written by \`mlops profile\`; drift is then computed from its sketches, and each
result carries the sketch's error bound. --current may be one profile of the current window (the
merged shard profiles of a sharded run): numeric columns are then compared sketch to sketch, with
both error bounds added, and categorical columns by their exact counts.

Object storage: every input, profile and output may be s3://bucket/key, gs://bucket/key,
az://container/path or abfss://container@account.dfs.core.windows.net/path. An input may be a
prefix ending in / or a glob (quote it: 's3://b/capture/2026/12/03/**/*.jsonl'); one that matches
nothing is an error. Objects are streamed; outputs are written in one request, whole or not at all.
Credentials: each cloud's default chain; endpoints: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL
(path-style), STORAGE_EMULATOR_HOST, AZURE_STORAGE_CONNECTION_STRING.

Exit codes (as terraform plan -detailed-exitcode):
  ${EXIT_NO_DRIFT}  no drift
  ${EXIT_DRIFT}  drift: the share of drifted columns reached the dataset threshold
  ${EXIT_ERROR}  error: bad input, a column whose drift could not be computed, or an output that
     could not be written. On a fatal error no report is written.

Examples:
  mlops drift --reference train.parquet --current today.csv --json report.json --html report.html
  mlops drift --reference ref-profile.json --current - --format jsonl --emf
  mlops drift --reference train.csv --current live.csv --columns age,income,plan:categorical \\
    --prediction score --prometheus http://pushgateway:9091`;

/**
 * Mounts the runtime's subcommands (`profile`, `profile merge`, `drift`) on a commander program.
 * The top-level `mlops` CLI and the container entrypoint (`runtime/main.ts`) both call this, so
 * the job behaves the same in a laptop shell and on a cluster. Actions set `process.exitCode`
 * rather than exiting, so a host program can run several commands.
 */
export function registerRuntimeCommands(
  program: Command,
  options: {
    /**
     * Receives each command's exit code (0 no drift, 2 drift, 1 error).
     * @default sets process.exitCode
     */
    setExit?: (code: number) => void;
  } = {},
): Command {
  const setExit =
    options.setExit ??
    ((code: number) => {
      process.exitCode = code;
    });
  // `profile` and `profile merge` both take -o/--output. Commander hands options after a subcommand
  // to that subcommand only when every parent on the way uses positional options, so the host
  // program's own options must come before the subcommand name (as in git, docker, kubectl).
  program.enablePositionalOptions();
  const profile = program
    .command("profile")
    .description("build a mergeable reference profile from training data, once, for later drift runs")
    // `merge` has its own -o/--output: options after the subcommand name belong to it.
    .enablePositionalOptions()
    .argument(
      "[inputs...]",
      "data file(s) or object URIs, prefixes or globs (.csv, .jsonl, .parquet) read in order as one data set, or - for stdin",
    )
    .option(
      "-o, --output <file>",
      "where to write the profile JSON; {shard} is replaced by the shard index",
      "profile.json",
    )
    .option(
      "--columns <names>",
      "columns to profile, comma-separated, each optionally name:numerical|categorical",
      collect,
    )
    .addOption(formatOption())
    .option(
      "--shard <i/n|auto>",
      "profile only shard i of n (rows dealt round-robin; Parquet row groups); auto reads JOB_COMPLETION_INDEX, CLOUD_RUN_TASK_INDEX or AWS_BATCH_JOB_ARRAY_INDEX",
    )
    .option("--kll-k <k>", "KLL sketch size (rank error ≈ 2.3/k^0.97)", positiveInteger("--kll-k"), 400)
    .option(
      "--max-categories <n>",
      "distinct values tracked per column",
      positiveInteger("--max-categories"),
      10_000,
    )
    .addOption(nonFiniteOption())
    .option("-q, --quiet", "no progress bar or summary on stderr")
    .addHelpText(
      "after",
      "\nSharded: run `mlops profile data.parquet --shard auto/8 -o part-{shard}.json` on every task,\nthen `mlops profile merge part-*.json -o profile.json`. Inputs and outputs may be s3://, gs://, az://\nor abfss:// URIs (see `mlops drift --help`); a prefix or glob is dealt to the shards whole object by\nwhole object, in key order.",
    )
    .action(async (inputs: string[], opts) => {
      if (inputs.length === 0) {
        profile.help({ error: true });
      }
      setExit(
        await runProfileCommand(
          {
            input: inputs.length === 1 ? (inputs[0] as string) : inputs,
            output: opts.output,
            columns: opts.columns,
            format: opts.format,
            shard: opts.shard,
            kllK: opts.kllK,
            maxCategories: opts.maxCategories,
            nonFinite: opts.nonFinite,
            quiet: opts.quiet,
          },
          { stdin: process.stdin, stderr: process.stderr },
        ),
      );
    });

  profile
    .command("merge")
    .description("join shard profiles (from --shard) into the profile of the whole data set")
    .argument("<profiles...>", "profile JSON files")
    .requiredOption("-o, --output <file>", "where to write the merged profile")
    .option("--allow-partial", "merge even when shards are missing or from different runs")
    .option("-q, --quiet", "no summary on stderr")
    .action(async (inputs: string[], opts) => {
      setExit(
        await runProfileMergeCommand(
          { inputs, output: opts.output, allowPartial: opts.allowPartial, quiet: opts.quiet },
          { stderr: process.stderr },
        ),
      );
    });

  program
    .command("drift")
    .description(
      "compare current data with the reference: per-column drift, data quality, reports and metrics",
    )
    .option(
      "--reference <file>",
      "reference data file or profile (.json); - for stdin (required without --labels)",
    )
    .requiredOption(
      "--current <files...>",
      "current data file(s), read in order as one data set, or one profile (.json); - for stdin",
    )
    .option(
      "--columns <names>",
      "columns to compare, comma-separated, each optionally name:numerical|categorical (default: all reference columns, kinds inferred)",
      collect,
    )
    .option("--prediction <column>", "column holding the model's prediction (reported with role prediction)")
    .option("--target <column>", "column holding the ground truth (reported with role target)")
    .option(
      "--labels <column>",
      "concept drift instead: run ADWIN, DDM, EDDM and Page-Hinkley over the errors of --prediction (default __prediction) against this label column, in the order of --current",
    )
    .option(
      "--timestamp <column>",
      "with --labels: the rows must be in this column's order (default __ts when present)",
    )
    .option(
      "--classes <list>",
      "with --labels: the classes a label may take (default: the predicted classes)",
    )
    .option(
      "--model <onnx>",
      "score both sides with this ONNX model and compare its predictions as the prediction column (named by --prediction, default prediction)",
    )
    .option(
      "--model-features <names>",
      "the model's feature columns in input order, comma-separated (default: every column but --target)",
    )
    .addOption(formatOption())
    .option("--json <file>", "write the JSON report (- for stdout)")
    .option("--html <file>", "write the self-contained HTML report")
    .option("--prometheus <file|url>", "write Prometheus text to a file, or PUT it to a Pushgateway URL")
    .option("--emf", "print CloudWatch embedded-metric-format lines on stdout")
    .option("--config <file>", "thresholds and methods (YAML or JSON: keys drift and quality)")
    .option("--max-categories <n>", "distinct values tracked per column", positiveInteger("--max-categories"))
    .addOption(nonFiniteOption())
    .addOption(
      new Option(
        "--capture-format <format>",
        "read --current as a serving capture (see runtime/README.md)",
      ).choices(["sagemaker", "azureml", "sidecar"]),
    )
    .option(
      "--capture-columns <names>",
      "names of a headerless CSV capture payload's fields, comma-separated",
    )
    .option("--since <time>", "capture window start: ISO 8601 time, or a duration before now (24h, 90m, 7d)")
    .option("--until <time>", "capture window end (exclusive): ISO 8601 time, or a duration before now")
    .option("--skip-bad-records", "skip and count truncated or malformed capture lines instead of failing")
    .option("-q, --quiet", "no progress bar or summary on stderr")
    .addHelpText("after", DRIFT_HELP)
    .action(async (opts) => {
      if (opts.labels !== undefined && opts.reference !== undefined) {
        process.stderr.write(
          "mlops drift: error: --labels runs concept drift over --current alone; run data drift (--reference) as its own command\n",
        );
        setExit(EXIT_ERROR);
        return;
      }
      if (opts.labels !== undefined) {
        setExit(await runConceptDriftCommand({ ...opts, current: opts.current }));
        return;
      }
      if (opts.reference === undefined) {
        process.stderr.write("mlops drift: error: --reference is required (or --labels for concept drift)\n");
        setExit(EXIT_ERROR);
        return;
      }
      setExit(
        await runDriftCommand({
          reference: opts.reference,
          current: opts.current.length === 1 ? opts.current[0] : opts.current,
          columns: opts.columns,
          format: opts.format,
          prediction: opts.prediction,
          target: opts.target,
          json: opts.json,
          html: opts.html,
          prometheus: opts.prometheus,
          emf: opts.emf,
          config: opts.config,
          quiet: opts.quiet,
          nonFinite: opts.nonFinite,
          maxCategories: opts.maxCategories,
          model: opts.model,
          modelFeatures: opts.modelFeatures?.split(",").map((name: string) => name.trim()),
          captureFormat: opts.captureFormat,
          captureColumns: opts.captureColumns?.split(","),
          since: opts.since,
          until: opts.until,
          skipBadRecords: opts.skipBadRecords,
        }),
      );
    });
  registerEvaluateCommand(program, setExit);
  registerAbtestCommand(program, setExit);
  return program;
}
