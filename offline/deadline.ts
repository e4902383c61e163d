/**
 * Deadlines for the stages of `mlops preview` and `mlops check` (running the program, starting the
 * policy pack, each call to it), so that a program or a pack that never answers ends the run with a
 * message saying which stage stalled, instead of a hang or a silent exit.
 */

/** Seconds each stage may take unless `--timeout` or `MLOPS_TIMEOUT` says otherwise. @default 300 */
export const DEFAULT_STAGE_TIMEOUT_SECONDS = 300;

/** The environment variable that sets the stage deadline, in seconds. */
export const TIMEOUT_ENV = "MLOPS_TIMEOUT";

/** Raised when a stage did not finish in time, or could no longer finish; the message names the stage and the fix. */
export class DeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeadlineError";
  }
}

/** Parses a deadline in seconds (`--timeout`, `MLOPS_TIMEOUT`); `source` names where it came from. */
export function parseTimeoutSeconds(value: string, source: string): number {
  const trimmed = value.trim();
  const n = Number(trimmed);
  if (trimmed === "" || !Number.isFinite(n) || n <= 0) {
    throw new DeadlineError(
      `${source} must be a positive number of seconds, got ${JSON.stringify(value.slice(0, 40))}. Fix: give e.g. ${DEFAULT_STAGE_TIMEOUT_SECONDS}.`,
    );
  }
  return n;
}

/** The stage deadline in milliseconds: the given seconds, else `MLOPS_TIMEOUT`, else the default. */
export function stageTimeoutMs(seconds?: number, env: NodeJS.ProcessEnv = process.env): number {
  if (seconds !== undefined) return seconds * 1000;
  const fromEnv = env[TIMEOUT_ENV];
  if (fromEnv !== undefined && fromEnv !== "") return parseTimeoutSeconds(fromEnv, TIMEOUT_ENV) * 1000;
  return DEFAULT_STAGE_TIMEOUT_SECONDS * 1000;
}

/** `1.5 s`, `300 s`: how a deadline is shown. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

export interface DeadlineOptions {
  /** The message when the deadline passes. */
  onTimeout: () => string;
  /**
   * The message when the event loop runs dry first: nothing is left that could settle the work, so
   * waiting longer cannot help. Without it, only the deadline ends the wait.
   */
  onIdle?: () => string;
}

/**
 * Settles as `work` does, or rejects with a {@link DeadlineError} after `ms`, or (with `onIdle`) as
 * soon as the process has nothing left to do. The timer does not keep the process alive by itself.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, options: DeadlineOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = () => {
      done = true;
      clearTimeout(timer);
      if (options.onIdle) process.off("beforeExit", idle);
    };
    const timer = setTimeout(() => {
      if (done) return;
      finish();
      reject(new DeadlineError(options.onTimeout()));
    }, ms);
    timer.unref();
    const idle = () => {
      if (done) return;
      finish();
      reject(new DeadlineError(options.onIdle!()));
    };
    if (options.onIdle) process.on("beforeExit", idle);
    work.then(
      (value) => {
        if (done) return;
        finish();
        resolve(value);
      },
      (err: unknown) => {
        if (done) return;
        finish();
        reject(err);
      },
    );
  });
}
