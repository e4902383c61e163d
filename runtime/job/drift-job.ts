import type { Readable } from "node:stream";
import { detectDrift } from "../drift";
import type { ColumnDriftError, ColumnDriftOutcome, ColumnKind, DriftColumnInput } from "../drift/types";
import { RuntimeInputError } from "../errors";
import type { DataFormat, TabularSource } from "../io/types";
import { withPredictions } from "../model/predictionColumn";
import type { LoadedModel } from "../model/session";
import type { DatasetProfile } from "../profile/profile";
import type { ProfileSettings } from "../profile/settings";
import type { Progress } from "../progress";
import { checkQuality, DEFAULT_QUALITY_THRESHOLDS } from "../quality/check";
import {
  type DriftReport,
  driftReportSchema,
  REPORT_KIND,
  REPORT_SCHEMA_VERSION,
  type ReportColumn,
} from "../report/schema";
import type { ColumnSpec } from "./columns";
import type { JobConfig } from "./config";
import { columnWarnings, engineInput } from "./engine-inputs";
import { type CaptureSelection, isProfilePath, loadProfile, profileData } from "./load";

export interface DriftJobOptions {
  /** A data file, `-` for stdin, or a stored profile (`.json`, from `mlops profile`). */
  readonly reference: string;
  /**
   * A data file, `-` for stdin, several data files read in order as one data set, or one profile (`.json`) of
   * the current window, such as the merged shard profiles of a sharded run.
   */
  readonly current: string | readonly string[];
  /**
   * Format of data inputs.
   * @default from each file's extension
   */
  readonly format?: DataFormat;
  /**
   * Columns to compare, optionally with a kind.
   * @default every column of the reference, kinds inferred
   */
  readonly columns?: readonly ColumnSpec[];
  /**
   * Column holding the model's prediction (reported with role `prediction`).
   * @default none
   */
  readonly prediction?: string;
  /**
   * Column holding the ground truth (reported with role `target`).
   * @default none
   */
  readonly target?: string;
  /**
   * Thresholds and methods.
   * @default the engine's defaults and DEFAULT_QUALITY_THRESHOLDS
   */
  readonly config?: JobConfig;
  /**
   * Profile settings used for data inputs.
   * @default DEFAULT_PROFILE_SETTINGS
   */
  readonly profileSettings?: Partial<ProfileSettings>;
  /**
   * A model that scores the reference and the current data; its predictions are compared as the
   * prediction column (named by `prediction`, default "prediction"), for data captured without them.
   * @default none: predictions, if any, come from the data
   */
  readonly model?: LoadedModel;
  /**
   * The model's feature columns, in input order.
   * @default every column but the target, in file order
   */
  readonly modelFeatures?: readonly string[];
  /**
   * Read the current inputs as a serving capture (SageMaker, Azure ML or the sidecar's), within a
   * time window.
   * @default plain data files
   */
  readonly capture?: CaptureSelection;
  /** @default process.stdin */
  readonly stdin?: Readable;
  /** @default no progress */
  readonly progress?: Progress;
  /** @default new Date() */
  readonly now?: Date;
}

/**
 * Runs one drift check: reads (or loads) the reference, streams the current data, checks data
 * quality against the reference's constraints, computes per-column drift and the dataset verdict,
 * and returns the validated report. File-level problems throw `RuntimeInputError` (exit 1, no
 * report); column-level ones become errored columns and the others go on.
 */
export async function runDriftJob(options: DriftJobOptions): Promise<DriftReport> {
  const currentPaths = typeof options.current === "string" ? [options.current] : options.current;
  if (options.reference === "-" && currentPaths.includes("-")) {
    throw new RuntimeInputError({
      source: "stdin",
      problem: "both --reference and --current read stdin",
      fix: "Give at most one of them as -",
    });
  }
  const prediction = options.model === undefined ? options.prediction : (options.prediction ?? "prediction");
  const adapt = modelAdapter(options, currentPaths, prediction);
  const specs = withRoles(options.columns, prediction, options.target);
  const wanted = specs?.map((spec) => spec.name);
  const userKinds = new Map<string, ColumnKind>();
  for (const spec of specs ?? []) if (spec.kind !== undefined) userKinds.set(spec.name, spec.kind);
  for (const [name, column] of Object.entries(options.config?.drift.columns ?? {})) {
    if (column.kind !== undefined && !userKinds.has(name)) userKinds.set(name, column.kind);
  }

  const referenceIsProfile = isProfilePath(options.reference);
  const reference: DatasetProfile = referenceIsProfile
    ? await loadProfile(options.reference)
    : await profileData(options.reference, {
        format: options.format,
        columns: wanted,
        declaredKinds: userKinds,
        retainValues: true,
        settings: options.profileSettings,
        stdin: options.stdin,
        progress: options.progress,
        label: "reference",
        adapt,
      });
  const referenceName = referenceIsProfile ? options.reference : (reference.sources[0] ?? options.reference);
  if (reference.rowCount === 0) {
    throw new RuntimeInputError({
      source: referenceName,
      problem: "the reference set is empty (no data rows)",
      fix: "Point --reference at the training data or at a profile built from it",
    });
  }
  if (reference.shard !== undefined) {
    throw new RuntimeInputError({
      source: referenceName,
      problem: `the profile covers only shard ${reference.shard.index}/${reference.shard.count}`,
      fix: "Join the shards first with `mlops profile merge`",
    });
  }
  const selected = wanted ?? reference.columns.map((column) => column.name);
  const referenceKinds = new Map<string, ColumnKind>(userKinds);
  for (const column of reference.columns) {
    const kind = column.kind;
    if (kind !== "empty" && !referenceKinds.has(column.name)) referenceKinds.set(column.name, kind);
  }

  const currentIsProfile = currentPaths.some(isProfilePath);
  if (currentIsProfile) checkCurrentProfilePaths(currentPaths);
  const current = currentIsProfile
    ? await loadCurrentProfile(currentPaths[0] as string)
    : await profileData(options.current, {
        format: options.format,
        columns: selected,
        declaredKinds: referenceKinds,
        retainValues: true,
        settings: { ...reference.settings, ...options.profileSettings },
        stdin: options.stdin,
        progress: options.progress,
        label: "current",
        adapt,
        capture: options.capture,
      });
  if (current.rowCount === 0) {
    throw new RuntimeInputError({
      source: describeSources(current.sources),
      problem: "the current set is empty (no data rows)",
      fix: "Check the current window actually holds data before running the drift job",
    });
  }

  const quality = checkQuality(
    reference,
    current,
    selected,
    options.config?.quality ?? DEFAULT_QUALITY_THRESHOLDS,
  );
  const settings = reference.settings;
  const inputs: DriftColumnInput[] = [];
  const prepared = new Map<string, DriftColumnInput | ColumnDriftError>();
  for (const name of selected) {
    const referenceColumn = reference.column(name);
    const currentColumn = current.column(name);
    const input = engineInput(
      name,
      referenceColumn?.present ? referenceColumn : undefined,
      currentColumn?.present ? currentColumn : undefined,
      {
        referenceMode: referenceIsProfile ? "sketch" : "exact",
        currentMode: currentIsProfile ? "sketch" : "exact",
        typeMismatchTolerance: settings.typeMismatchTolerance,
        maxCategories: settings.maxCategories,
      },
    );
    prepared.set(name, input);
    if (!("status" in input)) inputs.push(input);
  }
  const drift = detectDrift(inputs, options.config?.drift ?? {});
  const outcomes = new Map<string, ColumnDriftOutcome>(
    drift.columns.map((outcome) => [outcome.column, outcome]),
  );

  const columns: ReportColumn[] = selected.map((name) => {
    const input = prepared.get(name);
    const outcome: ColumnDriftOutcome | undefined =
      input !== undefined && "status" in input ? input : outcomes.get(name);
    const role = name === prediction ? "prediction" : name === options.target ? "target" : "feature";
    const base = {
      name,
      role,
      quality: quality.columns.get(name) ?? null,
      warnings: columnWarnings(reference.column(name), current.column(name)),
    } as const;
    if (outcome === undefined) {
      return {
        ...base,
        status: "error",
        drift: null,
        error: { code: "internal", message: `Column '${name}' got no drift result.` },
      };
    }
    if (outcome.status === "error") return { ...base, status: "error", drift: null, error: outcome.error };
    const { status: _status, column: _column, ...result } = outcome;
    return { ...base, status: "ok", drift: result, error: null };
  });

  const errorCount = columns.filter((column) => column.status === "error").length;
  const evaluatedCount = columns.length - errorCount;
  const driftedCount = columns.filter((column) => column.drift?.drifted === true).length;
  const verdict = errorCount > 0 ? "error" : drift.datasetDrift ? "drift" : "no-drift";
  const report: DriftReport = {
    kind: REPORT_KIND,
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: (options.now ?? new Date()).toISOString(),
    reference: {
      source: referenceName,
      mode: referenceIsProfile ? "sketch" : "exact",
      rowCount: reference.rowCount,
    },
    current: {
      source: currentIsProfile ? (currentPaths[0] as string) : describeSources(current.sources),
      mode: currentIsProfile ? "sketch" : "exact",
      rowCount: current.rowCount,
    },
    summary: {
      verdict,
      exitCode: verdict === "error" ? 1 : verdict === "drift" ? 2 : 0,
      datasetDrift: drift.datasetDrift,
      driftShare: evaluatedCount === 0 ? 0 : driftedCount / evaluatedCount,
      driftShareThreshold: drift.driftShareThreshold,
      evaluatedCount,
      driftedCount,
      errorCount,
      correction: drift.correction,
      qualityViolationCount: quality.violations.length,
    },
    columns,
    qualityViolations: quality.violations,
  };
  // The report is a published contract: never emit one that does not match its own schema.
  return driftReportSchema.parse(report);
}

/** With a model, each data source gains the prediction column; profiles hold no rows to score. */
function modelAdapter(
  options: DriftJobOptions,
  currentPaths: readonly string[],
  prediction: string | undefined,
): ((source: TabularSource) => TabularSource) | undefined {
  const model = options.model;
  if (model === undefined || prediction === undefined) return undefined;
  const profile = [options.reference, ...currentPaths].find(isProfilePath);
  if (profile !== undefined) {
    throw new RuntimeInputError({
      source: profile,
      problem: "--model scores data rows, and a profile holds none",
      fix: "Pass the reference and current data files with --model, or profiles that already hold the prediction column without it",
    });
  }
  const exclude = options.target === undefined ? [] : [options.target];
  return (source) =>
    withPredictions(source, model, { column: prediction, features: options.modelFeatures, exclude });
}

function checkCurrentProfilePaths(paths: readonly string[]): void {
  if (paths.length !== 1) {
    throw new RuntimeInputError({
      source: paths.join(", "),
      problem: "--current mixes profiles with other inputs, or names several profiles",
      fix: "Pass one profile of the current window (join shard profiles first with `mlops profile merge`), or data files only",
    });
  }
}

/** Loads a profile of the current window; a single shard's profile would judge drift on part of the window. */
async function loadCurrentProfile(path: string): Promise<DatasetProfile> {
  const profile = await loadProfile(path);
  if (profile.shard !== undefined) {
    throw new RuntimeInputError({
      source: path,
      problem: `the profile covers only shard ${profile.shard.index}/${profile.shard.count} of the current window`,
      fix: "Join the shards first with `mlops profile merge`",
    });
  }
  return profile;
}

function withRoles(
  columns: readonly ColumnSpec[] | undefined,
  prediction: string | undefined,
  target: string | undefined,
): ColumnSpec[] | undefined {
  if (columns === undefined) return undefined;
  const specs = [...columns];
  for (const role of [prediction, target]) {
    if (role !== undefined && !specs.some((spec) => spec.name === role)) specs.push({ name: role });
  }
  return specs;
}

/** The current source for messages and the report: the file, or the first file and how many more. */
function describeSources(sources: readonly string[]): string {
  if (sources.length <= 1) return sources[0] ?? "current";
  return `${sources[0]} and ${sources.length - 1} more file(s)`;
}
