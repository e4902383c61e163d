import type { Readable } from "node:stream";

/** The line feed byte: it never occurs inside a multi-byte UTF-8 sequence, so cutting after it is safe. */
export const LF = 0x0a;

/**
 * Bytes decoded into one string at a time. V8 allocates strings above ~128 KiB in its large-object
 * space, which made decoding a 256 KiB read 40× slower than decoding it in 32 KiB pieces.
 */
const PIECE_BYTES = 32 << 10;

/**
 * Cuts `bytes[start, stop)` into pieces of about {@link PIECE_BYTES} that end just after a line feed
 * (or at `stop`), as [start, end) offsets. A line longer than a piece makes a piece of its own.
 */
export function* lineAlignedPieces(bytes: Buffer, start: number, stop: number): Generator<[number, number]> {
  let pieceStart = start;
  while (pieceStart < stop) {
    let pieceEnd = stop;
    if (stop - pieceStart > PIECE_BYTES) {
      pieceEnd = bytes.lastIndexOf(LF, pieceStart + PIECE_BYTES) + 1;
      if (pieceEnd <= pieceStart)
        pieceEnd = Math.min(stop, bytes.indexOf(LF, pieceStart + PIECE_BYTES) + 1 || stop);
    }
    yield [pieceStart, pieceEnd];
    pieceStart = pieceEnd;
  }
}

/** The input's chunks as Buffers, reporting the running byte count to `onBytes`. */
export async function* countedChunks(
  input: Readable,
  onBytes: ((bytesRead: number) => void) | undefined,
): AsyncGenerator<Buffer> {
  let bytes = 0;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    bytes += buffer.length;
    onBytes?.(bytes);
    yield buffer;
  }
}

/**
 * The lines of a byte stream, a decoded piece's worth at a time. Lines end at `\n`; a `\r` before it
 * is kept (JSON reads it as whitespace). A last line without a line feed is a line too. Reads that
 * end no line wait and are joined once one does, so a long line is copied once, not once per read.
 */
export async function* linesOf(chunks: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  let waiting: Buffer[] = [];
  for await (const chunk of chunks) {
    if (chunk.indexOf(LF) === -1) {
      waiting.push(chunk);
      continue;
    }
    const bytes = waiting.length === 0 ? chunk : Buffer.concat([...waiting, chunk]);
    const stop = bytes.lastIndexOf(LF) + 1;
    for (const [start, end] of lineAlignedPieces(bytes, 0, stop)) {
      // Every piece ends in a line feed, so splitting leaves one empty string after the last line.
      const lines = bytes.toString("utf8", start, end).split("\n");
      lines.pop();
      yield lines;
    }
    waiting = stop < bytes.length ? [bytes.subarray(stop)] : [];
  }
  if (waiting.length > 0) yield [Buffer.concat(waiting).toString("utf8")];
}
