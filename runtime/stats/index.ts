/** Two-sample statistics and distances used by the drift engine, each matching its reference implementation. */
export { assertFiniteSample, StatsInputError, type StatsInputErrorCode } from "./errors";
