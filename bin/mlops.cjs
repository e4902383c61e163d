#!/usr/bin/env node
// Entry point of the `mlops` command. The library and the programs it previews are TypeScript, so
// tsx's CommonJS loader is registered first, as Pulumi's Node host registers ts-node.
require("tsx/cjs/api").register();
const cli = require("../cli/mlops.ts");
cli.main(process.argv).then((code) => {
  process.exitCode = code;
  // preview and check are done: what is left pending is the program's own and must not hold the exit.
  if (cli.exitsWhenDone(process.argv)) process.exit(code);
});
