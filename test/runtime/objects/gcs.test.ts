import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetStores } from "../../../runtime/io/objects/store";
import { type GcsTestServer, startGcsServer } from "./gcsServer";
import { captureLayout, drift, REFERENCE_CSV, verdictOf } from "./scenario";

let server: GcsTestServer;
const layout = captureLayout();
const saved = { ...process.env };

beforeAll(async () => {
  server = await startGcsServer();
  const bucket = new Map<string, Buffer>([["reference.csv", Buffer.from(REFERENCE_CSV())]]);
  for (const [key, text] of layout.files) bucket.set(key, Buffer.from(text));
  bucket.set("capture/2026/12/03/09/_manifest.txt", Buffer.from("not data\n"));
  server.buckets.set("data", bucket);
}, 120_000);

afterAll(async () => {
  await server?.close();
  process.env = saved;
});

beforeEach(() => {
  process.env.STORAGE_EMULATOR_HOST = server.url;
  resetStores();
});

describe("mlops drift against the Cloud Storage JSON API", () => {
  it("reads gs:// URIs (listing page by page) with the report the local files give", async () => {
    const local = await drift("test/runtime/data/reference.csv", layout.localPaths);
    const remote = await drift("gs://data/reference.csv", ["gs://data/capture/**/*.jsonl"]);
    expect(remote.code, remote.err).toBe(2);
    expect(verdictOf(remote.report)).toEqual(verdictOf(local.report));
    // The server pages listings by two: the glob's listing followed the page tokens.
    expect(server.requests.filter((r) => r === "GET /b/data/o").length).toBeGreaterThan(1);
  });

  it("writes the report with a single-request upload", async () => {
    const run = await drift("gs://data/reference.csv", "gs://data/capture/**/*.jsonl", {
      json: "gs://data/reports/run-1.json",
    });
    expect(run.code, run.err).toBe(2);
    const stored = server.buckets.get("data")?.get("reports/run-1.json");
    expect(JSON.parse(stored?.toString("utf8") ?? "{}").summary.verdict).toBe("drift");
    expect(server.requests).toContain("POST /upload/storage/v1/b/data/o");
  });

  it("a missing object and a missing bucket name the URI and the emulator", async () => {
    const object = await drift("gs://data/nope.csv", "gs://data/capture/**/*.jsonl");
    expect(object.code).toBe(1);
    expect(object.err).toContain("gs://data/nope.csv: no such object");
    expect(object.err).toContain(`STORAGE_EMULATOR_HOST=${server.url}`);
    const bucket = await drift("gs://data/reference.csv", "gs://nobucket/x/**/*.jsonl");
    expect(bucket.code).toBe(1);
    expect(bucket.err).toContain("gs://nobucket/x/**/*.jsonl: the bucket or container does not exist");
  });
});
