/** Concept-drift detectors over a stream of per-prediction errors, with river's default parameters. */
export { Adwin, type AdwinOptions } from "./adwin";
export { type CaptureLabelsOptions, conceptDriftOnCapture } from "./capture";
export { Ddm, type DdmOptions } from "./ddm";
export { Eddm, type EddmOptions } from "./eddm";
export { renderConceptDriftHtml } from "./html";
export { type LabelledInput, type LabelledStreamResult, runLabelledStream } from "./labels";
export {
  CONCEPT_EMF_NAMESPACE,
  CONCEPT_METRIC_PREFIX,
  conceptDriftEmfLines,
  conceptDriftRegistry,
} from "./metrics";
export { PageHinkley, type PageHinkleyOptions } from "./pageHinkley";
export {
  CONCEPT_REPORT_KIND,
  CONCEPT_REPORT_VERSION,
  type ConceptDriftReport,
  conceptDriftReport,
} from "./report";
export { ConceptDriftMonitor, type Detection, defaultDetectors, type StreamPosition } from "./stream";
export { type ConceptDriftDetector, DetectorName, type DriftDirection } from "./types";
