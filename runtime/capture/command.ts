import { type Command, InvalidArgumentError } from "commander";
import { type CaptureProxy, DEFAULT_HEALTH_PATHS, startCaptureProxy } from "./proxy";

function port(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      throw new InvalidArgumentError(`${flag} needs a TCP port (0–65535), got "${value}".`);
    }
    return n;
  };
}

function percent(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new InvalidArgumentError(`--sample needs a percent from 0 to 100, got "${value}".`);
  }
  return n;
}

function positiveInteger(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} needs a positive integer, got "${value}".`);
    return n;
  };
}

function nonNegativeInteger(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(
        `${flag} needs a whole number of milliseconds ≥ 0, got "${value.slice(0, 40)}".`,
      );
    return n;
  };
}

const HELP = `
Runs next to a model server in the same pod. Clients reach the model through --listen; the proxy
forwards to --upstream, counts and times every request, and writes --sample percent of the
successful exchanges to
  <out>/<endpoint>/<variant>/YYYY/MM/DD/HH/<pod>-<seq>.jsonl
one line per scored row: the request's feature columns, __ts, __variant and __prediction.
Files appear under their final name only once complete (written as *.partial until then).

Metrics on --metrics-port /metrics: mlops_requests_total{endpoint,variant,revision,code},
mlops_request_duration_seconds{endpoint,variant,revision}, mlops_requests_in_flight, and the
capture's own counters. /healthz on the same port answers while the process runs.

On SIGTERM or SIGINT it keeps serving for --shutdown-delay (health checks answer 503), then drains
requests in flight and finishes the open capture file before exiting.`;

/**
 * Adds `mlops capture` (the capture proxy sidecar of the Kubernetes serving endpoint) to a commander
 * program. The action resolves once the proxy has stopped after SIGTERM/SIGINT.
 */
export function registerCaptureCommand(program: Command): Command {
  program
    .command("capture")
    .description(
      "reverse proxy in front of a model server: Prometheus metrics and sampled request/response capture",
    )
    .requiredOption("--listen <port>", "port clients connect to", port("--listen"))
    .requiredOption("--upstream <url>", "the model server, e.g. http://127.0.0.1:8081")
    .option("--out <dir>", "capture root (the capture volume's mount path); required unless --sample is 0")
    .requiredOption("--endpoint <name>", "endpoint name (metric label, partition directory)")
    .requiredOption("--variant <name>", "variant name (metric label, partition directory, __variant)")
    .option("--sample <percent>", "percent of requests captured, 0–100", percent, 100)
    .requiredOption("--metrics-port <port>", "port of /metrics and /healthz", port("--metrics-port"))
    .option(
      "--health-path <path>",
      "a health check path of the model server: proxied but not counted or captured (repeatable; /ping, /health, /healthz, /ready and /version always are)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--revision <hash>", "revision label on the metrics (the pod template hash)", "")
    .option(
      "--instance <name>",
      "writer name in capture file names (default: the host name, i.e. the pod name)",
    )
    .option(
      "--max-body-bytes <n>",
      "bodies larger than this are not captured",
      positiveInteger("--max-body-bytes"),
      1_048_576,
    )
    .option(
      "--upstream-timeout <ms>",
      "504 when the model takes longer",
      positiveInteger("--upstream-timeout"),
      60_000,
    )
    .option(
      "--shutdown-delay <ms>",
      "keep serving this long after SIGTERM",
      nonNegativeInteger("--shutdown-delay"),
      5000,
    )
    .option(
      "--drain-timeout <ms>",
      "wait this long for requests in flight on shutdown",
      positiveInteger("--drain-timeout"),
      20_000,
    )
    .addHelpText("after", HELP)
    .action(async (opts) => {
      const proxy: CaptureProxy = await startCaptureProxy({
        listenPort: opts.listen,
        upstream: opts.upstream,
        out: opts.out,
        endpoint: opts.endpoint,
        variant: opts.variant,
        revision: opts.revision,
        samplePercent: opts.sample,
        metricsPort: opts.metricsPort,
        instance: opts.instance,
        maxBodyBytes: opts.maxBodyBytes,
        upstreamTimeoutMs: opts.upstreamTimeout,
        shutdownDelayMs: opts.shutdownDelay,
        drainTimeoutMs: opts.drainTimeout,
        healthPaths: [...DEFAULT_HEALTH_PATHS, ...opts.healthPath],
      });
      process.stderr.write(
        `capture: listening on :${proxy.port} -> ${opts.upstream}, metrics on :${proxy.metricsPort}, ` +
          `capturing ${opts.sample}%${opts.out ? ` to ${opts.out}` : ""}\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          process.stderr.write(`capture: ${signal}, draining\n`);
          proxy.close().then(resolve, (error: unknown) => {
            process.stderr.write(`capture: shutdown failed: ${String(error)}\n`);
            process.exitCode = 1;
            resolve();
          });
        };
        process.once("SIGTERM", stop);
        process.once("SIGINT", stop);
      });
      const stats = proxy.writer?.stats;
      if (stats) {
        process.stderr.write(
          `capture: stopped; ${stats.rowsWritten} rows written, ${stats.rowsDropped} dropped, ${stats.writeErrors} write errors\n`,
        );
      }
    });
  return program;
}
