import { SingleBar } from "cli-progress";

/**
 * A byte-based progress bar on stderr for long runs on a terminal. It stays silent when stderr is
 * not a TTY (CI logs, Kubernetes, Cloud Run) or when `quiet` is set, so logs carry no control codes.
 */
export class Progress {
  private bar: SingleBar | undefined;
  private readonly enabled: boolean;
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean };

  constructor(
    options: {
      /** @default false */
      quiet?: boolean;
      /** @default process.stderr */
      stream?: NodeJS.WritableStream & { isTTY?: boolean };
    } = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.enabled = !options.quiet && this.stream.isTTY === true && process.env.NO_PROGRESS === undefined;
  }

  /** Starts a bar for one input; `total` bytes (unknown for stdin, then no bar is drawn). */
  start(label: string, total: number | undefined): (bytes: number) => void {
    this.stop();
    if (!this.enabled || total === undefined || total === 0) return () => {};
    const bar = new SingleBar({
      format: `${label} [{bar}] {percentage}% | {value_mb}/{total_mb} MB | eta {eta}s`,
      stream: this.stream as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    });
    const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
    bar.start(total, 0, { value_mb: mb(0), total_mb: mb(total) });
    this.bar = bar;
    return (bytes) => bar.update(Math.min(bytes, total), { value_mb: mb(bytes), total_mb: mb(total) });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
