/** The concept-drift detectors the runtime runs, by the names reports and metrics use. */
export const DetectorName = {
  adwin: "adwin",
  ddm: "ddm",
  eddm: "eddm",
  pageHinkley: "page-hinkley",
} as const;
export type DetectorName = (typeof DetectorName)[keyof typeof DetectorName];

/** Which way the monitored error moved when a detector fired. */
export type DriftDirection = "increase" | "decrease";

/**
 * A detector fed one value at a time: for concept drift, 1 for a wrong prediction and 0 for a right
 * one. As in river, `driftDetected` holds for the update that detected the change only, and the
 * next update starts the detector afresh.
 */
export interface ConceptDriftDetector {
  readonly name: DetectorName;
  update(x: number): void;
  /** True right after the update that detected a change. */
  readonly driftDetected: boolean;
  /** The warning zone, for the detectors that have one (DDM, EDDM). */
  readonly warningDetected: boolean;
  /** Which way the error moved at the last detection. */
  readonly direction: DriftDirection | null;
}
