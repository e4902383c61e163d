import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import * as http from "node:http";
import * as https from "node:https";
import { RuntimeInputError } from "../errors";
import { readYamlFile } from "../yamlFile";
import { type RetryOptions, retryableStatus, TriggerError, withRetries } from "./retry";
import type { TriggerPayload } from "./summary";

/** Where Kubernetes mounts a pod's ServiceAccount credentials. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** Label put on every Job the trigger creates, holding the run that triggered it. */
export const TRIGGERED_BY_LABEL = "mlops.pulumi-mlops.io/triggered-by";
/** Annotation holding the trigger payload (the drift summary) on the created Job. */
export const TRIGGER_PAYLOAD_ANNOTATION = "mlops.pulumi-mlops.io/drift-summary";

/** How to reach the Kubernetes API. */
export interface KubernetesApiOptions {
  /**
   * API server base URL.
   * @default in-cluster: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT
   */
  server?: string;
  /**
   * File holding the bearer token (re-read for each run: kubelet rotates projected tokens).
   * @default /var/run/secrets/kubernetes.io/serviceaccount/token
   */
  tokenFile?: string;
  /**
   * File holding the CA bundle the API server's certificate is checked against.
   * @default /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
   */
  caFile?: string;
  /**
   * Namespace the Job is created in.
   * @default the pod's namespace (the ServiceAccount's `namespace` file)
   */
  namespace?: string;
}

/** What {@link createJobFromTemplate} reports back. */
export interface CreatedJob {
  /** Name of the Job. */
  name: string;
  namespace: string;
  /** False when the Job already existed: this run had created it before a lost response. */
  created: boolean;
  attempts: number;
}

/** Reads a Job template (YAML or JSON) and checks it is a `batch/v1` Job. */
export async function loadJobTemplate(path: string): Promise<Record<string, unknown>> {
  const doc = await readYamlFile(path, "the Job template", {
    unreadable: "Check --retrain-job-template points at the mounted ConfigMap key",
    invalid: "Give one batch/v1 Job manifest",
  });
  const job = doc as { apiVersion?: unknown; kind?: unknown; spec?: { template?: unknown } } | null;
  if (
    job === null ||
    typeof job !== "object" ||
    job.apiVersion !== "batch/v1" ||
    job.kind !== "Job" ||
    !job.spec?.template
  ) {
    throw new RuntimeInputError({
      source: path,
      problem: "the Job template is not a batch/v1 Job with spec.template",
      fix: "Give a manifest with apiVersion: batch/v1, kind: Job and spec.template",
    });
  }
  return job as Record<string, unknown>;
}

/**
 * The created Job's name: the template's name (or generateName) as a prefix, then a hash of the run
 * id. The same run always gets the same name, so a retried request after a lost response meets
 * `409 AlreadyExists` instead of starting a second retraining.
 */
export function retrainJobName(template: Record<string, unknown>, runId: string): string {
  const metadata = (template.metadata ?? {}) as { name?: unknown; generateName?: unknown };
  const raw =
    typeof metadata.name === "string"
      ? metadata.name
      : typeof metadata.generateName === "string"
        ? metadata.generateName
        : "retrain";
  const prefix = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 52)
    .replace(/-+$/, "");
  const hash = createHash("sha256").update(runId).digest("hex").slice(0, 10);
  return `${prefix || "retrain"}-${hash}`;
}

/**
 * Creates the retraining Job from a template through the Kubernetes API, authenticated with the
 * pod's ServiceAccount token and checking the server against the cluster CA — Node's https only,
 * no client library. The RBAC this needs is `create` on `jobs` in the namespace, nothing more.
 * Network errors, 429 and 5xx are retried; 409 means this run's Job already exists (success).
 */
export async function createJobFromTemplate(
  template: Record<string, unknown>,
  payload: TriggerPayload,
  api: KubernetesApiOptions = {},
  retry: RetryOptions & { sleep?: (ms: number) => Promise<void> } = {},
): Promise<CreatedJob> {
  const server = api.server ?? inClusterServer();
  const tokenFile = api.tokenFile ?? `${SERVICE_ACCOUNT_DIR}/token`;
  const namespace =
    api.namespace ?? (await readCredential(`${SERVICE_ACCOUNT_DIR}/namespace`, "namespace")).trim();
  const url = new URL(`/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/jobs`, server);
  const ca =
    url.protocol === "https:"
      ? await readCredential(api.caFile ?? `${SERVICE_ACCOUNT_DIR}/ca.crt`, "CA bundle")
      : undefined;

  const name = retrainJobName(template, payload.runId);
  const metadata = (template.metadata ?? {}) as {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  const { generateName: _generateName, ...keptMetadata } = metadata as Record<string, unknown>;
  const job = {
    ...template,
    metadata: {
      ...keptMetadata,
      name,
      namespace,
      labels: { ...(metadata.labels ?? {}), [TRIGGERED_BY_LABEL]: labelValue(payload.runId) },
      annotations: { ...(metadata.annotations ?? {}), [TRIGGER_PAYLOAD_ANNOTATION]: JSON.stringify(payload) },
    },
  };
  const body = JSON.stringify(job);
  let attempts = 0;
  const created = await withRetries(
    `creating Job ${namespace}/${name} at ${url.origin}`,
    retry,
    async (timeoutMs) => {
      attempts++;
      // The token is re-read on each attempt: projected tokens rotate.
      const token = (await readCredential(tokenFile, "ServiceAccount token")).trim();
      const response = await request(url, body, token, ca, timeoutMs);
      if (response.status === 201 || response.status === 200) return true;
      if (response.status === 409) return false;
      const reason = apiMessage(response.body);
      const fix =
        response.status === 401
          ? " Fix: the pod needs its ServiceAccount token mounted (automountServiceAccountToken)"
          : response.status === 403
            ? ` Fix: bind the job's ServiceAccount to a Role allowing create on jobs in ${namespace}`
            : response.status === 422 || response.status === 400
              ? " Fix: correct the Job template"
              : "";
      throw new TriggerError(`HTTP ${response.status}${reason ? `: ${reason}` : ""}.${fix}`, {
        retryable: retryableStatus(response.status),
        status: response.status,
      });
    },
    retry.sleep,
  );
  return { name, namespace, created, attempts };
}

function inClusterServer(): string {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? "443";
  if (!host) {
    throw new TriggerError(
      "KUBERNETES_SERVICE_HOST is not set, so this is not running in a pod. Fix: run the Job trigger inside the cluster, where the pod's ServiceAccount reaches the API",
      { retryable: false },
    );
  }
  return `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

async function readCredential(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new TriggerError(
      `cannot read the ${what} at ${path} (${error instanceof Error ? error.message : String(error)}). Fix: mount the ServiceAccount token (automountServiceAccountToken: true) when the Job trigger is on`,
      { retryable: false },
    );
  }
}

/** A label value from a run id (Job names are valid label values already; this guards the rest). */
function labelValue(value: string): string {
  return value
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

function apiMessage(body: string): string {
  try {
    const status = JSON.parse(body) as { message?: unknown };
    if (typeof status.message === "string") return status.message;
  } catch {
    // not a Status object
  }
  return body.slice(0, 200);
}

function request(
  url: URL,
  body: string,
  token: string,
  ca: string | undefined,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json",
        "content-length": Buffer.byteLength(body),
        "user-agent": "pulumi-mlops-monitor",
      },
      timeout: timeoutMs,
      ...(ca !== undefined ? { ca } : {}),
    };
    const req = (url.protocol === "https:" ? https : http).request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", (error) => reject(new TriggerError(error.message, { retryable: true })));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (error) => reject(new TriggerError(error.message, { retryable: !isTlsError(error) })));
    req.end(body);
  });
}

/** A certificate the CA does not vouch for will not fix itself on retry. */
function isTlsError(error: Error & { code?: string }): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(error.code ?? "");
}
