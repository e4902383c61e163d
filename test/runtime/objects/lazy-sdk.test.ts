import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DATA, REPO, tempDir } from "../helpers";

/** A preload that records which cloud SDK packages the process required. */
const hook = join(tempDir("mlops-lazy-"), "sdk-hook.cjs");
writeFileSync(
  hook,
  `const Module = require("node:module");
const load = Module._load;
const seen = new Set();
Module._load = function (request, ...rest) {
  if (/^@(aws-sdk|google-cloud|azure)\\//.test(request)) seen.add(request.split("/").slice(0, 2).join("/"));
  return load.call(this, request, ...rest);
};
process.on("exit", () => process.stderr.write("SDKS=" + [...seen].sort().join(",") + "\\n"));
`,
);

function mlops(args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--require", hook, join(REPO, "bin/mlops.cjs"), ...args], {
    cwd: REPO,
    env: {
      ...process.env,
      NO_PROGRESS: "1",
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9",
      AWS_MAX_ATTEMPTS: "1",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  return new Promise((resolve) => child.once("close", (status) => resolve({ status, stderr })));
}

describe("the cloud SDKs are loaded only when one of their URIs is used", () => {
  it("a local drift run loads none", async () => {
    const run = await mlops([
      "drift",
      "--reference",
      join(DATA, "reference.csv"),
      "--current",
      join(DATA, "current-same.csv"),
      "-q",
    ]);
    expect(run.status, run.stderr).not.toBe(1);
    expect(run.stderr).toMatch(/^SDKS=$/m);
  });

  it("an s3:// URI loads the AWS SDK and no other", async () => {
    const run = await mlops([
      "drift",
      "--reference",
      "s3://data/reference.csv",
      "--current",
      join(DATA, "current-same.csv"),
      "-q",
    ]);
    expect(run.status).toBe(1);
    const sdks = /^SDKS=(.*)$/m.exec(run.stderr)?.[1]?.split(",") ?? [];
    expect(sdks.length).toBeGreaterThan(0);
    expect(sdks.every((name) => name.startsWith("@aws-sdk/"))).toBe(true);
  });
});
