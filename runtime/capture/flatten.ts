/**
 * Turns one captured inference exchange into the rows the drift job reads: one JSON object per
 * input row, the row's feature columns as top-level keys, plus `__ts`, `__variant` and
 * `__prediction`. A request that scores ten rows becomes ten lines, so the drift job compares
 * feature distributions row by row, as in the reference data.
 *
 * Accepted request bodies are the MLflow scoring server's input formats
 * (mlflow.org/docs/latest/deployment/deploy-model-locally, "Local REST API"):
 *
 * - `{"dataframe_split": {"columns": [...], "data": [[...], ...]}}`
 * - `{"dataframe_records": [{...}, ...]}`
 * - `{"instances": [...]}` and `{"inputs": [...]}`: a list of objects, or of scalar lists (the
 *   columns are then named `f0`, `f1`, …), or a dict of equally long column lists
 *
 * Responses are `{"predictions": [...]}` (MLflow 2 and later) or a bare JSON list; the i-th
 * prediction goes with the i-th row.
 */

/** Keys the capture adds to every row; a feature with one of these names is overwritten. */
export const CAPTURE_KEYS = { timestamp: "__ts", variant: "__variant", prediction: "__prediction" } as const;

/** Why an exchange could not be turned into rows. */
export type FlattenFailure = "not-json" | "unrecognised-request" | "row-count-mismatch";

/** The rows of an exchange, or why there are none. */
export type FlattenResult =
  | { ok: true; rows: Record<string, unknown>[] }
  | { ok: false; reason: FlattenFailure };

type Row = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function positional(values: unknown[]): Row {
  const row: Row = {};
  values.forEach((v, i) => {
    row[`f${i}`] = v;
  });
  return row;
}

/** Rows of a list of objects or of scalar lists; undefined when the list is neither. */
function rowsOfList(list: unknown[]): Row[] | undefined {
  if (list.every(isPlainObject)) return list.map((r) => ({ ...r }));
  if (list.every(Array.isArray)) return list.map((r) => positional(r as unknown[]));
  // A single row given as a flat list of scalars.
  if (list.every((v) => !isPlainObject(v) && !Array.isArray(v))) return [positional(list)];
  return undefined;
}

/** Rows of a dict of columns (`{"a": [1, 2], "b": [3, 4]}`); undefined unless all lists are equally long. */
function rowsOfColumns(columns: Record<string, unknown>): Row[] | undefined {
  const entries = Object.entries(columns);
  if (entries.length === 0) return undefined;
  if (entries.every(([, v]) => !Array.isArray(v) && !isPlainObject(v))) return [{ ...columns }];
  if (!entries.every(([, v]) => Array.isArray(v))) return undefined;
  const length = (entries[0]![1] as unknown[]).length;
  if (!entries.every(([, v]) => (v as unknown[]).length === length)) return undefined;
  const rows: Row[] = [];
  for (let i = 0; i < length; i++) {
    const row: Row = {};
    for (const [k, v] of entries) row[k] = (v as unknown[])[i];
    rows.push(row);
  }
  return rows;
}

/** The input rows of a parsed MLflow scoring request, or undefined when the shape is not one of them. */
export function requestRows(body: unknown): Row[] | undefined {
  if (!isPlainObject(body)) return Array.isArray(body) ? rowsOfList(body) : undefined;
  const split = body.dataframe_split;
  if (isPlainObject(split) && Array.isArray(split.data)) {
    const columns = Array.isArray(split.columns) ? split.columns.map(String) : undefined;
    const rows: Row[] = [];
    for (const values of split.data) {
      if (!Array.isArray(values)) return undefined;
      if (columns === undefined) {
        rows.push(positional(values));
        continue;
      }
      if (values.length !== columns.length) return undefined;
      const row: Row = {};
      columns.forEach((c, i) => {
        row[c] = values[i];
      });
      rows.push(row);
    }
    return rows;
  }
  if (Array.isArray(body.dataframe_records)) {
    return body.dataframe_records.every(isPlainObject)
      ? body.dataframe_records.map((r) => ({ ...(r as Row) }))
      : undefined;
  }
  for (const key of ["instances", "inputs"] as const) {
    const value = body[key];
    if (Array.isArray(value)) return rowsOfList(value);
    if (isPlainObject(value)) return rowsOfColumns(value);
  }
  return undefined;
}

/** The per-row predictions of a parsed response, or undefined when there is no list of them. */
export function responsePredictions(body: unknown): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (isPlainObject(body)) {
    const p = body.predictions ?? body.outputs;
    if (Array.isArray(p)) return p;
    // A dataframe-shaped output: {"predictions": {"label": [..], "score": [..]}}.
    if (isPlainObject(p)) return rowsOfColumns(p);
  }
  return undefined;
}

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * The capture rows of one exchange. When the response carries one prediction per row each row gets
 * its own; when it carries exactly one for a one-row request likewise; a response whose prediction
 * count differs from the row count is refused (`row-count-mismatch`) rather than misaligned.
 */
export function flattenExchange(args: {
  requestBody: string;
  responseBody: string;
  variant: string;
  timestamp: Date;
}): FlattenResult {
  const request = parse(args.requestBody);
  if (!request.ok) return { ok: false, reason: "not-json" };
  const rows = requestRows(request.value);
  if (rows === undefined || rows.length === 0) return { ok: false, reason: "unrecognised-request" };
  const response = parse(args.responseBody);
  const predictions = response.ok ? responsePredictions(response.value) : undefined;
  if (predictions !== undefined && predictions.length !== rows.length) {
    return { ok: false, reason: "row-count-mismatch" };
  }
  const ts = args.timestamp.toISOString();
  return {
    ok: true,
    rows: rows.map((row, i) => ({
      ...row,
      [CAPTURE_KEYS.timestamp]: ts,
      [CAPTURE_KEYS.variant]: args.variant,
      [CAPTURE_KEYS.prediction]: predictions === undefined ? null : (predictions[i] ?? null),
    })),
  };
}
