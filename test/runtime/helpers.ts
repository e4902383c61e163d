import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { buildSync } from "esbuild";
import type { CommandIo } from "../../runtime/commands/drift";

export const REPO = resolve(__dirname, "../..");
export const DATA = join(__dirname, "data");

/** A fresh temporary directory per test file. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Captured stdout/stderr for calling the commands in-process. */
export function captureIo(stdinText = ""): CommandIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on("data", (c: Buffer) => chunks.out.push(c));
  stderr.on("data", (c: Buffer) => chunks.err.push(c));
  return {
    stdin: Readable.from([stdinText]),
    stdout,
    stderr,
    out: () => Buffer.concat(chunks.out).toString("utf8"),
    err: () => Buffer.concat(chunks.err).toString("utf8"),
  };
}

let bundle: string | undefined;

/**
 * The container entrypoint bundled exactly as runtime/Dockerfile bundles it (esbuild, CommonJS,
 * node22), built once per test file. Spawning the bundle tests what ships, and starts in a
 * fraction of the time tsx needs to transpile the sources on every spawn.
 */
export function entrypointBundle(): string {
  if (bundle === undefined) {
    const outfile = join(tempDir("mlops-bundle-"), "mlops-runtime.cjs");
    buildSync({
      entryPoints: [join(REPO, "runtime/main.ts")],
      bundle: true,
      platform: "node",
      target: "node22",
      format: "cjs",
      outfile,
      logLevel: "warning",
      // As runtime/Dockerfile: the native ONNX Runtime binding stays outside the bundle.
      external: ["onnxruntime-node"],
    });
    bundle = outfile;
  }
  return bundle;
}

/** Runs the container entrypoint as a user would. */
export function runMain(
  args: string[],
  input?: string,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [entrypointBundle(), ...args], {
    cwd: REPO,
    input,
    encoding: "utf8",
    // The image puts onnxruntime-node beside the bundle; here the repository's copy stands in.
    env: { ...process.env, NO_PROGRESS: "1", NODE_PATH: join(REPO, "node_modules") },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Files in a directory, for asserting nothing (not even a temporary file) was left behind. */
export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** Cuts `bytes` at the given offsets, taken modulo its length + 1 (they may fall inside a multi-byte character). */
export function cutAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const offsets = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const offset of offsets) {
    if (offset > last) out.push(bytes.subarray(last, offset));
    last = Math.max(last, offset);
  }
  if (last < bytes.length) out.push(bytes.subarray(last));
  return out;
}
