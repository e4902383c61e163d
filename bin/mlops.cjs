#!/usr/bin/env node
// Entry point of the `mlops` command. The library and the programs it previews are TypeScript, so
// tsx's CommonJS loader is registered first, as Pulumi's Node host registers ts-node.
require("tsx/cjs/api").register();
require("../cli/mlops.ts")
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
