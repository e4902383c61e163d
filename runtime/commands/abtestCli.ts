import { type Command, InvalidArgumentError, Option } from "commander";
import { runAbtestCommand } from "./abtest";

function probability(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n >= 1)
      throw new InvalidArgumentError(`${flag} needs a number between 0 and 1, got "${value}".`);
    return n;
  };
}

function positive(flag: string, integer: boolean) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
      throw new InvalidArgumentError(
        `${flag} needs a positive ${integer ? "whole " : ""}number, got "${value}".`,
      );
    return n;
  };
}

export const ABTEST_HELP = `
Input: one row per request (the capture joined with outcomes by request id) with the variant and the
outcome (0/1 or true/false for conversions, a number for revenue or latency); or, with --count,
aggregate rows: the count column holds observations, the metric column conversions (proportion) or
the mean (continuous, with --std holding the sample standard deviation). Rows of a variant add up.

Checks, in order: the sample-ratio chi-square test of the observed split against --weights (default:
equal); a mismatch (p < 0.0005) blocks every recommendation. Then each challenger against the control:
two-proportion z-test or Welch's t-test, difference with its interval, relative lift, effect size.
--sequential judges by the mixture sequential probability ratio test (Johari et al., "Always Valid
Inference", Operations Research 2022), whose p-value may be read after every request.

Exit codes:
  0  keep or continue
  2  promote a challenger
  1  error: bad input (one variant, a variant without traffic, weights that do not match the
     variants), a sample-ratio mismatch (the reports are written and say why), or an output that
     could not be written

Examples:
  mlops abtest --data outcomes.parquet --variant variant --metric converted --weights champion=90,challenger=10 --html ab.html
  mlops abtest --data daily.csv --variant variant --metric revenue_mean --count users --std revenue_sd --control A
  mlops abtest --data outcomes.jsonl --variant __variant --metric latency_ms --direction lower --sequential --control champion --json -`;

/** Mounts `mlops abtest` on a commander program. */
export function registerAbtestCommand(program: Command, setExit: (code: number) => void): Command {
  return program
    .command("abtest")
    .description("compare model variants: sample-ratio check, z- or Welch t-test or mSPRT, recommendation")
    .requiredOption("--data <file>", "outcomes: CSV, JSON Lines or Parquet; - for stdin (with --format)")
    .requiredOption("--variant <column>", "column naming the variant of each row")
    .requiredOption(
      "--metric <column>",
      "column holding the outcome (or, with --count, conversions or the mean)",
    )
    .addOption(
      new Option(
        "--kind <kind>",
        "test: proportion (z-test) or continuous (Welch); default from the values",
      ).choices(["proportion", "continuous"]),
    )
    .option("--weights <split>", "configured split, e.g. champion=90,challenger=10 (default: equal)")
    .option(
      "--control <variant>",
      "the variant the others are compared with (default: first of --weights, else control or champion)",
    )
    .option("--count <column>", "rows are aggregates: this column holds each row's number of observations")
    .option("--std <column>", "with --count: each aggregate's sample standard deviation (continuous)")
    .addOption(
      new Option("--direction <which>", "which way the metric is better")
        .choices(["higher", "lower"])
        .default("higher"),
    )
    .option(
      "--alpha <alpha>",
      "family-wise significance level (Bonferroni over challengers)",
      probability("--alpha"),
      0.05,
    )
    .option(
      "--min-effect <share>",
      "smallest relative lift worth shipping (decides keep vs continue)",
      probability("--min-effect"),
      0.01,
    )
    .option("--sequential", "judge by the always-valid mSPRT instead of the fixed-horizon test")
    .option(
      "--min-samples <n>",
      "observations per variant before the first sequential look",
      positive("--min-samples", true),
      100,
    )
    .option(
      "--tau <sd>",
      "mSPRT mixing standard deviation in metric units (default: 10% of the control mean)",
      positive("--tau", false),
    )
    .addOption(
      new Option("--format <format>", "input format (default: from the extension)").choices([
        "csv",
        "jsonl",
        "parquet",
      ]),
    )
    .option("--json <file>", "write the JSON report (- for stdout)")
    .option("--html <file>", "write the self-contained HTML report")
    .option("--prometheus <file|url>", "write Prometheus text to a file, or PUT it to a Pushgateway URL")
    .option("--emf", "print CloudWatch embedded-metric-format lines on stdout")
    .option("-q, --quiet", "no summary on stderr")
    .addHelpText("after", ABTEST_HELP)
    .action(async (opts) => {
      setExit(
        await runAbtestCommand({
          data: opts.data,
          format: opts.format,
          variant: opts.variant,
          metric: opts.metric,
          kind: opts.kind,
          count: opts.count,
          std: opts.std,
          weights: opts.weights,
          control: opts.control,
          direction: opts.direction,
          alpha: opts.alpha,
          minimumEffect: opts.minEffect,
          sequential: opts.sequential,
          minSamples: opts.minSamples,
          tau: opts.tau,
          json: opts.json,
          html: opts.html,
          prometheus: opts.prometheus,
          emf: opts.emf,
          quiet: opts.quiet,
        }),
      );
    });
}
