import * as path from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";

/** Exit codes: 0 success, 1 error (bad config, program failure, mandatory policy violation). */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;

const REPO_ROOT = path.resolve(__dirname, "..");

function printError(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`error: ${message}\n`);
}

/** `--timeout <seconds>`: the deadline of each stage of `preview` and `check`. */
function timeoutOption(): Option {
  return new Option(
    "--timeout <seconds>",
    "deadline in seconds of each stage (running the program, each policy call; starting the policy pack gets at least 120); a stage that stalls exits 1 naming it (default: $MLOPS_TIMEOUT, else 300)",
  ).argParser((value: string) => {
    const { parseTimeoutSeconds } = require("../offline/deadline") as typeof import("../offline/deadline");
    try {
      return parseTimeoutSeconds(value, "--timeout");
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  });
}

/** The commands of the job runtime, the same ones the runtime image runs (runtime/main.ts). */
const RUNTIME_COMMANDS = ["profile", "drift", "evaluate", "abtest", "monitor-run", "trigger", "capture"];

/**
 * Builds the `mlops` command tree. Subcommands load their modules lazily, and the runtime's commands
 * are only mounted when one of them (or help) is asked for, so `preview` and `check` do not pay
 * for loading the drift job.
 */
export function buildProgram(setExit: (code: number) => void, options: { runtime?: boolean } = {}): Command {
  const program = new Command("mlops")
    .description(
      "pulumi-mlops: offline preview and policy check of Pulumi programs, and the drift/quality job runtime",
    )
    .showHelpAfterError()
    .exitOverride();

  program
    .command("preview")
    .description(
      "Run a Pulumi TypeScript program offline under mocks (preview mode) and print its resource tree, counts and outputs.",
    )
    .requiredOption("-s, --stack <name>", "stack whose Pulumi.<stack>.yaml config to use")
    .addOption(
      new Option("-p, --program <dir>", "directory holding Pulumi.yaml").default(
        REPO_ROOT,
        "this repository",
      ),
    )
    .option(
      "--json <file>",
      "write the JSON plan (every resource with URN, parent, dependencies, options, inputs); - for stdout",
    )
    .addOption(timeoutOption())
    .action(async (opts: { stack: string; program: string; json?: string; timeout?: number }) => {
      const { preview } = require("../offline/preview") as typeof import("../offline/preview");
      await preview({
        programDir: opts.program,
        stack: opts.stack,
        json: opts.json,
        timeoutSeconds: opts.timeout,
      });
      setExit(EXIT_OK);
    });

  program
    .command("check")
    .description(
      "Run a Pulumi TypeScript program offline and check it against a policy pack over the analyzer protocol, as `pulumi preview --policy-pack` does; exit 1 on a mandatory violation.",
    )
    .requiredOption("-s, --stack <name>", "stack whose Pulumi.<stack>.yaml config to use")
    .addOption(
      new Option("-p, --program <dir>", "directory holding Pulumi.yaml").default(
        REPO_ROOT,
        "this repository",
      ),
    )
    .addOption(
      new Option("--policy-pack <dir>", "directory holding PulumiPolicy.yaml").default(
        path.join(REPO_ROOT, "policies"),
        "<repo>/policies",
      ),
    )
    .option("--policy-pack-config <file>", "JSON policy config, as for `pulumi preview --policy-pack-config`")
    .option("--json <file>", "write the JSON report")
    .option("--sarif <file>", "write a SARIF 2.1.0 log for GitHub code scanning")
    .addOption(timeoutOption())
    .action(
      async (opts: {
        stack: string;
        program: string;
        policyPack: string;
        policyPackConfig?: string;
        json?: string;
        sarif?: string;
        timeout?: number;
      }) => {
        const { check } = require("../offline/check/check") as typeof import("../offline/check/check");
        const { exitCode } = await check({
          programDir: opts.program,
          stack: opts.stack,
          policyPack: opts.policyPack,
          policyPackConfig: opts.policyPackConfig,
          json: opts.json,
          sarif: opts.sarif,
          timeoutSeconds: opts.timeout,
        });
        setExit(exitCode);
      },
    );

  // The job runtime's commands, the same ones the runtime image runs (runtime/main.ts): profile,
  // profile merge and drift (exit 0 no drift, 2 drift, 1 error), monitor-run, trigger and capture.
  if (options.runtime ?? true) {
    const runtime = {
      cli: require("../runtime/cli") as typeof import("../runtime/cli"),
      jobs: require("../runtime/jobs") as typeof import("../runtime/jobs"),
      trigger: require("../runtime/trigger") as typeof import("../runtime/trigger"),
      capture: require("../runtime/capture/command") as typeof import("../runtime/capture/command"),
    };
    runtime.cli.registerRuntimeCommands(program, { setExit });
    runtime.jobs.registerMonitorRunCommand(program);
    runtime.trigger.registerTriggerCommand(program);
    runtime.capture.registerCaptureCommand(program);
  }

  return program;
}

/**
 * True for the commands that are done once {@link main} resolves (`preview`, `check`): whatever is still
 * pending then belongs to the program they ran (a timer, a socket, a promise that never settles), and
 * must not keep the command from exiting.
 */
export function exitsWhenDone(argv: string[]): boolean {
  const command = argv.slice(2).find((arg) => !arg.startsWith("-"));
  return command === "preview" || command === "check";
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let code: number | undefined;
  const command = argv.slice(2).find((arg) => !arg.startsWith("-"));
  const program = buildProgram(
    (c) => {
      code = c;
    },
    { runtime: command === undefined || command === "help" || RUNTIME_COMMANDS.includes(command) },
  );
  try {
    await program.parseAsync(argv);
    // Commands that report through process.exitCode (monitor-run, trigger, capture) keep theirs.
    return code ?? (typeof process.exitCode === "number" ? process.exitCode : EXIT_OK);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    printError(err);
    return EXIT_ERROR;
  }
}
