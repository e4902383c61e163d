import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { postWebhook, TriggerError, triggerPayload, triggerRetraining } from "../../../runtime/trigger";
import { driftReport } from "./report";

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A webhook receiver on 127.0.0.1 answering from a script, one entry per request; never more than 10 requests. */
let server: Server;
let base: string;
let received: Received[] = [];
let script: ((res: ServerResponse) => void)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (received.length > 10) throw new Error("the client sent more than 10 requests");
      const answer = script.shift() ?? ((r: ServerResponse) => r.writeHead(500).end("script exhausted"));
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = [];
  script = [];
});

const ok = (r: ServerResponse) =>
  r.writeHead(202, { "content-type": "application/json" }).end('{"queued":true}');
const status =
  (code: number, body = "") =>
  (r: ServerResponse) =>
    r.writeHead(code).end(body);
const context = { runId: "mon-drift-29012345", endpoint: "fraud" };
const delays: number[] = [];
const sleep = async (ms: number) => {
  delays.push(ms);
};

describe("postWebhook", () => {
  it("POSTs the drift summary as JSON with an idempotency key", async () => {
    script = [ok];
    const payload = triggerPayload(driftReport("drift"), context);
    const result = await postWebhook(`${base}/hooks/retrain?token=s3cret`, payload, { sleep });
    expect(result).toEqual({ status: 202, attempts: 1 });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.method).toBe("POST");
    expect(request!.url).toBe("/hooks/retrain?token=s3cret");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["idempotency-key"]).toBe("mon-drift-29012345");
    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({
      kind: "mlops-retrain-trigger",
      runId: "mon-drift-29012345",
      endpoint: "fraud",
      verdict: "drift",
      driftShare: 0.5,
      driftedCount: 1,
    });
    expect(body.driftedColumns).toEqual([{ name: "amount", method: "ks", score: 0.001, threshold: 0.05 }]);
  });

  it("retries 5xx and 429 with a doubling backoff, then succeeds", async () => {
    script = [status(503), status(429), ok];
    delays.length = 0;
    const result = await postWebhook(`${base}/hook`, triggerPayload(driftReport(), context), {
      initialDelayMs: 100,
      sleep,
    });
    expect(result).toEqual({ status: 202, attempts: 3 });
    expect(delays).toEqual([100, 200]);
    // The same idempotency key on every attempt, so the receiver can drop duplicates.
    expect(new Set(received.map((r) => r.headers["idempotency-key"]))).toEqual(
      new Set(["mon-drift-29012345"]),
    );
  });

  it("does not retry a 4xx, and never prints the URL's path or query (tokens live there)", async () => {
    script = [status(400, "missing field ref")];
    const attempt = postWebhook(`${base}/hooks/s3cret-token`, triggerPayload(driftReport(), context), {
      sleep,
    });
    await expect(attempt).rejects.toThrow(TriggerError);
    await attempt.catch((error: Error) => {
      expect(error.message).toMatch(/failed after 1 attempt\(s\): HTTP 400: missing field ref/);
      expect(error.message).not.toContain("s3cret");
    });
    expect(received).toHaveLength(1);
  });

  it("gives up after the attempts are spent", async () => {
    script = [status(500), status(502), status(504)];
    await expect(
      postWebhook(`${base}/hook`, triggerPayload(driftReport(), context), { attempts: 3, sleep }),
    ).rejects.toThrow(/failed after 3 attempt\(s\): HTTP 504/);
    expect(received).toHaveLength(3);
  });

  it("times out an attempt that gets no answer, and retries it", async () => {
    script = [() => {}, ok]; // the first request is left hanging
    const result = await postWebhook(`${base}/hook`, triggerPayload(driftReport(), context), {
      timeoutMs: 300,
      sleep,
    });
    expect(result).toEqual({ status: 202, attempts: 2 });
  });

  it("fails on a refused connection after its retries", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      postWebhook(`http://127.0.0.1:${port}/hook`, triggerPayload(driftReport(), context), {
        attempts: 2,
        sleep,
      }),
    ).rejects.toThrow(/failed after 2 attempt\(s\): .*ECONNREFUSED/);
  });
});

describe("triggerRetraining with a webhook", () => {
  it("calls the webhook on drift", async () => {
    script = [ok];
    const outcome = await triggerRetraining(driftReport("drift"), context, {
      webhookUrl: `${base}/hook`,
      retry: { sleep },
    });
    expect(outcome).toEqual({ action: "webhook", status: 202, attempts: 1 });
    expect(received).toHaveLength(1);
  });

  it("does nothing when there is no drift, or when some column could not be judged", async () => {
    for (const verdict of ["no-drift", "error"] as const) {
      const outcome = await triggerRetraining(driftReport(verdict), context, { webhookUrl: `${base}/hook` });
      expect(outcome).toEqual({ action: "skipped", reason: `the verdict is ${verdict}` });
    }
    expect(received).toHaveLength(0);
  });

  it("refuses a webhook and a Job template together", async () => {
    await expect(
      triggerRetraining(driftReport(), context, { webhookUrl: `${base}/hook`, jobTemplate: "/x/job.json" }),
    ).rejects.toThrow(/both a webhook and a Job template are given\. Pass one of/);
    expect(received).toHaveLength(0);
  });
});
