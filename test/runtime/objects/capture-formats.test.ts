import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runDriftCommand } from "../../../runtime/commands/drift";
import { azuremlRows, sagemakerRows } from "../../../runtime/io/capture/formats";
import { resetStores } from "../../../runtime/io/objects/store";
import { defaultSteps, runMonitor } from "../../../runtime/jobs/monitorRun";
import type { DriftReport } from "../../../runtime/report/schema";
import { captureIo, DATA, tempDir } from "../helpers";
import { verdictOf } from "./scenario";
import { type Emulator, s3Env, startS3rver } from "./servers";

type Row = { age: number; income: number; plan: string; score: number };
const ROWS: Row[] = readFileSync(join(DATA, "current-drift.jsonl"), "utf8")
  .trimEnd()
  .split("\n")
  .map((line) => JSON.parse(line) as Row);
const COLUMNS = ["age", "income", "plan", "score"] as const;
const HOURS = ["09", "10", "11"];

/**
 * A SageMaker data capture line, written to the documented schema
 * (docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html): CSV payloads
 * without a header, every third one base64-encoded as when the content type is not configured.
 */
function sagemakerLine(rows: Row[], i: number): string {
  const csv = `${rows.map((r) => COLUMNS.map((c) => r[c]).join(",")).join("\n")}\n`;
  const base64 = i % 3 === 2;
  return JSON.stringify({
    captureData: {
      endpointInput: {
        observedContentType: "text/csv",
        mode: "INPUT",
        data: base64 ? Buffer.from(csv).toString("base64") : csv,
        encoding: base64 ? "BASE64" : "CSV",
      },
      endpointOutput: {
        observedContentType: "application/json",
        mode: "OUTPUT",
        data: JSON.stringify({ predictions: rows.map((r) => r.score > 0.5) }),
        encoding: "JSON",
      },
    },
    eventMetadata: {
      eventId: `event-${i}`,
      inferenceTime: `2026-12-03T10:00:${String(i % 60).padStart(2, "0")}Z`,
    },
    eventVersion: "0",
  });
}

/** An Azure ML data collector line (custom logging of a DataFrame), to the documented schema. */
function azuremlLine(rows: Row[], i: number): string {
  return JSON.stringify({
    specversion: "1.0",
    id: `id-${i}`,
    source:
      "/subscriptions/x/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws/onlineEndpoints/ep/deployments/blue",
    type: "azureml.inference.model_inputs",
    datacontenttype: "application/json",
    time: "2026-12-03T10:00:00Z",
    data: rows,
    correlationid: `c-${i}`,
    xrequestid: `c-${i}`,
    modelversion: "default",
    collectdatatype: "pandas.core.frame.DataFrame",
    agent: "azureml-ai-monitoring/0.1.0b4",
  });
}

/** The rows dealt to three hour partitions, in batches of five rows per capture record. */
function partitions(line: (rows: Row[], i: number) => string): Map<string, string> {
  const per = Math.ceil(ROWS.length / HOURS.length);
  const out = new Map<string, string>();
  HOURS.forEach((hour, h) => {
    const rows = ROWS.slice(h * per, (h + 1) * per);
    const lines: string[] = [];
    for (let i = 0; i < rows.length; i += 5) lines.push(line(rows.slice(i, i + 5), i / 5));
    out.set(hour, `${lines.join("\n")}\n`);
  });
  return out;
}

/** The plain rows of the 09 and 10 partitions: what a window of 09:00–11:00 must read. */
function windowRowsFile(): string {
  const per = Math.ceil(ROWS.length / HOURS.length);
  const path = join(tempDir("mlops-window-"), "rows.jsonl");
  writeFileSync(
    path,
    `${ROWS.slice(0, 2 * per)
      .map((r) => JSON.stringify(r))
      .join("\n")}\n`,
  );
  return path;
}

async function drift(
  options: Partial<Parameters<typeof runDriftCommand>[0]> & { current: string | string[] },
) {
  const io = captureIo();
  const code = await runDriftCommand(
    { reference: join(DATA, "reference.csv"), json: "-", quiet: true, ...options },
    io,
  );
  const out = io.out();
  return { code, err: io.err(), report: out === "" ? undefined : (JSON.parse(out) as DriftReport) };
}

describe("capture records, to the clouds' documented schemas", () => {
  it("reads the SageMaker documentation's CSV example", () => {
    const rows = sagemakerRows({
      captureData: {
        endpointInput: {
          observedContentType: "text/csv",
          mode: "INPUT",
          data: "0.00632,18.00,2.310,0,0.5380,6.5750,65.20,4.0900,1,296.0,15.30,4.98",
          encoding: "CSV",
        },
        endpointOutput: {
          observedContentType: "text/csv; charset=utf-8",
          mode: "OUTPUT",
          data: "30.4133586884",
          encoding: "CSV",
        },
      },
      eventMetadata: {
        eventId: "8f45e35c-fa44-40d2-8ed3-1bcab3a596f3",
        inferenceTime: "2020-07-30T13:36:30Z",
      },
      eventVersion: "0",
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]?._c0).toBe("0.00632");
    expect(rows[0]?._c11).toBe("4.98");
    expect(rows[0]?.__prediction).toBe("30.4133586884");
    expect(rows[0]?.__ts).toBe("2020-07-30T13:36:30Z");
  });

  it("reads the Azure ML documentation's batched model_inputs and payload-logging request examples", () => {
    const batched = azuremlRows({
      specversion: "1.0",
      type: "azureml.inference.model_inputs",
      time: "2024-03-05T18:16:25Z",
      data: [
        { LIMIT_BAL: 502970, AGE: 54 },
        { LIMIT_BAL: 293458, AGE: 35 },
      ],
    });
    expect(batched.map((r) => r.AGE)).toEqual([54, 35]);
    const request = azuremlRows({
      type: "azureml.inference.request",
      time: "2022-05-25T08:59:48Z",
      data: {
        data: [
          [1, 2, 3],
          [3, 2, 1],
        ],
      },
    });
    expect(request).toEqual([
      { f0: 1, f1: 2, f2: 3, __ts: "2022-05-25T08:59:48Z" },
      { f0: 3, f1: 2, f2: 1, __ts: "2022-05-25T08:59:48Z" },
    ]);
  });
});

describe("mlops drift --capture-format on local capture directories", () => {
  const local = windowRowsFile();

  it("azureml: the window's partitions give the report of the same rows as plain JSON Lines", async () => {
    const root = tempDir("mlops-azureml-");
    for (const [hour, text] of partitions(azuremlLine)) {
      const dir = join(root, "modelDataCollector/ep/blue/model_inputs/2026/12/03", hour);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "instance-1.jsonl"), text);
    }
    const plain = await drift({ current: local });
    const capture = await drift({
      current: join(root, "modelDataCollector/ep/blue/model_inputs"),
      captureFormat: "azureml",
      since: "2026-12-03T09:00:00Z",
      until: "2026-12-03T11:00:00Z",
    });
    expect(capture.code, capture.err).toBe(plain.code);
    expect(verdictOf(capture.report)).toEqual(verdictOf(plain.report));
  });

  it("sidecar: rows with __ts and __prediction compare on the reference's columns", async () => {
    const root = tempDir("mlops-sidecar-");
    const per = Math.ceil(ROWS.length / HOURS.length);
    HOURS.forEach((hour, h) => {
      const dir = join(root, "blue/2026/12/03", hour);
      mkdirSync(dir, { recursive: true });
      const rows = ROWS.slice(h * per, (h + 1) * per).map((r) => ({
        ...r,
        __ts: "t",
        __variant: "blue",
        __prediction: 1,
      }));
      writeFileSync(join(dir, "pod-0.jsonl"), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
      writeFileSync(join(dir, "pod-1.jsonl.partial"), '{"age":');
    });
    const plain = await drift({ current: local });
    const capture = await drift({
      current: root,
      captureFormat: "sidecar",
      since: "2026-12-03T09:00:00Z",
      until: "2026-12-03T11:00:00Z",
    });
    expect(capture.code, capture.err).toBe(plain.code);
    expect(verdictOf(capture.report)).toEqual(verdictOf(plain.report));
  });

  it("--since without --capture-format is refused rather than ignored", async () => {
    const run = await drift({ current: local, since: "24h" });
    expect(run.code).toBe(1);
    expect(run.err).toContain("--since: it applies to a serving capture only");
  });

  it("a window with no partition is an error naming the capture root", async () => {
    const root = tempDir("mlops-empty-window-");
    mkdirSync(join(root, "blue/2026/12/03/09"), { recursive: true });
    writeFileSync(join(root, "blue/2026/12/03/09/pod-0.jsonl"), '{"age":1}\n');
    const run = await drift({ current: root, captureFormat: "sidecar", since: "2026-12-04T00:00:00Z" });
    expect(run.code).toBe(1);
    expect(run.err).toContain(`${root}: no capture file (.jsonl) lies in the selected time window`);
  });
});

describe("mlops drift --capture-format sagemaker against s3rver", () => {
  let server: Emulator;
  const saved = { ...process.env };
  const local = windowRowsFile();
  const prefix = "s3://data/datacapture/my-endpoint/AllTraffic";

  beforeAll(async () => {
    server = await startS3rver(["data"]);
    Object.assign(process.env, s3Env(server.url));
    const client = new S3Client({ region: "us-east-1", endpoint: server.url, forcePathStyle: true });
    for (const [hour, text] of partitions(sagemakerLine)) {
      const Key = `datacapture/my-endpoint/AllTraffic/2026/12/03/${hour}/17-31-03-123-abc.jsonl`;
      await client.send(new PutObjectCommand({ Bucket: "data", Key, Body: text }));
    }
    // An hour whose object was cut off mid-line, as a failed upload or a copy in progress leaves it.
    await client.send(
      new PutObjectCommand({
        Bucket: "data",
        Key: "datacapture/my-endpoint/AllTraffic/2026/12/03/12/truncated.jsonl",
        Body: `${sagemakerLine(ROWS.slice(0, 5), 0)}\n${sagemakerLine(ROWS.slice(5, 10), 1).slice(0, 80)}`,
      }),
    );
    client.destroy();
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    process.env = saved;
  });

  beforeEach(() => resetStores());

  it("selects the window's hours and gives the report of the same rows read locally", async () => {
    const plain = await drift({ current: local });
    const capture = await drift({
      current: `${prefix}/`,
      captureFormat: "sagemaker",
      captureColumns: [...COLUMNS],
      since: "2026-12-03T09:00:00Z",
      until: "2026-12-03T11:00:00Z",
    });
    expect(capture.code, capture.err).toBe(plain.code);
    expect(verdictOf(capture.report)).toEqual(verdictOf(plain.report));
    expect(capture.report?.current.source).toContain("2026/12/03/09/");
    expect(capture.report?.current.source).toContain("and 1 more file(s)");
  });

  it("a truncated line names the object and the line; --skip-bad-records skips and counts it", async () => {
    const failing = await drift({
      current: `${prefix}/`,
      captureFormat: "sagemaker",
      captureColumns: [...COLUMNS],
      since: "2026-12-03T12:00:00Z",
    });
    expect(failing.code).toBe(1);
    expect(failing.err).toContain(
      `${prefix}/2026/12/03/12/truncated.jsonl: line 2 is not a sagemaker capture record`,
    );
    const skipping = await drift({
      current: `${prefix}/`,
      captureFormat: "sagemaker",
      captureColumns: [...COLUMNS],
      since: "2026-12-03T12:00:00Z",
      skipBadRecords: true,
    });
    expect(skipping.code, skipping.err).not.toBe(1);
    expect(skipping.report?.current.rowCount).toBe(5);
    expect(skipping.err).toContain("skipped 1 bad capture record(s)");
  });

  it("monitor-run reads the window's SageMaker objects below the endpoint's prefix and writes its report there", async () => {
    const plain = await drift({ current: local });
    const logs: string[] = [];
    const result = await runMonitor(
      {
        endpoint: "my-endpoint",
        reference: join(DATA, "reference.csv"),
        captureDir: "s3://data/datacapture/my-endpoint",
        captureFormat: "sagemaker",
        captureColumns: [...COLUMNS],
        since: "2h",
        workDir: tempDir("mlops-monitor-"),
        runId: "monitor-s3",
        reportDir: "s3://data/reports/monitor",
        now: new Date("2026-12-03T11:20:00Z"),
      },
      { ...defaultSteps(), log: (line) => logs.push(line) },
    );
    expect(result.errors).toEqual([]);
    expect(result.files).toBe(2);
    expect(verdictOf(result.report)).toEqual(verdictOf(plain.report));
    const client = new S3Client({ region: "us-east-1", endpoint: server.url, forcePathStyle: true });
    const object = await client.send(
      new GetObjectCommand({ Bucket: "data", Key: "reports/monitor/monitor-s3.json" }),
    );
    const stored = JSON.parse((await object.Body?.transformToString()) as string) as DriftReport;
    client.destroy();
    expect(stored.current.rowCount).toBe(plain.report?.current.rowCount);
    expect(logs.join("\n")).toContain("2 capture file(s)");
  });

  it("monitor-run with two workers deals the window's objects to the shards and merges them", async () => {
    const workDir = tempDir("mlops-monitor-shards-");
    const options = {
      endpoint: "my-endpoint",
      reference: join(DATA, "reference.csv"),
      captureDir: "s3://data/datacapture/my-endpoint/",
      captureFormat: "sagemaker" as const,
      captureColumns: [...COLUMNS],
      since: "2h",
      workDir,
      workers: 2,
      runId: "monitor-s3-sharded",
      now: new Date("2026-12-03T11:20:00Z"),
    };
    const steps = { ...defaultSteps(), log: () => {}, pollMs: 20 };
    const [decider, shard] = await Promise.all([
      runMonitor({ ...options, index: 0 }, steps),
      runMonitor({ ...options, index: 1 }, steps),
    ]);
    expect(shard.role).toBe("shard");
    expect(shard.files).toBe(1);
    expect(decider.role).toBe("decider");
    expect(decider.files).toBe(1);
    expect(decider.report?.current.mode).toBe("sketch");
    expect(decider.report?.current.rowCount).toBe(Math.ceil(ROWS.length / HOURS.length) * 2);
  });
});
