import { parser } from "@prometheus-io/lezer-promql";
import { describe, expect, it } from "vitest";
import {
  DURATION_BUCKETS_SECONDS,
  errorRateAboveExpr,
  errorRateQuery,
  latencyQuantileQuery,
  p99LatencyAboveExpr,
  p99LatencyQuery,
  requestRateQuery,
  saturationAboveExpr,
  saturationQuery,
  seriesMatchers,
} from "../../../components/kubernetes/promql";
import { CAPTURE_DURATION_BUCKETS } from "../../../runtime/capture/metrics";

/** Syntax errors the official PromQL grammar (Prometheus' own lezer parser, as in its UI) finds. */
function syntaxErrors(query: string): string[] {
  const errors: string[] = [];
  parser.parse(query).iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`at ${node.from}: ${JSON.stringify(query.slice(node.from, node.from + 20))}`);
    },
  });
  return errors;
}

const variantSel = { endpoint: "fraud", variant: "champion" };
const canarySel = { endpoint: "fraud", variant: "{{args.variant}}", revision: "{{args.canary-hash}}" };

describe("serving PromQL", () => {
  it("produces syntactically valid PromQL for every query and alert expression", () => {
    const queries = [
      errorRateQuery(variantSel),
      errorRateQuery(canarySel, { window: "2m" }),
      p99LatencyQuery({ endpoint: "fraud", namespace: "serving" }, { window: "1h30m" }),
      latencyQuantileQuery(variantSel, { quantile: 0.5 }),
      saturationQuery(variantSel),
      requestRateQuery(variantSel),
      errorRateAboveExpr(variantSel, 0.05),
      p99LatencyAboveExpr(variantSel, 1000),
      saturationAboveExpr(variantSel, 8),
    ];
    for (const q of queries) expect(syntaxErrors(q), q).toEqual([]);
    // The checker is not vacuous.
    expect(syntaxErrors("sum(rate(x[5m]) /")).not.toEqual([]);
  });

  it("measures the error rate as the share of 5xx and unanswered (499) requests, zero when a pod never failed", () => {
    const total = 'sum (rate(mlops_requests_total{endpoint="fraud",variant="champion"}[5m]))';
    expect(errorRateQuery(variantSel, { window: "5m" })).toBe(
      `(sum (rate(mlops_requests_total{endpoint="fraud",variant="champion",code=~"5..|499"}[5m])) or 0 * ${total}) / ${total}`,
    );
    const byVariant = errorRateQuery({ endpoint: "fraud" }, { window: "$__rate_interval", by: ["variant"] });
    expect(byVariant).toContain(
      'sum by (variant) (rate(mlops_requests_total{endpoint="fraud",code=~"5..|499"}[$__rate_interval]))',
    );
    expect(syntaxErrors(byVariant.replaceAll("$__rate_interval", "5m"))).toEqual([]);
  });

  it("computes p99 from the histogram buckets summed across pods, in seconds", () => {
    expect(p99LatencyQuery(variantSel)).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(mlops_request_duration_seconds_bucket{endpoint="fraud",variant="champion"}[5m])))',
    );
    expect(p99LatencyAboveExpr(variantSel, 250)).toMatch(/\) > 0\.25$/);
  });

  it("passes Argo argument placeholders through and escapes real label values", () => {
    expect(seriesMatchers(canarySel)).toBe(
      'endpoint="fraud",variant="{{args.variant}}",revision="{{args.canary-hash}}"',
    );
    const tricky = seriesMatchers({ endpoint: 'a"b\\c' });
    expect(tricky).toBe('endpoint="a\\"b\\\\c"');
    expect(syntaxErrors(`x{${tricky}}`)).toEqual([]);
  });

  it("refuses bad windows and thresholds with a fix", () => {
    expect(() => errorRateQuery(variantSel, { window: "5 minutes" })).toThrow(
      /window "5 minutes" is not a Prometheus duration\. Fix:/,
    );
    expect(() => errorRateAboveExpr(variantSel, 1.5)).toThrow(/maxErrorRate = 1\.5 is out of range\. Fix:/);
    expect(() => latencyQuantileQuery(variantSel, { quantile: -0.1 })).toThrow(/quantile = -0\.1/);
    expect(() => seriesMatchers({ endpoint: "" })).toThrow(/needs an endpoint/);
  });

  it("declares the same histogram buckets as the capture sidecar exports", () => {
    expect(CAPTURE_DURATION_BUCKETS).toEqual(DURATION_BUCKETS_SECONDS);
  });
});
