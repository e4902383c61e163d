import { describe, expect, it } from "vitest";
import { flattenExchange, requestRows, responsePredictions } from "../../../runtime/capture/flatten";

const at = new Date("2026-11-28T02:15:00.000Z");

describe("requestRows (MLflow scoring request formats)", () => {
  it("reads dataframe_split as one row per data list, keyed by the columns", () => {
    expect(
      requestRows({
        dataframe_split: {
          columns: ["age", "plan"],
          data: [
            [31, "pro"],
            [45, "free"],
          ],
        },
      }),
    ).toEqual([
      { age: 31, plan: "pro" },
      { age: 45, plan: "free" },
    ]);
  });

  it("reads dataframe_split without columns positionally, and refuses ragged rows", () => {
    expect(requestRows({ dataframe_split: { data: [[1, 2]] } })).toEqual([{ f0: 1, f1: 2 }]);
    expect(requestRows({ dataframe_split: { columns: ["a", "b"], data: [[1]] } })).toBeUndefined();
  });

  it("reads dataframe_records, instances and inputs as lists of objects", () => {
    const rows = [{ a: 1 }, { a: 2 }];
    expect(requestRows({ dataframe_records: rows })).toEqual(rows);
    expect(requestRows({ instances: rows })).toEqual(rows);
    expect(requestRows({ inputs: rows })).toEqual(rows);
  });

  it("reads tensors (lists of lists) positionally and a dict of columns row by row", () => {
    expect(
      requestRows({
        instances: [
          [1, 2],
          [3, 4],
        ],
      }),
    ).toEqual([
      { f0: 1, f1: 2 },
      { f0: 3, f1: 4 },
    ]);
    expect(requestRows({ inputs: { a: [1, 2], b: ["x", "y"] } })).toEqual([
      { a: 1, b: "x" },
      { a: 2, b: "y" },
    ]);
    expect(requestRows({ inputs: { a: [1, 2], b: ["x"] } })).toBeUndefined();
  });

  it("returns undefined for shapes it does not know", () => {
    expect(requestRows({ prompt: "hello" })).toBeUndefined();
    expect(requestRows("text")).toBeUndefined();
  });
});

describe("responsePredictions", () => {
  it("reads predictions lists, bare lists and dataframe-shaped outputs", () => {
    expect(responsePredictions({ predictions: [0.1, 0.9] })).toEqual([0.1, 0.9]);
    expect(responsePredictions([1, 0])).toEqual([1, 0]);
    expect(responsePredictions({ predictions: { label: [1, 0], score: [0.8, 0.3] } })).toEqual([
      { label: 1, score: 0.8 },
      { label: 0, score: 0.3 },
    ]);
    expect(responsePredictions({ message: "ok" })).toBeUndefined();
  });
});

describe("flattenExchange", () => {
  it("adds __ts, __variant and the row's own prediction to every row", () => {
    const result = flattenExchange({
      requestBody: JSON.stringify({ dataframe_records: [{ age: 31 }, { age: 45 }] }),
      responseBody: JSON.stringify({ predictions: [0.2, 0.7] }),
      variant: "champion",
      timestamp: at,
    });
    expect(result).toEqual({
      ok: true,
      rows: [
        { age: 31, __ts: "2026-11-28T02:15:00.000Z", __variant: "champion", __prediction: 0.2 },
        { age: 45, __ts: "2026-11-28T02:15:00.000Z", __variant: "champion", __prediction: 0.7 },
      ],
    });
  });

  it("keeps the rows with a null prediction when the response is not JSON", () => {
    const result = flattenExchange({
      requestBody: JSON.stringify({ instances: [{ a: 1 }] }),
      responseBody: "OK",
      variant: "v",
      timestamp: at,
    });
    expect(result.ok && result.rows[0]!.__prediction).toBeNull();
  });

  it("refuses non-JSON requests, unknown shapes and misaligned predictions with a reason", () => {
    const base = { variant: "v", timestamp: at };
    expect(flattenExchange({ ...base, requestBody: "a,b\n1,2", responseBody: "[]" })).toEqual({
      ok: false,
      reason: "not-json",
    });
    expect(flattenExchange({ ...base, requestBody: '{"prompt":"x"}', responseBody: "[]" })).toEqual({
      ok: false,
      reason: "unrecognised-request",
    });
    expect(
      flattenExchange({ ...base, requestBody: '{"instances":[{"a":1},{"a":2}]}', responseBody: "[1]" }),
    ).toEqual({ ok: false, reason: "row-count-mismatch" });
  });
});
