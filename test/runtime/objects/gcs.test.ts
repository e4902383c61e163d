import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetStores } from "../../../runtime/io/objects/store";
import { type GcsTestServer, startGcsServer, writeExternalAccountConfig } from "./gcsServer";
import { captureLayout, drift, REFERENCE_CSV, verdictOf } from "./scenario";

let server: GcsTestServer;
const credentialDir = mkdtempSync(join(tmpdir(), "gcs-credentials-"));
/** Credential configurations of a job granted the bucket and of one that is not. */
let jobCredentials: string;
let otherCredentials: string;
const POOL = "principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/test/subject";
const layout = captureLayout();
const saved = { ...process.env };

beforeAll(async () => {
  server = await startGcsServer();
  const bucket = new Map<string, Buffer>([["reference.csv", Buffer.from(REFERENCE_CSV())]]);
  for (const [key, text] of layout.files) bucket.set(key, Buffer.from(text));
  bucket.set("capture/2026/12/03/09/_manifest.txt", Buffer.from("not data\n"));
  server.buckets.set("data", bucket);
  server.identities.set("job-token", `${POOL}/drift-job`);
  server.identities.set("other-token", `${POOL}/other-job`);
  server.grants.set("data", new Set([`${POOL}/drift-job`]));
  jobCredentials = writeExternalAccountConfig(server, credentialDir, "job-token");
  otherCredentials = writeExternalAccountConfig(server, credentialDir, "other-token");
}, 120_000);

afterAll(async () => {
  await server?.close();
  process.env = saved;
  rmSync(credentialDir, { recursive: true, force: true });
});

beforeEach(() => {
  process.env.STORAGE_EMULATOR_HOST = server.url;
  process.env.GOOGLE_APPLICATION_CREDENTIALS = jobCredentials;
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
    expect(object.err).toContain(`GOOGLE_APPLICATION_CREDENTIALS=${jobCredentials}`);
    expect(object.err).toContain(`STORAGE_EMULATOR_HOST=${server.url}`);
    const bucket = await drift("gs://data/reference.csv", "gs://nobucket/x/**/*.jsonl");
    expect(bucket.code).toBe(1);
    expect(bucket.err).toContain("gs://nobucket/x/**/*.jsonl: the bucket or container does not exist");
  });
});

describe("Cloud Storage credentials, checked by the server as the JSON API does", () => {
  it("a principal without a grant on the bucket is denied (403), naming the URI and the credentials", async () => {
    process.env.GOOGLE_APPLICATION_CREDENTIALS = otherCredentials;
    const run = await drift("gs://data/reference.csv", "gs://data/capture/**/*.jsonl");
    expect(run.code).toBe(1);
    expect(run.err).toContain("gs://data/reference.csv: access denied");
    expect(run.err).toContain(`${POOL}/other-job does not have storage.objects.get access`);
    expect(run.err).toContain(
      `Google Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS=${otherCredentials}`,
    );
    expect(run.report).toBeUndefined();
  });

  it("without credentials the anonymous request is refused (401), naming the URI and that none were found", async () => {
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    const run = await drift("gs://data/reference.csv", "gs://data/capture/**/*.jsonl");
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      "gs://data/reference.csv: no usable credentials (Anonymous caller does not have",
    );
    expect(run.err).toContain(
      `credentials: none (anonymous): emulator at STORAGE_EMULATOR_HOST=${server.url}`,
    );
  });

  it("an identity the token service does not accept is a credentials error naming the configuration", async () => {
    process.env.GOOGLE_APPLICATION_CREDENTIALS = writeExternalAccountConfig(server, credentialDir, "revoked");
    const run = await drift("gs://data/reference.csv", "gs://data/capture/**/*.jsonl");
    expect(run.code).toBe(1);
    expect(run.err).toContain("gs://data/reference.csv: no usable credentials");
    expect(run.err).toContain("invalid_grant");
    expect(run.err).toContain(`GOOGLE_APPLICATION_CREDENTIALS=${process.env.GOOGLE_APPLICATION_CREDENTIALS}`);
  });

  it("an access token the service no longer accepts (401 Invalid Credentials) is a credentials error", async () => {
    expect((await drift("gs://data/reference.csv", "gs://data/capture/**/*.jsonl")).code).toBe(2);
    // The client keeps the token it was issued; the service now rejects it, as after expiry.
    server.expireTokens();
    const run = await drift("gs://data/reference.csv", "gs://data/capture/**/*.jsonl");
    expect(run.code).toBe(1);
    expect(run.err).toContain("gs://data/reference.csv: no usable credentials (Invalid Credentials");
  });
});
