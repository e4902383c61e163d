import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as zlib from "node:zlib";
import { flattenExchange } from "./flatten";
import { type CaptureMetrics, createCaptureMetrics } from "./metrics";
import { CaptureWriter } from "./writer";

/** Options of {@link startCaptureProxy}. */
export interface CaptureProxyOptions {
  /** Port the proxy listens on (0 picks a free one). */
  listenPort: number;
  /**
   * Address the proxy and the metrics server bind.
   * @default "0.0.0.0"
   */
  listenHost?: string;
  /** The model server, e.g. `http://127.0.0.1:8081`. */
  upstream: string;
  /**
   * Capture root directory; required when `samplePercent` is above 0.
   * @default none (capture off)
   */
  out?: string;
  /** Endpoint name (metric label and first partition directory). */
  endpoint: string;
  /** Variant name (metric label, second partition directory and the `__variant` column). */
  variant: string;
  /**
   * Revision label of the metrics: the pod template hash, so a canary's pods can be told apart.
   * @default ""
   */
  revision?: string;
  /** Percent of inference requests captured, 0–100. */
  samplePercent: number;
  /** Port of the Prometheus metrics server (`/metrics`, and `/healthz` for the sidecar's own probes). */
  metricsPort: number;
  /**
   * Writer identity in capture file names.
   * @default the host name (the pod name in Kubernetes)
   */
  instance?: string;
  /**
   * Request and response bodies larger than this are proxied but not captured.
   * @default 1048576 (1 MiB)
   */
  maxBodyBytes?: number;
  /**
   * The model server must answer within this many milliseconds, or the client gets a 504.
   * @default 60000
   */
  upstreamTimeoutMs?: number;
  /**
   * Paths of health checks: proxied, but neither counted in the metrics nor captured.
   * @default ["/ping", "/health", "/healthz", "/ready", "/version"]
   */
  healthPaths?: readonly string[];
  /**
   * On shutdown, keep serving this long (while Kubernetes removes the pod from its Services) before
   * refusing new connections. Health checks answer 503 meanwhile.
   * @default 5000
   */
  shutdownDelayMs?: number;
  /**
   * On shutdown, wait at most this long for requests in flight to finish.
   * @default 20000
   */
  drainTimeoutMs?: number;
  /**
   * Finish a capture file at this size.
   * @default 64 MiB
   */
  maxFileBytes?: number;
  /**
   * Finish a capture file after this long.
   * @default 300000
   */
  maxFileAgeMs?: number;
  /**
   * Capture bytes waiting to be written beyond which rows are dropped.
   * @default 16 MiB
   */
  maxPendingBytes?: number;
  /**
   * Export Node's process metrics too.
   * @default true
   */
  processMetrics?: boolean;
  /**
   * Random source in [0, 1) for sampling, for tests.
   * @default Math.random
   */
  random?: () => number;
  /**
   * Clock, for tests.
   * @default () => new Date()
   */
  now?: () => Date;
  /**
   * Where the proxy reports problems (write errors).
   * @default writes to stderr
   */
  log?: (message: string) => void;
}

/** A running capture proxy. */
export interface CaptureProxy {
  /** The port the proxy listens on. */
  readonly port: number;
  /** The port of the metrics server. */
  readonly metricsPort: number;
  readonly metrics: CaptureMetrics;
  /** The capture writer, when capture is on. */
  readonly writer: CaptureWriter | undefined;
  /** Drains requests in flight, finishes the capture files and stops both servers. */
  close(): Promise<void>;
}

/** Health check paths of common model servers (MLflow: /ping, /health, /version). */
export const DEFAULT_HEALTH_PATHS: readonly string[] = ["/ping", "/health", "/healthz", "/ready", "/version"];

/** Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded by a proxy. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

function forwardHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const listed = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || listed.has(k)) continue;
    out[k] = v;
  }
  return out;
}

/** A body copy kept for capture, up to a size limit. */
class BoundedBody {
  private chunks: Buffer[] = [];
  private size = 0;
  overflow = false;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    if (this.overflow) return;
    this.size += chunk.length;
    if (this.size > this.limit) {
      this.overflow = true;
      this.chunks = [];
      return;
    }
    this.chunks.push(chunk);
  }
  /** The body as text, decoded per `Content-Encoding`; undefined when it cannot be decoded within the limit. */
  text(encoding: string | undefined, limit: number): string | undefined {
    const raw = Buffer.concat(this.chunks);
    const enc = (encoding ?? "identity").trim().toLowerCase();
    try {
      const opts = { maxOutputLength: limit };
      if (enc === "identity" || enc === "") return raw.toString("utf8");
      if (enc === "gzip" || enc === "x-gzip") return zlib.gunzipSync(raw, opts).toString("utf8");
      if (enc === "deflate") return zlib.inflateSync(raw, opts).toString("utf8");
      if (enc === "br") return zlib.brotliDecompressSync(raw, opts).toString("utf8");
    } catch {
      return undefined;
    }
    return undefined;
  }
}

function validate(o: CaptureProxyOptions): URL {
  let url: URL;
  try {
    url = new URL(o.upstream);
  } catch {
    throw new Error(
      `capture: --upstream ${JSON.stringify(o.upstream)} is not a URL. Fix: e.g. http://127.0.0.1:8081`,
    );
  }
  if (url.protocol !== "http:") {
    throw new Error(
      `capture: --upstream ${JSON.stringify(o.upstream)} must be an http:// URL (the model server on localhost). Fix: e.g. http://127.0.0.1:8081`,
    );
  }
  if (!Number.isFinite(o.samplePercent) || o.samplePercent < 0 || o.samplePercent > 100) {
    throw new Error(
      `capture: --sample ${String(o.samplePercent)} is out of range. Fix: use a percent from 0 to 100`,
    );
  }
  if (o.samplePercent > 0 && !o.out) {
    throw new Error(
      "capture: --out is required when --sample is above 0. Fix: give the capture volume's mount path",
    );
  }
  for (const [flag, name] of [
    ["--endpoint", o.endpoint],
    ["--variant", o.variant],
  ] as const) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      throw new Error(
        `capture: ${flag} ${JSON.stringify(name)} must be a DNS label (it is a directory name and a metric label). Fix: lowercase letters, digits and '-'`,
      );
    }
  }
  // The instance names the capture files in their partition: a pod name (a DNS-1123 subdomain), never a path.
  if (
    o.instance !== undefined &&
    (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(o.instance) || o.instance.includes(".."))
  ) {
    throw new Error(
      `capture: --instance ${JSON.stringify(o.instance.slice(0, 60))} becomes part of the capture file names, so it must not hold '/' or '..'. Fix: letters, digits, '.', '_' and '-' (the pod name)`,
    );
  }
  return url;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts the capture proxy: a streaming reverse proxy in front of a model server that counts and
 * times every inference request (Prometheus metrics on a separate port) and writes a sample of the
 * request/response pairs, flattened to one row per scored input row, to the capture volume.
 *
 * The serving path never waits for capture: bodies are copied as they stream through (up to
 * `maxBodyBytes`), and rows are handed to a bounded write queue after the response is sent.
 */
export async function startCaptureProxy(options: CaptureProxyOptions): Promise<CaptureProxy> {
  const upstream = validate(options);
  const host = options.listenHost ?? "0.0.0.0";
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const timeoutMs = options.upstreamTimeoutMs ?? 60_000;
  const healthPaths = new Set(options.healthPaths ?? DEFAULT_HEALTH_PATHS);
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((m: string) => process.stderr.write(`capture: ${m}\n`));
  const labels = { endpoint: options.endpoint, variant: options.variant, revision: options.revision ?? "" };
  const metrics = createCaptureMetrics(options.processMetrics ?? true);
  const writer =
    options.samplePercent > 0 && options.out
      ? new CaptureWriter({
          root: options.out,
          endpoint: options.endpoint,
          variant: options.variant,
          instance: options.instance ?? os.hostname(),
          ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
          ...(options.maxFileAgeMs !== undefined ? { maxFileAgeMs: options.maxFileAgeMs } : {}),
          ...(options.maxPendingBytes !== undefined ? { maxPendingBytes: options.maxPendingBytes } : {}),
          now,
        })
      : undefined;
  if (writer)
    writer.onError = (e) => log(`capture write failed: ${e instanceof Error ? e.message : String(e)}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  let draining = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;

  const skip = (reason: string) => metrics.captureSkipped.inc({ ...labels, reason });

  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? "/").split("?")[0]!;
    const isHealth = healthPaths.has(pathname);
    if (isHealth && draining) {
      res.writeHead(503, { "content-type": "text/plain" }).end("shutting down\n");
      return;
    }
    const observed = !isHealth;
    const sampled =
      observed && writer !== undefined && req.method === "POST" && random() * 100 < options.samplePercent;
    const receivedAt = now();
    const started = process.hrtime.bigint();
    inFlight++;
    if (observed) metrics.inFlight.inc(labels);
    const requestBody = sampled ? new BoundedBody(maxBody) : undefined;
    const responseBody = sampled ? new BoundedBody(maxBody) : undefined;

    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      inFlight--;
      if (observed) {
        metrics.inFlight.dec(labels);
        metrics.requests.inc({ ...labels, code: String(code) });
        metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      }
      if (requestBody && responseBody && code !== 499) {
        capture(code, req.headers["content-encoding"], res.getHeader("content-encoding"));
      }
      if (inFlight === 0 && idle) idle();
    };
    const capture = (code: number, reqEncoding: unknown, resEncoding: unknown) => {
      if (code < 200 || code >= 300) return skip("error-response");
      if (requestBody!.overflow || responseBody!.overflow) return skip("body-too-large");
      const reqText = requestBody!.text(typeof reqEncoding === "string" ? reqEncoding : undefined, maxBody);
      const resText = responseBody!.text(typeof resEncoding === "string" ? resEncoding : undefined, maxBody);
      if (reqText === undefined || resText === undefined) return skip("body-too-large");
      const result = flattenExchange({
        requestBody: reqText,
        responseBody: resText,
        variant: options.variant,
        timestamp: receivedAt,
      });
      if (!result.ok) return skip(result.reason);
      const queued = writer!.append(result.rows, receivedAt);
      metrics.captureRows.inc({ ...labels, outcome: queued ? "queued" : "dropped" }, result.rows.length);
    };

    const headers = forwardHeaders(req.headers);
    headers.host = upstream.host;
    const upstreamReq = http.request({
      protocol: upstream.protocol,
      hostname: upstream.hostname,
      port: upstream.port || 80,
      method: req.method,
      path: req.url,
      headers,
      agent,
      timeout: timeoutMs,
    });
    let timedOut = false;
    upstreamReq.on("timeout", () => {
      timedOut = true;
      upstreamReq.destroy(new Error(`model server did not answer within ${timeoutMs} ms`));
    });
    upstreamReq.on("error", (error) => {
      if (res.destroyed) return; // the client went away first; already counted as 499
      if (!res.headersSent) {
        const status = timedOut ? 504 : 502;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: `capture proxy: ${error.message}` }));
      } else {
        res.destroy(error);
        finish(502);
      }
    });
    upstreamReq.on("response", (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, forwardHeaders(upstreamRes.headers));
      if (responseBody) upstreamRes.on("data", (chunk: Buffer) => responseBody.push(chunk));
      upstreamRes.pipe(res);
      upstreamRes.on("error", (error) => res.destroy(error));
    });
    if (requestBody) req.on("data", (chunk: Buffer) => requestBody.push(chunk));
    req.pipe(upstreamReq);
    res.on("finish", () => finish(res.statusCode));
    res.on("close", () => {
      if (res.writableFinished) return;
      // Closed before the response was complete: the client went away (nginx's 499).
      upstreamReq.destroy();
      finish(499);
    });
  });
  server.keepAliveTimeout = 65_000;

  const metricsServer = http.createServer(async (req, res) => {
    const pathname = (req.url ?? "/").split("?")[0];
    if (pathname === "/metrics") {
      try {
        const body = await metrics.registry.metrics();
        res.writeHead(200, { "content-type": metrics.registry.contentType }).end(body);
      } catch (error) {
        res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
      }
      return;
    }
    if (pathname === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });

  const port = await listen(server, options.listenPort, host);
  let metricsPort: number;
  try {
    metricsPort = await listen(metricsServer, options.metricsPort, host);
  } catch (error) {
    server.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      draining = true;
      const delay = options.shutdownDelayMs ?? 5000;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      const stopped = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((r) => {
            idle = r;
          }),
          new Promise((r) => setTimeout(r, options.drainTimeoutMs ?? 20_000).unref()),
        ]);
      }
      server.closeAllConnections();
      await stopped;
      agent.destroy();
      if (writer) await writer.close();
      const metricsStopped = new Promise<void>((r) => metricsServer.close(() => r()));
      metricsServer.closeAllConnections();
      await metricsStopped;
    })();
    return closing;
  };

  return { port, metricsPort, metrics, writer, close };
}
