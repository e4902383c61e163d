import { CAPTURE_KEYS } from "../capture/flatten";
import { RuntimeInputError } from "../errors";
import { openTabular } from "../io/open";
import { sourceRowIndex } from "../io/types";
import type { LabelledStreamResult } from "./labels";
import { ConceptDriftMonitor } from "./stream";

/** A labels source joined with the endpoint's capture. */
export interface CaptureLabelsOptions {
  /** The window's capture files (JSON Lines rows with `__ts` and `__prediction`). */
  files: readonly string[];
  /** A file of true labels (CSV, JSON Lines or Parquet), one row per labelled request. */
  labels: string;
  /**
   * The join key: a column of the captured rows (a request feature such as an order or request id)
   * that the labels file has too.
   * @default request_id
   */
  key?: string;
  /**
   * The labels file's column of true classes.
   * @default label
   */
  labelColumn?: string;
  /**
   * The classes a label may take.
   * @default the classes the model predicted in the window
   */
  classes?: readonly string[];
}

function text(value: unknown): string | undefined {
  return value === null || value === undefined || value === "" ? undefined : String(value);
}

async function readLabels(
  path: string,
  key: string,
  column: string,
): Promise<Map<string, { label: string; row: number }>> {
  const source = await openTabular(path, { columns: [key, column] });
  const labels = new Map<string, { label: string; row: number }>();
  for await (const batch of source.batches()) {
    for (const name of [key, column]) {
      if (!batch.columns.has(name) && batch.length > 0) {
        throw new RuntimeInputError({
          source: source.name,
          column: name,
          problem: "the column is not in the labels file",
          fix: "Pass --label-key and --label-column naming its columns",
        });
      }
    }
    const keys = batch.columns.get(key);
    const values = batch.columns.get(column);
    for (let i = 0; i < batch.length; i++) {
      const k = text(keys?.[i]);
      const label = text(values?.[i]);
      // A later row for the same request corrects an earlier one.
      if (k !== undefined && label !== undefined) labels.set(k, { label, row: sourceRowIndex(batch, i) + 1 });
    }
  }
  return labels;
}

/**
 * Joins the captured predictions of a window with their labels by `key`, orders the labelled
 * predictions by the capture's timestamp (files of several variants and pods interleave), and runs
 * the detectors over their errors. Only the key, the prediction and the timestamp of each captured
 * row are read.
 */
export async function conceptDriftOnCapture(options: CaptureLabelsOptions): Promise<LabelledStreamResult> {
  const key = options.key ?? "request_id";
  const labelColumn = options.labelColumn ?? "label";
  const labels = await readLabels(options.labels, key, labelColumn);
  const joined: { t: number; error: 0 | 1; file: string; row: number; ts: string }[] = [];
  const predicted = new Set<string>();
  const used = new Set<string>();
  let rows = 0;
  for (const file of options.files) {
    const source = await openTabular(file, {
      columns: [key, CAPTURE_KEYS.prediction, CAPTURE_KEYS.timestamp],
    });
    for await (const batch of source.batches()) {
      const keys = batch.columns.get(key);
      const predictions = batch.columns.get(CAPTURE_KEYS.prediction);
      const times = batch.columns.get(CAPTURE_KEYS.timestamp);
      for (let i = 0; i < batch.length; i++) {
        rows++;
        const k = text(keys?.[i]);
        const truth = k === undefined ? undefined : labels.get(k);
        const prediction = text(predictions?.[i]);
        if (truth === undefined || prediction === undefined) continue;
        predicted.add(prediction);
        used.add(truth.label);
        const ts = String(times?.[i] ?? "");
        joined.push({
          t: Date.parse(ts),
          error: prediction === truth.label ? 0 : 1,
          file,
          row: sourceRowIndex(batch, i) + 1,
          ts,
        });
      }
    }
  }
  const classes = options.classes === undefined ? [...predicted].sort() : [...options.classes];
  const stray = [...used].filter((label) => !classes.includes(label));
  if (stray.length > 0) {
    const first = [...labels.entries()].find(([, v]) => v.label === stray[0]);
    throw new RuntimeInputError({
      source: options.labels,
      row: first?.[1].row,
      column: labelColumn,
      problem: `the label "${stray[0]}" is not one of the classes (${classes.join(", ")})`,
      fix: "Check that the labels column holds the classes the model predicts, or list every class",
    });
  }
  // Stable sort: rows of one file keep their order when their timestamps tie.
  joined.sort((a, b) => (Number.isNaN(a.t) || Number.isNaN(b.t) ? 0 : a.t - b.t));
  const monitor = new ConceptDriftMonitor();
  for (const j of joined) monitor.update(j.error, { row: j.row, source: j.file, timestamp: j.ts });
  return {
    sources: [...options.files],
    monitor,
    rows,
    unlabelled: rows - joined.length,
    classes,
    timestampColumn: CAPTURE_KEYS.timestamp,
  };
}
