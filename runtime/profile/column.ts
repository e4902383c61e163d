import type { ColumnKind } from "../drift/types";
import { cutValue } from "../errors";
import { KllSketch } from "./kll";
import { Moments } from "./moments";
import { parseNumber } from "./parseNumber";
import type { ProfileSettings } from "./settings";

/** First offending cell of a kind, kept so messages can name the row. */
export interface CellLocation {
  /** 1-based data row in the source (the CSV header is row 0). */
  row: number;
  value: string;
}

/**
 * Everything a profile knows about one column, in mergeable form. `kind` is decided only when the
 * profile is finished (or given up front), because a streaming reader cannot know early whether a
 * column of mostly numbers will turn out to hold words.
 */
export class ColumnAccumulator {
  readonly name: string;
  /** Kind forced by the caller (user `--columns a:numerical` or the reference profile). */
  declaredKind: ColumnKind | undefined;
  /** False while the source has never supplied this column (a named column absent from the file). */
  present = false;
  rowCount = 0;
  nullCount = 0;
  numericCount = 0;
  nonFiniteCount = 0;
  firstNonFinite: CellLocation | undefined;
  textCount = 0;
  firstText: CellLocation | undefined;
  readonly moments = new Moments();
  private kll: KllSketch;
  /**
   * True while the sketch is not maintained because every value is retained: feeding the retained
   * values in row order rebuilds exactly the sketch streaming would have built, so exact drift
   * runs skip the sketch work and pay for it only if the sketch is asked for.
   */
  private sketchDeferred: boolean;
  /** Counts of every distinct non-missing value, as text; undefined once more than maxCategories were seen. */
  categories: Map<string, number> | undefined = new Map();
  /** Finite numeric values in row order, kept only for exact drift. */
  retained: GrowableFloat64 | undefined;
  private readonly settings: ProfileSettings;

  constructor(
    name: string,
    settings: ProfileSettings,
    options: { retainValues?: boolean; declaredKind?: ColumnKind } = {},
  ) {
    this.name = name;
    this.settings = settings;
    this.kll = new KllSketch(settings.kllK, seedFor(name));
    this.declaredKind = options.declaredKind;
    if (options.retainValues) this.retained = new GrowableFloat64();
    this.sketchDeferred = options.retainValues === true;
  }

  /** The column's KLL sketch (built from the retained values on first use when it was deferred). */
  get sketch(): KllSketch {
    if (this.sketchDeferred) {
      this.sketchDeferred = false;
      for (const value of this.retained?.values() ?? []) this.kll.update(value);
    }
    return this.kll;
  }

  /** Replaces the sketch with one read from a stored profile. */
  restoreSketch(sketch: KllSketch): void {
    this.kll = sketch;
    this.sketchDeferred = false;
  }

  /** Counts `count` rows in which the column is absent. */
  addMissing(count: number): void {
    this.rowCount += count;
    this.nullCount += count;
  }

  /**
   * Folds in one batch of cells. `rowOf(i)` gives the 1-based source row of cell i, used only when
   * a cell is bad, so the hot loop does no bookkeeping for good cells.
   */
  addCells(cells: ArrayLike<unknown>, length: number, rowOf: (i: number) => number): void {
    this.rowCount += length;
    this.present = true;
    const moments = this.moments;
    const sketch = this.sketchDeferred ? undefined : this.kll;
    const retained = this.retained;
    const treatNonFiniteAsMissing = this.settings.nonFinite === "missing";
    for (let i = 0; i < length; i++) {
      const cell = cells[i];
      let number: number;
      if (typeof cell === "number") {
        number = cell;
      } else if (typeof cell === "string") {
        if (cell === "") {
          this.nullCount++;
          continue;
        }
        number = parseNumber(cell);
        if (Number.isNaN(number)) {
          if (!NAN_TOKENS.has(cell.trim().toLowerCase())) {
            this.addText(cell, rowOf, i);
            continue;
          }
        } else if (number === 0 && cell.trim() === "") {
          // `+"  "` is 0: whitespace-only text is a missing value, not a zero.
          this.nullCount++;
          continue;
        }
      } else if (cell === null || cell === undefined) {
        this.nullCount++;
        continue;
      } else if (typeof cell === "bigint") {
        number = Number(cell);
      } else if (cell instanceof Date) {
        number = cell.getTime();
      } else if (typeof cell === "boolean") {
        this.addText(cell ? "true" : "false", rowOf, i);
        continue;
      } else {
        this.addText(JSON.stringify(cell), rowOf, i);
        continue;
      }
      if (number - number !== 0) {
        // NaN or ±Infinity.
        if (treatNonFiniteAsMissing) {
          this.nullCount++;
          continue;
        }
        this.nonFiniteCount++;
        if (this.firstNonFinite === undefined)
          this.firstNonFinite = { row: rowOf(i), value: cutValue(String(cell)) };
        continue;
      }
      this.numericCount++;
      moments.add(number);
      if (sketch !== undefined) sketch.update(number);
      if (retained !== undefined) retained.push(number);
      // Text keeps its spelling as a category ("02134" stays a zip code, not 2134).
      if (this.categories !== undefined) this.countCategory(typeof cell === "string" ? cell : String(number));
    }
  }

  private addText(text: string, rowOf: (i: number) => number, i: number): void {
    this.textCount++;
    // Kept as a short prefix: the profile and every message quote it, and a cell can be megabytes.
    if (this.firstText === undefined) this.firstText = { row: rowOf(i), value: cutValue(text) };
    if (this.categories !== undefined) this.countCategory(text);
  }

  private countCategory(value: string): void {
    // A value this long is no category anyone reads; keyed by its prefix, a megabyte cell costs the
    // profile a kilobyte, and both sides of a drift check key it the same way.
    const key = value.length > CATEGORY_KEY_LIMIT ? cutValue(value, CATEGORY_KEY_LIMIT) : value;
    const categories = this.categories as Map<string, number>;
    const count = categories.get(key);
    if (count !== undefined) {
      categories.set(key, count + 1);
    } else if (categories.size < this.settings.maxCategories) {
      categories.set(key, 1);
    } else {
      // Past the cap the counts would be wrong either way; drop them rather than grow without bound.
      this.categories = undefined;
    }
  }

  /** Non-missing cells, of any type. */
  get nonNullCount(): number {
    return this.numericCount + this.nonFiniteCount + this.textCount;
  }

  /** The kind the column is treated as: declared, else inferred from the share of non-numbers. */
  get kind(): ColumnKind | "empty" {
    if (this.declaredKind !== undefined) return this.declaredKind;
    const nonNull = this.nonNullCount;
    if (nonNull === 0) return "empty";
    return this.textCount / nonNull <= this.settings.typeMismatchTolerance ? "numerical" : "categorical";
  }

  /** Folds another accumulator of the same column into this one (shard merge). */
  merge(other: ColumnAccumulator): void {
    this.present ||= other.present;
    this.rowCount += other.rowCount;
    this.nullCount += other.nullCount;
    this.numericCount += other.numericCount;
    this.nonFiniteCount += other.nonFiniteCount;
    this.firstNonFinite = earlier(this.firstNonFinite, other.firstNonFinite);
    this.textCount += other.textCount;
    this.firstText = earlier(this.firstText, other.firstText);
    this.moments.merge(other.moments);
    this.sketch.merge(other.sketch);
    this.declaredKind ??= other.declaredKind;
    if (this.categories === undefined || other.categories === undefined) {
      this.categories = undefined;
    } else {
      for (const [key, count] of other.categories) {
        if (this.categories === undefined) break;
        const mine = this.categories.get(key);
        if (mine !== undefined) this.categories.set(key, mine + count);
        else if (this.categories.size < this.settings.maxCategories) this.categories.set(key, count);
        else this.categories = undefined;
      }
    }
  }
}

function earlier(a: CellLocation | undefined, b: CellLocation | undefined): CellLocation | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.row < a.row ? b : a;
}

/** Category values are counted under at most this many characters of their text. @default 1024 */
export const CATEGORY_KEY_LIMIT = 1024;

/** Spellings of NaN and infinity that `+text` does not already turn into NaN/±Infinity. */
const NAN_TOKENS = new Set(["nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"]);

/** A per-column seed, so a profile of the same data is the same file every time. */
function seedFor(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0 || 1;
}

/** An append-only Float64Array that doubles when full. */
export class GrowableFloat64 {
  private buffer = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Float64Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = value;
  }

  /** A view of the values pushed so far (no copy). */
  values(): Float64Array {
    return this.buffer.subarray(0, this.length);
  }

  append(other: GrowableFloat64): void {
    for (const value of other.values()) this.push(value);
  }
}
