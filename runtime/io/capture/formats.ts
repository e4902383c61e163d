import { parse as parseCsv } from "csv-parse/sync";
import { CAPTURE_KEYS, requestRows, responsePredictions } from "../../capture/flatten";

/** The serving capture formats `mlops drift --capture-format` and `mlops monitor-run` read. */
export const CaptureFormat = {
  /** SageMaker data capture: `captureData.endpointInput` / `endpointOutput` per line. */
  SageMaker: "sagemaker",
  /** The Azure ML data collector: CloudEvents-style lines whose `data` holds the logged rows. */
  AzureMl: "azureml",
  /** The capture sidecar's own rows (runtime/capture): feature keys plus `__ts`, `__prediction`. */
  Sidecar: "sidecar",
} as const;
export type CaptureFormat = (typeof CaptureFormat)[keyof typeof CaptureFormat];

type Row = Record<string, unknown>;

/** Why a capture record yields no rows; the reader adds the object and line number. */
export class CaptureRecordError extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A SageMaker capture payload (`{observedContentType, mode, data, encoding}`) as text and kind. */
function payloadText(payload: unknown, side: string): { text: string; kind: "csv" | "json" } {
  if (!isObject(payload) || typeof payload.data !== "string") {
    throw new CaptureRecordError(`captureData.${side} has no data string`);
  }
  const encoding = String(payload.encoding ?? "").toUpperCase();
  const contentType = String(payload.observedContentType ?? "").toLowerCase();
  const text = encoding === "BASE64" ? Buffer.from(payload.data, "base64").toString("utf8") : payload.data;
  if (encoding === "CSV" || (encoding === "BASE64" && contentType.includes("csv")))
    return { text, kind: "csv" };
  if (encoding === "JSON" || (encoding === "BASE64" && contentType.includes("json")))
    return { text, kind: "json" };
  throw new CaptureRecordError(
    `captureData.${side} has encoding "${payload.encoding}" and content type "${payload.observedContentType}", neither CSV nor JSON`,
  );
}

function csvRecords(text: string, side: string): string[][] {
  try {
    return parseCsv(text, { relax_column_count: false, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new CaptureRecordError(`captureData.${side} is not valid CSV (${(error as Error).message})`);
  }
}

function jsonValue(text: string, side: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CaptureRecordError(`captureData.${side} is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * The rows of one SageMaker data capture record. A CSV input has no header: its fields take the
 * names in `csvColumns`, else `_c0`, `_c1`, … (Model Monitor's own names); each CSV line is a row.
 * A JSON input is read as the scoring formats the capture sidecar accepts (instances, inputs,
 * dataframe records or split, a list of objects). The output's i-th value becomes row i's
 * `__prediction`; `__ts` is `eventMetadata.inferenceTime`.
 */
export function sagemakerRows(record: unknown, csvColumns?: readonly string[]): Row[] {
  const capture = isObject(record) ? record.captureData : undefined;
  if (!isObject(capture) || capture.endpointInput === undefined) {
    throw new CaptureRecordError("no captureData.endpointInput (is the endpoint capturing Input?)");
  }
  const input = payloadText(capture.endpointInput, "endpointInput");
  let rows: Row[];
  if (input.kind === "csv") {
    rows = csvRecords(input.text, "endpointInput").map((fields) => {
      if (csvColumns !== undefined && fields.length !== csvColumns.length) {
        throw new CaptureRecordError(
          `endpointInput has ${fields.length} CSV fields, but ${csvColumns.length} capture columns were named`,
        );
      }
      return Object.fromEntries(fields.map((value, i) => [csvColumns?.[i] ?? `_c${i}`, value]));
    });
  } else {
    const parsed = requestRows(jsonValue(input.text, "endpointInput"));
    if (parsed === undefined)
      throw new CaptureRecordError("endpointInput JSON is not a recognised request shape");
    rows = parsed;
  }
  let predictions: unknown[] | undefined;
  if (capture.endpointOutput !== undefined) {
    const output = payloadText(capture.endpointOutput, "endpointOutput");
    predictions =
      output.kind === "csv"
        ? csvRecords(output.text, "endpointOutput").map((fields) =>
            fields.length === 1 ? fields[0] : fields.join(","),
          )
        : responsePredictions(jsonValue(output.text, "endpointOutput"));
    if (predictions !== undefined && predictions.length !== rows.length) predictions = undefined;
  }
  const metadata = isObject(record) && isObject(record.eventMetadata) ? record.eventMetadata : {};
  return rows.map((row, i) => ({
    ...row,
    [CAPTURE_KEYS.timestamp]: metadata.inferenceTime ?? null,
    [CAPTURE_KEYS.prediction]: predictions?.[i] ?? null,
  }));
}

/**
 * The rows of one Azure ML data collector line: `data` is the logged DataFrame as a list of row
 * objects (custom logging), or a scoring request body (payload logging of `request`); `__ts` is
 * `time`. A line whose payload sits in a separate blob (`datainblob`) is refused.
 */
export function azuremlRows(record: unknown): Row[] {
  if (!isObject(record) || !("data" in record)) throw new CaptureRecordError("no data field");
  if (String(record.datainblob ?? "") === "true") {
    throw new CaptureRecordError("the payload was stored in a separate blob (datainblob), not in the line");
  }
  const data = record.data;
  // Payload logging of the documented scoring script's request: {"data": [[...], ...]}.
  const request = isObject(data) && Array.isArray(data.data) ? { instances: data.data } : data;
  const rows =
    Array.isArray(data) && data.every(isObject) ? data.map((row) => ({ ...row })) : requestRows(request);
  if (rows === undefined)
    throw new CaptureRecordError("data is neither a list of rows nor a recognised request");
  return rows.map((row) => ({ ...row, [CAPTURE_KEYS.timestamp]: record.time ?? null }));
}

/** A capture sidecar line is already one row. */
export function sidecarRows(record: unknown): Row[] {
  if (!isObject(record)) throw new CaptureRecordError("the line is not a JSON object");
  return [record];
}

/** The rows of one parsed capture line in `format`. */
export function captureRows(format: CaptureFormat, record: unknown, csvColumns?: readonly string[]): Row[] {
  switch (format) {
    case CaptureFormat.SageMaker:
      return sagemakerRows(record, csvColumns);
    case CaptureFormat.AzureMl:
      return azuremlRows(record);
    case CaptureFormat.Sidecar:
      return sidecarRows(record);
  }
}
