/**
 * `npm run bench`: the speed and memory targets of the project, measured on this machine.
 * Run one part with `npm run bench -- runtime`, `npm run bench -- check` or `npm run bench -- objects`.
 */
const parts: Record<string, () => Promise<unknown>> = {
  runtime: async () => (await import("./runtime.js")).runRuntimeBench(),
  check: async () => (await import("./check.js")).runCheckBench(),
  evaluate: async () => (await import("./evaluate.js")).runEvaluateBench(),
  objects: async () => (await import("./objects.js")).runObjectsBench(),
};

async function main(): Promise<void> {
  const selected = process.argv.slice(2);
  const names = selected.length > 0 ? selected : Object.keys(parts);
  for (const name of names) {
    const run = parts[name];
    if (!run)
      throw new Error(`unknown benchmark '${name}'. Fix: choose from ${Object.keys(parts).join(", ")}`);
    process.stdout.write(`\n=== ${name} ===\n`);
    await run();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
