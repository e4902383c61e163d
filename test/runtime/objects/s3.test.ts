import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runProfileCommand, runProfileMergeCommand } from "../../../runtime/commands/profile";
import { resetStores } from "../../../runtime/io/objects/store";
import { captureIo } from "../helpers";
import { captureLayout, drift, REFERENCE_CSV, verdictOf } from "./scenario";
import { type Emulator, s3Env, startS3rver } from "./servers";

let server: Emulator;
let client: S3Client;
const layout = captureLayout();
const saved = { ...process.env };

beforeAll(async () => {
  server = await startS3rver(["data"]);
  Object.assign(process.env, s3Env(server.url));
  client = new S3Client({ region: "us-east-1", endpoint: server.url, forcePathStyle: true });
  const put = (Key: string, Body: string) => client.send(new PutObjectCommand({ Bucket: "data", Key, Body }));
  await put("reference.csv", REFERENCE_CSV());
  for (const [key, text] of layout.files) await put(key, text);
  // The reference as Parquet, in small row groups, so reading it takes several ranged GETs.
  const rows = REFERENCE_CSV()
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((line) => line.split(","));
  const parquet = parquetWriteBuffer({
    columnData: [
      { name: "age", data: rows.map((r) => Number(r[0])), type: "DOUBLE" },
      { name: "income", data: rows.map((r) => Number(r[1])), type: "DOUBLE" },
      { name: "plan", data: rows.map((r) => r[2] as string), type: "STRING" },
      { name: "score", data: rows.map((r) => Number(r[3])), type: "DOUBLE" },
    ],
    rowGroupSize: 250,
  });
  await client.send(
    new PutObjectCommand({ Bucket: "data", Key: "reference.parquet", Body: Buffer.from(parquet) }),
  );
  // Not matched by the capture glob: another suffix, and a folder marker.
  await put("capture/2026/12/03/09/_manifest.txt", "not data\n");
  await put("capture/2026/12/03/", "");
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await server?.close();
  process.env = saved;
});

beforeEach(() => {
  // The endpoint and credential variables are read when a store is created.
  Object.assign(process.env, s3Env(server.url));
  resetStores();
});

async function objectText(key: string): Promise<string | undefined> {
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: "data", Key: key }));
    return await object.Body?.transformToString();
  } catch (error) {
    if ((error as { name?: string }).name === "NoSuchKey") return undefined;
    throw error;
  }
}

describe("mlops drift against s3rver", () => {
  it("reads the reference and a ** glob of capture objects, with the report the local files give", async () => {
    const local = await drift("test/runtime/data/reference.csv", layout.localPaths);
    const remote = await drift("s3://data/reference.csv", ["s3://data/capture/**/*.jsonl"]);
    expect(local.code).toBe(2);
    expect(remote.code, remote.err).toBe(2);
    expect(remote.report?.current.rowCount).toBe(local.report?.current.rowCount);
    expect(verdictOf(remote.report)).toEqual(verdictOf(local.report));
    expect(remote.report?.current.source).toBe(
      "s3://data/capture/2026/12/03/09/part-0.jsonl and 3 more file(s)",
    );
    expect(remote.report?.current.source).not.toContain("_manifest");
  });

  it("reads a Parquet reference by ranges, with the report the CSV reference gives", async () => {
    const csv = await drift("s3://data/reference.csv", "s3://data/capture/**/*.jsonl");
    const parquet = await drift("s3://data/reference.parquet", "s3://data/capture/**/*.jsonl");
    expect(parquet.code, parquet.err).toBe(csv.code);
    expect(verdictOf(parquet.report)).toEqual(verdictOf(csv.report));
  });

  it("reads every object under a prefix", async () => {
    const remote = await drift("s3://data/reference.csv", ["s3://data/capture/2026/12/03/10/"]);
    const local = await drift("test/runtime/data/reference.csv", layout.localPaths.slice(2));
    expect(remote.code, remote.err).toBe(local.code);
    expect(verdictOf(remote.report)).toEqual(verdictOf(local.report));
  });

  it("writes the report to an object, whole", async () => {
    const run = await drift("s3://data/reference.csv", "s3://data/capture/**/*.jsonl", {
      json: "s3://data/reports/run-1.json",
    });
    expect(run.code, run.err).toBe(2);
    const stored = JSON.parse((await objectText("reports/run-1.json")) as string);
    expect(stored.summary.verdict).toBe("drift");
    expect(stored.current.rowCount).toBeGreaterThan(0);
  });

  it("leaves no object behind when the run fails", async () => {
    const run = await drift("s3://data/reference.csv", "s3://data/capture/2026/12/03/11/missing.jsonl", {
      json: "s3://data/reports/failed.json",
    });
    expect(run.code).toBe(1);
    await expect(
      client.send(new HeadObjectCommand({ Bucket: "data", Key: "reports/failed.json" })),
    ).rejects.toThrow();
  });

  it("writes a profile to an object and compares against it", async () => {
    const io = captureIo();
    const code = await runProfileCommand(
      { input: "s3://data/reference.csv", output: "s3://data/profiles/reference.json", quiet: true },
      io,
    );
    expect(code, io.err()).toBe(0);
    expect(JSON.parse((await objectText("profiles/reference.json")) as string).rowCount).toBeGreaterThan(0);
    const run = await drift("s3://data/profiles/reference.json", "s3://data/capture/**/*.jsonl");
    expect(run.code, run.err).toBe(2);
    expect(run.report?.reference.mode).toBe("sketch");
  });

  it("deals whole objects to shards in a stable order, and the merged shards cover every row", async () => {
    const outputs = [];
    for (const shard of ["0/2", "1/2"]) {
      const io = captureIo();
      const output = `s3://data/profiles/shard-${shard[0]}.json`;
      expect(
        await runProfileCommand({ input: "s3://data/capture/**/*.jsonl", output, shard, quiet: true }, io),
      ).toBe(0);
      outputs.push(output);
    }
    const shards = await Promise.all(
      outputs.map(async (uri) => JSON.parse((await objectText(uri.slice("s3://data/".length))) as string)),
    );
    const sources = shards.map((profile) => profile.sources as string[]);
    expect(sources[0]?.length).toBe(2);
    expect(sources[1]?.length).toBe(2);
    expect(new Set([...(sources[0] ?? []), ...(sources[1] ?? [])]).size).toBe(4);
    const io = captureIo();
    expect(
      await runProfileMergeCommand(
        { inputs: outputs, output: "s3://data/profiles/merged.json", quiet: true },
        io,
      ),
    ).toBe(0);
    const merged = JSON.parse((await objectText("profiles/merged.json")) as string);
    const whole = await drift("s3://data/reference.csv", "s3://data/capture/**/*.jsonl");
    expect(merged.rowCount).toBe(whole.report?.current.rowCount);
  });
});

describe("object storage errors against s3rver", () => {
  it("a glob matching nothing is an error naming it", async () => {
    const run = await drift("s3://data/reference.csv", "s3://data/capture/2030/**/*.jsonl");
    expect(run.code).toBe(1);
    expect(run.err).toContain("s3://data/capture/2030/**/*.jsonl: the pattern matches no object");
  });

  it("a missing object names the URI and the credential source", async () => {
    const run = await drift("s3://data/nope.csv", "s3://data/capture/**/*.jsonl");
    expect(run.code).toBe(1);
    expect(run.err).toContain("s3://data/nope.csv");
    expect(run.err).toContain("no such object");
    expect(run.err).toContain("AWS default credential chain: environment (AWS_ACCESS_KEY_ID)");
  });

  it("a missing bucket is an error naming it", async () => {
    const run = await drift("s3://data/reference.csv", "s3://no-such-bucket/capture/**/*.jsonl");
    expect(run.code).toBe(1);
    expect(run.err).toContain("s3://no-such-bucket/capture/**/*.jsonl");
    expect(run.err).toContain("does not exist");
  });

  it("a missing bucket under a single object says the bucket is missing, not the object", async () => {
    // HeadObject's 404 has no body: s3rver (like S3) names NoSuchBucket only when asked with a body.
    const run = await drift("s3://no-such-bucket/reference.csv", "s3://data/capture/**/*.jsonl");
    expect(run.code).toBe(1);
    expect(run.err).toContain("s3://no-such-bucket/reference.csv: the bucket or container does not exist");
    expect(run.err).not.toContain("no such object");
    expect(run.err).toContain("AWS default credential chain: environment (AWS_ACCESS_KEY_ID)");
  });

  it("missing credentials name the chain that was tried", async () => {
    for (const name of [
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_PROFILE",
      "AWS_WEB_IDENTITY_TOKEN_FILE",
    ])
      delete process.env[name];
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: "/nonexistent/config",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
    });
    try {
      const run = await drift("s3://data/reference.csv", "s3://data/capture/**/*.jsonl");
      expect(run.code).toBe(1);
      expect(run.err).toContain("s3://data/reference.csv: no usable credentials");
      expect(run.err).toContain("instance role (IMDS)");
    } finally {
      delete process.env.AWS_EC2_METADATA_DISABLED;
    }
  });

  it("an unreachable endpoint is not mistaken for a missing object", async () => {
    process.env.AWS_ENDPOINT_URL_S3 = "http://no-such-host.invalid:9000";
    process.env.AWS_MAX_ATTEMPTS = "1";
    try {
      const run = await drift("s3://data/reference.csv", "s3://data/capture/**/*.jsonl");
      expect(run.code).toBe(1);
      expect(run.err).toContain("s3://data/reference.csv: the object store failed");
      expect(run.err).not.toContain("no such object");
    } finally {
      delete process.env.AWS_MAX_ATTEMPTS;
    }
  });

  it("an output naming a prefix is refused", async () => {
    const run = await drift("s3://data/reference.csv", "s3://data/capture/**/*.jsonl", {
      json: "s3://data/reports/",
    });
    expect(run.code).toBe(1);
    expect(run.err).toContain("an output must name one object");
  });
});
