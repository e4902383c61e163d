import type { Tensor } from "onnxruntime-node";
import { RuntimeInputError } from "../errors";
import { openTabular } from "../io/open";
import { type DataFormat, type RecordBatch, sourceRowIndex } from "../io/types";
import { GrowableArray } from "./buffers";
import { bindInputs, cellNumber, fillInputs, type InputBinding } from "./features";
import { type OutputPlan, planOutput } from "./outputs";
import type { LoadedModel } from "./session";

/** What one model produced over the whole holdout. */
export interface ModelScores {
  readonly model: LoadedModel;
  readonly output: OutputPlan;
  readonly inputs: readonly InputBinding[];
  /** Values per row of the scored output (1 for `single`, k for `columns`). */
  readonly width: number;
  /** Row-major scores, `rows × width`. */
  readonly values: Float32Array;
  /** Milliseconds spent in `session.run` per batch. */
  readonly batchMs: readonly number[];
}

/** The holdout as scored: labels, groups and every model's scores, row for row. */
export interface ScoredHoldout {
  readonly source: string;
  readonly rows: number;
  readonly columns: readonly string[];
  /** Label per row, as a number (booleans as 0/1), or undefined when no label column was read. */
  readonly labels?: Float64Array;
  /** Group index per row into `groupNames`, when a protected attribute was read. */
  readonly groups?: Int32Array;
  readonly groupNames: readonly string[];
  readonly models: readonly ModelScores[];
  readonly batchSize: number;
}

export interface ScoreOptions {
  readonly data: string;
  readonly format?: DataFormat;
  /** Label column; required for evaluation, absent for prediction drift. */
  readonly label?: string;
  readonly protectedAttribute?: string;
  readonly features?: readonly string[];
  /**
   * Rows per `session.run`.
   * @default 8192
   */
  readonly batchSize?: number;
}

export const DEFAULT_SCORE_BATCH_SIZE = 8192;

function requireColumn(source: string, columns: readonly string[], name: string, flag: string): void {
  if (!columns.includes(name)) {
    throw new RuntimeInputError({
      source,
      problem: `has no ${flag.replace("--", "")} column "${name}" (columns: ${columns.join(", ")})`,
      fix: `Pass ${flag} with the name of a column of the holdout`,
    });
  }
}

function labelNumber(value: unknown, source: string, column: string, batch: RecordBatch, i: number): number {
  const n = value === "true" ? 1 : value === "false" ? 0 : cellNumber(value, source, column, batch, i);
  if (Number.isNaN(n)) {
    throw new RuntimeInputError({
      source,
      row: sourceRowIndex(batch, i) + 1,
      column,
      problem: "has no label",
      fix: "Every holdout row needs its label; drop unlabelled rows before evaluating",
    });
  }
  return n;
}

/**
 * Streams the holdout once, in batches, through every model: each batch is read, turned into the
 * models' input tensors, scored, and dropped, so only the per-row results (a few bytes a row) stay in
 * memory however large the file is.
 */
export async function scoreHoldout(
  models: readonly LoadedModel[],
  options: ScoreOptions,
): Promise<ScoredHoldout> {
  const batchSize = options.batchSize ?? DEFAULT_SCORE_BATCH_SIZE;
  const source = await openTabular(options.data, { format: options.format, batchSize });
  const plans = models.map(planOutput);
  const scores = models.map(() => new GrowableArray((n) => new Float32Array(n)));
  const widths: number[] = models.map(() => 0);
  const batchMs: number[][] = models.map(() => []);
  const labels = options.label === undefined ? undefined : new GrowableArray((n) => new Float64Array(n));
  const groups =
    options.protectedAttribute === undefined ? undefined : new GrowableArray((n) => new Int32Array(n));
  const groupIndex = new Map<string, number>();
  let bindings: InputBinding[][] | undefined;
  let columns: string[] = [];
  let rows = 0;
  for await (const batch of source.batches()) {
    if (bindings === undefined) {
      columns = [...batch.columns.keys()];
      if (options.label !== undefined) requireColumn(source.name, columns, options.label, "--label");
      if (options.protectedAttribute !== undefined)
        requireColumn(source.name, columns, options.protectedAttribute, "--protected");
      const exclude = [options.label, options.protectedAttribute].filter((c): c is string => c !== undefined);
      bindings = models.map((m) => bindInputs(m, columns, { features: options.features, exclude }));
    }
    for (let m = 0; m < models.length; m++) {
      const model = models[m] as LoadedModel;
      const feeds = fillInputs(model, bindings[m] as InputBinding[], batch, source.name);
      const started = performance.now();
      const result = await runModel(model, feeds, (plans[m] as OutputPlan).name);
      (batchMs[m] as number[]).push(performance.now() - started);
      const width = result.dims.length === 1 ? 1 : (result.dims[1] as number);
      if (widths[m] === 0) widths[m] = width;
      (scores[m] as GrowableArray<Float32Array>).push(result.data as ArrayLike<number>, batch.length * width);
    }
    collectColumn(batch, options.label, labels, (v, i) =>
      labelNumber(v, source.name, options.label as string, batch, i),
    );
    collectColumn(batch, options.protectedAttribute, groups, (v) => {
      const key = v === null || v === undefined || v === "" ? "(missing)" : String(v);
      let index = groupIndex.get(key);
      if (index === undefined) {
        index = groupIndex.size;
        groupIndex.set(key, index);
      }
      return index;
    });
    rows += batch.length;
  }
  if (rows === 0) {
    throw new RuntimeInputError({
      source: source.name,
      problem: "has no rows",
      fix: "Pass a holdout with data rows",
    });
  }
  return {
    source: source.name,
    rows,
    columns,
    labels: labels?.view(),
    groups: groups?.view(),
    groupNames: [...groupIndex.keys()],
    batchSize,
    models: models.map((model, m) => ({
      model,
      output: plans[m] as OutputPlan,
      inputs: (bindings as InputBinding[][])[m] as InputBinding[],
      width: widths[m] as number,
      values: (scores[m] as GrowableArray<Float32Array>).view(),
      batchMs: batchMs[m] as number[],
    })),
  };
}

function collectColumn<T extends Float64Array | Int32Array>(
  batch: RecordBatch,
  column: string | undefined,
  into: GrowableArray<T> | undefined,
  convert: (value: unknown, i: number) => number,
): void {
  if (column === undefined || into === undefined) return;
  const values = batch.columns.get(column);
  for (let i = 0; i < batch.length; i++) into.pushOne(convert(values?.[i], i));
}

async function runModel(model: LoadedModel, feeds: Record<string, Tensor>, output: string): Promise<Tensor> {
  let results: Record<string, Tensor>;
  try {
    results = (await model.session.run(feeds, [output])) as Record<string, Tensor>;
  } catch (error) {
    throw new RuntimeInputError({
      source: model.path,
      problem: `scoring failed: ${(error as Error).message}`,
      fix: "Check that the feature columns, their order (--features) and their types match the model's training data",
    });
  }
  const tensor = results[output] as Tensor;
  if (tensor.type === "float16") {
    throw new RuntimeInputError({
      source: model.path,
      problem: `output "${output}" is float16`,
      fix: "Export the model with a float32 output",
    });
  }
  return tensor;
}
