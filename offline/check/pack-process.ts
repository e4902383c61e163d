import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { parse } from "yaml";
import { formatSeconds, TIMEOUT_ENV } from "../deadline";

/** Raised when a policy pack cannot be started or answers with an error; the message says what the CLI would. */
export class PolicyPackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyPackError";
  }
}

/** What `PulumiPolicy.yaml` says about the pack. */
export interface PolicyProject {
  dir: string;
  runtime: string;
  /** Overrides the version the pack reports, as the CLI does (`analyzer_plugin.go`). */
  version?: string;
  description?: string;
}

/** Reads `<dir>/PulumiPolicy.yaml` and refuses what the CLI would refuse to start. */
export function loadPolicyProject(dir: string): PolicyProject {
  const file = path.join(dir, "PulumiPolicy.yaml");
  if (!existsSync(file)) {
    throw new PolicyPackError(
      `failed to load Pulumi policy project located at "${dir}": no PulumiPolicy.yaml. Fix: point --policy-pack at a policy pack directory.`,
    );
  }
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new PolicyPackError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const project = (doc ?? {}) as { runtime?: unknown; version?: unknown; description?: unknown };
  const runtime =
    typeof project.runtime === "string"
      ? project.runtime
      : project.runtime && typeof project.runtime === "object" && "name" in project.runtime
        ? String((project.runtime as { name: unknown }).name)
        : undefined;
  if (runtime !== "nodejs") {
    throw new PolicyPackError(
      `${file}: runtime ${JSON.stringify(runtime ?? null)} is not supported offline. Fix: only nodejs policy packs can be run by 'mlops check'.`,
    );
  }
  if (!existsSync(path.join(dir, "package.json"))) {
    throw new PolicyPackError(
      `${path.join(dir, "package.json")}: missing. Fix: a Node.js policy pack needs a package.json with a "version" (the PolicyPack constructor reads it).`,
    );
  }
  return {
    dir,
    runtime,
    version: project.version === undefined ? undefined : String(project.version),
    description: typeof project.description === "string" ? project.description : undefined,
  };
}

/** The environment the Pulumi CLI gives a Node.js policy pack (`analyzer_plugin.go` `constructEnv`). */
export interface PackEnvironment {
  organization: string;
  project: string;
  stack: string;
  dryRun: boolean;
  /** Stack config, `<namespace>:<key>` → string, secrets in plain text as the CLI decrypts them. */
  config: Record<string, string>;
  secretKeys: string[];
}

export function packEnv(env: PackEnvironment): NodeJS.ProcessEnv {
  // As the CLI: this process's environment (NODE_OPTIONS, TS_NODE_* included), plus the stack's.
  const out: NodeJS.ProcessEnv = { ...process.env };
  if (Object.keys(env.config).length > 0) out.PULUMI_CONFIG = JSON.stringify(env.config);
  if (env.secretKeys.length > 0) out.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(env.secretKeys);
  const dryRun = String(env.dryRun);
  Object.assign(out, {
    PULUMI_NODEJS_ORGANIZATION: env.organization,
    PULUMI_NODEJS_PROJECT: env.project,
    PULUMI_NODEJS_STACK: env.stack,
    PULUMI_NODEJS_DRY_RUN: dryRun,
    PULUMI_ORGANIZATION: env.organization,
    PULUMI_PROJECT: env.project,
    PULUMI_STACK: env.stack,
    PULUMI_DRY_RUN: dryRun,
  });
  return out;
}

/** Finds `@pulumi/pulumi/cmd/run-policy-pack` from the pack's directory, as the `pulumi-analyzer-policy` shim does. */
function resolveRunPolicyPack(packDir: string): string {
  try {
    return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
  } catch {
    throw new PolicyPackError(
      `it looks like the policy pack's dependencies are not installed; try running npm install or yarn install in "${packDir}"`,
    );
  }
}

/** gRPC status codes a call fails with when the pack's process is gone or its deadline passed. */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;
const GRPC_CANCELLED = 1;
const GRPC_INTERNAL = 13;

/**
 * The least time a pack gets to start, whatever the stage deadline: ts-node type-checks it on its first
 * run, which takes tens of seconds on a busy CI runner. @default 120 s
 */
const MIN_START_TIMEOUT_MS = 120_000;

/** How long to wait for the pack's exit to be seen after a call failed as if its connection dropped. */
const EXIT_GRACE_MS = 2_000;

/**
 * A running policy pack: the child process the Pulumi CLI would start, and a gRPC client on the port
 * it printed.
 *
 * The pack is started exactly as the CLI's `pulumi-analyzer-policy` shim starts it:
 * `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine-address> .` with the pack
 * directory as working directory. `run-policy-pack` registers ts-node for TypeScript packs, type-checking
 * them; when the pack's dependencies do not include ts-node (ours do not), it uses the copy vendored in
 * `@pulumi/pulumi` (ts-node 7.0.1) with the project's own `typescript`, and ts-node caches the compiled
 * output in the OS temp directory, so only the first run pays for the type check. That is what the CLI
 * would do on the same checkout, so a pack that does not compile fails here as it would there. No
 * engine is listening: the address is a placeholder that the Node.js pack never dials.
 */
export class PolicyPackProcess {
  private stderr = "";
  /** How the pack's process ended, once it has. */
  private exit?: { code: number | null; signal: NodeJS.Signals | null };
  private readonly exited: Promise<void>;
  private closing = false;

  private constructor(
    readonly project: PolicyProject,
    private readonly child: ChildProcess,
    readonly client: AnalyzerClient,
    /** How long each call may take. */
    readonly callTimeoutMs: number,
  ) {
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.exit = { code: child.exitCode, signal: child.signalCode };
        resolve();
        return;
      }
      child.once("exit", (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
    });
  }

  /** Everything the pack wrote to stderr so far (its `console.error` and crash reports). */
  get errorOutput(): string {
    return this.stderr;
  }

  /**
   * Starts the pack; `timeoutMs` bounds each later call, and its start too when longer than 120 s
   * (ts-node type-checks the pack on its first run).
   */
  static async start(
    project: PolicyProject,
    env: PackEnvironment,
    timeoutMs: number,
    /** Aborting it kills the pack, started or not. */
    signal?: AbortSignal,
  ): Promise<PolicyPackProcess> {
    const runner = resolveRunPolicyPack(project.dir);
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], {
      cwd: project.dir,
      env: packEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
      ...(signal ? { signal } : {}),
    });
    const startTimeoutMs = Math.max(timeoutMs, MIN_START_TIMEOUT_MS);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const port = await new Promise<number>((resolve, reject) => {
      let stdout = "";
      const timer = setTimeout(() => {
        child.kill();
        reject(
          new PolicyPackError(
            `policy pack at "${project.dir}" did not print its port within ${formatSeconds(startTimeoutMs)}. Fix: if it is only slow to compile, raise --timeout or ${TIMEOUT_ENV}.${stderr ? `\n${stderr.trim()}` : ""}`,
          ),
        );
      }, startTimeoutMs);
      const onData = (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split("\n")[0] ?? "";
        if (stdout.includes("\n")) {
          clearTimeout(timer);
          child.stdout.off("data", onData);
          // Whatever the pack prints after its port is its own output; keep the pipe drained.
          child.stdout.resume();
          const parsed = Number.parseInt(line.trim(), 10);
          if (Number.isInteger(parsed) && parsed > 0) resolve(parsed);
          else {
            child.kill();
            reject(
              new PolicyPackError(
                `policy pack at "${project.dir}" printed ${JSON.stringify(line)} where its port was expected`,
              ),
            );
          }
        }
      };
      child.stdout.on("data", onData);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(
          new PolicyPackError(
            `policy pack at "${project.dir}" failed to start: it exited with ${signal ?? `code ${code}`} before printing its port${stderr ? `:\n${stderr.trim()}` : ""}`,
          ),
        );
      });
      child.once("error", (err) => {
        clearTimeout(timer);
        if (err.name === "AbortError") {
          reject(new PolicyPackError(`policy pack at "${project.dir}" was stopped before it started`));
          return;
        }
        reject(new PolicyPackError(`policy pack at "${project.dir}" failed to start: ${err.message}`));
      });
    });
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
      "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    const pack = new PolicyPackProcess(project, child, client, timeoutMs);
    pack.stderr = stderr;
    return pack;
  }

  /**
   * Calls one unary RPC of the analyzer service, within the call deadline. `what` names the call in
   * errors (`Analyze of <urn>`); a call that fails because the pack's process exited is reported as
   * that exit, with its code and stderr, rather than as a dropped connection.
   */
  call<Req, Res>(method: string, request: Req, what: string): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      type Unary = (
        req: Req,
        metadata: grpc.Metadata,
        options: grpc.CallOptions,
        cb: (err: grpc.ServiceError | null, response: Res) => void,
      ) => void;
      const fn = (this.client as unknown as Record<string, Unary>)[method]!;
      const deadline = Date.now() + this.callTimeoutMs;
      fn.call(this.client, request, new grpc.Metadata(), { deadline }, (err, response) => {
        if (!err) resolve(response);
        else this.explain(err, what).then(reject, reject);
      });
    });
  }

  /** Turns a failed call into the error to report: the pack's exit, a missed deadline, or the call's own failure. */
  private async explain(err: grpc.ServiceError, what: string): Promise<Error> {
    if (!this.closing && [GRPC_UNAVAILABLE, GRPC_CANCELLED, GRPC_INTERNAL].includes(err.code)) {
      // The connection drops before the process's exit is seen; give it a moment to be.
      await Promise.race([this.exited, new Promise((r) => setTimeout(r, EXIT_GRACE_MS).unref())]);
    }
    const stderr = this.stderr.trim();
    if (this.exit && !this.closing) {
      const how = this.exit.signal ? `signal ${this.exit.signal}` : `code ${this.exit.code}`;
      return new PolicyPackError(
        `policy pack at "${this.project.dir}" exited with ${how} during ${what.split(" ")[0]}; ${stderr ? `its stderr:\n${stderr}` : "it wrote nothing to stderr."}`,
      );
    }
    if (err.code === GRPC_DEADLINE_EXCEEDED) {
      return new PolicyPackError(
        `policy pack at "${this.project.dir}": ${what} did not answer within ${formatSeconds(this.callTimeoutMs)}. Fix: find the policy that never returns (a Promise it never settles); if it is only slow, raise --timeout or ${TIMEOUT_ENV}.${stderr ? `\n${stderr}` : ""}`,
      );
    }
    return err;
  }

  /** Stops the pack; the CLI does the same when the operation ends. */
  async close(): Promise<void> {
    this.closing = true;
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill();
    });
  }
}
