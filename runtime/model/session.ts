import { readFile } from "node:fs/promises";
import type { InferenceSession } from "onnxruntime-node";
import { errorMessage, RuntimeInputError } from "../errors";
import { loadOrt, type Ort } from "./ort";
import { exposeZipMapInputs, type ZipMapOutput } from "./zipmap";

/** One model input or output as the model's metadata declares it. */
export interface ValueInfo {
  readonly name: string;
  /** Whether the value is a tensor; sequences and maps (sklearn-onnx's ZipMap) are not. */
  readonly isTensor: boolean;
  /** Element type (`float32`, `float64`, `int64`, `string`, …), for tensors. */
  readonly type?: string;
  /** Dimensions; a string or negative number is a symbolic (free) dimension such as the batch. */
  readonly shape?: readonly (number | string)[];
}

/** A loaded model: its ONNX Runtime session and declared inputs and outputs. */
export interface LoadedModel {
  /** The path, used in every message about this model. */
  readonly path: string;
  readonly session: InferenceSession;
  /** The onnxruntime-node module the session came from (its Tensor class builds the inputs). */
  readonly ort: Ort;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  /** sklearn-onnx ZipMap outputs, whose probability tensors were added as outputs. */
  readonly zipMaps: readonly ZipMapOutput[];
}

/** True when a dimension is fixed by the model (not a symbolic batch dimension). */
export function isFixedDim(dim: number | string | undefined): dim is number {
  return typeof dim === "number" && dim >= 0;
}

function describe(meta: InferenceSession.ValueMetadata): ValueInfo {
  return meta.isTensor
    ? { name: meta.name, isTensor: true, type: meta.type, shape: [...meta.shape] }
    : { name: meta.name, isTensor: false };
}

/**
 * Opens an ONNX model with onnxruntime-node's CPU provider. A file that is not a readable ONNX model
 * is bad input (exit 1), reported with ONNX Runtime's own reason. One intra-op thread per core is
 * ONNX Runtime's default and is kept; graph optimisation is left at its default ("all").
 */
export async function loadModel(path: string): Promise<LoadedModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new RuntimeInputError({
      source: path,
      problem: `cannot read the model (${errorMessage(error)})`,
      fix: "Check the --model path and that the job can read it",
    });
  }
  const ort = loadOrt();
  let zipMaps: ZipMapOutput[] = [];
  try {
    ({ bytes, zipMaps } = exposeZipMapInputs(bytes) as { bytes: Buffer; zipMaps: ZipMapOutput[] });
  } catch {
    // Not a protobuf message: ONNX Runtime says so below, in its own words.
  }
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  } catch (error) {
    throw new RuntimeInputError({
      source: path,
      problem: `is not an ONNX model ONNX Runtime can load (${errorMessage(error).replace(/\s+/g, " ").trim()})`,
      fix: "Pass a .onnx file exported by skl2onnx, tf2onnx, torch.onnx or onnxmltools",
    });
  }
  return {
    path,
    session,
    ort,
    inputs: session.inputMetadata.map(describe),
    outputs: session.outputMetadata.map(describe),
    zipMaps,
  };
}
