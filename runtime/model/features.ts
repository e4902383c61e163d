import type { Tensor } from "onnxruntime-node";
import { RuntimeInputError } from "../errors";
import { type RecordBatch, sourceRowIndex } from "../io/types";
import { parseNumber } from "../profile/parseNumber";
import { isFixedDim, type LoadedModel } from "./session";

/** Element types a data column can fill. */
const FILLABLE = { float32: Float32Array, float64: Float64Array } as const;
type FillableType = keyof typeof FILLABLE;

/** One model input and the data columns that fill it, in order. */
export interface InputBinding {
  readonly name: string;
  readonly type: FillableType;
  readonly columns: readonly string[];
  /** Rank of the input: 2 for `[N, k]`, 1 for `[N]`. */
  readonly rank: 1 | 2;
}

/**
 * Maps data columns to the model's inputs. A model with one 2-D input `[N, k]` takes k feature
 * columns: `features` when given, else every column but the label and the protected attribute, in
 * file order. A model with several inputs (as sklearn-onnx writes for per-column pipelines) takes
 * each input from the column of the same name, shaped `[N]` or `[N, 1]`.
 */
export function bindInputs(
  model: LoadedModel,
  fileColumns: readonly string[],
  options: { features?: readonly string[]; exclude: readonly string[] },
): InputBinding[] {
  const missing = (options.features ?? []).filter((c) => !fileColumns.includes(c));
  if (missing.length > 0) {
    throw new RuntimeInputError({
      source: "--features",
      problem: `the data has no column ${missing.map((c) => `"${c}"`).join(", ")} (columns: ${fileColumns.join(", ")})`,
      fix: "Name columns that the holdout file has",
    });
  }
  if (model.inputs.length === 1) {
    const input = model.inputs[0] as LoadedModel["inputs"][number];
    const columns = options.features ?? fileColumns.filter((c) => !options.exclude.includes(c));
    const shape = input.shape ?? [];
    checkType(model, input.name, input.type, input.isTensor);
    if (shape.length !== 2 || (isFixedDim(shape[0]) && shape[0] !== 1)) {
      throw new RuntimeInputError({
        source: model.path,
        problem: `input "${input.name}" has shape [${shape.join(", ")}]; the data fills a [batch, features] input`,
        fix: "Export the model with a 2-D input whose first dimension is the (free) batch size",
      });
    }
    if (isFixedDim(shape[1]) && shape[1] !== columns.length) {
      throw new RuntimeInputError({
        source: model.path,
        problem: `input "${input.name}" takes ${shape[1]} features but ${columns.length} columns would fill it (${columns.join(", ")})`,
        fix: "Name the model's feature columns, in training order, with --features a,b,c",
      });
    }
    return [{ name: input.name, type: input.type as FillableType, columns, rank: 2 }];
  }
  return model.inputs.map((input) => {
    checkType(model, input.name, input.type, input.isTensor);
    const shape = input.shape ?? [];
    if (!fileColumns.includes(input.name)) {
      throw new RuntimeInputError({
        source: model.path,
        problem: `input "${input.name}" has no column of that name in the data (columns: ${fileColumns.join(", ")})`,
        fix: "A model with one input per feature takes each from the column of the same name; rename the column",
      });
    }
    if (shape.length === 0 || shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
      throw new RuntimeInputError({
        source: model.path,
        problem: `input "${input.name}" has shape [${shape.join(", ")}]; one column fills [N] or [N, 1]`,
        fix: "Export per-column inputs as [None, 1]",
      });
    }
    return {
      name: input.name,
      type: input.type as FillableType,
      columns: [input.name],
      rank: shape.length as 1 | 2,
    };
  });
}

function checkType(model: LoadedModel, name: string, type: string | undefined, isTensor: boolean): void {
  if (!isTensor || !(type !== undefined && type in FILLABLE)) {
    throw new RuntimeInputError({
      source: model.path,
      problem: `input "${name}" is ${isTensor ? `a ${type} tensor` : "not a tensor"}; numeric columns fill float32 or float64 tensors only`,
      fix: "Export the model with float inputs (skl2onnx: FloatTensorType), encoding categories inside the model",
    });
  }
}

/** The number a cell holds; missing cells (empty, null) become NaN, anything else not a number is an error. */
export function cellNumber(
  value: unknown,
  source: string,
  column: string,
  batch: RecordBatch,
  i: number,
): number {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    if (value === "") return Number.NaN;
    const n = parseNumber(value);
    if (!Number.isNaN(n) || value === "NaN") return n;
  } else if (value === null || value === undefined) {
    return Number.NaN;
  } else if (typeof value === "bigint") {
    return Number(value);
  } else if (typeof value === "boolean") {
    return value ? 1 : 0;
  }
  throw new RuntimeInputError({
    source,
    row: sourceRowIndex(batch, i) + 1,
    column,
    problem: `holds ${JSON.stringify(String(value))}, which is not a number`,
    fix: "Feature columns must be numeric: encode categories before scoring, or leave the column out with --features",
  });
}

/** Fills the model's input tensors from one batch, row-major. */
export function fillInputs(
  model: LoadedModel,
  bindings: readonly InputBinding[],
  batch: RecordBatch,
  source: string,
): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  const n = batch.length;
  for (const binding of bindings) {
    const width = binding.columns.length;
    const data = new FILLABLE[binding.type](n * width);
    for (let c = 0; c < width; c++) {
      const column = binding.columns[c] as string;
      const values = batch.columns.get(column);
      // A column absent from a batch (JSON Lines) is missing in every row of it.
      for (let i = 0; i < n; i++)
        data[i * width + c] =
          values === undefined ? Number.NaN : cellNumber(values[i], source, column, batch, i);
    }
    feeds[binding.name] = new model.ort.Tensor(binding.type, data, binding.rank === 2 ? [n, width] : [n]);
  }
  return feeds;
}
