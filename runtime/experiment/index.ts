/** Online experiments between model variants: `mlops abtest` as a library. */
export {
  type AnalysisOptions,
  analyzeExperiment,
  type ChallengerResult,
  type ExperimentAnalysis,
  MetricDirection,
  Recommendation,
  validateVariants,
} from "./analyze";
export { type Comparison, compareMeans, compareProportions, MetricKind } from "./compare";
export { renderExperimentHtml } from "./html";
export {
  ABTEST_EMF_NAMESPACE,
  ABTEST_METRIC_PREFIX,
  experimentEmfLines,
  experimentRegistry,
} from "./metrics";
export { MsprtMonitor, msprtLook } from "./msprt";
export {
  defaultTau,
  type ExperimentData,
  type ExperimentInput,
  readExperiment,
  type SequentialLooks,
} from "./read";
export { ABTEST_REPORT_KIND, ABTEST_REPORT_VERSION, type ExperimentReport, MSPRT_REFERENCE } from "./report";
export { checkSampleRatio, DEFAULT_SRM_ALPHA, type SrmCheck } from "./srm";
export { MetricSummary } from "./summary";
export { parseWeights } from "./weights";
