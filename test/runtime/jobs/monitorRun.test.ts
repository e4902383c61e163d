import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadProfile } from "../../../runtime/job/load";
import {
  assignShards,
  defaultSteps,
  listWindowFiles,
  type MonitorRunSteps,
  parseSince,
  pushRegistry,
  runMonitor,
  scheduledTime,
  windowHours,
} from "../../../runtime/jobs";
import { tempDir } from "../helpers";
import { driftReport } from "../trigger/report";

/** A seeded generator (mulberry32), so the data and therefore the verdicts are fixed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** JSON Lines rows like the capture sidecar writes: features flattened, plus __ts/__variant/__prediction. */
function rows(n: number, seed: number, shift: number, variant: string | null = "champion"): string {
  const next = random(seed);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const amount = 100 + shift + (next() + next() + next() - 1.5) * 20;
    const plan = ["basic", "plus", "pro"][Math.floor(next() * 3)];
    const features = { amount: Math.round(amount * 100) / 100, plan };
    const prediction = next();
    // The training reference has the features only; captures add the sidecar's metadata.
    lines.push(
      JSON.stringify(
        variant === null
          ? features
          : { ...features, __ts: "2026-03-01T09:30:00Z", __variant: variant, __prediction: prediction },
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}

const NOW = new Date("2026-03-01T10:05:00Z"); // the run at 10:05 reads the 09:00 partition

/** Writes a capture tree: `<dir>/<variant>/2026/03/01/<hour>/<file>`. */
function capture(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(join(full, ".."), { recursive: true });
    writeFileSync(full, text);
  }
}

/** A local Pushgateway and webhook receiver on 127.0.0.1 that records requests; at most 20 per test. */
let server: Server;
let base: string;
let requests: { method: string; url: string; body: string }[] = [];
let pushStatus = 200;
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", body: Buffer.concat(chunks).toString() });
      if (requests.length > 20) throw new Error("too many requests");
      if (req.url?.startsWith("/metrics/")) res.writeHead(pushStatus).end();
      else res.writeHead(202).end("{}");
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
  requests = [];
  pushStatus = 200;
});

const logs: string[] = [];
const steps = (overrides: Partial<MonitorRunSteps> = {}): MonitorRunSteps => ({
  ...defaultSteps(),
  log: (line) => logs.push(line),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
  pollMs: 20,
  ...overrides,
});

describe("the capture window", () => {
  it("lists the completed hours of the window across variants, and nothing else", async () => {
    const dir = tempDir("mlops-window-");
    capture(dir, {
      "champion/2026/03/01/08/a-1.jsonl": "{}\n", // outside a 1h window, inside 2h
      "champion/2026/03/01/09/a-1.jsonl": "{}\n",
      "champion/2026/03/01/09/a-2.jsonl": "{}\n",
      "challenger/2026/03/01/09/b-1.jsonl": "{}\n",
      "champion/2026/03/01/09/notes.txt": "not data",
      "champion/2026/03/01/10/a-3.jsonl": "{}\n", // the hour in progress
      "champion/2026/13/01/09/bad.jsonl": "{}\n", // no such month
      "champion/latest/x.jsonl": "{}\n",
    });
    const oneHour = await listWindowFiles(dir, windowHours(NOW, parseSince("1h")));
    expect(oneHour.map((f) => f.path.slice(dir.length + 1))).toEqual([
      "challenger/2026/03/01/09/b-1.jsonl",
      "champion/2026/03/01/09/a-1.jsonl",
      "champion/2026/03/01/09/a-2.jsonl",
    ]);
    expect(await listWindowFiles(dir, windowHours(NOW, parseSince("2h")))).toHaveLength(4);
    expect(oneHour[0]!.bytes).toBe(3);
  });

  it("takes whole hours only, and says so", () => {
    expect(parseSince("1h")).toBe(3_600_000);
    expect(parseSince("120m")).toBe(7_200_000);
    expect(parseSince("7d")).toBe(7 * 24 * 3_600_000);
    expect(() => parseSince("90m")).toThrow(/--since: "90m" is not a positive whole number of hours/);
    expect(() => parseSince("1 hour")).toThrow(/is not a duration\. Write a whole number of hours/);
  });

  it("refuses a capture directory that is not there, with the fix", async () => {
    await expect(listWindowFiles("/nonexistent/capture/fraud", windowHours(NOW, 3_600_000))).rejects.toThrow(
      /cannot read the capture directory .* Check the capture volume is mounted/,
    );
  });

  it("deals files to shards by size, deterministically", () => {
    const files = [5, 9, 1, 7, 3, 8].map((bytes, i) => ({ path: `/c/f${i}.jsonl`, bytes }));
    const shards = assignShards(files, 3);
    // Largest first to the lightest shard: 9→0, 8→1, 7→2, 5→2 (12), 3→1 (11), 1→0 (10); each shard
    // then lists its files in path order.
    expect(shards.map((s) => s.map((f) => f.bytes))).toEqual([
      [9, 1],
      [3, 8],
      [5, 7],
    ]);
    expect(
      shards
        .flat()
        .map((f) => f.path)
        .sort(),
    ).toEqual(files.map((f) => f.path).sort());
    expect(assignShards([...files].reverse(), 3)).toEqual(shards);
  });
});

describe("the run's scheduled time", () => {
  it("comes from the CronJob's Job name (<cronjob>-<Unix minutes>), else the clock", () => {
    const clock = new Date("2026-02-02T05:00:00Z");
    // 29 500 000 minutes after the epoch is 2026-02-02T02:40:00Z.
    expect(scheduledTime("mon-drift-29500000", clock).toISOString()).toBe("2026-02-02T02:40:00.000Z");
    expect(scheduledTime("manual-retrain-check", clock)).toBe(clock);
    // A number that is no plausible schedule (months away) is not taken for one.
    expect(scheduledTime("mon-drift-28000000", clock)).toBe(clock);
  });
});

describe("monitor-run with one worker (the runtime's exact drift)", () => {
  const setup = (shift: number) => {
    const dir = tempDir("mlops-monitor-");
    const reference = join(dir, "reference.jsonl");
    writeFileSync(reference, rows(600, 1, 0, null));
    const captureDir = join(dir, "capture", "fraud");
    // Two variants; one file without its final newline, which must not be glued to the next file.
    capture(captureDir, {
      "champion/2026/03/01/09/pod-a-0001.jsonl": rows(150, 2, shift),
      "champion/2026/03/01/09/pod-b-0001.jsonl": rows(100, 3, shift).trimEnd(),
      "challenger/2026/03/01/09/pod-c-0001.jsonl": rows(50, 4, shift, "challenger"),
    });
    return {
      dir,
      options: {
        endpoint: "fraud",
        reference,
        captureDir,
        since: "1h",
        workDir: join(dir, "work"),
        runId: "mon-drift-29500000",
        namespace: "ml",
        pushgateway: base,
        reportDir: join(dir, "reports"),
        retrainWebhook: `${base}/hooks/retrain`,
        now: NOW,
      },
    };
  };

  it("finds drift in shifted traffic, reports, pushes the metrics by endpoint and calls the webhook", async () => {
    const { dir, options } = setup(25);
    const result = await runMonitor(options, steps());
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.role).toBe("decider");
    expect(result.files).toBe(3);
    expect(result.report!.summary.verdict).toBe("drift");
    expect(result.report!.current.rowCount).toBe(300);
    expect(result.report!.columns.find((c) => c.name === "amount")!.drift!.drifted).toBe(true);

    const push = requests.find((r) => r.url.startsWith("/metrics/"))!;
    expect(push.method).toBe("PUT");
    expect(push.url).toBe("/metrics/job/mlops_drift/endpoint/fraud/namespace/ml");
    expect(push.body).toMatch(/^mlops_drift_dataset_drift 1$/m);
    expect(push.body).toMatch(/^mlops_drift_column_drifted\{column="amount"\} 1$/m);

    const hooks = requests.filter((r) => r.url === "/hooks/retrain");
    expect(hooks).toHaveLength(1);
    expect(JSON.parse(hooks[0]!.body)).toMatchObject({
      runId: "mon-drift-29500000",
      endpoint: "fraud",
      verdict: "drift",
    });
    expect(result.trigger).toEqual({ action: "webhook", status: 202, attempts: 1 });

    const report = JSON.parse(readFileSync(join(dir, "reports", "mon-drift-29500000.json"), "utf8"));
    expect(report.summary.verdict).toBe("drift");
    expect(readFileSync(join(dir, "reports", "mon-drift-29500000.html"), "utf8")).toContain("<svg");
    // The run directory is scratch: gone after the run.
    expect(existsSync(join(dir, "work", "runs", "mon-drift-29500000"))).toBe(false);
  });

  it("exits 2 on drift only when asked for the detailed exit code", async () => {
    const { options } = setup(25);
    const result = await runMonitor(
      { ...options, detailedExitcode: true, retrainWebhook: undefined },
      steps(),
    );
    expect(result.exitCode).toBe(2);
    expect(result.trigger).toEqual({ action: "skipped", reason: "no retraining trigger is configured" });
  });

  it("triggers nothing when the traffic looks like the reference", async () => {
    const { options } = setup(0);
    const result = await runMonitor(options, steps());
    expect(result.exitCode).toBe(0);
    expect(result.report!.summary.verdict).toBe("no-drift");
    expect(requests.filter((r) => r.url === "/hooks/retrain")).toEqual([]);
    expect(requests.find((r) => r.url.startsWith("/metrics/"))!.body).toMatch(
      /^mlops_drift_dataset_drift 0$/m,
    );
  });

  it("publishes an empty window as zero rows and no verdict", async () => {
    const { options } = setup(25);
    let driftCalls = 0;
    const result = await runMonitor(
      { ...options, now: new Date("2026-03-02T10:05:00Z") },
      steps({
        drift: async () => {
          driftCalls++;
          return driftReport();
        },
      }),
    );
    expect(result.exitCode).toBe(0);
    expect(result.report).toBeUndefined();
    expect(driftCalls).toBe(0);
    const push = requests.find((r) => r.url.startsWith("/metrics/"))!;
    expect(push.body).toMatch(/^mlops_drift_current_rows 0$/m);
    expect(push.body).not.toContain("mlops_drift_dataset_drift");
    expect(requests.filter((r) => r.url === "/hooks/retrain")).toEqual([]);
  });

  it("fails the run (exit 1) when the metrics cannot be pushed, after still triggering", async () => {
    const { options } = setup(25);
    pushStatus = 503;
    const result = await runMonitor(
      options,
      steps({
        push: (registry, url, grouping) =>
          pushRegistry(registry, url, grouping, { attempts: 3, initialDelayMs: 10 }),
      }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(
        /pushing the metrics failed: pushing to the Pushgateway failed after 3 attempt\(s\): .*503/,
      ),
    ]);
    expect(requests.filter((r) => r.url === "/hooks/retrain")).toHaveLength(1);
  });

  it("removes run directories left by crashed runs more than a day old", async () => {
    const { dir, options } = setup(0);
    const stale = join(dir, "work", "runs", "mon-drift-old");
    const recent = join(dir, "work", "runs", "mon-drift-recent");
    mkdirSync(stale, { recursive: true });
    mkdirSync(recent, { recursive: true });
    const twoDaysAgo = new Date(NOW.getTime() - 2 * 86_400_000);
    utimesSync(stale, twoDaysAgo, twoDaysAgo);
    utimesSync(recent, NOW, NOW);
    await runMonitor(options, steps());
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(recent)).toBe(true);
  });
});

describe("monitor-run with three workers (an Indexed Job)", () => {
  const setup = () => {
    const dir = tempDir("mlops-sharded-");
    const captureDir = join(dir, "capture", "churn");
    const sizes = [120, 80, 60, 40, 30, 20, 10];
    capture(
      captureDir,
      Object.fromEntries(sizes.map((n, i) => [`champion/2026/03/01/09/pod-${i}.jsonl`, rows(n, 10 + i, 0)])),
    );
    const options = {
      endpoint: "churn",
      reference: join(dir, "reference.profile.json"),
      captureDir,
      since: "1h",
      workDir: join(dir, "work"),
      workers: 3,
      runId: "big-drift-29500001",
      shardTimeoutSeconds: 5,
      now: NOW,
    };
    return { dir, options, totalRows: sizes.reduce((a, b) => a + b, 0) };
  };

  it("profiles a share of the files per index and lets index 0 merge them and decide", async () => {
    const { options, totalRows } = setup();
    const seen: { reference: string; current: string; rows: number; sources: number; shard: unknown }[] = [];
    const s = steps({
      drift: async ({ reference, current }) => {
        if (typeof current !== "string") throw new Error("expected the merged profile");
        const merged = await loadProfile(current);
        seen.push({
          reference,
          current,
          rows: merged.rowCount,
          sources: merged.sources.length,
          shard: merged.shard,
        });
        expect(merged.column("amount")!.moments.count).toBe(totalRows);
        return driftReport("no-drift");
      },
    });
    // Index 0 starts last: the others must wait for its plan.
    const shards = [runMonitor({ ...options, index: 2 }, s), runMonitor({ ...options, index: 1 }, s)];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [decider, ...others] = await Promise.all([runMonitor({ ...options, index: 0 }, s), ...shards]);
    expect(others.map((r) => r.role)).toEqual(["shard", "shard"]);
    expect(decider!.role).toBe("decider");
    expect(decider!.exitCode).toBe(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      reference: options.reference,
      rows: totalRows,
      sources: 7,
      shard: undefined,
    });
    expect(seen[0]!.current.endsWith("current.profile.json")).toBe(true);
    // Every file was read by exactly one index.
    expect(decider!.files + others[0]!.files + others[1]!.files).toBe(7);
    expect(existsSync(join(options.workDir, "runs", options.runId))).toBe(false);
  });

  it("reaches the same verdict as one worker with the runtime's own drift step, from the merged profile", async () => {
    const { options, totalRows } = setup();
    const s = steps();
    const reference = join(options.workDir, "..", "reference.jsonl");
    writeFileSync(reference, rows(400, 99, 0, null));
    const run = { ...options, reference, since: "1h" };
    const [decider] = await Promise.all([0, 1, 2].map((index) => runMonitor({ ...run, index }, s)));
    expect(decider!.exitCode).toBe(0);
    expect(decider!.report!.summary.verdict).toBe("no-drift");
    expect(decider!.report!.current.rowCount).toBe(totalRows);
    // Index 0 decided from the merged profile alone: no pod read the whole window.
    expect(decider!.report!.current.mode).toBe("sketch");
    expect(decider!.report!.current.source.endsWith("current.profile.json")).toBe(true);
    const single = await runMonitor({ ...run, workers: 1, runId: "big-drift-single" }, s);
    expect(single.report!.current.mode).toBe("exact");
    expect(decider!.report!.summary).toEqual(single.report!.summary);
  });

  it("lets a retried index 0 reuse the plan and the shard profiles of the failed attempt", async () => {
    const { options, totalRows } = setup();
    let attempt = 0;
    const s = steps({
      drift: async ({ current }) => {
        attempt++;
        if (attempt === 1) throw new Error("OOMKilled, say");
        expect((await loadProfile(current as string)).rowCount).toBe(totalRows);
        return driftReport("no-drift");
      },
    });
    const [failed] = await Promise.allSettled([
      runMonitor({ ...options, index: 0 }, s),
      runMonitor({ ...options, index: 1 }, s),
      runMonitor({ ...options, index: 2 }, s),
    ]);
    expect(failed!.status).toBe("rejected");
    const runDir = join(options.workDir, "runs", options.runId);
    expect(existsSync(join(runDir, "plan.json"))).toBe(true);
    // The retry starts in the next hour; indexes 1 and 2 completed and are not run again.
    const retry = await runMonitor({ ...options, index: 0, now: new Date("2026-03-01T11:01:00Z") }, s);
    expect(retry.exitCode).toBe(0);
    expect(logs).toContain("reusing the plan of an earlier attempt of this run");
    expect(existsSync(runDir)).toBe(false);
  });

  it("gives up with the missing shards named when an index never reports", async () => {
    const { options } = setup();
    const attempt = runMonitor(
      { ...options, index: 0, shardTimeoutSeconds: 1 },
      steps({ drift: async () => driftReport() }),
    );
    await expect(attempt).rejects.toThrow(
      /gave up waiting for the shard profiles after 1 s; missing: .*shard-1\.profile\.json, .*shard-2\.profile\.json\. Check the other pods/,
    );
  });

  it("refuses an index outside the run", async () => {
    const { options } = setup();
    await expect(runMonitor({ ...options, index: 3 }, steps())).rejects.toThrow(/index 3 is outside 0\.\.2/);
  });
});
