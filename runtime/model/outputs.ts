import { RuntimeInputError } from "../errors";
import type { LoadedModel, ValueInfo } from "./session";

/**
 * How a model's output is read:
 * - `single`: one value per row, `[N]` or `[N, 1]`: the positive-class probability of a binary
 *   classifier, or a regression prediction (the task decides which);
 * - `columns`: `[N, k]` with k ≥ 2, one probability per class (a softmax, or sklearn-onnx with
 *   `zipmap=False`), beside which a label output (`label`, as sklearn-onnx writes) may exist.
 */
export const OutputKind = {
  Single: "single",
  Columns: "columns",
} as const;
export type OutputKind = (typeof OutputKind)[keyof typeof OutputKind];

/** Which output is scored and how. */
export interface OutputPlan {
  /** The output whose values are scored. */
  readonly name: string;
  readonly kind: OutputKind;
  /** The model's label output (sklearn-onnx's `label`), when it has one; reported, not scored. */
  readonly labelOutput?: string;
  /** The class each probability column stands for, when the model says (ZipMap's class labels). */
  readonly classLabels?: readonly (number | string)[];
  /** How the output was understood, for the report. */
  readonly description: string;
}

const FLOAT_TYPES = new Set(["float32", "float64", "float16"]);

function isScoreOutput(o: ValueInfo): boolean {
  return o.isTensor && FLOAT_TYPES.has(o.type ?? "");
}

function isLabelOutput(o: ValueInfo): boolean {
  return o.isTensor && (o.type === "int64" || o.type === "string" || o.type === "int32");
}

/**
 * Chooses the output to score from the model's metadata. One floating-point tensor output is
 * required; a label tensor beside it is recognised. sklearn-onnx's ZipMap (a sequence of maps, which
 * onnxruntime-node cannot return) is read through its input tensor (see zipmap.ts); any other
 * non-tensor output without a tensor beside it is refused with the export fix.
 */
export function planOutput(model: LoadedModel): OutputPlan {
  const zipMap = model.zipMaps[0];
  if (zipMap !== undefined) {
    const label = model.outputs.find(isLabelOutput)?.name;
    return {
      name: zipMap.tensor,
      kind: OutputKind.Columns,
      labelOutput: label,
      classLabels: zipMap.classLabels,
      description: `one probability per class: "${zipMap.tensor}", the input of the ZipMap behind "${zipMap.mapOutput}"${label ? ` (label output "${label}" beside it)` : ""}`,
    };
  }
  const scores = model.outputs.filter(isScoreOutput);
  const label = model.outputs.find(isLabelOutput);
  const nonTensor = model.outputs.filter((o) => !o.isTensor);
  const list = model.outputs.map(
    (o) => `${o.name} (${o.isTensor ? `${o.type} [${o.shape?.join(", ")}]` : "not a tensor"})`,
  );
  if (scores.length === 0) {
    throw new RuntimeInputError({
      source: model.path,
      problem:
        nonTensor.length > 0
          ? `the probabilities come as "${nonTensor[0]?.name}", a sequence of maps (sklearn-onnx's ZipMap), which onnxruntime-node cannot return; outputs: ${list.join(", ")}`
          : `no floating-point output to score; outputs: ${list.join(", ")}`,
      fix:
        nonTensor.length > 0
          ? "Export the classifier without ZipMap (skl2onnx: options={id(model): {'zipmap': False}}), so the probabilities are a [N, classes] tensor"
          : "Export a model whose output is a probability or prediction tensor",
    });
  }
  const chosen = scores.length === 1 ? scores[0] : (scores.find((o) => /prob/i.test(o.name)) ?? undefined);
  if (chosen === undefined) {
    throw new RuntimeInputError({
      source: model.path,
      problem: `several floating-point outputs and none named like "probabilities": ${list.join(", ")}`,
      fix: 'Export the model with one prediction output, or name the probability output "probabilities"',
    });
  }
  const shape = chosen.shape ?? [];
  if (shape.length === 0 || shape.length > 2) {
    throw new RuntimeInputError({
      source: model.path,
      problem: `output "${chosen.name}" has shape [${shape.join(", ")}]; one row per example is expected ([N] or [N, k])`,
      fix: "Export the model with a batch-first output",
    });
  }
  const width = shape.length === 1 ? 1 : shape[1];
  // A free second dimension is settled by the first result (see `outputWidth`).
  const kind = width === 1 ? OutputKind.Single : OutputKind.Columns;
  const labelOutput = label?.name;
  return {
    name: chosen.name,
    kind: typeof width === "number" || shape.length === 1 ? kind : OutputKind.Columns,
    labelOutput,
    description:
      kind === OutputKind.Single
        ? `one value per row: "${chosen.name}"`
        : `one probability per class: "${chosen.name}"${labelOutput ? ` (label output "${labelOutput}" beside it)` : ""}`,
  };
}
