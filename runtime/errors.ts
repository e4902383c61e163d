/**
 * Errors the runtime raises for bad input. Every message names the input, and where it applies the
 * column and the 1-based row, then says how to fix it, so a failed scheduled job can be repaired from
 * its log line alone. The CLI maps any `RuntimeInputError` to exit code 1 and writes no report.
 */
export class RuntimeInputError extends Error {
  /** The file, `stdin` or profile the problem was found in. */
  readonly source: string;
  /** The column concerned, when the problem is confined to one column. */
  readonly column?: string;
  /** The 1-based data row (not counting a CSV header) or line, when known. */
  readonly row?: number;

  constructor(args: { source: string; problem: string; fix: string; column?: string; row?: number }) {
    const where = [
      args.source,
      args.row !== undefined ? `row ${args.row}` : undefined,
      args.column !== undefined ? `column "${args.column}"` : undefined,
    ]
      .filter((part) => part !== undefined)
      .join(", ");
    super(`${where}: ${args.problem}. ${args.fix}`);
    this.name = "RuntimeInputError";
    this.source = args.source;
    this.column = args.column;
    this.row = args.row;
  }
}

/** A column-level problem that does not stop the job: the column is reported as errored and the others go on. */
export class ColumnError extends Error {
  readonly column: string;

  constructor(column: string, message: string) {
    super(message);
    this.name = "ColumnError";
    this.column = column;
  }
}

/** Renders any thrown value as a one-line message. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** How much of a data value a message or report quotes. @default 64 characters */
export const QUOTE_LIMIT = 64;

/**
 * A data value cut to a short prefix for messages and reports, so that a huge cell (a 10 MB blob
 * in a CSV field) is never copied whole into a profile or onto stderr. Values within the limit stay
 * as they are; longer ones end in `…` (a surrogate pair is never split).
 */
export function cutValue(text: string, limit = QUOTE_LIMIT): string {
  if (text.length <= limit) return text;
  let end = limit;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** A data value quoted for a message: JSON-quoted, cut to a prefix, with its full length when cut. */
export function quoteValue(text: string, limit = QUOTE_LIMIT): string {
  return text.length <= limit
    ? JSON.stringify(text)
    : `${JSON.stringify(cutValue(text, limit))} (${text.length} characters)`;
}
