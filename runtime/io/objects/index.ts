import { PassThrough, type Readable } from "node:stream";
import picomatch from "picomatch";
import { RuntimeInputError } from "../../errors";
import { describeStoreError } from "./errors";
import { type ObjectStore, storeFor } from "./store";
import { globPrefix, hasGlob, type ObjectUri, parseObjectUri, siblingUri } from "./uri";

export { isObjectUri } from "./uri";

/** One object an input argument names, with its size. */
export interface ObjectInput {
  /** The object's URI, in the scheme the argument used. */
  readonly uri: string;
  readonly bytes: number;
}

/** Runs one store call, turning its failure into a message naming the URI and the credentials. */
async function withStore<T>(uri: ObjectUri, call: (store: ObjectStore) => Promise<T>): Promise<T> {
  let store: ObjectStore | undefined;
  try {
    store = await storeFor(uri);
    return await call(store);
  } catch (error) {
    throw describeStoreError(
      uri.text,
      store?.credentialSource ?? "none (the client could not be created)",
      error,
    );
  }
}

/**
 * Every object below a prefix URI (a `/` is added when missing), sorted by key; none is an empty
 * list, not an error (a capture location with no traffic yet).
 */
export async function listObjects(prefixText: string): Promise<ObjectInput[]> {
  const text = prefixText.endsWith("/") ? prefixText : `${prefixText}/`;
  const uri = parseObjectUri(text);
  const found = await withStore(uri, async (store) => {
    const entries: ObjectInput[] = [];
    for await (const entry of store.list(uri.bucket, uri.key)) {
      if (!entry.key.endsWith("/")) entries.push({ uri: siblingUri(uri, entry.key), bytes: entry.bytes });
    }
    return entries;
  });
  return found.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
}

/**
 * The objects an argument names, sorted by key (so every shard of a run sees one order): the object
 * itself, every object under a prefix ending in `/`, or every object matching a glob (`*` within a
 * path segment, `**` across segments). A prefix or glob that matches nothing is an error, not an
 * empty data set.
 */
export async function expandObjectUri(text: string): Promise<ObjectInput[]> {
  const uri = parseObjectUri(text);
  const isPrefix = uri.key === "" || uri.key.endsWith("/");
  if (!isPrefix && !hasGlob(uri.key)) return [{ uri: text, bytes: await objectSize(text) }];
  const prefix = isPrefix ? uri.key : globPrefix(uri.key);
  const matches = isPrefix ? () => true : picomatch(uri.key, { dot: true });
  const found = await withStore(uri, async (store) => {
    const entries: ObjectInput[] = [];
    for await (const entry of store.list(uri.bucket, prefix)) {
      // Folder markers (zero-byte keys ending in "/") are not data.
      if (entry.key.endsWith("/") || !matches(entry.key)) continue;
      entries.push({ uri: siblingUri(uri, entry.key), bytes: entry.bytes });
    }
    return entries;
  });
  if (found.length === 0) {
    throw new RuntimeInputError({
      source: text,
      problem: isPrefix ? "no object under this prefix" : "the pattern matches no object",
      fix: "Check the bucket, the prefix and the pattern (** matches across folders, * within one)",
    });
  }
  return found.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
}

/** Size of one object in bytes; a missing object or bucket is an error naming the URI. */
export async function objectSize(text: string): Promise<number> {
  const uri = parseObjectUri(text);
  return withStore(uri, (store) => store.size(uri.bucket, uri.key));
}

/** The object's bytes as a stream; a failure mid-read is reported with the URI and credentials. */
export async function openObjectStream(text: string): Promise<Readable> {
  const uri = parseObjectUri(text);
  let credentialSource = "";
  const source = await withStore(uri, async (store) => {
    credentialSource = store.credentialSource;
    return store.read(uri.bucket, uri.key);
  });
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  source.once("error", (error) => out.destroy(describeStoreError(text, credentialSource, error)));
  out.once("close", () => source.destroy());
  return source.pipe(out);
}

/** A whole small object (a profile, a job config) as UTF-8 text. */
export async function readObjectText(text: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await openObjectStream(text)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Bytes [start, end) of an object, for Parquet's random access. */
export async function readObjectRange(text: string, start: number, end: number): Promise<Buffer> {
  const uri = parseObjectUri(text);
  return withStore(uri, (store) => store.readRange(uri.bucket, uri.key, start, end));
}

/**
 * Writes a whole report, profile or metrics file in one request: the object appears complete or not
 * at all, so a failed run leaves no partial object.
 */
export async function writeObject(
  text: string,
  contents: string | Buffer,
  contentType: string,
): Promise<void> {
  const uri = parseObjectUri(text);
  if (uri.key === "" || uri.key.endsWith("/") || hasGlob(uri.key)) {
    throw new RuntimeInputError({
      source: text,
      problem: "an output must name one object, not a prefix or a pattern",
      fix: "Give the full key, e.g. s3://bucket/reports/run.json",
    });
  }
  const body = typeof contents === "string" ? Buffer.from(contents, "utf8") : contents;
  await withStore(uri, (store) => store.write(uri.bucket, uri.key, body, contentType));
}
