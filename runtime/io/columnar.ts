import { DEFAULT_BATCH_SIZE, type RecordBatch } from "./types";

/**
 * Collects row-shaped records into column-shaped batches of a fixed size. Used by the text readers
 * (CSV, JSON Lines), whose parsers produce one record at a time.
 */
export class BatchBuilder {
  private readonly batchSize: number;
  private columns = new Map<string, unknown[]>();
  private length = 0;
  private rowOffset = 0;
  private rowIndices: number[] = [];
  private consecutive = true;
  /** The `names` of the last array row and their column arrays by position, to skip a map lookup per cell. */
  private positionalNames: readonly string[] | undefined;
  private positionalColumns: unknown[][] = [];

  constructor(batchSize: number = DEFAULT_BATCH_SIZE) {
    this.batchSize = batchSize;
  }

  /** Adds one row given as parallel name/value arrays (CSV). Returns a full batch when one is ready. */
  addArrayRow(
    names: readonly string[],
    values: readonly unknown[],
    rowIndex: number,
  ): RecordBatch | undefined {
    this.startRow(rowIndex);
    // CSV passes the same names array for every row: look the columns up once per batch.
    if (names !== this.positionalNames) {
      this.positionalNames = names;
      this.positionalColumns = names.map((name) => this.column(name));
    }
    const columns = this.positionalColumns;
    const row = this.length;
    for (let i = 0; i < columns.length; i++) (columns[i] as unknown[])[row] = values[i];
    return this.endRow();
  }

  /** Adds one row given as an object (JSON Lines). Returns a full batch when one is ready. */
  addObjectRow(
    row: Record<string, unknown>,
    rowIndex: number,
    keep?: ReadonlySet<string>,
  ): RecordBatch | undefined {
    this.startRow(rowIndex);
    for (const key of Object.keys(row)) {
      if (keep !== undefined && !keep.has(key)) continue;
      this.column(key)[this.length] = row[key];
    }
    return this.endRow();
  }

  /** The last, partial batch, or undefined when no rows are pending. */
  flush(): RecordBatch | undefined {
    if (this.length === 0) return undefined;
    const batch: RecordBatch = {
      rowOffset: this.rowOffset,
      length: this.length,
      columns: this.columns,
      rowIndices: this.consecutive ? undefined : this.rowIndices,
    };
    this.columns = new Map();
    this.positionalNames = undefined;
    this.length = 0;
    this.rowIndices = [];
    this.consecutive = true;
    return batch;
  }

  private startRow(rowIndex: number): void {
    if (this.length === 0) this.rowOffset = rowIndex;
    else if (rowIndex !== this.rowOffset + this.length) this.consecutive = false;
    this.rowIndices[this.length] = rowIndex;
  }

  private endRow(): RecordBatch | undefined {
    this.length++;
    return this.length >= this.batchSize ? this.flush() : undefined;
  }

  private column(name: string): unknown[] {
    let values = this.columns.get(name);
    if (values === undefined) {
      // A key first seen part-way through a batch is missing (undefined) in the earlier rows.
      values = new Array(this.batchSize);
      this.columns.set(name, values);
    }
    return values;
  }
}
