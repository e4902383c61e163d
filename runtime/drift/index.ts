/**
 * The drift engine: per-column drift with Evidently-compatible defaults (exact, or from a stored profile's
 * sketches), multiple-testing correction, and the dataset verdict. Results are plain JSON.
 */

export type { AlignedCounts } from "./categorical";
export { type DomainClassifierResult, rocAuc } from "./domain-classifier";
export {
  detectEmbeddingDrift,
  EMBEDDING_METHODS,
  EMBEDDING_MMD_MAX_ROWS,
  type EmbeddingDistance,
  type EmbeddingDriftOptions,
  type EmbeddingDriftResult,
  type EmbeddingMethod,
  vectorDistance,
} from "./embeddings";
export { DEFAULT_DRIFT_SHARE, detectColumnDrift, detectDrift } from "./engine";
export { canonicalCounts, numberLabel } from "./labels";
export {
  BUILTIN_DRIFT_METHODS,
  type Comparison,
  type DriftMethod,
  driftMethodNames,
  driftMethods,
  getDriftMethod,
  registerDriftMethod,
  unregisterDriftMethod,
} from "./methods/index";
export type { SortedNumericPair } from "./numeric";
export type { MethodOutput, ResolvedOptions } from "./outcome";
export { DEFAULT_OPTIONS, MAX_PLOTTED_CATEGORIES, OTHER_LABEL } from "./outcome";
export { loadDriftPlugins } from "./plugins";
export { DEFAULT_METHOD_RULES, isDrift, selectDefaultMethod } from "./selection";
export type { SketchedComparison } from "./sketch";
export { SKETCH_GRID } from "./sketch";
export {
  detectTextContentDrift,
  detectTextDrift,
  nonLetterShare,
  oovShare,
  TEXT_DESCRIPTORS,
  type TextContentDriftResult,
  type TextDescriptor,
  type TextDriftOptions,
  textLength,
  textWords,
} from "./text";
export type * from "./types";
