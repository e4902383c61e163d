import { RuntimeInputError } from "../errors";
import type { RecordBatch, TabularSource } from "../io/types";
import { bindInputs, fillInputs, type InputBinding } from "./features";
import { planOutput } from "./outputs";
import type { LoadedModel } from "./session";

export interface PredictionColumnOptions {
  /** Name of the added column. */
  readonly column: string;
  /** Feature columns in the model's input order. @default every column but `exclude`, in file order */
  readonly features?: readonly string[];
  /** Columns that are not features (the target). */
  readonly exclude: readonly string[];
}

/**
 * The source with one more column: the model's prediction for every row, scored batch by batch as
 * the rows stream past. A single-value output (P(class 1) or a regression value) and a binary
 * classifier's P(class 1) are numbers; a multi-class classifier's prediction is its most probable
 * class, a category. This is what `mlops drift --model` compares when the data carries no predictions.
 */
export function withPredictions(
  source: TabularSource,
  model: LoadedModel,
  options: PredictionColumnOptions,
): TabularSource {
  const output = planOutput(model);
  return {
    name: source.name,
    format: source.format,
    byteSize: source.byteSize,
    async *batches(onBytes) {
      let bindings: InputBinding[] | undefined;
      for await (const batch of source.batches(onBytes)) {
        if (bindings === undefined) {
          const columns = [...batch.columns.keys()];
          if (columns.includes(options.column)) {
            throw new RuntimeInputError({
              source: source.name,
              column: options.column,
              problem: "already holds a column of that name, which the model's predictions would replace",
              fix: "Name the prediction column another way with --prediction, or drop --model to compare the stored predictions",
            });
          }
          bindings = bindInputs(model, columns, { features: options.features, exclude: options.exclude });
        }
        yield await scored(batch, model, bindings, output.name, source.name, options.column);
      }
    },
  };
}

async function scored(
  batch: RecordBatch,
  model: LoadedModel,
  bindings: InputBinding[],
  output: string,
  sourceName: string,
  column: string,
): Promise<RecordBatch> {
  const result = (await model.session.run(fillInputs(model, bindings, batch, sourceName), [output]))[output];
  const data = result?.data as ArrayLike<number>;
  const width = result === undefined || result.dims.length === 1 ? 1 : (result.dims[1] as number);
  const values: (number | string)[] = new Array(batch.length);
  for (let i = 0; i < batch.length; i++) {
    if (width === 1) values[i] = data[i] as number;
    else if (width === 2) values[i] = data[i * 2 + 1] as number;
    else {
      let best = 0;
      for (let c = 1; c < width; c++)
        if ((data[i * width + c] as number) > (data[i * width + best] as number)) best = c;
      values[i] = String(best);
    }
  }
  const columns = new Map(batch.columns);
  columns.set(column, values);
  return { ...batch, columns };
}
