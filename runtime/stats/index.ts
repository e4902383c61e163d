/**
 * Two-sample statistics and distances used by the drift engine. Each function names the reference implementation
 * it matches (scipy, numpy or Evidently) and is checked against values that implementation produced.
 */
export { type AndersonResult, andersonDarling2 } from "./anderson";
export { type ChiSquareResult, chiSquareContingency, chiSquareGoodnessOfFit } from "./chisquare";
export { benjaminiHochberg, bonferroni } from "./correction";
export { besselK, type CramerVonMisesResult, cdfCvmInf, cramerVonMises2 } from "./cramervonmises";
export { chiSquareSf, normalSf, normalTwoSidedP } from "./distributions";
export {
  hellingerDistance,
  jensenShannonDistance,
  klDivergence,
  lInfinityDistance,
  populationStabilityIndex,
} from "./divergence";
export { energyDistance } from "./energy";
export { type EppsSingletonResult, eppsSingleton2, percentileLinear } from "./epps";
export { assertFiniteSample, StatsInputError, type StatsInputErrorCode } from "./errors";
export { fisherExact2x2 } from "./fisher";
export { gTest } from "./gtest";
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
export { type MannWhitneyAlternative, type MannWhitneyResult, mannWhitneyU } from "./mannwhitney";
export { MMD_MAX_VALUES, mmdPermutationTest } from "./mmd";
export { seededRandom, totalVariation, tvdPermutationTest } from "./permutation";
export { pooledMidranks } from "./ranks";
export { isSortedAscending, sortedCopy } from "./sorting";
export { type Moments, sampleMoments, type TTestResult, tTest } from "./ttest";
export {
  normalizedWasserstein,
  populationStd,
  type WassersteinOptions,
  wassersteinDistance,
} from "./wasserstein";
export { twoProportionZTest, type ZTestResult } from "./ztest";
