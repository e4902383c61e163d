import { StatsInputError } from "../stats/errors";
import { domainClassifier, tfidfRows } from "./domain-classifier";
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

export interface TextContentDriftResult {
  readonly column: string;
  /** Evidently's names: `abs_text_content_drift` above 1,000 reference texts, `perc_text_content_drift` below. */
  readonly method: "abs_text_content_drift" | "perc_text_content_drift";
  /** ROC AUC of the domain classifier on the held-out half. */
  readonly score: number;
  /** 0.55 (abs), or the 95th percentile of random classifiers' AUC (perc). */
  readonly threshold: number;
  readonly drifted: boolean;
  readonly referenceCount: number;
  readonly currentCount: number;
}

/**
 * Drift of the words themselves, as Evidently's text content drift: a domain classifier on TF-IDF features tells
 * current texts from reference ones (see `domain-classifier.ts`); its ROC AUC is the score. Above 1,000 reference
 * texts it drifts when AUC > `threshold` (0.55); below, when AUC exceeds the 95th percentile of random
 * classifiers' AUC on the same held-out half.
 */
export function detectTextContentDrift(
  column: string,
  reference: readonly string[],
  current: readonly string[],
  options: { threshold?: number; seed?: number } = {},
): TextContentDriftResult {
  if (reference.length === 0 || current.length === 0) {
    throw new StatsInputError(
      "empty-sample",
      reference.length === 0 ? "reference" : "current",
      undefined,
      "Pass at least one text on each side.",
    );
  }
  const { rows, dimensions } = tfidfRows([...reference, ...current]);
  const r = domainClassifier(rows, reference.length, dimensions, options.seed ?? 42);
  const abs = reference.length > 1000;
  const threshold = abs ? (options.threshold ?? 0.55) : r.randomAucPercentile;
  return {
    column,
    method: abs ? "abs_text_content_drift" : "perc_text_content_drift",
    score: r.rocAuc,
    threshold,
    drifted: r.rocAuc > threshold,
    referenceCount: reference.length,
    currentCount: current.length,
  };
}
