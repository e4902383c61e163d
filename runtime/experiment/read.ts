import type { Readable } from "node:stream";
import { RuntimeInputError } from "../errors";
import { openTabular } from "../io/open";
import { type DataFormat, sourceRowIndex } from "../io/types";
import { parseNumber } from "../profile/parseNumber";
import type { MetricKind } from "./compare";
import { MsprtMonitor } from "./msprt";
import { MetricSummary } from "./summary";

/** Where the experiment's outcomes are and how they are laid out. */
export interface ExperimentInput {
  /** Data file (CSV, JSON Lines, Parquet) or `-` for stdin. */
  data: string;
  /**
   * Input format.
   * @default from the file extension
   */
  format?: DataFormat;
  /**
   * The stream read when `data` is `-`.
   * @default process.stdin
   */
  stdin?: Readable;
  /** Column naming each row's variant. */
  variant: string;
  /** Column holding the outcome: 0/1 (or true/false) per request, a value, or for aggregated rows the conversions or the mean. */
  metric: string;
  /**
   * Rows are aggregates: this column holds each row's number of observations, the metric column
   * their conversions (proportion) or their mean (continuous, with `std`). Rows of one variant add up.
   * @default none: one row per observation
   */
  count?: string;
  /**
   * With `count`: the column of each aggregate's sample standard deviation (ddof 1); makes the metric continuous.
   * @default none
   */
  std?: string;
  /**
   * Test to run.
   * @default proportion when every outcome is 0 or 1 (or an aggregate has no `std`), else continuous
   */
  kind?: MetricKind;
}

/** How the sequential test looks at the data while it is read. */
export interface SequentialLooks {
  control: string;
  alpha: number;
  /** Observations each of the two variants needs before the first look (the variance estimate is a plug-in). */
  minSamples: number;
  /** Mixing standard deviation τ; undefined: 0.1·|control mean| at the first look, else the pooled sd there. */
  tau?: number;
}

/** What the read produced: a summary per variant in order of first appearance, and the sequential monitors. */
export interface ExperimentData {
  source: string;
  kind: MetricKind;
  kindSource: "option" | "inferred";
  aggregated: boolean;
  rows: number;
  variants: Map<string, MetricSummary>;
  /** Per challenger, with `sequential`: the mSPRT over every look after the burn-in. */
  monitors: Map<string, MsprtMonitor>;
}

type Cell = unknown;

function outcome(value: Cell, source: string, column: string, row: number): number {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "boolean") n = value ? 1 : 0;
  else if (typeof value === "bigint") n = Number(value);
  else if (typeof value === "string" && value !== "") {
    const lower = value.trim().toLowerCase();
    n = lower === "true" ? 1 : lower === "false" ? 0 : parseNumber(value.trim());
  } else {
    throw new RuntimeInputError({
      source,
      row,
      column,
      problem: "the value is missing",
      fix: "Give every row an outcome: 0 for a request without a conversion, or drop rows whose outcome is not known yet",
    });
  }
  if (!Number.isFinite(n)) {
    throw new RuntimeInputError({
      source,
      row,
      column,
      problem: `"${String(value)}" is not a finite number`,
      fix: "Give numbers, or true/false for conversions",
    });
  }
  return n;
}

function variantName(value: Cell, source: string, column: string, row: number): string {
  if (value === null || value === undefined || value === "") {
    throw new RuntimeInputError({
      source,
      row,
      column,
      problem: "the variant is missing",
      fix: "Every row must name the variant that served it",
    });
  }
  return String(value);
}

/**
 * Reads the outcomes into one {@link MetricSummary} per variant, streaming (no variant's values are
 * held). With `looks`, every row after the burn-in is a look of the mSPRT of its variant against
 * the control (a control row is a look for every challenger), so the always-valid p-value is the
 * minimum over the whole arrival order of the file, as if the experiment had been checked after
 * every request.
 */
export async function readExperiment(
  input: ExperimentInput,
  looks?: SequentialLooks,
): Promise<ExperimentData> {
  const aggregated = input.count !== undefined;
  const columns = [input.variant, input.metric, input.count, input.std].filter(
    (c): c is string => c !== undefined,
  );
  const source = await openTabular(input.data, { format: input.format, stdin: input.stdin, columns });
  const variants = new Map<string, MetricSummary>();
  const monitors = new Map<string, MsprtMonitor>();
  let rows = 0;
  let binary = true;
  for await (const batch of source.batches()) {
    for (const column of columns) {
      if (!batch.columns.has(column) && batch.length > 0 && rows === 0) {
        throw new RuntimeInputError({
          source: source.name,
          column,
          problem: "the column is not in the data",
          fix: `Name an existing column (the data has ${[...batch.columns.keys()].join(", ") || "no columns"})`,
        });
      }
    }
    const variantCol = batch.columns.get(input.variant);
    const metricCol = batch.columns.get(input.metric);
    const countCol = input.count === undefined ? undefined : batch.columns.get(input.count);
    const stdCol = input.std === undefined ? undefined : batch.columns.get(input.std);
    for (let i = 0; i < batch.length; i++) {
      const row = sourceRowIndex(batch, i) + 1;
      rows++;
      const name = variantName(variantCol?.[i], source.name, input.variant, row);
      let summary = variants.get(name);
      if (summary === undefined) {
        summary = new MetricSummary();
        variants.set(name, summary);
      }
      const value = outcome(metricCol?.[i], source.name, input.metric, row);
      if (!aggregated) {
        if (value !== 0 && value !== 1) {
          binary = false;
          if (input.kind === "proportion") {
            throw new RuntimeInputError({
              source: source.name,
              row,
              column: input.metric,
              problem: `${value} is not a 0/1 outcome, which --kind proportion needs`,
              fix: "Use --kind continuous for values, or give 0/1 (true/false) per request",
            });
          }
        }
        summary.add(value);
        if (looks !== undefined) lookAfterRow(name, variants, monitors, looks);
      } else {
        addAggregateRow(summary, input, value, countCol?.[i], stdCol?.[i], source.name, row);
      }
    }
  }
  const kind: MetricKind =
    input.kind ??
    (aggregated
      ? input.std === undefined
        ? "proportion"
        : "continuous"
      : binary
        ? "proportion"
        : "continuous");
  if (aggregated && looks !== undefined) {
    // Aggregates have no arrival order: one look at the totals (still a valid, if conservative, p-value).
    for (const name of variants.keys()) if (name !== looks.control) lookAt(name, variants, monitors, looks);
  }
  return {
    source: source.name,
    kind,
    kindSource: input.kind === undefined ? "inferred" : "option",
    aggregated,
    rows,
    variants,
    monitors,
  };
}

function addAggregateRow(
  summary: MetricSummary,
  input: ExperimentInput,
  value: number,
  countCell: Cell,
  stdCell: Cell,
  source: string,
  row: number,
): void {
  const count = outcome(countCell, source, input.count as string, row);
  if (!Number.isInteger(count) || count < 0) {
    throw new RuntimeInputError({
      source,
      row,
      column: input.count,
      problem: `${count} is not a count`,
      fix: "Give each aggregate's number of observations as a whole number ≥ 0",
    });
  }
  if (input.std === undefined) {
    if (input.kind === "continuous") {
      throw new RuntimeInputError({
        source: "--std",
        problem: "aggregated continuous outcomes need each row's standard deviation",
        fix: "Pass --std <column> with the sample standard deviation of each aggregate",
      });
    }
    if (!Number.isInteger(value) || value < 0 || value > count) {
      throw new RuntimeInputError({
        source,
        row,
        column: input.metric,
        problem: `${value} conversions out of ${count} observations is not possible`,
        fix: "With --count, the metric column holds each row's number of conversions (0 to the count)",
      });
    }
    const p = count === 0 ? 0 : value / count;
    summary.addAggregate(count, p, count > 1 ? (value * (1 - p)) / (count - 1) : 0);
    return;
  }
  const sd = outcome(stdCell, source, input.std, row);
  if (sd < 0) {
    throw new RuntimeInputError({
      source,
      row,
      column: input.std,
      problem: `the standard deviation ${sd} is negative`,
      fix: "Give each aggregate's sample standard deviation",
    });
  }
  summary.addAggregate(count, value, sd * sd);
}

function lookAfterRow(
  name: string,
  variants: Map<string, MetricSummary>,
  monitors: Map<string, MsprtMonitor>,
  looks: SequentialLooks,
): void {
  if (name !== looks.control) {
    lookAt(name, variants, monitors, looks);
    return;
  }
  for (const other of variants.keys()) if (other !== looks.control) lookAt(other, variants, monitors, looks);
}

function lookAt(
  challenger: string,
  variants: Map<string, MetricSummary>,
  monitors: Map<string, MsprtMonitor>,
  looks: SequentialLooks,
): void {
  const c = variants.get(challenger) as MetricSummary;
  const k = variants.get(looks.control);
  if (k === undefined || c.count < looks.minSamples || k.count < looks.minSamples) return;
  let monitor = monitors.get(challenger);
  if (monitor === undefined) {
    monitor = new MsprtMonitor(looks.tau ?? defaultTau(c, k), looks.alpha);
    monitors.set(challenger, monitor);
  }
  monitor.look(c.mean - k.mean, c.variance / c.count + k.variance / k.count);
}

/**
 * τ when none is given: a tenth of the control mean (the test is most sensitive to relative lifts
 * around 10%), or, for a metric centred on 0, a tenth of the pooled standard deviation, fixed at the
 * first look. Johari et al. fit τ to the effects of past experiments; pass `tau` when you have them.
 */
export function defaultTau(challenger: MetricSummary, control: MetricSummary): number {
  if (control.mean !== 0) return 0.1 * Math.abs(control.mean);
  return 0.1 * Math.sqrt((challenger.m2 + control.m2) / Math.max(1, challenger.count + control.count - 2));
}
