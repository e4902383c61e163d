import { createRequire } from "node:module";

/** onnxruntime-node's module type, for callers that receive it from `loadOrt`. */
export type Ort = typeof import("onnxruntime-node");

let ort: Ort | undefined;

/**
 * Loads onnxruntime-node on first use. Its native binding is loaded only by the commands that score
 * a model, so `drift`, `profile` and the capture sidecar start without it. The runtime bundle keeps
 * it external (it ships beside the bundle in the image, see runtime/Dockerfile): a CommonJS require
 * from the bundle's own directory finds it there, where an ESM import() would not honour NODE_PATH.
 */
export function loadOrt(): Ort {
  ort ??= createRequire(__filename)("onnxruntime-node") as Ort;
  return ort;
}
