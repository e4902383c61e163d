import type { Readable } from "node:stream";
import type { ObjectEntry, ObjectStore } from "./store";

/** Which source of Google's Application Default Credentials applies, for messages. */
export function gcsCredentialSource(env: NodeJS.ProcessEnv): string {
  const adc = "Google Application Default Credentials";
  const emulator = env.STORAGE_EMULATOR_HOST
    ? `emulator at STORAGE_EMULATOR_HOST=${env.STORAGE_EMULATOR_HOST}`
    : undefined;
  if (env.GOOGLE_APPLICATION_CREDENTIALS)
    return `${adc}: GOOGLE_APPLICATION_CREDENTIALS=${env.GOOGLE_APPLICATION_CREDENTIALS}${emulator ? `, ${emulator}` : ""}`;
  if (emulator) return `none (anonymous): ${emulator}`;
  return `${adc}: gcloud's application_default_credentials.json, then the metadata server (workload identity)`;
}

/**
 * Cloud Storage through `@google-cloud/storage`, with Application Default Credentials. The SDK
 * itself reads `STORAGE_EMULATOR_HOST`, and by default sends no credentials to such an endpoint (as
 * anonymous emulators expect); when GOOGLE_APPLICATION_CREDENTIALS is also set, the credentials it
 * names are sent there too (`useAuthWithCustomEndpoint`), as a private endpoint or an emulator that
 * checks tokens needs.
 */
export async function createGcsStore(env: NodeJS.ProcessEnv): Promise<ObjectStore> {
  const { Storage } = await import("@google-cloud/storage");
  const storage = new Storage({ useAuthWithCustomEndpoint: Boolean(env.GOOGLE_APPLICATION_CREDENTIALS) });
  return {
    credentialSource: gcsCredentialSource(env),
    async *list(bucket: string, prefix: string): AsyncGenerator<ObjectEntry> {
      let pageToken: string | undefined;
      do {
        const [files, next] = await storage
          .bucket(bucket)
          .getFiles({ prefix, autoPaginate: false, pageToken });
        for (const file of files) yield { key: file.name, bytes: Number(file.metadata.size ?? 0) };
        pageToken = (next as { pageToken?: string } | undefined)?.pageToken;
      } while (pageToken !== undefined);
    },
    async size(bucket: string, key: string): Promise<number> {
      const [metadata] = await storage.bucket(bucket).file(key).getMetadata();
      return Number(metadata.size ?? 0);
    },
    async read(bucket: string, key: string): Promise<Readable> {
      // The request starts on the first read; a missing object surfaces from size(), called first.
      return storage.bucket(bucket).file(key).createReadStream();
    },
    async readRange(bucket: string, key: string, start: number, end: number): Promise<Buffer> {
      if (end <= start) return Buffer.alloc(0);
      const [bytes] = await storage
        .bucket(bucket)
        .file(key)
        .download({ start, end: end - 1, validation: false });
      return bytes;
    },
    async write(bucket: string, key: string, body: Buffer, contentType: string): Promise<void> {
      await storage.bucket(bucket).file(key).save(body, { resumable: false, contentType });
    },
  };
}
