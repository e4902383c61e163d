import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultSteps, type MonitorRunSteps, runMonitor } from "../../../runtime/jobs";
import { tempDir } from "../helpers";

/** mulberry32. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOW = new Date("2026-03-01T10:05:00Z");
const N = 2400;

/**
 * A window of captured fraud predictions from two variants (files interleaved in time), features
 * drawn like the reference (no data drift), and labels keyed by request id. The model is wrong 5% of
 * the time until 09:30, then `laterError` of the time.
 */
function setup(laterError: number, labelFor?: (i: number, truth: string) => string) {
  const dir = tempDir("mlops-concept-");
  const featureFrom = (next: () => number) => () => ({
    amount: Math.round((100 + (next() + next() + next() - 1.5) * 20) * 100) / 100,
    plan: ["basic", "plus", "pro"][Math.floor(next() * 3)],
  });
  // The reference is drawn from its own stream and large enough that its shares stand for the
  // distribution: `chisquare`, Evidently's goodness-of-fit test, takes them as exact.
  const reference = featureFrom(random(7));
  writeFileSync(
    join(dir, "reference.jsonl"),
    `${Array.from({ length: 20_000 }, () => JSON.stringify(reference())).join("\n")}\n`,
  );
  const next = random(11);
  const feature = featureFrom(next);
  const files: Record<string, string[]> = { champion: [], challenger: [] };
  const labels: string[] = ["request_id,label"];
  for (let i = 0; i < N; i++) {
    const ts = new Date(Date.UTC(2026, 2, 1, 9, 0, 0) + i * 1500).toISOString();
    const truth = next() < 0.3 ? "fraud" : "ok";
    const wrong = next() < (i < N / 2 ? 0.05 : laterError);
    const prediction = wrong ? (truth === "fraud" ? "ok" : "fraud") : truth;
    const variant = i % 3 === 0 ? "challenger" : "champion";
    files[variant]?.push(
      JSON.stringify({
        ...feature(),
        request_id: `req-${i}`,
        __ts: ts,
        __variant: variant,
        __prediction: prediction,
      }),
    );
    // A tenth of the requests have no label yet.
    if (i % 10 !== 7) labels.push(`req-${i},${labelFor ? labelFor(i, truth) : truth}`);
  }
  for (const [variant, lines] of Object.entries(files)) {
    const hour = join(dir, "capture", variant, "2026", "03", "01", "09");
    mkdirSync(hour, { recursive: true });
    writeFileSync(join(hour, "pod-0001.jsonl"), `${lines.join("\n")}\n`);
  }
  writeFileSync(join(dir, "labels.csv"), `${labels.join("\n")}\n`);
  return {
    dir,
    options: {
      endpoint: "fraud",
      reference: join(dir, "reference.jsonl"),
      captureDir: join(dir, "capture"),
      since: "1h",
      workDir: join(dir, "work"),
      runId: "mon-drift-29500000",
      reportDir: join(dir, "reports"),
      retrainWebhook: `${base}/hooks/retrain`,
      labels: join(dir, "labels.csv"),
      now: NOW,
    },
  };
}

let server: Server;
let base: string;
let hooks: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hooks.push(Buffer.concat(chunks).toString());
      res.writeHead(202).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  hooks = [];
});

const logs: string[] = [];
const steps = (): MonitorRunSteps => ({ ...defaultSteps(), log: (line) => logs.push(line), pollMs: 20 });

describe("monitor-run --labels: concept drift on the capture joined with labels", () => {
  it("an accuracy drop without data drift triggers retraining, with the detections in the report", async () => {
    const { dir, options } = setup(0.4);
    const result = await runMonitor({ ...options, detailedExitcode: true }, steps());
    expect(result.errors).toEqual([]);
    expect(result.report?.summary.verdict).toBe("no-drift");
    const concept = result.concept;
    expect(concept?.labelled).toBe(N - N / 10);
    expect(concept?.unlabelled).toBe(N / 10);
    expect(concept?.classes).toEqual(["fraud", "ok"]);
    expect(concept?.accuracyDrop).toBe(true);
    // Ordered by __ts across both variants' files: every increase detection comes after 09:30.
    const increases =
      concept?.detectors.flatMap((d) => d.detections.filter((h) => h.direction === "increase")) ?? [];
    expect(increases.length).toBeGreaterThan(1);
    for (const hit of increases.filter((h) => h.detector !== "eddm"))
      expect(hit.timestamp! >= "2026-03-01T09:30:00.000Z").toBe(true);
    expect(result.exitCode).toBe(2);
    expect(hooks).toHaveLength(1);
    const payload = JSON.parse(hooks[0] as string);
    expect(payload).toMatchObject({
      verdict: "no-drift",
      reasons: ["accuracy-drop"],
      accuracyDrop: { labelled: N - N / 10 },
    });
    expect(payload.accuracyDrop.detectors.length).toBeGreaterThanOrEqual(2);
    expect(
      JSON.parse(readFileSync(join(dir, "reports", "mon-drift-29500000.concept.json"), "utf8")).accuracyDrop,
    ).toBe(true);
    expect(readFileSync(join(dir, "reports", "mon-drift-29500000.concept.html"), "utf8")).toContain(
      "accuracy drop",
    );
  });

  it("steady accuracy triggers nothing", async () => {
    const { options } = setup(0.05);
    const result = await runMonitor({ ...options, detailedExitcode: true }, steps());
    expect(result.concept?.accuracyDrop).toBe(false);
    expect(result.exitCode).toBe(0);
    expect(hooks).toEqual([]);
  });

  it("a label that is not one of the predicted classes fails the run", async () => {
    const { options } = setup(0.05, (i, truth) => (i === 42 ? "FRAUD" : truth));
    // req-42 is data row 39 of labels.csv: req-7, -17, -27 and -37 have no label row.
    await expect(runMonitor(options, steps())).rejects.toThrow(
      /labels\.csv, row 39, column "label": the label "FRAUD" is not one of the classes \(fraud, ok\)/,
    );
    expect(hooks).toEqual([]);
  });
});
