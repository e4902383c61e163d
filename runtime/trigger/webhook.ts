import { type RetryOptions, retryableStatus, TriggerError, withRetries } from "./retry";
import type { TriggerPayload } from "./summary";

/** What {@link postWebhook} reports back. */
export interface WebhookResult {
  /** HTTP status of the successful response. */
  status: number;
  /** Attempts it took. */
  attempts: number;
}

/**
 * POSTs the trigger payload as JSON to a webhook (a CI pipeline trigger, an Airflow/Argo Workflows
 * endpoint, a chat hook). Each attempt has a timeout; network errors, timeouts, 408, 429 and 5xx are
 * retried with exponential backoff, other 4xx are not (the request itself is wrong). The run id goes
 * in an `Idempotency-Key` header, so a receiver can ignore the duplicate of a request whose response
 * was lost.
 */
export async function postWebhook(
  url: string,
  payload: TriggerPayload,
  options: RetryOptions & { sleep?: (ms: number) => Promise<void> } = {},
): Promise<WebhookResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new TriggerError(
      `the webhook URL ${JSON.stringify(url)} is not a URL. Fix: give the full http(s) URL`,
      {
        retryable: false,
      },
    );
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw new TriggerError(
      `the webhook URL must be http(s), not ${target.protocol}. Fix: give an http(s) URL`,
      {
        retryable: false,
      },
    );
  }
  const body = JSON.stringify(payload);
  let attempts = 0;
  // Never print the URL itself in errors: webhook URLs often embed a token.
  const where = `the retraining webhook at ${target.origin}`;
  const status = await withRetries(
    `POST to ${where}`,
    options,
    async (timeoutMs) => {
      attempts++;
      let response: Response;
      try {
        response = await fetch(target, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "idempotency-key": payload.runId,
            "user-agent": "pulumi-mlops-monitor",
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: "error",
        });
      } catch (error) {
        const reason =
          error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")
            ? `no answer within ${timeoutMs} ms`
            : error instanceof Error
              ? ((error.cause as Error | undefined)?.message ?? error.message)
              : String(error);
        throw new TriggerError(reason, { retryable: true });
      }
      // Drain the body so the connection is released, whatever the status.
      const text = await response.text().catch(() => "");
      if (response.ok) return response.status;
      throw new TriggerError(`HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`, {
        retryable: retryableStatus(response.status),
        status: response.status,
      });
    },
    options.sleep,
  );
  return { status, attempts };
}
