import type { Readable } from "node:stream";
import type { ObjectEntry, ObjectStore } from "./store";

/**
 * Which source of the AWS SDK's default credential chain applies, for messages. The chain itself is
 * the SDK's (environment, SSO/profile, web identity as on EKS, container and instance roles).
 */
export function awsCredentialSource(env: NodeJS.ProcessEnv): string {
  const chain = "AWS default credential chain";
  if (env.AWS_ACCESS_KEY_ID) return `${chain}: environment (AWS_ACCESS_KEY_ID)`;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE)
    return `${chain}: web identity token (AWS_WEB_IDENTITY_TOKEN_FILE, ${env.AWS_ROLE_ARN ?? "no AWS_ROLE_ARN"})`;
  if (env.AWS_PROFILE) return `${chain}: profile "${env.AWS_PROFILE}"`;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
    return `${chain}: container credentials (ECS task role or EKS Pod Identity)`;
  return `${chain}: shared config files, then the instance role (IMDS)`;
}

/**
 * S3 through `@aws-sdk/client-s3`. The endpoint is the SDK's own setting (`AWS_ENDPOINT_URL_S3`,
 * then `AWS_ENDPOINT_URL`, then the config file); when one is set, path-style addressing is used,
 * as MinIO and other S3-compatible stores need. Requests to a bucket in another region follow the
 * redirect, so AWS_REGION need only be a default.
 */
export async function createS3Store(env: NodeJS.ProcessEnv): Promise<ObjectStore> {
  const sdk = await import("@aws-sdk/client-s3");
  const endpointSet = Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
  const client = new sdk.S3Client({
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1",
    forcePathStyle: endpointSet,
    followRegionRedirects: true,
  });
  /** Throws the listing's NoSuchBucket when the bucket is missing; any other outcome is ignored. */
  const bucketMustExist = async (bucket: string): Promise<void> => {
    try {
      await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
    } catch (error) {
      // Without s3:ListBucket the listing is denied; the HEAD's own 404 is then the better answer.
      if ((error as { name?: string }).name === "NoSuchBucket") throw error;
    }
  };
  return {
    credentialSource: awsCredentialSource(env),
    async *list(bucket: string, prefix: string): AsyncGenerator<ObjectEntry> {
      let token: string | undefined;
      do {
        const page = await client.send(
          new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const item of page.Contents ?? []) {
          if (item.Key !== undefined) yield { key: item.Key, bytes: item.Size ?? 0 };
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    },
    async size(bucket: string, key: string): Promise<number> {
      try {
        const head = await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
        return head.ContentLength ?? 0;
      } catch (error) {
        // A HEAD response has no body, so a missing bucket and a missing key are the same bare 404.
        // A one-key listing tells them apart: it fails with NoSuchBucket when the bucket is missing.
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
          await bucketMustExist(bucket);
        throw error;
      }
    },
    async read(bucket: string, key: string): Promise<Readable> {
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
      // In Node the body is the HTTP response stream itself.
      return object.Body as Readable;
    },
    async readRange(bucket: string, key: string, start: number, end: number): Promise<Buffer> {
      if (end <= start) return Buffer.alloc(0);
      const object = await client.send(
        new sdk.GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}` }),
      );
      return Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array());
    },
    async write(bucket: string, key: string, body: Buffer, contentType: string): Promise<void> {
      await client.send(
        new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
      );
    },
  };
}
