import { Adwin } from "./adwin";
import { Ddm } from "./ddm";
import { Eddm } from "./eddm";
import { PageHinkley } from "./pageHinkley";
import type { ConceptDriftDetector, DetectorName, DriftDirection } from "./types";

/** ADWIN, DDM, EDDM and Page–Hinkley, each with river's default parameters. */
export function defaultDetectors(): ConceptDriftDetector[] {
  return [new Adwin(), new Ddm(), new Eddm(), new PageHinkley()];
}

/** Where one detector fired. */
export interface Detection {
  detector: DetectorName;
  /** 0-based position in the stream of labelled predictions. */
  index: number;
  /** 1-based data row (per file) of that prediction, when read from a file. */
  row: number | null;
  /** The file it came from, when read from files. */
  source: string | null;
  /** The timestamp column's value there, when there is one. */
  timestamp: string | null;
  /** Whether the error rate rose (accuracy fell) or fell. */
  direction: DriftDirection;
  /** Error rate over the stream since the detector's previous detection (or the start), up to and including this point. */
  errorRateBefore: number;
}

/** Where a value came from, for the detection record. */
export interface StreamPosition {
  row: number | null;
  source: string | null;
  timestamp: string | null;
}

/**
 * Feeds a stream of per-prediction errors (1 wrong, 0 right) to every detector and records each
 * detection, with the error rate of the segment it closed. Also counts errors per block of
 * `blockSize` for a chart of the error rate over the stream.
 */
export class ConceptDriftMonitor {
  readonly detectors: ConceptDriftDetector[];
  readonly detections: Detection[] = [];
  readonly blockSize: number;
  /** Errors per block of blockSize observations (the last block may be partial). */
  readonly blockErrors: number[] = [];
  count = 0;
  errors = 0;
  private readonly segmentStart: Map<DetectorName, { count: number; errors: number }>;

  /** Detectors that must see the error rate rise before the accuracy counts as dropped. */
  readonly quorum: number;

  /**
   * @param quorum detectors that must agree on an error increase for {@link accuracyDrop}.
   *   Default 2 (1 with a single detector): EDDM at river's defaults fires on stable streams too
   *   (river's own EDDM example loosens alpha and beta for that reason), so no single detector
   *   should start a retraining on its own.
   */
  constructor(detectors: ConceptDriftDetector[] = defaultDetectors(), blockSize = 50, quorum?: number) {
    this.detectors = detectors;
    this.blockSize = blockSize;
    this.quorum = quorum ?? Math.min(2, detectors.length);
    this.segmentStart = new Map(detectors.map((d) => [d.name, { count: 0, errors: 0 }]));
  }

  update(error: 0 | 1, position: StreamPosition = { row: null, source: null, timestamp: null }): void {
    const index = this.count;
    this.count++;
    this.errors += error;
    const block = Math.floor(index / this.blockSize);
    this.blockErrors[block] = (this.blockErrors[block] ?? 0) + error;
    for (const detector of this.detectors) {
      detector.update(error);
      if (!detector.driftDetected) continue;
      const start = this.segmentStart.get(detector.name) as { count: number; errors: number };
      this.detections.push({
        detector: detector.name,
        index,
        ...position,
        direction: detector.direction ?? "increase",
        errorRateBefore: (this.errors - start.errors) / (this.count - start.count),
      });
      this.segmentStart.set(detector.name, { count: this.count, errors: this.errors });
    }
  }

  /** True when at least `quorum` detectors saw the error rate rise: the accuracy dropped. */
  get accuracyDrop(): boolean {
    return (
      new Set(this.detections.filter((d) => d.direction === "increase").map((d) => d.detector)).size >=
      this.quorum
    );
  }
}
