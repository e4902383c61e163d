import { RuntimeInputError } from "../../errors";

/** The object stores the runtime reads and writes, by URI scheme. */
export const ObjectScheme = {
  S3: "s3",
  GCS: "gs",
  Azure: "az",
} as const;
export type ObjectScheme = (typeof ObjectScheme)[keyof typeof ObjectScheme];

/** A parsed object-storage URI. */
export interface ObjectUri {
  readonly scheme: ObjectScheme;
  /** S3 or Cloud Storage bucket, or Azure container. */
  readonly bucket: string;
  /** Object key or blob name (may be empty, a prefix, or a glob). */
  readonly key: string;
  /**
   * Azure storage account, from an `abfss://container@account.dfs.core.windows.net/…` URI.
   * @default AZURE_STORAGE_ACCOUNT, or the account of AZURE_STORAGE_CONNECTION_STRING
   */
  readonly account?: string;
  /** The URI as given, used in every message. */
  readonly text: string;
}

const URI = /^(s3|gs|az|abfss):\/\/([^/]*)\/?(.*)$/s;
const ABFSS_HOST = /^([^@]+)@([a-z0-9]+)\.dfs\.core\.windows\.net$/;

/** True when the argument names object storage rather than a local path. */
export function isObjectUri(value: string): boolean {
  return /^(s3|gs|az|abfss):\/\//.test(value);
}

/** Parses `s3://bucket/key`, `gs://bucket/key`, `az://container/path` or `abfss://container@account.dfs.core.windows.net/path`. */
export function parseObjectUri(text: string): ObjectUri {
  const match = URI.exec(text);
  const fix =
    "Write s3://bucket/key, gs://bucket/key, az://container/path or abfss://container@account.dfs.core.windows.net/path";
  if (match === null || match[2] === "") {
    throw new RuntimeInputError({ source: text, problem: "not an object-storage URI with a bucket", fix });
  }
  const [, scheme, host, key] = match as unknown as [string, string, string, string];
  if (scheme !== "abfss") return { scheme: scheme as ObjectScheme, bucket: host, key, text };
  const abfss = ABFSS_HOST.exec(host);
  if (abfss === null) {
    throw new RuntimeInputError({
      source: text,
      problem: `"${host}" is not container@account.dfs.core.windows.net`,
      fix,
    });
  }
  return { scheme: ObjectScheme.Azure, bucket: abfss[1] as string, account: abfss[2], key, text };
}

/** The URI of another key in the same bucket, in the scheme the user wrote. */
export function siblingUri(base: ObjectUri, key: string): string {
  const head = base.text.slice(0, base.text.length - base.key.length);
  return `${head}${head.endsWith("/") ? "" : "/"}${key}`;
}

/** True when a key holds glob syntax (`*`, `?`, `[`, `{`), so it is matched against a listing. */
export function hasGlob(key: string): boolean {
  return /[*?[{]/.test(key);
}

/** The literal directory part of a glob, up to its last `/` before the first glob character: what to list. */
export function globPrefix(key: string): string {
  const first = key.search(/[*?[{]/);
  const literal = first < 0 ? key : key.slice(0, first);
  return literal.slice(0, literal.lastIndexOf("/") + 1);
}
