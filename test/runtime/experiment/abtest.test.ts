import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { runAbtestCommand } from "../../../runtime/commands/abtest";
import {
  compareMeans,
  compareProportions,
  type ExperimentReport,
  experimentEmfLines,
  MetricSummary,
  MsprtMonitor,
  msprtLook,
  parseWeights,
} from "../../../runtime/experiment";
import { twoProportionZTest } from "../../../runtime/stats/ztest";
import { runCli } from "../../helpers/cli";
import { captureIo, DATA, tempDir } from "../helpers";

const AB = join(DATA, "abtest");
interface WelchRef {
  statistic: number;
  pvalue: number;
  df: number;
  difference: number;
  interval: [number, number];
  relativeLift: number;
  cohenD: number;
}
interface ProportionRef {
  statistic: number;
  pvalue: number;
  difference: number;
  interval: [number, number];
  relativeLift: number;
  cohenH: number;
}
interface SrmRef {
  observed: number[];
  expected: number[];
  statistic: number;
  pvalue: number;
}
const REF = JSON.parse(readFileSync(join(__dirname, "../fixtures/abtest-reference.json"), "utf8")) as {
  conversion: { srm: SrmRef; proportion: ProportionRef };
  revenue: { srm: SrmRef; welch: Record<"B" | "C", WelchRef> };
  srm: { srm: SrmRef };
  welchCases: ({ challenger: number[]; control: number[] } & WelchRef)[];
  proportionCases: ({ x1: number; n1: number; x0: number; n0: number } & ProportionRef)[];
};

/** Relative closeness, the way numpy.isclose would judge values that span many orders of magnitude. */
function close(actual: number, expected: number, rtol = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected) + 1e-300);
}

function summaryOf(values: readonly number[]): MetricSummary {
  const s = new MetricSummary();
  for (const v of values) s.add(v);
  return s;
}

function binary(successes: number, n: number): MetricSummary {
  const s = new MetricSummary();
  s.addAggregate(n, successes / n, n > 1 ? (successes * (1 - successes / n)) / (n - 1) : 0);
  return s;
}

function expectWelch(actual: ReturnType<typeof compareMeans>, ref: WelchRef, rtol = 1e-9): void {
  close(actual.statistic, ref.statistic, rtol);
  close(actual.pValue, ref.pvalue, Math.max(rtol, 1e-8));
  close(actual.degreesOfFreedom as number, ref.df, rtol);
  close(actual.difference, ref.difference, rtol);
  close(actual.differenceInterval[0], ref.interval[0], Math.max(rtol, 1e-8));
  close(actual.differenceInterval[1], ref.interval[1], Math.max(rtol, 1e-8));
  close(actual.relativeLift as number, ref.relativeLift, rtol);
  close(actual.standardizedEffect.value, ref.cohenD, rtol);
}

function expectProportion(actual: ReturnType<typeof compareProportions>, ref: ProportionRef): void {
  close(actual.statistic, ref.statistic);
  close(actual.pValue, ref.pvalue, 1e-9);
  close(actual.difference, ref.difference);
  close(actual.differenceInterval[0], ref.interval[0], 1e-9);
  close(actual.differenceInterval[1], ref.interval[1], 1e-9);
  close(actual.relativeLift as number, ref.relativeLift);
  close(actual.standardizedEffect.value, ref.cohenH);
}

async function run(args: Parameters<typeof runAbtestCommand>[0]) {
  const io = captureIo();
  const code = await runAbtestCommand({ quiet: true, ...args }, io);
  return { code, err: io.err(), out: io.out() };
}

describe("the statistics against scipy", () => {
  it("Welch's t-test matches scipy.stats.ttest_ind(equal_var=False), including p far below 1e-16", () => {
    for (const c of REF.welchCases) {
      expectWelch(compareMeans(summaryOf(c.challenger), summaryOf(c.control), 0.05), c);
    }
    expect(Math.min(...REF.welchCases.map((c) => c.pvalue))).toBeLessThan(1e-16);
  });

  it("the two-proportion z-test matches the pooled formula, with the Wald interval and Cohen's h", () => {
    for (const c of REF.proportionCases) {
      expectProportion(compareProportions(binary(c.x1, c.n1), binary(c.x0, c.n0), 0.05), c);
      // Same statistic as the drift engine's z-test on the same counts.
      close(twoProportionZTest(c.x1, c.n1, c.x0, c.n0).statistic, c.statistic);
    }
  });
});

describe("mlops abtest end to end on the committed fixtures", () => {
  const dir = tempDir("abtest-");

  it("conversions with a 90/10 split: SRM passes, the z-test finds the challenger better, exit 2 promote", async () => {
    const json = join(dir, "conversion.json");
    const html = join(dir, "conversion.html");
    const prom = join(dir, "conversion.prom");
    const { code } = await run({
      data: join(AB, "conversion.csv"),
      variant: "variant",
      metric: "converted",
      weights: "champion=90,challenger=10",
      json,
      html,
      prometheus: prom,
    });
    expect(code).toBe(2);
    const report = JSON.parse(readFileSync(json, "utf8")) as ExperimentReport;
    expect(report.metric.kind).toBe("proportion");
    expect(report.control).toBe("champion");
    expect(report.srm.variants.map((v) => v.observed)).toEqual(REF.conversion.srm.observed);
    close(report.srm.statistic, REF.conversion.srm.statistic);
    close(report.srm.pValue, REF.conversion.srm.pvalue);
    expectProportion(
      report.challengers[0]?.fixedHorizon as ReturnType<typeof compareProportions>,
      REF.conversion.proportion,
    );
    expect(report.recommendation).toBe("promote");
    expect(report.winner).toBe("challenger");
    expect(readFileSync(html, "utf8")).toContain('<span class="verdict v-promote">promote</span>');
    const text = readFileSync(prom, "utf8");
    expect(text).toMatch(/^mlops_abtest_recommendation 2$/m);
    expect(text).toMatch(/^mlops_abtest_p_value\{variant="challenger",test="two-proportion-z"\} /m);
    const emf = experimentEmfLines(report).map((line) => JSON.parse(line));
    expect(emf[0]._aws.CloudWatchMetrics[0].Namespace).toBe("MLOps/Experiments");
    expect(emf[0].Recommendation).toBe(2);
    expect(emf[1]).toMatchObject({ Variant: "challenger", Recommendation: "promote" });
    close(emf[1].PValue, REF.conversion.proportion.pvalue, 1e-9);
  });

  it("the same rows as Parquet give the same report", async () => {
    const lines = readFileSync(join(AB, "conversion.csv"), "utf8").trim().split("\n").slice(1);
    const path = join(dir, "conversion.parquet");
    writeFileSync(
      path,
      Buffer.from(
        parquetWriteBuffer({
          columnData: [
            { name: "variant", data: lines.map((l) => l.split(",")[1] as string), type: "STRING" },
            {
              name: "converted",
              data: Int32Array.from(lines.map((l) => Number(l.split(",")[2]))),
              type: "INT32",
            },
          ],
          rowGroupSize: 5000,
        }),
      ),
    );
    const io = captureIo();
    const code = await runAbtestCommand(
      {
        data: path,
        variant: "variant",
        metric: "converted",
        weights: "champion=90,challenger=10",
        json: "-",
        quiet: true,
      },
      io,
    );
    expect(code).toBe(2);
    const report = JSON.parse(io.out()) as ExperimentReport;
    expectProportion(
      report.challengers[0]?.fixedHorizon as ReturnType<typeof compareProportions>,
      REF.conversion.proportion,
    );
  });

  it("revenue in JSON Lines, three variants: Welch per challenger, Bonferroni, C promoted, B inconclusive", async () => {
    const io = captureIo();
    const code = await runAbtestCommand(
      {
        data: join(AB, "revenue.jsonl"),
        variant: "variant",
        metric: "revenue",
        control: "A",
        json: "-",
        quiet: true,
      },
      io,
    );
    expect(code).toBe(2);
    const report = JSON.parse(io.out()) as ExperimentReport;
    expect(report.metric.kind).toBe("continuous");
    close(report.srm.statistic, REF.revenue.srm.statistic);
    close(report.srm.pValue, REF.revenue.srm.pvalue);
    const byName = new Map(report.challengers.map((c) => [c.challenger, c]));
    expectWelch(byName.get("B")?.fixedHorizon as ReturnType<typeof compareMeans>, REF.revenue.welch.B);
    expectWelch(byName.get("C")?.fixedHorizon as ReturnType<typeof compareMeans>, REF.revenue.welch.C);
    expect(byName.get("B")?.alpha).toBe(0.025);
    expect(byName.get("B")?.recommendation).toBe("continue");
    expect(report.winner).toBe("C");
  });

  it("daily aggregates (count, mean, sd) give the Welch results of the raw values", async () => {
    const io = captureIo();
    const code = await runAbtestCommand(
      {
        data: join(AB, "revenue-daily.csv"),
        variant: "variant",
        metric: "revenue_mean",
        count: "users",
        std: "revenue_sd",
        control: "A",
        json: "-",
        quiet: true,
      },
      io,
    );
    expect(code).toBe(2);
    const report = JSON.parse(io.out()) as ExperimentReport;
    expect(report.data.aggregated).toBe(true);
    const byName = new Map(report.challengers.map((c) => [c.challenger, c]));
    // Merging aggregates reorders the floating-point sums: equal to about 1e-12.
    expectWelch(byName.get("B")?.fixedHorizon as ReturnType<typeof compareMeans>, REF.revenue.welch.B, 1e-9);
    expectWelch(byName.get("C")?.fixedHorizon as ReturnType<typeof compareMeans>, REF.revenue.welch.C, 1e-9);
  });

  it("a sample-ratio mismatch blocks the recommendation: reports written, exit 1", async () => {
    const json = join(dir, "srm.json");
    const { code } = await run({
      data: join(AB, "srm.csv"),
      variant: "variant",
      metric: "converted",
      weights: "control=50,treatment=50",
      json,
    });
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(json, "utf8")) as ExperimentReport;
    close(report.srm.statistic, REF.srm.srm.statistic);
    close(report.srm.pValue, REF.srm.srm.pvalue);
    expect(report.srm.mismatch).toBe(true);
    expect(report.recommendation).toBeNull();
    expect(report.reason).toMatch(
      /^the observed split \(control 51\.50%, treatment 48\.50%\) is not the configured one/,
    );
    expect(report.challengers.map((c) => c.recommendation)).toEqual([null]);
  });
});

describe("the top-level mlops CLI", () => {
  it("mounts abtest with the runtime's commands and keeps its exit code", () => {
    const result = runCli([
      "abtest",
      "--data",
      join(AB, "conversion.csv"),
      "--variant",
      "variant",
      "--metric",
      "converted",
      "--weights",
      "champion=90,challenger=10",
    ]);
    expect(result.stderr).toMatch(/^mlops abtest: PROMOTE challenger: better than champion/m);
    expect(result.code).toBe(2);
  });
});

describe("bad input: exit 1, a clear message, no report", () => {
  const dir = tempDir("abtest-bad-");
  const csv = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  const cases: [string, string, Partial<Parameters<typeof runAbtestCommand>[0]>, RegExp][] = [
    ["one variant only", "variant,y\nA,1\nA,0\n", {}, /only one variant \("A"\) is in the data/],
    [
      "a variant with no traffic",
      "variant,y\nA,1\nA,0\n",
      { weights: "A=50,B=50" },
      /the variant "B" has no traffic/,
    ],
    [
      "weights that do not match the variants",
      "variant,y\nA,1\nB,0\nC,1\n",
      { weights: "A=50,B=50" },
      /also has variant\(s\) C, so they do not match the variants/,
    ],
    [
      "an aggregate with zero observations",
      "variant,n,y\nA,10,3\nB,0,0\n",
      { count: "n", control: "A" },
      /"B" has no traffic/,
    ],
    [
      "a malformed weight",
      "variant,y\nA,1\nB,0\n",
      { weights: "A=50,B=-1" },
      /--weights: "B=-1" is not variant=weight/,
    ],
    [
      "a missing outcome",
      "variant,y\nA,1\nB,\n",
      { control: "A" },
      /row 2, column "y": the value is missing/,
    ],
    [
      "a non-binary value with --kind proportion",
      "variant,y\nA,1\nB,2\n",
      { control: "A", kind: "proportion" },
      /row 2.*not a 0\/1 outcome/,
    ],
    [
      "a control that is not a variant",
      "variant,y\nA,1\nB,0\n",
      { control: "Z" },
      /"Z" is not one of the variants/,
    ],
    [
      "a metric column that does not exist",
      "variant,x\nA,1\nB,0\n",
      { control: "A" },
      /column "y": the column is not in the data/,
    ],
  ];
  for (const [title, text, extra, message] of cases) {
    it(title, async () => {
      const json = join(dir, `${title}.json`);
      const { code, err } = await run({
        data: csv(`${title}.csv`, text),
        variant: "variant",
        metric: "y",
        json,
        ...extra,
      });
      expect(code).toBe(1);
      expect(err).toMatch(message);
      expect(existsSync(json)).toBe(false);
    });
  }

  it("--sequential with three variants and no --weights (alpha could not be split before the first look)", async () => {
    const { code, err } = await run({
      data: join(AB, "revenue.jsonl"),
      variant: "variant",
      metric: "revenue",
      control: "A",
      sequential: true,
    });
    expect(code).toBe(1);
    expect(err).toMatch(/--weights: the sequential test met 3 variants/);
    const io = captureIo();
    const ok = await runAbtestCommand(
      {
        data: join(AB, "revenue.jsonl"),
        variant: "variant",
        metric: "revenue",
        weights: "A=1,B=1,C=1",
        sequential: true,
        json: "-",
        quiet: true,
      },
      io,
    );
    expect(ok).toBe(2);
    const report = JSON.parse(io.out()) as ExperimentReport;
    expect(report.control).toBe("A");
    expect(report.challengers.map((c) => [c.challenger, c.recommendation])).toEqual([
      ["B", "continue"],
      ["C", "promote"],
    ]);
  });

  it("parses weights in any unit", () => {
    expect([...parseWeights("champion=0.9, challenger=0.1")]).toEqual([
      ["champion", 0.9],
      ["challenger", 0.1],
    ]);
  });
});

/** mulberry32, for reproducible simulations. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("the always-valid sequential test (mSPRT, Johari et al.)", () => {
  it("one look worked by hand", () => {
    // θ̂ = 0.02, V = 1e-4, τ = 0.01: V + τ² = 2e-4, so √(V/(V+τ²)) = √½ and the exponent is
    // τ²θ̂²/(2V(V+τ²)) = (1e-4 · 4e-4)/(2 · 1e-4 · 2e-4) = 1. Λ = √½·e, p = 1/Λ = √2/e ≈ 0.52026.
    // Half-width: √(V(V+τ²)/τ² · (2 ln 20 + ln 2)) = √(2e-4 · 6.684612) ≈ 0.0365642.
    const look = msprtLook(0.02, 1e-4, 0.01, 0.05);
    expect(look.pValue).toBeCloseTo(Math.SQRT2 / Math.E, 12);
    expect(look.pValue).toBeCloseTo(0.52026, 5);
    expect(look.interval[0]).toBeCloseTo(0.02 - 0.0365642, 6);
    expect(look.interval[1]).toBeCloseTo(0.02 + 0.0365642, 6);
    // p ≤ α exactly when 0 leaves the interval.
    const edge = msprtLook(0.05, 1e-4, 0.01, 0.05);
    expect(edge.pValue <= 0.05).toBe(edge.interval[0] > 0);
  });

  it("looking after every observation keeps the false-positive rate under alpha; naive peeking does not", () => {
    const random = rng(7);
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const experiments = 200;
    let sequentialRejections = 0;
    let naiveRejections = 0;
    for (let e = 0; e < experiments; e++) {
      const a = new MetricSummary();
      const b = new MetricSummary();
      const monitor = new MsprtMonitor(0.1, 0.05);
      let naive = false;
      for (let i = 0; i < 1500; i++) {
        a.add(normal());
        b.add(normal());
        if (a.count < 100) continue;
        monitor.look(b.mean - a.mean, a.variance / a.count + b.variance / b.count);
        if (!naive && compareMeans(b, a, 0.05).pValue <= 0.05) naive = true;
      }
      if (monitor.firstRejection !== null) sequentialRejections++;
      if (naive) naiveRejections++;
    }
    // 200 null experiments at α = 0.05: the mSPRT stays below α (binomial sd ≈ 0.015);
    // a fixed-horizon test read at all 1,400 looks rejects far more often.
    expect(sequentialRejections / experiments).toBeLessThanOrEqual(0.05);
    expect(naiveRejections / experiments).toBeGreaterThan(0.15);
  });

  it("--sequential on the conversion fixture: promotes by the always-valid p-value, which is never below the fixed one at the end", async () => {
    const io = captureIo();
    const code = await runAbtestCommand(
      {
        data: join(AB, "conversion.csv"),
        variant: "variant",
        metric: "converted",
        weights: "champion=90,challenger=10",
        sequential: true,
        json: "-",
        quiet: true,
      },
      io,
    );
    expect(code).toBe(2);
    const report = JSON.parse(io.out()) as ExperimentReport;
    const c = report.challengers[0];
    expect(c?.sequential?.method).toBe("mSPRT");
    expect(c?.sequential?.looks).toBeGreaterThan(10_000);
    expect(c?.sequential?.pValue).toBeLessThanOrEqual(0.05);
    expect(c?.sequential?.firstRejectionLook).not.toBeNull();
    expect(report.sequential?.reference).toMatch(/Always Valid Inference/);
  });
});
