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
 * The input re-cut so that every buffer ends just after a line feed (the last may end without one):
 * joined, they are the input. Reads that end no line wait and are joined once one does, so a long
 * line is copied once, not once per read.
 */
export async function* lineBoundedReads(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let waiting: Buffer[] = [];
  for await (const chunk of chunks) {
    const end = chunk.lastIndexOf(LF) + 1;
    if (end === 0) {
      waiting.push(chunk);
      continue;
    }
    const head = chunk.subarray(0, end);
    yield waiting.length === 0 ? head : Buffer.concat([...waiting, head]);
    waiting = end < chunk.length ? [chunk.subarray(end)] : [];
  }
  if (waiting.length > 0) yield waiting.length === 1 ? (waiting[0] as Buffer) : Buffer.concat(waiting);
}

/**
 * The lines of a byte stream, a decoded piece's worth at a time. Lines end at `\n`; a `\r` before it
 * is kept (JSON reads it as whitespace). A last line without a line feed is a line too.
 */
export async function* linesOf(chunks: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  for await (const bytes of lineBoundedReads(chunks)) {
    for (const [start, end] of lineAlignedPieces(bytes, 0, bytes.length)) {
      const lines = bytes.toString("utf8", start, end).split("\n");
      // A piece ending in a line feed splits into one empty string after its last line.
      if (bytes[end - 1] === LF) lines.pop();
      yield lines;
    }
  }
}
