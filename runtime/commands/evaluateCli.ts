import { type Command, InvalidArgumentError, Option } from "commander";
import { EXIT_EVALUATE_ERROR, EXIT_GATE_FAILED, EXIT_PASS, runEvaluateCommand } from "./evaluate";

const EVALUATE_HELP = `
The holdout: CSV, JSON Lines or Parquet. The model's inputs, outputs, types and shapes come from its
metadata: one [batch, k] input is filled by the feature columns (default: every column but the
label and the protected attribute, in file order); a model with several inputs takes each from
the column of the same name. Outputs understood: one column (P(class 1), or a regression value),
one probability column per class, and sklearn-onnx's label + probabilities (a tensor, or a ZipMap
probability map, read through its input tensor).

Gates file (YAML or JSON, unknown keys refused):
  metrics:   {rocAuc: {min: 0.8}, logLoss: {max: 0.5}}
  champion:  {metric: rocAuc, margin: 0, maxRegression: {f1: 0.01}, resamples: 1000, confidence: 0.95, seed: 42}
  fairness:  {privileged: "m", disparateImpact: {min: 0.8, max: 1.25}, statisticalParityDifference: {maxAbs: 0.1},
              equalOpportunityDifference: {maxAbs: 0.1}, averageOddsDifference: {maxAbs: 0.1}}
  latency:   {p95BatchMs: 50}
  threshold: 0.5
With --protected, disparate impact ≥ 0.8 (the four-fifths rule) applies unless the file sets it.

Exit codes:
  ${EXIT_PASS}  every gate passed
  ${EXIT_GATE_FAILED}  a gate failed (each is named on stderr and in the reports, with its value and limit)
  ${EXIT_EVALUATE_ERROR}  error: bad input or a report that could not be written; no report is written

Example:
  mlops evaluate --model candidate.onnx --champion champion.onnx --data holdout.parquet --label churned \\
    --protected gender --gates gates.yaml --json report.json --html report.html`;

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`needs a positive integer, got "${value}".`);
  return n;
}

/** Mounts `mlops evaluate` on the runtime's commander program. */
export function registerEvaluateCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command("evaluate")
    .description(
      "score a holdout with an ONNX model and decide whether it may be promoted (metrics, champion, fairness gates)",
    )
    .requiredOption("--model <onnx>", "the candidate model (.onnx)")
    .requiredOption("--data <file>", "the labelled holdout (.csv, .jsonl, .parquet)")
    .requiredOption("--label <column>", "the column holding the true label or target")
    .option(
      "--features <names>",
      "feature columns in the model's input order, comma-separated",
      (v: string) =>
        v
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== ""),
    )
    .option("--champion <onnx>", "the model in production, which the candidate must beat")
    .option("--gates <file>", "the gates (YAML or JSON)")
    .option("--protected <column>", "the protected attribute for the fairness metrics")
    .option("--json <file>", "write the JSON report (- for stdout)")
    .option("--html <file>", "write the self-contained HTML report")
    .addOption(
      new Option("--format <format>", "holdout format (default: from the extension)").choices([
        "csv",
        "jsonl",
        "parquet",
      ]),
    )
    .addOption(
      new Option("--task <task>", "default: inferred from the output and the labels").choices([
        "classification",
        "regression",
      ]),
    )
    .option("--batch-size <rows>", "rows per inference batch", positiveInteger, 8192)
    .option("-q, --quiet", "no summary on stderr")
    .addHelpText("after", EVALUATE_HELP)
    .action(async (opts) => {
      setExit(
        await runEvaluateCommand(
          {
            model: opts.model,
            data: opts.data,
            label: opts.label,
            features: opts.features,
            champion: opts.champion,
            gates: opts.gates,
            protected: opts.protected,
            json: opts.json,
            html: opts.html,
            format: opts.format,
            task: opts.task,
            batchSize: opts.batchSize,
            quiet: opts.quiet,
          },
          { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
        ),
      );
    });
}
