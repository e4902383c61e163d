/** The drift engine: per-column drift with Evidently-compatible defaults, and the dataset verdict. */
export { detectColumnDrift, detectDrift } from "./engine";
export type * from "./types";
