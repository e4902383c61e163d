import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { runDriftCommand } from "../../runtime/commands/drift";
import { runProfileCommand, runProfileMergeCommand } from "../../runtime/commands/profile";
import { parseShard } from "../../runtime/job/shard";
import { profileSchema } from "../../runtime/profile/schema";
import { driftReportSchema } from "../../runtime/report/schema";
import { captureIo, DATA, runMain, tempDir } from "./helpers";

const reference = join(DATA, "reference.csv");

describe("sharded profiling", () => {
  it("--shard i/n on each shard, then profile merge, equals profiling the whole (CSV, through the entrypoint)", () => {
    const dir = tempDir("mlops-shard-");
    const whole = join(dir, "whole.json");
    expect(runMain(["profile", reference, "-o", whole, "-q"]).status).toBe(0);
    for (let i = 0; i < 3; i++) {
      expect(
        runMain(["profile", reference, "--shard", `${i}/3`, "-o", join(dir, "part-{shard}.json"), "-q"])
          .status,
      ).toBe(0);
    }
    const parts = [0, 1, 2].map((i) => join(dir, `part-${i}.json`));
    expect(runMain(["profile", "merge", ...parts, "-o", join(dir, "merged.json"), "-q"]).status).toBe(0);
    const a = profileSchema.parse(JSON.parse(readFileSync(whole, "utf8")));
    const b = profileSchema.parse(JSON.parse(readFileSync(join(dir, "merged.json"), "utf8")));
    expect(b.rowCount).toBe(a.rowCount);
    expect(b.shard).toBeNull();
    for (const colA of a.columns) {
      const colB = b.columns.find((c) => c.name === colA.name);
      expect(colB?.kind).toBe(colA.kind);
      expect(colB?.nullCount).toBe(colA.nullCount);
      expect(new Map(colB?.categories ?? [])).toEqual(new Map(colA.categories ?? []));
      if (colA.numeric === null) continue;
      const nA = colA.numeric;
      const nB = colB?.numeric;
      expect(nB?.count).toBe(nA.count);
      expect(nB?.mean).toBeCloseTo(nA.mean, 8);
      expect((nB?.m2 ?? 0) / nA.count).toBeCloseTo(nA.m2 / nA.count, 6);
      expect([nB?.min, nB?.max]).toEqual([nA.min, nA.max]);
    }
  });

  it("profiles several files in order as one data set", async () => {
    const dir = tempDir("mlops-shard-");
    const [head, ...rows] = readFileSync(reference, "utf8").trimEnd().split("\n") as [string, ...string[]];
    writeFileSync(join(dir, "a.csv"), `${[head, ...rows.slice(0, 900)].join("\n")}\n`);
    writeFileSync(join(dir, "b.csv"), `${[head, ...rows.slice(900)].join("\n")}\n`);
    expect(
      await runProfileCommand(
        { input: [join(dir, "a.csv"), join(dir, "b.csv")], output: join(dir, "two.json"), quiet: true },
        captureIo(),
      ),
    ).toBe(0);
    expect(
      await runProfileCommand({ input: reference, output: join(dir, "one.json"), quiet: true }, captureIo()),
    ).toBe(0);
    const two = profileSchema.parse(JSON.parse(readFileSync(join(dir, "two.json"), "utf8")));
    const one = profileSchema.parse(JSON.parse(readFileSync(join(dir, "one.json"), "utf8")));
    expect(two.sources).toEqual([join(dir, "a.csv"), join(dir, "b.csv")]);
    expect({ ...two, sources: [] }).toEqual({ ...one, sources: [] });
  });

  it("refuses to merge an incomplete set of shards, naming the missing one", async () => {
    const dir = tempDir("mlops-shard-");
    for (const i of [0, 2]) {
      expect(
        await runProfileCommand(
          { input: reference, output: join(dir, `p${i}.json`), shard: `${i}/3`, quiet: true },
          captureIo(),
        ),
      ).toBe(0);
    }
    const io = captureIo();
    const code = await runProfileMergeCommand(
      { inputs: [join(dir, "p0.json"), join(dir, "p2.json")], output: join(dir, "m.json") },
      io,
    );
    expect(code).toBe(1);
    expect(io.err()).toMatch(
      /shard\(s\) 1 of 3 are missing\. Pass every shard's profile, or --allow-partial/,
    );
  });

  it("refuses a drift run against a single shard's profile", async () => {
    const dir = tempDir("mlops-shard-");
    await runProfileCommand(
      { input: reference, output: join(dir, "p.json"), shard: "0/2", quiet: true },
      captureIo(),
    );
    const io = captureIo();
    expect(
      await runDriftCommand({ reference: join(dir, "p.json"), current: reference, quiet: true }, io),
    ).toBe(1);
    expect(io.err()).toMatch(/covers only shard 0\/2\. Join the shards first with `mlops profile merge`/);
  });

  it("merged Parquet shards give the same drift verdicts as the whole, with the sketch bound reported", async () => {
    const dir = tempDir("mlops-shard-");
    const rows = readFileSync(reference, "utf8")
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","));
    const parquet = join(dir, "ref.parquet");
    writeFileSync(
      parquet,
      Buffer.from(
        parquetWriteBuffer({
          columnData: [
            { name: "age", data: Float64Array.from(rows.map((r) => Number(r[0]))), type: "DOUBLE" },
            { name: "income", data: Float64Array.from(rows.map((r) => Number(r[1]))), type: "DOUBLE" },
            { name: "plan", data: rows.map((r) => r[2] as string), type: "STRING" },
            { name: "score", data: Float64Array.from(rows.map((r) => Number(r[3]))), type: "DOUBLE" },
          ],
          rowGroupSize: 250,
        }),
      ),
    );
    for (let i = 0; i < 4; i++) {
      await runProfileCommand(
        { input: parquet, output: join(dir, "s-{shard}.json"), shard: `${i}/4`, quiet: true },
        captureIo(),
      );
    }
    await runProfileMergeCommand(
      {
        inputs: [0, 1, 2, 3].map((i) => join(dir, `s-${i}.json`)),
        output: join(dir, "merged.json"),
        quiet: true,
      },
      captureIo(),
    );
    const verdicts = async (ref: string) => {
      const json = join(dir, `r-${Math.random()}.json`);
      await runDriftCommand(
        { reference: ref, current: join(DATA, "current-drift.csv"), json, quiet: true },
        captureIo(),
      );
      return driftReportSchema.parse(JSON.parse(readFileSync(json, "utf8")));
    };
    const exact = await verdicts(reference);
    const sketched = await verdicts(join(dir, "merged.json"));
    expect(sketched.reference.mode).toBe("sketch");
    expect(sketched.columns.map((c) => c.drift?.drifted)).toEqual(exact.columns.map((c) => c.drift?.drifted));
    for (const column of sketched.columns) {
      const computation = column.drift?.computation;
      if (column.drift?.kind !== "numerical" || computation?.mode !== "sketch") continue;
      expect(computation.rankErrorBound).toBeGreaterThan(0);
      const exactStatistic = exact.columns.find((c) => c.name === column.name)?.drift?.statistic as number;
      const [lo, hi] = computation.statisticBounds ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
      expect(exactStatistic).toBeGreaterThanOrEqual(lo);
      expect(exactStatistic).toBeLessThanOrEqual(hi);
    }
  });
});

describe("--shard", () => {
  it("reads the task index of Indexed Jobs, Cloud Run and Batch array jobs", () => {
    expect(parseShard("2/5", {})).toEqual({ index: 2, count: 5 });
    expect(parseShard("auto/4", { JOB_COMPLETION_INDEX: "3" })).toEqual({ index: 3, count: 4 });
    expect(parseShard("auto", { CLOUD_RUN_TASK_INDEX: "1", CLOUD_RUN_TASK_COUNT: "6" })).toEqual({
      index: 1,
      count: 6,
    });
    expect(parseShard("auto", { AWS_BATCH_JOB_ARRAY_INDEX: "0", MLOPS_SHARD_COUNT: "2" })).toEqual({
      index: 0,
      count: 2,
    });
  });

  it("explains what is wrong with a bad shard", () => {
    expect(() => parseShard("3/3", {})).toThrow(/shard 3\/3 is out of range/);
    expect(() => parseShard("auto", {})).toThrow(/auto found no task index in the environment/);
    expect(() => parseShard("auto", { JOB_COMPLETION_INDEX: "1" })).toThrow(
      /JOB_COMPLETION_INDEX but no shard count\. Write --shard auto\/n/,
    );
    expect(() => parseShard("two", {})).toThrow(/"two" is not a shard/);
  });
});

describe("Pushgateway", () => {
  it("PUTs the metrics to /metrics/job/mlops_drift on the given gateway", async () => {
    const received: { method?: string; url?: string; body: string }[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      let body = "";
      request.on("data", (c: Buffer) => {
        body += c.toString("utf8");
      });
      request.on("end", () => {
        received.push({ method: request.method, url: request.url, body });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const code = await runDriftCommand(
        {
          reference,
          current: join(DATA, "current-drift.csv"),
          prometheus: `http://127.0.0.1:${port}`,
          quiet: true,
        },
        captureIo(),
      );
      expect(code).toBe(2);
    } finally {
      server.close();
    }
    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe("PUT");
    expect(received[0]?.url).toBe("/metrics/job/mlops_drift");
    expect(received[0]?.body).toMatch(/^mlops_drift_dataset_drift 1$/m);
  });

  it("exits 1 when the gateway refuses the push", async () => {
    const server = createServer((_request, response) => response.writeHead(500).end("down"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const io = captureIo();
    try {
      const code = await runDriftCommand(
        {
          reference,
          current: join(DATA, "current-same.csv"),
          prometheus: `http://127.0.0.1:${port}`,
          quiet: true,
        },
        io,
      );
      expect(code).toBe(1);
    } finally {
      server.close();
    }
    expect(io.err()).toMatch(/writing the outputs failed/);
  });
});
