#!/usr/bin/env node
/**
 * Container entrypoint of the drift/profile job: only the runtime's own commands, no Pulumi. Usage
 * errors exit 1 as every other error does, so the exit code keeps the 0 / 2 / 1 contract.
 */
import { Command } from "commander";
import { registerRuntimeCommands } from "./cli";

const program = new Command("mlops")
  .description("pulumi-mlops runtime: reference profiles and drift / data-quality checks")
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : 1);
  })
  .showHelpAfterError();
registerRuntimeCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`mlops: error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
