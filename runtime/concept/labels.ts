import type { Readable } from "node:stream";
import { RuntimeInputError } from "../errors";
import { openTabular } from "../io/open";
import { type DataFormat, sourceRowIndex } from "../io/types";
import { ConceptDriftMonitor } from "./stream";

/** A time-ordered file of predictions with their true labels. */
export interface LabelledInput {
  /** Files read in order as one stream, or `-` for stdin. */
  files: readonly string[];
  /**
   * Input format.
   * @default from each file's extension
   */
  format?: DataFormat;
  /**
   * The stream read for `-`.
   * @default process.stdin
   */
  stdin?: Readable;
  /** Column of the model's predicted class. */
  prediction: string;
  /** Column of the true class. Rows whose label is missing (not known yet) are skipped and counted. */
  labels: string;
  /**
   * Column whose values must not decrease down the stream (numbers or ISO 8601 dates).
   * @default `__ts` when the data has it (the capture's timestamp), else none
   */
  timestamp?: string;
  /**
   * The classes a label may take.
   * @default the classes the model predicted
   */
  classes?: readonly string[];
}

/** What a run over labelled predictions found. */
export interface LabelledStreamResult {
  sources: string[];
  monitor: ConceptDriftMonitor;
  /** Rows read. */
  rows: number;
  /** Rows without a label yet, not fed to the detectors. */
  unlabelled: number;
  classes: string[];
  timestampColumn: string | null;
}

function cellText(value: unknown): string | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  return String(value);
}

function timeOf(value: unknown, source: string, column: string, row: number): number {
  const t =
    typeof value === "number"
      ? value
      : typeof value === "bigint"
        ? Number(value)
        : value instanceof Date
          ? value.getTime()
          : Number.NaN;
  const parsed =
    Number.isNaN(t) && typeof value === "string"
      ? /^-?\d+(\.\d+)?$/.test(value)
        ? Number(value)
        : Date.parse(value)
      : t;
  if (Number.isNaN(parsed)) {
    throw new RuntimeInputError({
      source,
      row,
      column,
      problem: `"${String(value)}" is not a timestamp`,
      fix: "Give numbers (epoch time) or ISO 8601 dates",
    });
  }
  return parsed;
}

/**
 * Streams the labelled predictions through the concept-drift detectors: error = 1 when the
 * prediction differs from the label (compared as text). Checks that the timestamps never go back
 * and, at the end, that every label is one of the classes; either failure is a RuntimeInputError.
 */
export async function runLabelledStream(
  input: LabelledInput,
  monitor: ConceptDriftMonitor = new ConceptDriftMonitor(),
): Promise<LabelledStreamResult> {
  const predicted = new Set<string>();
  const labelFirstRow = new Map<string, { source: string; row: number }>();
  let rows = 0;
  let unlabelled = 0;
  let lastTime = Number.NEGATIVE_INFINITY;
  let lastTimeText = "";
  let timestampColumn: string | null = input.timestamp ?? null;
  const sources: string[] = [];
  for (const file of input.files) {
    const source = await openTabular(file, { format: input.format, stdin: input.stdin });
    sources.push(source.name);
    let first = true;
    for await (const batch of source.batches()) {
      if (first && batch.length > 0) {
        first = false;
        for (const column of [
          input.prediction,
          input.labels,
          ...(input.timestamp ? [input.timestamp] : []),
        ]) {
          if (!batch.columns.has(column)) {
            throw new RuntimeInputError({
              source: source.name,
              column,
              problem: "the column is not in the data",
              fix: `Name an existing column (the data has ${[...batch.columns.keys()].join(", ")})`,
            });
          }
        }
        if (input.timestamp === undefined && batch.columns.has("__ts")) timestampColumn = "__ts";
      }
      const predictions = batch.columns.get(input.prediction);
      const labels = batch.columns.get(input.labels);
      const times = timestampColumn === null ? undefined : batch.columns.get(timestampColumn);
      for (let i = 0; i < batch.length; i++) {
        rows++;
        const row = sourceRowIndex(batch, i) + 1;
        let timestamp: string | null = null;
        if (times !== undefined && timestampColumn !== null) {
          const value = times[i];
          const t = timeOf(value, source.name, timestampColumn, row);
          timestamp = String(value);
          if (t < lastTime) {
            throw new RuntimeInputError({
              source: source.name,
              row,
              column: timestampColumn,
              problem: `the timestamps are not in order: ${timestamp} comes after ${lastTimeText}`,
              fix: "The detectors read the predictions in time order: sort the data by the timestamp column (and pass the files oldest first)",
            });
          }
          lastTime = t;
          lastTimeText = timestamp;
        }
        const label = cellText(labels?.[i]);
        if (label === undefined) {
          unlabelled++;
          continue;
        }
        const prediction = cellText(predictions?.[i]);
        if (prediction === undefined) {
          throw new RuntimeInputError({
            source: source.name,
            row,
            column: input.prediction,
            problem: "the prediction is missing",
            fix: "Every labelled row needs the model's prediction",
          });
        }
        predicted.add(prediction);
        if (!labelFirstRow.has(label)) labelFirstRow.set(label, { source: source.name, row });
        monitor.update(prediction === label ? 0 : 1, { row, source: source.name, timestamp });
      }
    }
  }
  const classes = input.classes === undefined ? [...predicted].sort() : [...input.classes];
  const known = new Set(classes);
  const stray = [...labelFirstRow].filter(([label]) => !known.has(label));
  if (stray.length > 0) {
    const [label, where] = stray[0] as [string, { source: string; row: number }];
    throw new RuntimeInputError({
      source: where.source,
      row: where.row,
      column: input.labels,
      problem: `the label "${label}"${
        stray.length > 1
          ? ` (and ${stray
              .slice(1)
              .map(([l]) => `"${l}"`)
              .join(", ")})`
          : ""
      } is not one of the classes (${classes.join(", ")})`,
      fix:
        input.classes === undefined
          ? "Check that the labels column holds the classes the model predicts; pass --classes with every class if the model never predicted some"
          : "Check the labels column, or add the class to --classes",
    });
  }
  return { sources, monitor, rows, unlabelled, classes, timestampColumn };
}
