import { detectDrift } from "./engine";
import type { ColumnDriftConfig, DatasetDriftResult, DriftConfig } from "./types";

/**
 * Text drift as Evidently's `TextDescriptorsDriftMetric` does it: each text becomes a few numbers (descriptors),
 * and each descriptor is compared as a numerical column with the usual method selection. The descriptors:
 *
 * - **length**: characters (Unicode code points, as Python's `len`);
 * - **non-letter share**: percent of characters that are neither a letter nor a space (`str.isalpha`);
 * - **OOV share**: percent of words (letters and digits kept, split on spaces, lower-cased) outside a vocabulary.
 *   Evidently's vocabulary is NLTK's English word list with WordNet lemmas; here it is the one given, else the
 *   reference's own words, so the share reads "words the reference never used".
 *
 * An empty text has every descriptor 0 (Evidently divides by zero on it).
 */
export const TEXT_DESCRIPTORS = ["length", "nonLetterShare", "oovShare"] as const;
export type TextDescriptor = (typeof TEXT_DESCRIPTORS)[number];

const LETTER = /\p{L}/u;

/** Characters of a text, counted as Python counts them. */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Percent of characters that are not letters and not spaces. */
export function nonLetterShare(text: string): number {
  let n = 0;
  let other = 0;
  for (const ch of text) {
    n++;
    if (ch !== " " && !LETTER.test(ch)) other++;
  }
  return n === 0 ? 0 : (100 * other) / n;
}

/** Evidently's word split: drop every character but ASCII letters, digits and spaces, then split on spaces. */
export function textWords(text: string): string[] {
  return text
    .replace(/[^A-Za-z0-9 ]+/g, "")
    .split(" ")
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** Percent of a text's words outside `vocabulary` (0 for a text without words). */
export function oovShare(text: string, vocabulary: ReadonlySet<string>): number {
  const words = textWords(text);
  if (words.length === 0) return 0;
  let oov = 0;
  for (const w of words) if (!vocabulary.has(w)) oov++;
  return (100 * oov) / words.length;
}

export interface TextDriftOptions {
  /** Words counted as known for the OOV share (lower case). @default every word of the reference texts */
  readonly vocabulary?: Iterable<string>;
  /** Method, threshold and options for every descriptor column. @default Evidently's default selection */
  readonly descriptor?: ColumnDriftConfig;
}

/**
 * Drift of a text column through its descriptors: one numerical result per descriptor, named
 * `<column>:<descriptor>` (e.g. `review:length`), under the dataset rule of `config`.
 * @param reference non-null reference texts; @param current non-null current texts.
 */
export function detectTextDrift(
  column: string,
  reference: readonly string[],
  current: readonly string[],
  options: TextDriftOptions = {},
  config: Omit<DriftConfig, "columns"> = {},
): DatasetDriftResult {
  const vocabulary = new Set(options.vocabulary ?? reference.flatMap(textWords));
  const describe = (texts: readonly string[], d: TextDescriptor) =>
    Float64Array.from(texts, (t) =>
      d === "length" ? textLength(t) : d === "nonLetterShare" ? nonLetterShare(t) : oovShare(t, vocabulary),
    );
  const columns: Record<string, ColumnDriftConfig> = {};
  const inputs = TEXT_DESCRIPTORS.map((d) => {
    const name = `${column}:${d}`;
    // Evidently compares descriptors as numerical features, whatever their number of distinct values.
    columns[name] = { ...options.descriptor, kind: "numerical" };
    return {
      name,
      reference: { kind: "numerical" as const, values: describe(reference, d) },
      current: { kind: "numerical" as const, values: describe(current, d) },
    };
  });
  return detectDrift(inputs, { ...config, columns });
}
