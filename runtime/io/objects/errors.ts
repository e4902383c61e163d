import { errorMessage, RuntimeInputError } from "../../errors";

/** The facts of an SDK error that decide the message: HTTP status, error name and code. */
function facts(error: unknown): { status?: number; name: string; code: string; message: string } {
  const e = (error ?? {}) as {
    name?: string;
    code?: string | number;
    statusCode?: number;
    $metadata?: { httpStatusCode?: number };
  };
  const status =
    e.$metadata?.httpStatusCode ?? e.statusCode ?? (typeof e.code === "number" ? e.code : undefined);
  return { status, name: String(e.name ?? ""), code: String(e.code ?? ""), message: errorMessage(error) };
}

const CREDENTIAL_ERRORS =
  /CredentialsProviderError|CredentialUnavailableError|AuthenticationRequiredError|ExpiredToken|InvalidAccessKeyId|TokenRefreshRequired|Could not load the default credentials|invalid_grant|ExpiredTokenException/i;

/**
 * Turns an object store's error into a message naming the URI, what went wrong and the credential
 * source tried: a missing bucket or object, denied access, missing or expired credentials, or an
 * unreachable endpoint.
 */
export function describeStoreError(uri: string, credentialSource: string, error: unknown): RuntimeInputError {
  if (error instanceof RuntimeInputError) return error;
  const { status, name, code, message } = facts(error);
  const detail = `${message}; credentials: ${credentialSource}`;
  const bucketMissing = /NoSuchBucket|ContainerNotFound|bucket does not exist/i.test(
    `${name} ${code} ${message}`,
  );
  // 401 is authentication (no token, or one the service does not accept); 403 is authorization.
  if (status === 401 || CREDENTIAL_ERRORS.test(`${name} ${code} ${message}`)) {
    return new RuntimeInputError({
      source: uri,
      problem: `no usable credentials (${detail})`,
      fix: "Give the job an identity (instance role, workload identity, managed identity) or set the credential variables, and check they have not expired",
    });
  }
  if (
    status === 403 ||
    /AccessDenied|AuthorizationFailure|AuthenticationFailed|AuthorizationPermissionMismatch/i.test(
      `${name} ${code}`,
    )
  ) {
    return new RuntimeInputError({
      source: uri,
      problem: `access denied (${detail})`,
      fix: "Grant the job's identity read (and for outputs, write) access to the bucket, or check the key",
    });
  }
  // Exact names: a DNS failure's code ENOTFOUND is not a missing object.
  if (
    status === 404 ||
    bucketMissing ||
    ["NoSuchKey", "NotFound", "BlobNotFound"].some((n) => n === name || n === code)
  ) {
    return new RuntimeInputError({
      source: uri,
      problem: `${bucketMissing ? "the bucket or container does not exist" : "no such object"} (${detail})`,
      fix: "Check the bucket and key, and that the data was written there",
    });
  }
  return new RuntimeInputError({
    source: uri,
    problem: `the object store failed (${detail})`,
    fix: "Check the endpoint is reachable (AWS_ENDPOINT_URL_S3, STORAGE_EMULATOR_HOST, AZURE_STORAGE_CONNECTION_STRING) and retry",
  });
}
