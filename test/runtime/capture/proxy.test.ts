import { promises as fs } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SERVING_METRICS } from "../../../components/kubernetes/promql";
import { CAPTURE_METRIC_NAMES } from "../../../runtime/capture/metrics";
import {
  type CaptureProxy,
  type CaptureProxyOptions,
  startCaptureProxy,
} from "../../../runtime/capture/proxy";

/**
 * A stand-in model server on 127.0.0.1: POST /invocations scores `dataframe_records` rows as the sum
 * of their numeric values; /fail answers 500; /slow answers after 300 ms; /ping is the health check.
 */
let model: http.Server;
let modelUrl: string;
const modelRequests: { method?: string; url?: string; host?: string; body: string }[] = [];

beforeAll(async () => {
  model = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      modelRequests.push({ method: req.method, url: req.url, host: req.headers.host, body });
      if (req.url === "/ping") {
        res.writeHead(200).end("\n");
        return;
      }
      if (req.url === "/fail") {
        res.writeHead(500, { "content-type": "application/json" }).end('{"error":"boom"}');
        return;
      }
      const answer = () => {
        const rows = (JSON.parse(body).dataframe_records ?? []) as Record<string, number>[];
        const predictions = rows.map((r) =>
          Object.values(r).reduce((a, b) => a + (typeof b === "number" ? b : 0), 0),
        );
        res.writeHead(200, { "content-type": "application/json", "x-model": "stub" });
        res.end(JSON.stringify({ predictions }));
      };
      if (req.url === "/slow") setTimeout(answer, 300);
      else answer();
    });
  });
  await new Promise<void>((r) => model.listen(0, "127.0.0.1", r));
  modelUrl = `http://127.0.0.1:${(model.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => model.close(() => r()));
});

const opened: { proxy: CaptureProxy; dir: string }[] = [];
afterEach(async () => {
  for (const { proxy, dir } of opened.splice(0)) {
    await proxy.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
});

async function start(overrides: Partial<CaptureProxyOptions> = {}) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "mlops-capture-"));
  const proxy = await startCaptureProxy({
    listenPort: 0,
    listenHost: "127.0.0.1",
    upstream: modelUrl,
    out: dir,
    endpoint: "fraud",
    variant: "champion",
    revision: "7d9f8c",
    samplePercent: 100,
    metricsPort: 0,
    instance: "fraud-champion-abc12",
    shutdownDelayMs: 0,
    processMetrics: false,
    now: () => new Date("2026-11-28T02:15:30.000Z"),
    ...overrides,
  });
  opened.push({ proxy, dir });
  return { proxy, dir };
}

function send(port: number, pathName: string, body?: unknown, method = "POST") {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
      const req = http.request(
        { host: "127.0.0.1", port, path: pathName, method, headers: { "content-type": "application/json" } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString(),
            }),
          );
        },
      );
      req.on("error", reject);
      req.end(payload);
    },
  );
}

async function metricsText(proxy: CaptureProxy): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${proxy.metricsPort}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

/** Every capture file below `dir`, relative, with its parsed lines. */
async function captured(dir: string): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const text = await fs.readFile(full, "utf8");
    expect(text.endsWith("\n"), `${entry.name} ends with a complete line`).toBe(true);
    out[path.relative(dir, full)] = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
  }
  return out;
}

describe("capture proxy", () => {
  it("passes requests and responses through unchanged, to the upstream host", async () => {
    const { proxy } = await start();
    const res = await send(proxy.port, "/invocations?x=1", { dataframe_records: [{ a: 1, b: 2 }] });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ predictions: [3] });
    expect(res.headers["x-model"]).toBe("stub");
    const seen = modelRequests.at(-1)!;
    expect(seen.url).toBe("/invocations?x=1");
    expect(seen.host).toBe(new URL(modelUrl).host);
    expect(JSON.parse(seen.body)).toEqual({ dataframe_records: [{ a: 1, b: 2 }] });
  });

  it("writes one JSON line per scored row to <out>/<endpoint>/<variant>/YYYY/MM/DD/HH/<pod>-<seq>.jsonl", async () => {
    const { proxy, dir } = await start();
    await send(proxy.port, "/invocations", {
      dataframe_records: [
        { age: 30, income: 10 },
        { age: 41, income: 5 },
      ],
    });
    await send(proxy.port, "/invocations", { dataframe_records: [{ age: 52, income: 1 }] });
    // Before the file is finished it is only visible as .partial, never as a half-written .jsonl.
    await proxy.writer!.flush();
    const during = await fs.readdir(path.join(dir, "fraud/champion/2026/11/28/02"));
    expect(during).toEqual(["fraud-champion-abc12-0.jsonl.partial"]);
    await proxy.close();
    const ts = "2026-11-28T02:15:30.000Z";
    expect(await captured(dir)).toEqual({
      "fraud/champion/2026/11/28/02/fraud-champion-abc12-0.jsonl": [
        { age: 30, income: 10, __ts: ts, __variant: "champion", __prediction: 40 },
        { age: 41, income: 5, __ts: ts, __variant: "champion", __prediction: 46 },
        { age: 52, income: 1, __ts: ts, __variant: "champion", __prediction: 53 },
      ],
    });
  });

  it("captures the sampled share of requests only", async () => {
    // Deterministic draws: requests whose draw * 100 < 30 are captured (the 1st, 3rd and 6th).
    const draws = [0.1, 0.5, 0.29, 0.3, 0.99, 0.0];
    const { proxy, dir } = await start({ samplePercent: 30, random: () => draws.shift()! });
    for (let id = 0; id < 6; id++) await send(proxy.port, "/invocations", { dataframe_records: [{ id }] });
    await proxy.close();
    const files = Object.values(await captured(dir));
    expect(files.flat().map((r) => r.id)).toEqual([0, 2, 5]);
  });

  it("captures nothing at 0 percent, and needs no capture directory then", async () => {
    const { proxy, dir } = await start({ samplePercent: 0, out: undefined });
    expect((await send(proxy.port, "/invocations", { dataframe_records: [{ a: 1 }] })).status).toBe(200);
    expect(proxy.writer).toBeUndefined();
    await proxy.close();
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it("starts a new file in the next hour's partition", async () => {
    let clock = new Date("2026-11-28T02:59:59.500Z");
    const { proxy, dir } = await start({ now: () => clock });
    await send(proxy.port, "/invocations", { dataframe_records: [{ n: 1 }] });
    clock = new Date("2026-11-28T03:00:00.100Z");
    await send(proxy.port, "/invocations", { dataframe_records: [{ n: 2 }] });
    await proxy.writer!.flush();
    // The 02 file was finished when the first 03 row arrived.
    expect(await fs.readdir(path.join(dir, "fraud/champion/2026/11/28/02"))).toEqual([
      "fraud-champion-abc12-0.jsonl",
    ]);
    await proxy.close();
    const files = await captured(dir);
    expect(Object.keys(files).sort()).toEqual([
      "fraud/champion/2026/11/28/02/fraud-champion-abc12-0.jsonl",
      "fraud/champion/2026/11/28/03/fraud-champion-abc12-0.jsonl",
    ]);
    expect(files["fraud/champion/2026/11/28/03/fraud-champion-abc12-0.jsonl"]![0]!.n).toBe(2);
  });

  it("exports request counts by code and a latency histogram, without health checks", async () => {
    const { proxy } = await start();
    for (let i = 0; i < 3; i++) await send(proxy.port, "/invocations", { dataframe_records: [{ a: i }] });
    expect((await send(proxy.port, "/fail", { dataframe_records: [] })).status).toBe(500);
    expect((await send(proxy.port, "/ping", undefined, "GET")).status).toBe(200);
    const text = await metricsText(proxy);
    const labels = 'endpoint="fraud",variant="champion",revision="7d9f8c"';
    expect(text).toContain(`mlops_requests_total{${labels},code="200"} 3`);
    expect(text).toContain(`mlops_requests_total{${labels},code="500"} 1`);
    expect(text).toContain(`mlops_request_duration_seconds_count{${labels}} 4`);
    expect(text).toMatch(new RegExp(`mlops_request_duration_seconds_bucket\\{le="0.5",${labels}\\} 4`));
    expect(text).toContain(`mlops_requests_in_flight{${labels}} 0`);
    expect(text).toContain(`mlops_capture_skipped_total{${labels},reason="error-response"} 1`);
    expect(text).toContain(`mlops_capture_rows_total{${labels},outcome="queued"} 3`);
    expect((await fetch(`http://127.0.0.1:${proxy.metricsPort}/healthz`)).status).toBe(200);
  });

  it("answers 502 when the model server is down, and counts it as a server error", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { proxy } = await start({ upstream: `http://127.0.0.1:${deadPort}` });
    const res = await send(proxy.port, "/invocations", { dataframe_records: [{ a: 1 }] });
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body).error).toMatch(/^capture proxy: /);
    expect(await metricsText(proxy)).toContain('code="502"} 1');
  });

  it("answers 504 when the model server is too slow", async () => {
    const { proxy } = await start({ upstreamTimeoutMs: 50 });
    expect((await send(proxy.port, "/slow", { dataframe_records: [{ a: 1 }] })).status).toBe(504);
    expect(await metricsText(proxy)).toContain('code="504"} 1');
  });

  it("proxies but does not capture bodies above the size limit", async () => {
    const { proxy, dir } = await start({ maxBodyBytes: 64 });
    const big = { dataframe_records: [{ text: "x".repeat(200) }] };
    expect((await send(proxy.port, "/invocations", big)).status).toBe(200);
    expect(await metricsText(proxy)).toContain('reason="body-too-large"} 1');
    await proxy.close();
    expect(await captured(dir)).toEqual({});
  });

  it("drops rows instead of growing memory when the write queue is full", async () => {
    const { proxy, dir } = await start({ maxPendingBytes: 10 });
    await send(proxy.port, "/invocations", { dataframe_records: [{ a: 1 }] });
    expect(await metricsText(proxy)).toContain('outcome="dropped"} 1');
    expect(proxy.writer!.stats.rowsDropped).toBe(1);
    await proxy.close();
    expect(await captured(dir)).toEqual({});
  });

  it("on shutdown fails health checks, finishes requests in flight, then the capture file", async () => {
    const { proxy, dir } = await start({ shutdownDelayMs: 150 });
    const slow = send(proxy.port, "/slow", { dataframe_records: [{ a: 7 }] });
    await new Promise((r) => setTimeout(r, 50));
    const closing = proxy.close();
    expect((await send(proxy.port, "/ping", undefined, "GET")).status).toBe(503);
    expect((await slow).status).toBe(200);
    await closing;
    expect(Object.values(await captured(dir)).flat()).toEqual([
      { a: 7, __ts: "2026-11-28T02:15:30.000Z", __variant: "champion", __prediction: 7 },
    ]);
  });

  it("refuses bad options with the flag, the value and a fix", async () => {
    const base = {
      listenPort: 0,
      metricsPort: 0,
      endpoint: "e",
      variant: "v",
      samplePercent: 10,
      out: "/tmp",
    };
    await expect(startCaptureProxy({ ...base, upstream: "https://model:443" })).rejects.toThrow(
      /--upstream "https:\/\/model:443" must be an http:\/\/ URL.*Fix:/,
    );
    await expect(startCaptureProxy({ ...base, upstream: modelUrl, samplePercent: 120 })).rejects.toThrow(
      /--sample 120 is out of range\. Fix:/,
    );
    await expect(startCaptureProxy({ ...base, upstream: modelUrl, out: undefined })).rejects.toThrow(
      /--out is required when --sample is above 0/,
    );
    await expect(startCaptureProxy({ ...base, upstream: modelUrl, variant: "Champion_1" })).rejects.toThrow(
      /--variant "Champion_1" must be a DNS label/,
    );
  });

  it("uses the metric names the canary analysis and alert rules query", () => {
    expect(CAPTURE_METRIC_NAMES.requests).toBe(SERVING_METRICS.requests);
    expect(CAPTURE_METRIC_NAMES.duration).toBe(SERVING_METRICS.duration);
    expect(CAPTURE_METRIC_NAMES.inFlight).toBe(SERVING_METRICS.inFlight);
  });
});
