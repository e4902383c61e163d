/**
 * Programmatic API of the job runtime, for hosts that run it in-process (the top-level `mlops`
 * CLI, `mlops monitor-run`) rather than as the container entrypoint. Nothing here imports Pulumi.
 */
export { registerRuntimeCommands } from "./cli";
export { type AbtestCommandOptions, buildExperimentReport, runAbtestCommand } from "./commands/abtest";
export { type ConceptDriftCommandOptions, runConceptDriftCommand } from "./commands/conceptDrift";
export { type CommandIo, EXIT_DRIFT, EXIT_ERROR, EXIT_NO_DRIFT, runDriftCommand } from "./commands/drift";
export { EXIT_EVALUATE_ERROR, EXIT_GATE_FAILED, EXIT_PASS, runEvaluateCommand } from "./commands/evaluate";
export { runProfileCommand, runProfileMergeCommand } from "./commands/profile";
export * as concept from "./concept";
export { ColumnError, RuntimeInputError } from "./errors";
export * as experiment from "./experiment";
export { formatFromPath, openTabular, STDIN_PATH } from "./io/open";
export type { DataFormat, RecordBatch, Shard, TabularSource } from "./io/types";
export { type ColumnSpec, parseColumnSpecs } from "./job/columns";
export { type JobConfig, jobConfigSchema, loadJobConfig, parseJobConfig } from "./job/config";
export { type DriftJobOptions, runDriftJob } from "./job/drift-job";
export { isProfilePath, loadProfile, profileData } from "./job/load";
export { parseShard, SHARD_COUNT_VARIABLES, SHARD_INDEX_VARIABLES } from "./job/shard";
export { type EvaluateOptions, type EvaluationReport, evaluateModel, Task } from "./model/evaluate";
export {
  type GateResult,
  type Gates,
  gatesSchema,
  loadGates,
  METRIC_DIRECTION,
  parseGates,
} from "./model/gates";
export { evaluationHtml } from "./model/html";
export { type LoadedModel, loadModel } from "./model/session";
export { KllSketch, kllRankErrorBound } from "./profile/kll";
export { DatasetProfile } from "./profile/profile";
export { PROFILE_SCHEMA_VERSION, type ProfileJson, profileSchema } from "./profile/schema";
export { DEFAULT_PROFILE_SETTINGS, type ProfileSettings } from "./profile/settings";
export { checkQuality, DEFAULT_QUALITY_THRESHOLDS, type QualityThresholds } from "./quality/check";
export { writeReportFile } from "./report/atomic";
export { EMF_NAMESPACE, emfLines } from "./report/emf";
export { renderHtml } from "./report/html";
export { METRIC_PREFIX, prometheusText, pushToGateway, reportRegistry } from "./report/prometheus";
export { type DriftReport, driftReportSchema, REPORT_SCHEMA_VERSION } from "./report/schema";
