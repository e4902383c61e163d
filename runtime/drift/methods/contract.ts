import type { AlignedCounts } from "../categorical";
import type { SortedNumericPair } from "../numeric";
import type { MethodOutput, ResolvedOptions } from "../outcome";
import type { SketchedComparison } from "../sketch";
import type { ColumnKind, DriftComputation, ScoreKind } from "../types";

/** How a method's score is compared with its threshold to declare drift. */
export type Comparison = "<=" | "<" | ">=" | ">";

/**
 * One drift method: what the engine needs to know about it (the descriptor) and its implementations. A method
 * lives in one file under `runtime/drift/methods/`, and the engine reaches it only through the registry, so
 * adding a method (or registering one from a plugin module named in `drift.plugins`) touches nothing else.
 *
 * An implementation may be absent: a method with no `numeric` cannot run on numbers, one with no `sketch`
 * cannot run against a numeric profile (it says why in `noSketchReason`).
 */
export interface DriftMethod {
  /** The name config files use; Evidently's spelling where Evidently has the method. */
  readonly name: string;
  /** Column kinds the method accepts when forced by config; any other kind is refused before it runs. */
  readonly kinds: readonly ColumnKind[];
  readonly scoreKind: ScoreKind;
  readonly comparison: Comparison;
  readonly defaultThreshold: number;
  /** One line for the README table and error messages: what the score is. */
  readonly summary: string;
  /** Option names (of `DriftMethodOptions`) the method reads. @default [] */
  readonly options?: readonly string[];
  /** On two exact numeric samples, sorted. */
  numeric?(pair: SortedNumericPair, options: ResolvedOptions): MethodOutput;
  /** On reference and current counts aligned on the same categories. */
  categorical?(counts: AlignedCounts, options: ResolvedOptions, computation: DriftComputation): MethodOutput;
  /** Against a numeric profile (quantile sketch and fitted histogram), with the error bound it can state. */
  sketch?(comparison: SketchedComparison, options: ResolvedOptions): MethodOutput;
  /** Why the method has no sketch form, for the message refusing it on a profile. */
  readonly noSketchReason?: string;
}
