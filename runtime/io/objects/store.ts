import type { Readable } from "node:stream";
import { createAzureStore } from "./azure";
import { createGcsStore } from "./gcs";
import { createS3Store } from "./s3";
import { type ObjectScheme, type ObjectUri, ObjectScheme as Scheme } from "./uri";

/** One listed object. */
export interface ObjectEntry {
  /** Key (blob name) within the bucket. */
  readonly key: string;
  /** Size in bytes. */
  readonly bytes: number;
}

/**
 * The operations the runtime needs from a bucket, one implementation per cloud SDK. Every method
 * throws the SDK's own error; `describeStoreError` turns it into a message naming the URI and the
 * credential source.
 */
export interface ObjectStore {
  /** Where the credentials come from, for messages (e.g. "AWS default chain: web identity token"). */
  readonly credentialSource: string;
  /** Every object whose key starts with `prefix`, in key order. */
  list(bucket: string, prefix: string): AsyncIterable<ObjectEntry>;
  /** Size of one object; throws when it does not exist. */
  size(bucket: string, key: string): Promise<number>;
  /** The object's bytes as a stream, never buffered whole. */
  read(bucket: string, key: string): Promise<Readable>;
  /** Bytes [start, end) of the object (Parquet reads its footer and column chunks by range). */
  readRange(bucket: string, key: string, start: number, end: number): Promise<Buffer>;
  /**
   * Stores the whole body in one request, so the object appears complete or not at all: S3
   * PutObject, a Cloud Storage single-request upload and an Azure Put Blob are each atomic.
   */
  write(bucket: string, key: string, body: Buffer, contentType: string): Promise<void>;
}

const stores = new Map<string, Promise<ObjectStore>>();

/**
 * The store for a URI. Each cloud's SDK is imported (dynamically, inside its `create…Store`) only
 * when one of its URIs is first used, so a local run or `mlops preview` never loads it.
 */
export function storeFor(uri: ObjectUri, env: NodeJS.ProcessEnv = process.env): Promise<ObjectStore> {
  const cacheKey = `${uri.scheme}:${uri.account ?? ""}`;
  let store = stores.get(cacheKey);
  if (store === undefined) {
    store = createStore(uri.scheme, uri.account, env);
    stores.set(cacheKey, store);
    // A failed creation (e.g. a malformed connection string) is not cached.
    store.catch(() => stores.delete(cacheKey));
  }
  return store;
}

async function createStore(
  scheme: ObjectScheme,
  account: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<ObjectStore> {
  switch (scheme) {
    case Scheme.S3:
      return createS3Store(env);
    case Scheme.GCS:
      return createGcsStore(env);
    case Scheme.Azure:
      return createAzureStore(account, env);
  }
}

/** Forgets the cached clients (tests change the endpoint variables between servers). */
export function resetStores(): void {
  stores.clear();
}
