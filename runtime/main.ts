#!/usr/bin/env node
/**
 * Container entrypoint of the runtime image: the runtime's commands only, no Pulumi. Beside
 * `profile`, `profile merge` and `drift` (runtime/cli.ts) it mounts the commands the platform's
 * workloads run from the same image: `monitor-run` (the monitoring CronJob), `trigger` (retraining)
 * and `capture` (the serving sidecar). Usage errors exit 1 as every other error does, so the exit
 * code keeps the 0 / 2 / 1 contract.
 */
import { Command } from "commander";
import { registerCaptureCommand } from "./capture/command";
import { registerRuntimeCommands } from "./cli";
import { registerMonitorRunCommand } from "./jobs";
import { registerTriggerCommand } from "./trigger";

const program = new Command("mlops")
  .description(
    "pulumi-mlops runtime: reference profiles, drift / data-quality checks, monitoring jobs and capture",
  )
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : 1);
  })
  .showHelpAfterError();
registerRuntimeCommands(program);
registerMonitorRunCommand(program);
registerTriggerCommand(program);
registerCaptureCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`mlops: error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
