import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerRuntimeCommands } from "../../../runtime/cli";
import { runConceptDriftCommand } from "../../../runtime/commands/conceptDrift";
import {
  Adwin,
  type ConceptDriftDetector,
  ConceptDriftMonitor,
  type ConceptDriftReport,
  conceptDriftEmfLines,
  Ddm,
  Eddm,
  PageHinkley,
} from "../../../runtime/concept";
import { captureIo, DATA, tempDir } from "../helpers";

const STREAMS = JSON.parse(readFileSync(join(__dirname, "../fixtures/concept-streams.json"), "utf8")) as {
  steps: number[];
  errors: number[];
};

/** Replays river's doctest loop: the first warning after each drift, and every drift, as "W<i>" / "D<i>". */
function trace(detector: ConceptDriftDetector, stream: readonly number[]): string[] {
  const out: string[] = [];
  let printWarning = true;
  stream.forEach((x, i) => {
    detector.update(x);
    if (detector.warningDetected && printWarning) {
      out.push(`W${i}`);
      printWarning = false;
    }
    if (detector.driftDetected) {
      out.push(`D${i}`);
      printWarning = true;
    }
  });
  return out;
}

describe("the detectors reproduce river's documented detection points (river's defaults)", () => {
  // The expected indices are the outputs printed in river's own doctests (river/drift/adwin.py,
  // page_hinkley.py, binary/ddm.py, binary/eddm.py) on the same seeded streams, which
  // scripts/reference/generate_concept_streams.py rebuilds with Python's random.
  it("ADWIN: change at index 1023 on the 0/1 → 4..7 stream", () => {
    expect(trace(new Adwin(), STREAMS.steps)).toEqual(["D1023"]);
  });
  it("Page–Hinkley: change at index 1006 on the same stream", () => {
    expect(trace(new PageHinkley(), STREAMS.steps)).toEqual(["D1006"]);
  });
  it("DDM: warning at 1084, change at 1334, warning at 1492 on the 50% → 70% error stream", () => {
    expect(trace(new Ddm(), STREAMS.errors)).toEqual(["W1084", "D1334", "W1492"]);
  });
  it("EDDM (alpha 0.8, beta 0.75 as in river's example): warning at 1059, change at 1278", () => {
    expect(trace(new Eddm({ alpha: 0.8, beta: 0.75 }), STREAMS.errors)).toEqual(["W1059", "D1278"]);
  });
  it("use river's default parameters", () => {
    expect(new Adwin()).toMatchObject({
      delta: 0.002,
      clock: 32,
      maxBuckets: 5,
      minWindowLength: 5,
      gracePeriod: 10,
    });
    expect(new Ddm()).toMatchObject({ warmStart: 30, warningThreshold: 2, driftThreshold: 3 });
    expect(new Eddm()).toMatchObject({ warmStart: 30, alpha: 0.95, beta: 0.9 });
    expect(new PageHinkley()).toMatchObject({
      minInstances: 30,
      delta: 0.005,
      threshold: 50,
      alpha: 0.9999,
      mode: "both",
    });
  });
});

describe("detection points worked by hand from the definitions", () => {
  it("DDM: one early error, 99 right, then two errors", () => {
    // n = 100: p = 1/100, s = √(0.01·0.99/100) = 0.0099499, and p + s has fallen at every step, so
    // p_min = 0.01, s_min = 0.0099499: warning above 0.01 + 2·0.0099499 = 0.029900, drift above
    // 0.01 + 3·0.0099499 = 0.039850.
    // n = 101 (error): p = 2/101 = 0.019802, s = √(p(1−p)/101) = 0.013863, p + s = 0.033665 → warning.
    // n = 102 (error): p = 3/102 = 0.029412, s = √(p(1−p)/102) = 0.016729, p + s = 0.046141 → drift.
    const stream = [1, ...Array(99).fill(0), 1, 1];
    const ddm = new Ddm();
    const states = stream.map((x) => {
      ddm.update(x);
      return ddm.driftDetected ? "D" : ddm.warningDetected ? "W" : ".";
    });
    expect(states.indexOf("W")).toBe(100);
    expect(states.indexOf("D")).toBe(101);
    expect(states.slice(0, 100).every((s) => s === ".")).toBe(true);
  });

  it("EDDM: errors 4 apart, then back to back", () => {
    // warmStart 2. Errors at n = 4, 8, 12 (distance 4): p' = 4, s' = 0, so level = 4 = max, ratio 1.
    // n = 13, distances [4,4,4,1]: p' = 3.25, s' = 1.5, level 6.25 → new max (not tested).
    // n = 14, [4,4,4,1,1]: p' = 2.8, s' = √2.7 = 1.64317, level 6.08634, ratio 0.97381 → nothing.
    // n = 15, [4,4,4,1,1,1]: p' = 2.5, s' = 1.64317, level 5.78634, ratio 0.92581 < 0.95 → warning.
    // n = 16, [4,4,4,1,1,1,1]: p' = 2.28571, s' = √(15.42857/6) = 1.60357, level 5.49285,
    //   ratio 0.87886 < 0.9 → drift.
    const stream = Array(16).fill(0);
    for (const n of [4, 8, 12, 13, 14, 15, 16]) stream[n - 1] = 1;
    const eddm = new Eddm({ warmStart: 2 });
    const states = stream.map((x) => {
      eddm.update(x);
      return eddm.driftDetected ? "D" : eddm.warningDetected ? "W" : ".";
    });
    expect(states.join("")).toBe("..............WD");
  });

  it("Page–Hinkley: the cumulative deviation crosses λ", () => {
    // λ = 1, δ = 0, α = 1, from the first value. [0,0,0,0,1]: mean 0.2, m⁺ = 0.8, min m⁺ = 0 → 0.8 ≤ 1.
    // Then 1: mean 2/6, deviation 2/3, m⁺ = 1.4667 > 1 → increase detected at index 5.
    const ph = new PageHinkley({ threshold: 1, delta: 0, alpha: 1, minInstances: 1 });
    const fired = [0, 0, 0, 0, 1, 1].map((x) => {
      ph.update(x);
      return ph.driftDetected;
    });
    expect(fired).toEqual([false, false, false, false, false, true]);
    expect(ph.direction).toBe("increase");
    // And a fall: after 1s, 0s make max m⁻ − m⁻ grow.
    const down = new PageHinkley({ threshold: 1, delta: 0, alpha: 1, minInstances: 1 });
    const at = [1, 1, 1, 1, 0, 0].findIndex((x) => {
      down.update(x);
      return down.driftDetected;
    });
    expect(at).toBe(5);
    expect(down.direction).toBe("decrease");
  });

  it("none of them fires on a stream without errors, and ADWIN not on a constant one", () => {
    for (const detector of [new Adwin(), new Ddm(), new Eddm(), new PageHinkley()]) {
      expect(trace(detector, Array(5000).fill(0))).toEqual([]);
    }
    expect(trace(new Adwin(), Array(5000).fill(0.5))).toEqual([]);
  });

  it("ADWIN cuts only on its clock, and says which way the mean moved", () => {
    const up = new Adwin();
    const at = [...Array(1000).fill(0), ...Array(1000).fill(1)].findIndex((x) => {
      up.update(x);
      return up.driftDetected;
    });
    expect((at + 1) % 32).toBe(0);
    expect(at).toBeGreaterThan(999);
    expect(up.direction).toBe("increase");
    const down = new Adwin();
    [...Array(1000).fill(1), ...Array(1000).fill(0)].some((x) => {
      down.update(x);
      return down.driftDetected;
    });
    expect(down.direction).toBe("decrease");
  });

  it("the monitor records each detection with its position and the error rate of the segment it closed", () => {
    const monitor = new ConceptDriftMonitor([new Ddm()]);
    [1, ...Array(99).fill(0), 1, 1].forEach((x, i) => {
      monitor.update(x as 0 | 1, { row: i + 2, source: "f.csv", timestamp: null });
    });
    expect(monitor.detections).toEqual([
      {
        detector: "ddm",
        index: 101,
        row: 103,
        source: "f.csv",
        timestamp: null,
        direction: "increase",
        errorRateBefore: 3 / 102,
      },
    ]);
    expect(monitor.accuracyDrop).toBe(true);
    // With all four detectors, one of them alone is not enough.
    const four = new ConceptDriftMonitor();
    expect(four.quorum).toBe(2);
    for (const x of [1, ...Array(99).fill(0), 1, 1]) four.update(x as 0 | 1);
    expect(new Set(four.detections.map((d) => d.detector))).toEqual(new Set(["ddm"]));
    expect(four.accuracyDrop).toBe(false);
  });
});

describe("mlops drift --labels", () => {
  const dir = tempDir("concept-");
  const labelled = join(DATA, "concept", "labelled.csv");

  async function drift(args: string[]) {
    const program = new Command("mlops").exitOverride();
    let code = -1;
    registerRuntimeCommands(program, { setExit: (c) => (code = c) });
    await program.parseAsync(["node", "mlops", "drift", ...args]);
    return code;
  }

  it("reports where each detector fired on the committed log; the accuracy drop exits 2", async () => {
    const json = join(dir, "concept.json");
    const html = join(dir, "concept.html");
    const prom = join(dir, "concept.prom");
    const code = await drift([
      "--current",
      labelled,
      "--labels",
      "label",
      "-q",
      "--json",
      json,
      "--html",
      html,
      "--prometheus",
      prom,
    ]);
    expect(code).toBe(2);
    const report = JSON.parse(readFileSync(json, "utf8")) as ConceptDriftReport;
    expect(report.columns).toEqual({ prediction: "__prediction", labels: "label", timestamp: "__ts" });
    expect(report.classes).toEqual(["bird", "cat", "dog"]);
    expect(report.labelled).toBe(3000);
    // The concept changed at prediction 1,500 (2026-11-02T01:00:00Z): every detector fires after
    // it, on an error-rate increase, and none before except on noise it must then reverse.
    for (const d of report.detectors) {
      const after = d.detections.filter((h) => h.index >= 1500 && h.direction === "increase");
      expect(after.length, d.name).toBeGreaterThan(0);
      expect((after[0] as { timestamp: string }).timestamp >= "2026-11-02T01:00:00Z").toBe(true);
    }
    // Every detection is replayed exactly by the detector alone on the error stream.
    const lines = readFileSync(labelled, "utf8").trim().split("\n").slice(1);
    const errors = lines.map((l) => {
      const [, , prediction, label] = l.split(",");
      return prediction === label ? 0 : 1;
    });
    const replay = {
      adwin: new Adwin(),
      ddm: new Ddm(),
      eddm: new Eddm(),
      "page-hinkley": new PageHinkley(),
    };
    for (const d of report.detectors) {
      const detector = replay[d.name];
      const points = errors.flatMap((x, i) => {
        detector.update(x);
        return detector.driftDetected ? [i] : [];
      });
      expect(d.detections.map((h) => h.index)).toEqual(points);
      expect(d.detections.every((h) => h.row === h.index + 1)).toBe(true);
    }
    expect(readFileSync(html, "utf8")).toContain('<span class="verdict v-drift">accuracy drop</span>');
    expect(readFileSync(prom, "utf8")).toMatch(/^mlops_concept_drift_accuracy_drop 1$/m);
    const emf = conceptDriftEmfLines(report).map((line) => JSON.parse(line));
    expect(emf.map((e) => e.Detector)).toEqual(["adwin", "ddm", "eddm", "page-hinkley"]);
    expect(emf[0]._aws.CloudWatchMetrics[0].Namespace).toBe("MLOps/ConceptDrift");
    expect(emf.every((e) => e.AccuracyDrop === 1)).toBe(true);
  });

  it("exits 0 on the stable first half, where only EDDM (sensitive at river's defaults) fires", async () => {
    const path = join(dir, "stable.csv");
    const text = readFileSync(labelled, "utf8").split("\n");
    writeFileSync(path, `${text.slice(0, 1401).join("\n")}\n`);
    const io = captureIo();
    const code = await runConceptDriftCommand({ current: path, labels: "label", json: "-", quiet: true }, io);
    const report = JSON.parse(io.out()) as ConceptDriftReport;
    expect(report.detectors.filter((d) => d.detections.length > 0).map((d) => d.name)).toEqual(["eddm"]);
    expect(report.accuracyDrop).toBe(false);
    expect(code).toBe(0);
  });

  const bad: [string, string, Partial<Parameters<typeof runConceptDriftCommand>[0]>, RegExp][] = [
    [
      "a label that is not one of the classes",
      "__ts,__prediction,label\n1,cat,cat\n2,dog,cat\n3,cat,horse\n",
      {},
      /row 3, column "label": the label "horse" is not one of the classes \(cat, dog\)/,
    ],
    [
      "a label outside --classes",
      "__ts,__prediction,label\n1,cat,cat\n2,dog,Dog\n",
      { classes: "cat,dog" },
      /row 2, column "label": the label "Dog" is not one of the classes/,
    ],
    [
      "unordered timestamps",
      "__ts,__prediction,label\n2026-11-01T10:00:00Z,cat,cat\n2026-11-01T09:00:00Z,dog,cat\n",
      {},
      /row 2, column "__ts": the timestamps are not in order: 2026-11-01T09:00:00Z comes after 2026-11-01T10:00:00Z/,
    ],
    [
      "a timestamp that is no time",
      "t,__prediction,label\nsoon,cat,cat\n",
      { timestamp: "t" },
      /row 1, column "t": "soon" is not a timestamp/,
    ],
    ["no labels at all", "__prediction,label\ncat,\n", {}, /no row has a label/],
    [
      "a missing labels column",
      "__prediction,y\ncat,cat\n",
      {},
      /column "label": the column is not in the data/,
    ],
  ];
  for (const [title, text, extra, message] of bad) {
    it(`exit 1 on ${title}, no report`, async () => {
      const path = join(dir, `${title}.csv`);
      writeFileSync(path, text);
      const json = join(dir, `${title}.json`);
      const io = captureIo();
      const code = await runConceptDriftCommand(
        { current: path, labels: "label", json, quiet: true, ...extra },
        io,
      );
      expect(code).toBe(1);
      expect(io.err()).toMatch(message);
      expect(existsSync(json)).toBe(false);
    });
  }

  it("--labels with --reference is refused", async () => {
    expect(await drift(["--reference", labelled, "--current", labelled, "--labels", "label"])).toBe(1);
  });
});
