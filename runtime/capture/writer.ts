import { promises as fs } from "node:fs";
import * as path from "node:path";

/** Options of {@link CaptureWriter}. */
export interface CaptureWriterOptions {
  /** Root directory of the capture volume. */
  root: string;
  /** Endpoint name: the first partition directory. */
  endpoint: string;
  /** Variant name: the second partition directory. */
  variant: string;
  /** Writer identity in file names (the pod name), so writers sharing a volume never collide. */
  instance: string;
  /**
   * A file is finished and a new one started once it reaches this size.
   * @default 64 MiB
   */
  maxFileBytes?: number;
  /**
   * A file is finished once it has been open this long, so the drift job sees recent rows without
   * waiting for the hour to end.
   * @default 300000 (5 minutes)
   */
  maxFileAgeMs?: number;
  /**
   * Bytes accepted but not yet written beyond which new rows are dropped (and counted), so a slow
   * or full volume never grows the proxy's memory or slows the serving path.
   * @default 16 MiB
   */
  maxPendingBytes?: number;
  /**
   * Clock, for tests.
   * @default () => new Date()
   */
  now?: () => Date;
}

interface OpenFile {
  handle: fs.FileHandle;
  /** The hour partition directory. */
  dir: string;
  /** Final name (`<instance>-<seq>.jsonl`); the file is written as `<final>.partial` until finished. */
  finalPath: string;
  partialPath: string;
  bytes: number;
  openedAt: number;
}

const PARTIAL_SUFFIX = ".partial";

/** `YYYY/MM/DD/HH` of a date, in UTC. */
export function hourPartition(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return [
    String(date.getUTCFullYear()),
    pad(date.getUTCMonth() + 1),
    pad(date.getUTCDate()),
    pad(date.getUTCHours()),
  ].join("/");
}

/**
 * Appends capture rows as JSON Lines to `<root>/<endpoint>/<variant>/YYYY/MM/DD/HH/<instance>-<seq>.jsonl`.
 *
 * Readers never see half a line, without any fsync: a file is written under a `.partial` suffix
 * (which readers that pick `*.jsonl` skip) and renamed to its final name only once finished — at the
 * end of the hour, at `maxFileBytes`, after `maxFileAgeMs`, and on {@link close}. A rename is atomic
 * on POSIX file systems and NFS. After a crash, the next writer with the same instance name (a
 * restarted container keeps its pod name) truncates a left-over partial file to its last complete
 * line and finishes it.
 *
 * Writes are queued and applied in order by one async loop; memory is bounded by `maxPendingBytes`.
 */
export class CaptureWriter {
  private readonly options: Required<CaptureWriterOptions>;
  private readonly base: string;
  private current: OpenFile | undefined;
  private readonly nextSeq = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private closed = false;
  private ageTimer: NodeJS.Timeout | undefined;
  /** Rows written, dropped because the queue was full, and write errors, since start. */
  readonly stats = { rowsWritten: 0, rowsDropped: 0, writeErrors: 0, filesFinished: 0 };
  /** Called with each write error (the row is lost; the proxy keeps serving). */
  onError: (error: unknown) => void = () => {};

  constructor(options: CaptureWriterOptions) {
    this.options = {
      maxFileBytes: 64 * 1024 * 1024,
      maxFileAgeMs: 300_000,
      maxPendingBytes: 16 * 1024 * 1024,
      now: () => new Date(),
      ...options,
    };
    this.base = path.join(options.root, options.endpoint, options.variant);
    if (this.options.maxFileAgeMs > 0) {
      this.ageTimer = setInterval(
        () => this.enqueue(async () => this.rotateIfOld()),
        Math.min(this.options.maxFileAgeMs, 60_000),
      );
      this.ageTimer.unref();
    }
  }

  /** Bytes accepted and not yet written. */
  get pendingBytes(): number {
    return this.pending;
  }

  /**
   * Queues rows captured at `at`. Returns false (and counts the rows as dropped) when the writer is
   * closed or the queue is full.
   */
  append(rows: readonly Record<string, unknown>[], at: Date = this.options.now()): boolean {
    if (rows.length === 0) return true;
    if (this.closed) {
      this.stats.rowsDropped += rows.length;
      return false;
    }
    // One string per batch: every line is complete before it is handed to the file system.
    const text = `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;
    const size = Buffer.byteLength(text);
    if (this.pending + size > this.options.maxPendingBytes) {
      this.stats.rowsDropped += rows.length;
      return false;
    }
    this.pending += size;
    this.enqueue(async () => {
      try {
        await this.write(text, size, at);
        this.stats.rowsWritten += rows.length;
      } finally {
        this.pending -= size;
      }
    });
    return true;
  }

  /** Resolves once everything queued so far is written. */
  flush(): Promise<void> {
    return this.queue;
  }

  /** Writes what is queued, finishes the open file and refuses further rows. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.ageTimer) clearInterval(this.ageTimer);
    this.enqueue(async () => this.finish());
    await this.queue;
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      this.stats.writeErrors++;
      this.onError(error);
    });
  }

  private async write(text: string, size: number, at: Date): Promise<void> {
    const dir = path.join(this.base, hourPartition(at));
    const cur = this.current;
    if (cur && (cur.dir !== dir || (cur.bytes > 0 && cur.bytes + size > this.options.maxFileBytes))) {
      await this.finish();
    }
    if (!this.current) this.current = await this.open(dir);
    await this.current.handle.write(text);
    this.current.bytes += size;
  }

  private async rotateIfOld(): Promise<void> {
    const cur = this.current;
    if (cur && cur.bytes > 0 && this.options.now().getTime() - cur.openedAt >= this.options.maxFileAgeMs) {
      await this.finish();
    }
  }

  private async open(dir: string): Promise<OpenFile> {
    await fs.mkdir(dir, { recursive: true });
    let seq = this.nextSeq.get(dir);
    if (seq === undefined) seq = await this.recover(dir);
    this.nextSeq.set(dir, seq + 1);
    const finalPath = path.join(dir, `${this.options.instance}-${seq}.jsonl`);
    const partialPath = `${finalPath}${PARTIAL_SUFFIX}`;
    const handle = await fs.open(partialPath, "a");
    return { handle, dir, finalPath, partialPath, bytes: 0, openedAt: this.options.now().getTime() };
  }

  /**
   * First use of a partition directory: finishes this instance's left-over partial files (cut to the
   * last complete line) and returns the next free sequence number.
   */
  private async recover(dir: string): Promise<number> {
    const own = new RegExp(
      `^${escapeRegExp(this.options.instance)}-(\\d+)\\.jsonl(${escapeRegExp(PARTIAL_SUFFIX)})?$`,
    );
    let next = 0;
    for (const name of await fs.readdir(dir)) {
      const m = own.exec(name);
      if (!m) continue;
      next = Math.max(next, Number(m[1]) + 1);
      if (m[2] !== undefined) await finishLeftover(path.join(dir, name));
    }
    return next;
  }

  private async finish(): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    this.current = undefined;
    await cur.handle.close();
    if (cur.bytes === 0) {
      await fs.rm(cur.partialPath, { force: true });
      return;
    }
    await fs.rename(cur.partialPath, cur.finalPath);
    this.stats.filesFinished++;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Cuts a partial file after its last newline and gives it its final name (or removes it if empty). */
async function finishLeftover(partialPath: string): Promise<void> {
  // Scan backwards in small chunks: a left-over file can be large, memory must stay bounded.
  const handle = await fs.open(partialPath, "r+");
  let end = 0;
  try {
    const { size } = await handle.stat();
    const chunk = Buffer.alloc(64 * 1024);
    for (let pos = size; pos > 0 && end === 0; ) {
      const start = Math.max(0, pos - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, pos - start, start);
      const nl = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (nl >= 0) end = start + nl + 1;
      pos = start;
    }
    if (end > 0 && end < size) await handle.truncate(end);
  } finally {
    await handle.close();
  }
  if (end === 0) {
    await fs.rm(partialPath, { force: true });
    return;
  }
  await fs.rename(partialPath, partialPath.slice(0, -PARTIAL_SUFFIX.length));
}
