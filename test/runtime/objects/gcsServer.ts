import { createHash, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An in-process HTTP server speaking the subset of the Cloud Storage JSON API the runtime uses
 * (https://cloud.google.com/storage/docs/json_api/v1): objects.list with prefix and page tokens,
 * objects.get (metadata, and media with `alt=media` and Range), and the single-request multipart
 * upload of objects.insert. Errors use the API's JSON error shape. Buckets live in memory.
 *
 * Like the real service, every JSON API request must carry `Authorization: Bearer <access token>`:
 * none is a 401 (anonymous caller), an unknown or expired token a 401 (Invalid Credentials), a
 * principal without a grant on the bucket a 403. Tokens come from the server's own Security Token
 * Service endpoint (`POST /v1/token`, the token exchange of https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token),
 * which Workload Identity Federation credentials (`external_account` with a `token_url`) call: the
 * client is configured as on a real cluster, through GOOGLE_APPLICATION_CREDENTIALS.
 */
export interface GcsTestServer {
  /** `http://127.0.0.1:<port>`, for STORAGE_EMULATOR_HOST. */
  readonly url: string;
  /** Bucket name → key → bytes. */
  readonly buckets: Map<string, Map<string, Buffer>>;
  /** Every request seen, as "METHOD path", to assert what the client asked for. */
  readonly requests: string[];
  /** Subject token (what a federated identity's token file holds) → the principal it stands for. */
  readonly identities: Map<string, string>;
  /** Bucket → principals granted object read and write on it (as an IAM binding would). */
  readonly grants: Map<string, Set<string>>;
  /** Invalidates every access token issued so far, as expiry does. */
  expireTokens(): void;
  close(): Promise<void>;
}

/**
 * Writes a Workload Identity Federation credential configuration (`type: external_account`, file
 * credential source) whose token exchange goes to this server, and the subject token file it reads.
 * Returns the configuration's path, for GOOGLE_APPLICATION_CREDENTIALS.
 */
export function writeExternalAccountConfig(server: GcsTestServer, dir: string, subjectToken: string): string {
  const tokenFile = `${dir}/subject-token-${createHash("md5").update(subjectToken).digest("hex")}`;
  writeFileSync(tokenFile, subjectToken);
  const config = `${tokenFile}.json`;
  writeFileSync(
    config,
    JSON.stringify({
      type: "external_account",
      audience: "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/test/providers/test",
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
      token_url: `${server.url}/v1/token`,
      // The client looks up the audience's project number's ID; this server answers that too.
      cloud_resource_manager_url: `${server.url}/v1/projects/`,
      credential_source: { file: tokenFile },
    }),
  );
  return config;
}

const PAGE_SIZE = 2;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
  res.end(JSON.stringify(body));
}

const REASONS: Record<number, string> = { 401: "required", 403: "forbidden", 404: "notFound" };

function apiError(res: ServerResponse, status: number, message: string, reason = REASONS[status]): void {
  sendJson(res, status, {
    error: { code: status, message, errors: [{ message, domain: "global", reason: reason ?? "invalid" }] },
  });
}

/** The permission a request needs and what it is checked on, for the service's denial messages. */
function permissionOf(method: string, isList: boolean, isUpload: boolean): [string, string] {
  if (isList) return ["storage.objects.list", "bucket"];
  if (isUpload) return ["storage.objects.create", "object"];
  return [method === "GET" ? "storage.objects.get" : "storage.objects.update", "object"];
}

/** CRC32C (Castagnoli, reflected polynomial 0x82F63B78), as Cloud Storage reports it: big-endian, base64. */
function crc32c(bytes: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString("base64");
}

function resource(bucket: string, name: string, bytes: Buffer): Record<string, string> {
  return {
    kind: "storage#object",
    id: `${bucket}/${name}/1`,
    name,
    bucket,
    generation: "1",
    size: String(bytes.length),
    md5Hash: createHash("md5").update(bytes).digest("base64"),
    crc32c: crc32c(bytes),
  };
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Splits a multipart/related body into its parts' bodies (metadata JSON, then media). */
function multipartParts(bytes: Buffer, contentType: string): Buffer[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (boundary === undefined) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let at = bytes.indexOf(delimiter);
  while (at >= 0) {
    const next = bytes.indexOf(delimiter, at + delimiter.length);
    if (next < 0) break;
    const part = bytes.subarray(at + delimiter.length, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    // The part body ends before the CRLF that precedes the next delimiter.
    parts.push(part.subarray(headerEnd + 4, part.length - 2));
    at = next;
  }
  return parts;
}

export async function startGcsServer(): Promise<GcsTestServer> {
  const buckets = new Map<string, Map<string, Buffer>>();
  const requests: string[] = [];
  const identities = new Map<string, string>();
  const grants = new Map<string, Set<string>>();
  /** Access token → principal. */
  const tokens = new Map<string, string>();
  /** The STS token exchange: a known subject token gets a bearer access token for its principal. */
  const exchangeToken = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const form = new URLSearchParams((await body(req)).toString("utf8"));
    const principal = identities.get(form.get("subject_token") ?? "");
    if (
      form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:token-exchange" ||
      principal === undefined
    )
      return sendJson(res, 400, {
        error: "invalid_grant",
        error_description: "The subject token is invalid.",
      });
    const token = `ya29.test-${randomBytes(12).toString("hex")}`;
    tokens.set(token, principal);
    sendJson(res, 200, {
      access_token: token,
      issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
      token_type: "Bearer",
      expires_in: 3600,
    });
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push(`${req.method} ${url.pathname}`);
    // The client drops the /storage/v1 base path when it talks to STORAGE_EMULATOR_HOST.
    const path = url.pathname.replace(/^\/storage\/v1\//, "/");
    const list = /^\/b\/([^/]+)\/o$/.exec(path);
    const get = /^\/b\/([^/]+)\/o\/(.+)$/.exec(path);
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(path);
    if (path === "/v1/token" && req.method === "POST") return exchangeToken(req, res);
    const project = /^\/v1\/projects\/(\d+)$/.exec(path);
    if (project !== null) return sendJson(res, 200, { projectNumber: project[1], projectId: "test-project" });
    const bucketName = decodeURIComponent((list ?? get ?? upload)?.[1] ?? "");
    const [permission, on] = permissionOf(req.method ?? "GET", list !== null, upload !== null);
    const denied = `does not have ${permission} access to the Google Cloud Storage ${on}. Permission '${permission}' denied on resource (or it may not exist).`;
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (bearer === undefined) return apiError(res, 401, `Anonymous caller ${denied}`);
    const principal = tokens.get(bearer);
    if (principal === undefined) return apiError(res, 401, "Invalid Credentials", "authError");
    const bucket = buckets.get(bucketName);
    if (bucket === undefined) return apiError(res, 404, "The specified bucket does not exist.");
    if (!grants.get(bucketName)?.has(principal)) return apiError(res, 403, `${principal} ${denied}`);
    if (list !== null && req.method === "GET") {
      const prefix = url.searchParams.get("prefix") ?? "";
      const names = [...bucket.keys()].filter((name) => name.startsWith(prefix)).sort();
      const start = Number(url.searchParams.get("pageToken") ?? 0);
      const page = names.slice(start, start + PAGE_SIZE);
      return sendJson(res, 200, {
        kind: "storage#objects",
        items: page.map((name) => resource(bucketName, name, bucket.get(name) as Buffer)),
        ...(start + PAGE_SIZE < names.length ? { nextPageToken: String(start + PAGE_SIZE) } : {}),
      });
    }
    if (get !== null && req.method === "GET") {
      const name = decodeURIComponent(get[2] as string);
      const bytes = bucket.get(name);
      if (bytes === undefined) return apiError(res, 404, `No such object: ${bucketName}/${name}`);
      if (url.searchParams.get("alt") !== "media")
        return sendJson(res, 200, resource(bucketName, name, bytes));
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
      if (range !== null) {
        const from = Number(range[1]);
        const to = range[2] === "" ? bytes.length - 1 : Math.min(Number(range[2]), bytes.length - 1);
        res.writeHead(206, {
          "content-range": `bytes ${from}-${to}/${bytes.length}`,
          "content-length": to - from + 1,
        });
        return res.end(bytes.subarray(from, to + 1));
      }
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": bytes.length,
        "x-goog-hash": `crc32c=${crc32c(bytes)},md5=${createHash("md5").update(bytes).digest("base64")}`,
      });
      return res.end(bytes);
    }
    if (upload !== null && req.method === "POST" && url.searchParams.get("uploadType") === "multipart") {
      const [metadata, media] = multipartParts(await body(req), req.headers["content-type"] ?? "");
      const name =
        (JSON.parse(metadata?.toString("utf8") ?? "{}") as { name?: string }).name ??
        url.searchParams.get("name");
      if (!name || media === undefined) return apiError(res, 400, "multipart upload without a name or media");
      bucket.set(name, Buffer.from(media));
      return sendJson(res, 200, resource(bucketName, name, media));
    }
    apiError(res, 400, `unsupported request ${req.method} ${url.pathname}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    buckets,
    requests,
    identities,
    grants,
    expireTokens: () => tokens.clear(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
