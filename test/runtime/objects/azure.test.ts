import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetStores } from "../../../runtime/io/objects/store";
import { captureLayout, drift, REFERENCE_CSV, verdictOf } from "./scenario";
import { AZURITE_ACCOUNT, azuriteConnectionString, type Emulator, startAzurite } from "./servers";

let server: Emulator;
let service: BlobServiceClient;
const layout = captureLayout();
const saved = { ...process.env };

beforeAll(async () => {
  server = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azuriteConnectionString(server.url));
  const container = service.getContainerClient("data");
  await container.create();
  const put = (name: string, text: string) =>
    container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
  await put("reference.csv", REFERENCE_CSV());
  for (const [key, text] of layout.files) await put(key, text);
  await put("capture/2026/12/03/09/_manifest.txt", "not data\n");
}, 120_000);

afterAll(async () => {
  await server?.close();
  process.env = saved;
});

beforeEach(() => {
  process.env.AZURE_STORAGE_CONNECTION_STRING = azuriteConnectionString(server.url);
  resetStores();
});

describe("mlops drift against Azurite", () => {
  it("reads az:// and abfss:// URIs with the report the local files give", async () => {
    const local = await drift("test/runtime/data/reference.csv", layout.localPaths);
    const az = await drift("az://data/reference.csv", ["az://data/capture/**/*.jsonl"]);
    expect(az.code, az.err).toBe(2);
    expect(verdictOf(az.report)).toEqual(verdictOf(local.report));
    const abfss = await drift(
      `abfss://data@${AZURITE_ACCOUNT}.dfs.core.windows.net/reference.csv`,
      `abfss://data@${AZURITE_ACCOUNT}.dfs.core.windows.net/capture/**/*.jsonl`,
    );
    expect(abfss.code, abfss.err).toBe(2);
    expect(verdictOf(abfss.report)).toEqual(verdictOf(local.report));
  });

  it("writes the report to a blob", async () => {
    const run = await drift("az://data/reference.csv", "az://data/capture/**/*.jsonl", {
      json: "az://data/reports/run-1.json",
    });
    expect(run.code, run.err).toBe(2);
    const stored = await service
      .getContainerClient("data")
      .getBlobClient("reports/run-1.json")
      .downloadToBuffer();
    expect(JSON.parse(stored.toString("utf8")).summary.verdict).toBe("drift");
  });

  it("a wrong account key is denied, naming the URI and the connection string", async () => {
    process.env.AZURE_STORAGE_CONNECTION_STRING = azuriteConnectionString(
      server.url,
      Buffer.from("not the account key").toString("base64"),
    );
    const run = await drift("az://data/reference.csv", "az://data/capture/**/*.jsonl");
    expect(run.code).toBe(1);
    expect(run.err).toContain("az://data/reference.csv: access denied");
    expect(run.err).toContain(`AZURE_STORAGE_CONNECTION_STRING (account ${AZURITE_ACCOUNT})`);
  });

  it("a missing container and a glob matching nothing are errors naming the URI", async () => {
    const container = await drift("az://data/reference.csv", "az://nocontainer/capture/**/*.jsonl");
    expect(container.code).toBe(1);
    expect(container.err).toContain("az://nocontainer/capture/**/*.jsonl");
    expect(container.err).toContain("does not exist");
    const empty = await drift("az://data/reference.csv", "az://data/capture/**/*.parquet");
    expect(empty.code).toBe(1);
    expect(empty.err).toContain("az://data/capture/**/*.parquet: the pattern matches no object");
  });

  it("without a connection string an az:// URI needs an account", async () => {
    delete process.env.AZURE_STORAGE_CONNECTION_STRING;
    delete process.env.AZURE_STORAGE_ACCOUNT;
    const run = await drift("az://data/reference.csv", "az://data/capture/**/*.jsonl");
    expect(run.code).toBe(1);
    expect(run.err).toContain("no storage account is known");
  });

  it("without any Azure credential the chain's failure is named, with the account", async () => {
    delete process.env.AZURE_STORAGE_CONNECTION_STRING;
    process.env.AZURE_STORAGE_ACCOUNT = "mlopsnoaccount";
    try {
      const run = await drift("az://data/reference.csv", "az://data/capture/**/*.jsonl");
      expect(run.code).toBe(1);
      expect(run.err).toContain("az://data/reference.csv: no usable credentials");
      expect(run.err).toContain("DefaultAzureCredential for account mlopsnoaccount");
    } finally {
      delete process.env.AZURE_STORAGE_ACCOUNT;
    }
  });
});
