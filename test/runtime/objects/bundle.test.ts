import { spawn } from "node:child_process";
import { copyFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entrypointBundle, tempDir } from "../helpers";
import { captureLayout, REFERENCE_CSV } from "./scenario";
import { type Emulator, s3Env, startS3rver } from "./servers";

let server: Emulator;
let client: S3Client;
/** The bundle alone in an empty directory: no node_modules anywhere above it to fall back on. */
let dir: string;

beforeAll(async () => {
  server = await startS3rver(["data"]);
  client = new S3Client({
    region: "us-east-1",
    endpoint: server.url,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  await client.send(new PutObjectCommand({ Bucket: "data", Key: "reference.csv", Body: REFERENCE_CSV() }));
  for (const [Key, Body] of captureLayout().files)
    await client.send(new PutObjectCommand({ Bucket: "data", Key, Body }));
  dir = tempDir("mlops-image-");
  copyFileSync(entrypointBundle(), join(dir, "mlops-runtime.cjs"));
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await server?.close();
});

/** Runs the bundle asynchronously: s3rver answers from this same process, so it must not block. */
function runBundle(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ["--max-semi-space-size=64", join(dir, "mlops-runtime.cjs"), ...args],
    {
      cwd: dir,
      // What the image sets, and nothing from the test's own environment (no NODE_PATH, no keys).
      env: { PATH: process.env.PATH, HOME: dir, NODE_ENV: "production", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("the job image's bundle, with only the runtime's dependencies", () => {
  it("is one file that prints mlops drift --help", async () => {
    expect(readdirSync(dir)).toEqual(["mlops-runtime.cjs"]);
    const help = await runBundle(["drift", "--help"]);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain("Usage: mlops drift");
    expect(help.stdout).toContain("s3://bucket/key");
  });

  it("reads objects from the S3 emulator and writes its report there", async () => {
    const run = await runBundle(
      [
        "drift",
        "--reference",
        "s3://data/reference.csv",
        "--current",
        "s3://data/capture/**/*.jsonl",
        "--json",
        "s3://data/reports/from-bundle.json",
        "--quiet",
      ],
      s3Env(server.url),
    );
    expect(run.status, run.stderr).toBe(2);
    const object = await client.send(
      new GetObjectCommand({ Bucket: "data", Key: "reports/from-bundle.json" }),
    );
    const report = JSON.parse((await object.Body?.transformToString()) as string);
    expect(report.summary.verdict).toBe("drift");
    expect(report.reference.source).toBe("s3://data/reference.csv");
  });
});
