import type { Readable } from "node:stream";
import { RuntimeInputError } from "../../errors";
import type { ObjectEntry, ObjectStore } from "./store";

/** The account name a connection string carries (`AccountName=…`), for messages. */
function connectionStringAccount(connectionString: string): string | undefined {
  return /(?:^|;)\s*AccountName=([^;]+)/i.exec(connectionString)?.[1];
}

/** Which credential an Azure store uses, for messages. */
export function azureCredentialSource(account: string | undefined, env: NodeJS.ProcessEnv): string {
  if (env.AZURE_STORAGE_CONNECTION_STRING) {
    const name = connectionStringAccount(env.AZURE_STORAGE_CONNECTION_STRING);
    return `AZURE_STORAGE_CONNECTION_STRING (account ${name ?? "unnamed"})`;
  }
  const chain = `DefaultAzureCredential for account ${account ?? "(none)"}`;
  if (env.AZURE_FEDERATED_TOKEN_FILE) return `${chain}: workload identity (AZURE_FEDERATED_TOKEN_FILE)`;
  if (env.AZURE_CLIENT_SECRET || env.AZURE_CLIENT_CERTIFICATE_PATH)
    return `${chain}: environment service principal`;
  return `${chain}: environment, workload identity, managed identity, then the Azure CLI`;
}

/**
 * Azure Blob Storage through `@azure/storage-blob`. With `AZURE_STORAGE_CONNECTION_STRING` set
 * (Azurite's included) the client is built from it; otherwise from the account's blob endpoint
 * and `@azure/identity`'s DefaultAzureCredential (workload identity on AKS, managed identity on
 * Azure ML and Container Apps), imported only on that path.
 */
export async function createAzureStore(
  uriAccount: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<ObjectStore> {
  const sdk = await import("@azure/storage-blob");
  const account = uriAccount ?? env.AZURE_STORAGE_ACCOUNT;
  let service: InstanceType<typeof sdk.BlobServiceClient>;
  if (env.AZURE_STORAGE_CONNECTION_STRING) {
    service = sdk.BlobServiceClient.fromConnectionString(env.AZURE_STORAGE_CONNECTION_STRING);
  } else {
    if (account === undefined || account === "") {
      throw new RuntimeInputError({
        source: "az://",
        problem: "no storage account is known for an az:// URI",
        fix: "Set AZURE_STORAGE_ACCOUNT, write abfss://container@account.dfs.core.windows.net/path, or set AZURE_STORAGE_CONNECTION_STRING",
      });
    }
    const { DefaultAzureCredential } = await import("@azure/identity");
    service = new sdk.BlobServiceClient(
      `https://${account}.blob.core.windows.net`,
      new DefaultAzureCredential(),
    );
  }
  const blob = (container: string, key: string) =>
    service.getContainerClient(container).getBlockBlobClient(key);
  return {
    credentialSource: azureCredentialSource(account, env),
    async *list(container: string, prefix: string): AsyncGenerator<ObjectEntry> {
      for await (const item of service.getContainerClient(container).listBlobsFlat({ prefix })) {
        yield { key: item.name, bytes: item.properties.contentLength ?? 0 };
      }
    },
    async size(container: string, key: string): Promise<number> {
      return (await blob(container, key).getProperties()).contentLength ?? 0;
    },
    async read(container: string, key: string): Promise<Readable> {
      const response = await blob(container, key).download(0);
      return response.readableStreamBody as Readable;
    },
    async readRange(container: string, key: string, start: number, end: number): Promise<Buffer> {
      if (end <= start) return Buffer.alloc(0);
      return blob(container, key).downloadToBuffer(start, end - start);
    },
    async write(container: string, key: string, body: Buffer, contentType: string): Promise<void> {
      // One Put Blob (up to 5,000 MiB): the blob is committed whole or not at all.
      await blob(container, key).upload(body, body.length, {
        blobHTTPHeaders: { blobContentType: contentType },
      });
    },
  };
}
