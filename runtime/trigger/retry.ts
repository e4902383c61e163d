/** How a trigger retries a call that failed for a reason that may pass. */
export interface RetryOptions {
  /**
   * Attempts in all (1 means no retry).
   * @default 4
   */
  attempts?: number;
  /**
   * Delay before the first retry, in milliseconds; it doubles after each retry.
   * @default 1000
   */
  initialDelayMs?: number;
  /**
   * Time allowed for one attempt, in milliseconds.
   * @default 10000
   */
  timeoutMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { attempts: 4, initialDelayMs: 1000, timeoutMs: 10_000 };

/** A failure worth retrying (network error, timeout, 429, 5xx) carries `retryable: true`. */
export class TriggerError extends Error {
  readonly retryable: boolean;
  readonly status?: number;

  constructor(message: string, options: { retryable: boolean; status?: number }) {
    super(message);
    this.name = "TriggerError";
    this.retryable = options.retryable;
    this.status = options.status;
  }
}

/** True for HTTP statuses a retry may cure: rate limiting and server errors. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Runs `attempt` until it succeeds, it fails with a non-retryable error, or the attempts run out;
 * the last error is rethrown with the number of attempts made.
 */
export async function withRetries<T>(
  what: string,
  options: RetryOptions,
  attempt: (timeoutMs: number) => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  const { attempts, initialDelayMs, timeoutMs } = { ...DEFAULT_RETRY, ...options };
  let delay = initialDelayMs;
  for (let i = 1; ; i++) {
    try {
      return await attempt(timeoutMs);
    } catch (error) {
      const retryable = error instanceof TriggerError ? error.retryable : true;
      const message = error instanceof Error ? error.message : String(error);
      if (!retryable || i >= attempts) {
        throw new TriggerError(
          `${what} failed after ${i} attempt(s): ${message}`,
          error instanceof TriggerError ? { retryable, status: error.status } : { retryable },
        );
      }
      await sleep(delay);
      delay *= 2;
    }
  }
}
