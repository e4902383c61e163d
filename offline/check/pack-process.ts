import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { parse } from "yaml";

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

/** How long a pack may take to print its port (ts-node type-checks it on the first run). @default 120 s */
const START_TIMEOUT_MS = 120_000;

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

  private constructor(
    readonly project: PolicyProject,
    private readonly child: ChildProcess,
    readonly client: AnalyzerClient,
  ) {
    child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
  }

  /** Everything the pack wrote to stderr so far (its `console.error` and crash reports). */
  get errorOutput(): string {
    return this.stderr;
  }

  static async start(project: PolicyProject, env: PackEnvironment): Promise<PolicyPackProcess> {
    const runner = resolveRunPolicyPack(project.dir);
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], {
      cwd: project.dir,
      env: packEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
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
            `policy pack at "${project.dir}" did not print its port within ${START_TIMEOUT_MS / 1000} s.${stderr ? `\n${stderr.trim()}` : ""}`,
          ),
        );
      }, START_TIMEOUT_MS);
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
        reject(new PolicyPackError(`policy pack at "${project.dir}" failed to start: ${err.message}`));
      });
    });
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
      "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    const pack = new PolicyPackProcess(project, child, client);
    pack.stderr = stderr;
    return pack;
  }

  /** Calls one unary RPC of the analyzer service and turns a gRPC failure into a readable error. */
  call<Req, Res>(method: string, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      type Unary = (req: Req, cb: (err: grpc.ServiceError | null, response: Res) => void) => void;
      const fn = (this.client as unknown as Record<string, Unary>)[method]!;
      fn.call(this.client, request, (err, response) => {
        if (err) reject(err);
        else resolve(response);
      });
    });
  }

  /** Stops the pack; the CLI does the same when the operation ends. */
  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill();
    });
  }
}
