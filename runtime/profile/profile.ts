import { prettifyError } from "zod";
import type { ColumnKind } from "../drift/types";
import { RuntimeInputError } from "../errors";
import { type RecordBatch, type Shard, sourceRowIndex } from "../io/types";
import { ColumnAccumulator } from "./column";
import { fitHistogram } from "./histogram";
import { profileProblems } from "./invariants";
import { KllSketch } from "./kll";
import { Moments } from "./moments";
import { PROFILE_KIND, PROFILE_SCHEMA_VERSION, type ProfileJson, profileSchema } from "./schema";
import { DEFAULT_PROFILE_SETTINGS, type ProfileSettings } from "./settings";

/**
 * A mergeable summary of a data set, column by column: counts and nulls, moments (Chan-merged),
 * min/max, a KLL sketch, reference histogram bins and category counts. Built once from training data
 * by `mlops profile`, it replaces the reference in every later drift run, so the reference need not
 * be read again; shards built with `--shard i/n` merge into the profile of the whole.
 */
export class DatasetProfile {
  readonly settings: ProfileSettings;
  readonly sources: string[];
  rowCount = 0;
  shard: Shard | undefined;
  private readonly columnMap = new Map<string, ColumnAccumulator>();
  private readonly retainValues: boolean;
  private readonly declaredKinds: ReadonlyMap<string, ColumnKind>;

  constructor(
    options: {
      /** @default DEFAULT_PROFILE_SETTINGS */
      settings?: Partial<ProfileSettings>;
      /** @default [] */
      sources?: string[];
      /** Keep every finite numeric value, for exact drift. @default false */
      retainValues?: boolean;
      /** Kinds fixed in advance (user choice, or the reference profile's). @default inferred */
      declaredKinds?: ReadonlyMap<string, ColumnKind>;
      /** @default undefined (whole source) */
      shard?: Shard;
    } = {},
  ) {
    this.settings = { ...DEFAULT_PROFILE_SETTINGS, ...options.settings };
    this.sources = options.sources ?? [];
    this.retainValues = options.retainValues ?? false;
    this.declaredKinds = options.declaredKinds ?? new Map();
    this.shard = options.shard;
  }

  /** Columns in first-seen order. */
  get columns(): ColumnAccumulator[] {
    return [...this.columnMap.values()];
  }

  column(name: string): ColumnAccumulator | undefined {
    return this.columnMap.get(name);
  }

  /** Adds a column with no rows yet (a column named by the user but not yet seen). */
  ensureColumn(name: string): ColumnAccumulator {
    let column = this.columnMap.get(name);
    if (column === undefined) {
      column = new ColumnAccumulator(name, this.settings, {
        retainValues: this.retainValues,
        declaredKind: this.declaredKinds.get(name),
      });
      // A column first seen part-way through (JSON Lines) was missing in every earlier row.
      column.addMissing(this.rowCount);
      this.columnMap.set(name, column);
    }
    return column;
  }

  /** Folds one batch of rows in. */
  addBatch(batch: RecordBatch): void {
    const rowOf = (i: number) => sourceRowIndex(batch, i) + 1;
    for (const [name, cells] of batch.columns) {
      this.ensureColumn(name).addCells(cells, batch.length, rowOf);
    }
    for (const [name, column] of this.columnMap) {
      if (!batch.columns.has(name)) column.addMissing(batch.length);
    }
    this.rowCount += batch.length;
  }

  /** Streams a whole source in. */
  async addAll(batches: AsyncIterable<RecordBatch>): Promise<this> {
    for await (const batch of batches) this.addBatch(batch);
    return this;
  }

  /**
   * Folds another profile (another shard) into this one. Both must use the same settings, or their
   * sketches and category caps would not be comparable.
   */
  merge(other: DatasetProfile): void {
    for (const key of Object.keys(this.settings) as (keyof ProfileSettings)[]) {
      if (this.settings[key] !== other.settings[key]) {
        throw new RuntimeInputError({
          source: other.sources.join(", ") || "profile",
          problem: `setting ${key} is ${String(other.settings[key])} but ${String(this.settings[key])} in the profile it is merged into`,
          fix: "Build every shard with the same --kll-k, --max-categories and --non-finite",
        });
      }
    }
    for (const column of other.columns) {
      const mine = this.columnMap.get(column.name);
      if (mine === undefined) {
        const fresh = new ColumnAccumulator(column.name, this.settings, {
          declaredKind: column.declaredKind,
        });
        fresh.addMissing(this.rowCount);
        fresh.merge(column);
        this.columnMap.set(column.name, fresh);
      } else {
        mine.merge(column);
      }
    }
    for (const [name, column] of this.columnMap) {
      if (other.column(name) === undefined) column.addMissing(other.rowCount);
    }
    this.rowCount += other.rowCount;
    this.sources.push(...other.sources.filter((s) => !this.sources.includes(s)));
    this.shard = undefined;
  }

  /** The versioned JSON form (validated by `profileSchema`). */
  toJSON(): ProfileJson {
    return {
      kind: PROFILE_KIND,
      schemaVersion: PROFILE_SCHEMA_VERSION,
      sources: this.sources,
      rowCount: this.rowCount,
      shard: this.shard === undefined ? null : { ...this.shard },
      settings: { ...this.settings },
      columns: this.columns.map((column) => {
        const numeric = column.moments.count > 0;
        return {
          name: column.name,
          kind: column.kind,
          kindDeclared: column.declaredKind !== undefined,
          rowCount: column.rowCount,
          nullCount: column.nullCount,
          nonFiniteCount: column.nonFiniteCount,
          firstNonFinite: column.firstNonFinite ?? null,
          textCount: column.textCount,
          firstText: column.firstText ?? null,
          numeric: numeric
            ? {
                count: column.moments.count,
                mean: column.moments.mean,
                m2: Math.max(0, column.moments.m2),
                min: column.moments.min,
                max: column.moments.max,
                sketch: column.sketch.toJSON(),
                histogram: fitHistogram(column.sketch) as { edges: number[]; counts: number[] },
              }
            : null,
          categories:
            column.categories === undefined
              ? null
              : [...column.categories].sort(
                  (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
                ),
        };
      }),
    };
  }

  /**
   * Reads a profile from parsed JSON, checking its kind, version and schema; `source` names the file
   * in every message.
   */
  static fromJSON(json: unknown, source: string): DatasetProfile {
    const header = json as { kind?: unknown; schemaVersion?: unknown } | null;
    if (header === null || typeof header !== "object" || header.kind !== PROFILE_KIND) {
      throw new RuntimeInputError({
        source,
        problem: `this is not an mlops profile (its "kind" is ${JSON.stringify(header?.kind)}, expected "${PROFILE_KIND}")`,
        fix: "Pass a file written by `mlops profile`, or a data file (.csv, .jsonl, .parquet)",
      });
    }
    if (header.schemaVersion !== PROFILE_SCHEMA_VERSION) {
      throw new RuntimeInputError({
        source,
        problem: `the profile has schema version ${JSON.stringify(header.schemaVersion)}, but this runtime reads version ${PROFILE_SCHEMA_VERSION}`,
        fix: "Rebuild the profile from the reference data with this runtime's `mlops profile`",
      });
    }
    const parsed = profileSchema.safeParse(json);
    if (!parsed.success) {
      throw new RuntimeInputError({
        source,
        problem: `the profile does not match schema version ${PROFILE_SCHEMA_VERSION}:\n${prettifyError(parsed.error)}\n`,
        fix: "Rebuild the profile with `mlops profile` rather than editing it by hand",
      });
    }
    const data = parsed.data;
    const problems = profileProblems(data);
    if (problems.length > 0) {
      throw new RuntimeInputError({
        source,
        problem: `the profile is corrupt: ${problems
          .slice(0, 5)
          .map((p) => `${p.field} ${p.problem}`)
          .join("; ")}${problems.length > 5 ? `; and ${problems.length - 5} more` : ""}`,
        fix: "Rebuild the profile with `mlops profile` rather than editing it by hand",
      });
    }
    const profile = new DatasetProfile({
      settings: data.settings,
      sources: [...data.sources],
      shard: data.shard ?? undefined,
    });
    profile.rowCount = data.rowCount;
    for (const c of data.columns) {
      const column = new ColumnAccumulator(c.name, profile.settings, {
        declaredKind: c.kindDeclared && c.kind !== "empty" ? c.kind : undefined,
      });
      Object.assign(column, {
        present: true,
        rowCount: c.rowCount,
        nullCount: c.nullCount,
        nonFiniteCount: c.nonFiniteCount,
        firstNonFinite: c.firstNonFinite ?? undefined,
        textCount: c.textCount,
        firstText: c.firstText ?? undefined,
        numericCount: c.numeric?.count ?? 0,
        categories: c.categories === null ? undefined : new Map(c.categories),
      });
      if (c.numeric !== null) {
        column.moments.merge(Moments.from(c.numeric));
        try {
          const sketch = KllSketch.fromJSON(c.numeric.sketch);
          if (sketch.k !== profile.settings.kllK) {
            throw new RangeError(
              `its k is ${sketch.k} but the profile's kllK setting is ${profile.settings.kllK}`,
            );
          }
          column.restoreSketch(sketch);
        } catch (error) {
          throw new RuntimeInputError({
            source,
            column: c.name,
            problem: `the quantile sketch is corrupt (${error instanceof Error ? error.message : String(error)})`,
            fix: "Rebuild the profile with `mlops profile`",
          });
        }
      }
      profile.columnMap.set(c.name, column);
    }
    return profile;
  }
}
