/**
 * The drift engine: per-column drift with Evidently-compatible defaults (exact, or from a stored profile's
 * sketches), multiple-testing correction, and the dataset verdict. Results are plain JSON.
 */
export { DEFAULT_DRIFT_SHARE, detectColumnDrift, detectDrift } from "./engine";
export {
  DEFAULT_METHOD_RULES,
  DRIFT_METHOD_NAMES,
  DRIFT_METHODS,
  type DriftMethodInfo,
  isDrift,
  selectDefaultMethod,
} from "./methods";
export { DEFAULT_OPTIONS, MAX_PLOTTED_CATEGORIES, OTHER_LABEL } from "./outcome";
export { SKETCH_GRID } from "./sketch";
export type * from "./types";
