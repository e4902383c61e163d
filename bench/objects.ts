/**
 * `npm run bench -- objects`: `mlops drift` reading the same CSV reference and JSON Lines capture
 * from local files and from a local S3 emulator (s3rver on loopback), end to end in a child process,
 * so the cost of streaming from object storage shows beside reading files. BENCH_OBJECT_ROWS scales
 * the row count (default 1,000,000 a side). Then the 10M-row memory target for object storage:
 * `mlops profile` over the same BENCH_PROFILE_ROWS-row CSV (default 10,000,000) from a local file and
 * from s3rver, each child's own peak RSS against the < 512 MB target of the stdin profile.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import {
  buildCli,
  generate,
  line,
  PROFILE_ROWS,
  runCli,
  streamRows,
  verdict,
  writeCsv,
  writeJsonLines,
} from "./runtime";

const ROWS = Number(process.env.BENCH_OBJECT_ROWS ?? 1_000_000);
/** The capture is split into this many objects, as hourly capture files are. */
const PARTS = 4;

export async function runObjectsBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mlops-bench-objects-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: join(dir, "s3rver"),
    configureBuckets: [{ name: "bench" }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
  // Checksums only when required: a streamed body is otherwise sent aws-chunked with a trailing
  // checksum, a framing s3rver does not decode (it would store the frames in the object).
  const client = new S3Client({
    region: "us-east-1",
    endpoint,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
  try {
    process.stdout.write(
      `objects bench: ${ROWS.toLocaleString("en")} reference + current rows, local files vs s3rver\n`,
    );
    const reference = generate(ROWS, 1, 0);
    const refCsv = join(dir, "reference.csv");
    await writeCsv(refCsv, reference);
    const parts: string[] = [];
    for (let p = 0; p < PARTS; p++) {
      const path = join(dir, `current-${p}.jsonl`);
      await writeJsonLines(path, generate(Math.ceil(ROWS / PARTS), 2 + p, 0.05));
      parts.push(path);
    }
    const upload = async (Key: string, path: string): Promise<unknown> =>
      client.send(
        new PutObjectCommand({
          Bucket: "bench",
          Key,
          Body: createReadStream(path),
          ContentLength: statSync(path).size,
        }),
      );
    await upload("reference.csv", refCsv);
    for (const [p, path] of parts.entries())
      await upload(`capture/2026/12/03/${String(p).padStart(2, "0")}/part.jsonl`, path);

    const cli = buildCli(dir);
    const local = await runCli(cli, [
      "drift",
      "--reference",
      refCsv,
      "--current",
      ...parts,
      "--json",
      join(dir, "local.json"),
      "-q",
    ]);
    line("mlops drift, local CSV + JSON Lines files", local, `   exit ${local.code}`);
    process.env.AWS_ENDPOINT_URL_S3 = endpoint;
    process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    process.env.AWS_REGION = "us-east-1";
    const remote = await runCli(cli, [
      "drift",
      "--reference",
      "s3://bench/reference.csv",
      "--current",
      "s3://bench/capture/**/*.jsonl",
      "--json",
      "s3://bench/reports/run.json",
      "-q",
    ]);
    line("mlops drift, the same objects from s3rver", remote, `   exit ${remote.code}`);
    process.stdout.write(
      `  object storage / local: ${(remote.seconds / local.seconds).toFixed(2)}x wall, ${(remote.cpuSeconds / local.cpuSeconds).toFixed(2)}x CPU\n`,
    );
    await profileMemory(cli, dir, upload);
  } finally {
    client.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The streaming-profile memory target (peak RSS < 512 MB over 10M rows) read from object storage:
 * one generated CSV is profiled from the local file and from s3rver (AWS_* already point at it),
 * each in its own child whose peak RSS is its VmHWM, as the runtime bench measures the stdin run.
 */
async function profileMemory(
  cli: { bundle: string; preload: string },
  dir: string,
  upload: (key: string, path: string) => Promise<unknown>,
): Promise<void> {
  process.stdout.write(
    `profile memory: ${PROFILE_ROWS.toLocaleString("en")} CSV rows, local file vs s3rver\n`,
  );
  const path = join(dir, "profile-rows.csv");
  const out = createWriteStream(path);
  await streamRows(out, PROFILE_ROWS);
  await new Promise<void>((resolve, reject) => {
    out.once("error", reject);
    out.end(() => resolve());
  });
  await upload("profile/rows.csv", path);
  const runs = [
    ["local file", path],
    ["from s3rver", "s3://bench/profile/rows.csv"],
  ] as const;
  for (const [label, input] of runs) {
    const run = await runCli(cli, ["profile", input, "-o", join(dir, "rows-profile.json"), "-q"]);
    line(`mlops profile, ${PROFILE_ROWS.toLocaleString("en")} rows, ${label}`, run, `   exit ${run.code}`);
    process.stdout.write(
      `  peak RSS ${run.peakRssMb.toFixed(0)} MB (target < 512 MB): ${verdict(run.peakRssMb < 512)}\n`,
    );
  }
  rmSync(path, { force: true });
}
