import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Azurite's well-known development account (https://learn.microsoft.com/azure/storage/common/storage-use-azurite). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** A running emulator: its endpoint and how to stop it. */
export interface Emulator {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts s3rver (an S3 API server) on an ephemeral loopback port, with the given buckets, storing
 * objects in a temporary directory removed on close.
 */
export async function startS3rver(buckets: readonly string[]): Promise<Emulator> {
  const { default: S3rver } = (await import("s3rver")) as unknown as {
    default: new (
      options: Record<string, unknown>,
    ) => {
      run(): Promise<{ port: number }>;
      close(): Promise<void>;
    };
  };
  const directory = mkdtempSync(join(tmpdir(), "s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The environment that points the AWS SDK at an S3 emulator. */
export function s3Env(url: string): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL_S3: url,
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_REGION: "us-east-1",
  };
}

/**
 * Starts Azurite's Blob service in a child process on an ephemeral loopback port, in memory,
 * without telemetry. It checks SharedKey signatures, so a wrong key is denied as Azure would.
 */
export async function startAzurite(): Promise<Emulator> {
  const location = mkdtempSync(join(tmpdir(), "azurite-"));
  const main = join(dirname(require.resolve("azurite/package.json")), "dist/src/blob/main.js");
  const child: ChildProcess = spawn(
    process.execPath,
    [
      main,
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      "0",
      "--inMemoryPersistence",
      "--disableTelemetry",
      "--skipApiVersionCheck",
      "--silent",
    ],
    // In memory; anything else it writes lands in a temporary working directory.
    { stdio: ["ignore", "pipe", "pipe"], cwd: location },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`Azurite did not start: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /successfully listens on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with ${code}: ${output}`));
    });
  });
  return {
    url,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        await exited;
      }
      rmSync(location, { recursive: true, force: true });
    },
  };
}

/** An Azurite connection string, optionally with a wrong key to be denied. */
export function azuriteConnectionString(url: string, key = AZURITE_KEY): string {
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${key};BlobEndpoint=${url}/${AZURITE_ACCOUNT};`;
}
