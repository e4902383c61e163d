/**
 * Two-sample statistics and distances used by the drift engine. Each function names the reference implementation
 * it matches (scipy, numpy or Evidently) and is checked against values that implementation produced.
 */
export { type ChiSquareResult, chiSquareContingency, chiSquareGoodnessOfFit } from "./chisquare";
export { benjaminiHochberg, bonferroni } from "./correction";
export { chiSquareSf, normalSf, normalTwoSidedP } from "./distributions";
export {
  hellingerDistance,
  jensenShannonDistance,
  klDivergence,
  lInfinityDistance,
  populationStabilityIndex,
} from "./divergence";
export { assertFiniteSample, StatsInputError, type StatsInputErrorCode } from "./errors";
export {
  equalWidthEdges,
  fillZeroSharesEvidently,
  histogramCounts,
  nextDown,
  sturgesBinCount,
  sturgesEdges,
  toShares,
} from "./histogram";
export { kolmogorovTwoSided, kolmogorovTwoSidedSf, smirnovSf } from "./kolmogorov";
export {
  KS_MAX_AUTO_EXACT_N,
  type KsMode,
  type KsTwoSampleOptions,
  type KsTwoSampleResult,
  ksStatistic,
  ksTwoSample,
  ksTwoSamplePValue,
  roundHalfEven,
} from "./ks";
export { isSortedAscending, sortedCopy } from "./sorting";
export {
  normalizedWasserstein,
  populationStd,
  type WassersteinOptions,
  wassersteinDistance,
} from "./wasserstein";
export { twoProportionZTest, type ZTestResult } from "./ztest";
