/**
 * Runtime benchmark (`npx tsx bench/runtime.ts`, or `npm run bench -- runtime`).
 *
 * Generates 1,000,000 reference and 1,000,000 current rows (20 numeric, 5 categorical columns) and
 * times, with peak RSS:
 *   1. exact per-column drift on in-memory columns (KS, Wasserstein, χ²), against scipy's
 *      ks_2samp, wasserstein_distance and chi2_contingency on the same data, in the same run;
 *   2. the end-to-end `mlops drift` CLI on CSV, against pandas.read_csv plus scipy, and on Parquet and
 *      JSON Lines (what the serving sidecar captures);
 *   3. `mlops profile` over 10,000,000 rows streamed through stdin, in a child process whose own
 *      peak RSS is measured.
 * Targets are printed as PASS/FAIL; nothing is asserted. Python parts run only where
 * /usr/bin/python3 has scipy, numpy and pandas (`apt-get install -y python3-scipy python3-pandas`).
 */
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildSync } from "esbuild";
import { parquetWriteBuffer } from "hyparquet-writer";
import { detectDrift } from "../runtime/drift";
import type { DriftColumnInput, DriftMethodName } from "../runtime/drift/types";

/** Row counts; BENCH_ROWS / BENCH_PROFILE_ROWS scale them down for a quick smoke run. */
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
export const PROFILE_ROWS = Number(process.env.BENCH_PROFILE_ROWS ?? 10_000_000);
const NUMERIC = 20;
const CATEGORICAL = 5;
const PYTHON = "/usr/bin/python3";
/** Runs of the in-memory comparison on each side; the fastest counts. */
const IN_MEMORY_REPEATS = 2;
const REPO = resolve(__dirname, "..");

/**
 * Wall time, CPU time (user + system) and peak RSS. Targets are judged on CPU time: on a shared
 * 2-core machine the wall clock mostly measures the neighbours.
 */
export interface Measure {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Column generator shared by every part, so the same seed gives the same rows everywhere. */
class RowGenerator {
  private readonly random: () => number;
  private spare: number | undefined;
  constructor(
    seed: number,
    private readonly shift: number,
  ) {
    this.random = mulberry32(seed);
  }
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.random()));
    const theta = 2 * Math.PI * this.random();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
  /** Numeric column j: N(j, 1 + j/10), the current side shifted on every 4th column. */
  numeric(j: number): number {
    return j + (j % 4 === 0 ? this.shift : 0) + (1 + j / 10) * this.normal();
  }
  /** Categorical column j: 10·(j+1) categories, Zipf-like weights (skewed further on the current side). */
  category(j: number): number {
    const k = 10 * (j + 1);
    const u = this.random() ** (1 + (j % 2 === 0 ? this.shift : 0));
    return Math.min(k - 1, Math.floor(k * u * u));
  }
}

const numericNames = Array.from({ length: NUMERIC }, (_, j) => `n${j}`);
const categoricalNames = Array.from({ length: CATEGORICAL }, (_, j) => `c${j}`);

interface InMemory {
  numeric: Float64Array[];
  categorical: Int32Array[];
}

export function generate(rows: number, seed: number, shift: number): InMemory {
  const gen = new RowGenerator(seed, shift);
  const numeric = numericNames.map(() => new Float64Array(rows));
  const categorical = categoricalNames.map(() => new Int32Array(rows));
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < NUMERIC; j++) (numeric[j] as Float64Array)[i] = gen.numeric(j);
    for (let j = 0; j < CATEGORICAL; j++) (categorical[j] as Int32Array)[i] = gen.category(j);
  }
  return { numeric, categorical };
}

function csvLine(data: InMemory, i: number): string {
  const cells: string[] = [];
  for (const column of data.numeric) cells.push((column[i] as number).toFixed(5));
  for (const column of data.categorical) cells.push(`k${column[i]}`);
  return cells.join(",");
}

/** Writes `lines` (each without its line feed) to `path`, 10,000 at a time, minding backpressure. */
async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  const chunk: string[] = [];
  const flush = async () => {
    if (!out.write(`${chunk.join("\n")}\n`)) await new Promise<void>((r) => out.once("drain", () => r()));
    chunk.length = 0;
  };
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length === 10_000) await flush();
  }
  if (chunk.length > 0) await flush();
  await new Promise<void>((r, j) => {
    out.once("error", j);
    out.end(() => r());
  });
}

function* rowIndices(data: InMemory): Generator<number> {
  const rows = data.numeric[0]?.length ?? 0;
  for (let i = 0; i < rows; i++) yield i;
}

export function writeCsv(path: string, data: InMemory): Promise<void> {
  const header = [...numericNames, ...categoricalNames].join(",");
  return writeLines(
    path,
    (function* () {
      yield header;
      for (const i of rowIndices(data)) yield csvLine(data, i);
    })(),
  );
}

export function writeJsonLines(path: string, data: InMemory): Promise<void> {
  return writeLines(
    path,
    (function* () {
      for (const i of rowIndices(data)) {
        const row: Record<string, number | string> = {};
        numericNames.forEach((name, j) => {
          row[name] = Number((data.numeric[j]![i] as number).toFixed(5));
        });
        categoricalNames.forEach((name, j) => {
          row[name] = `k${data.categorical[j]![i]}`;
        });
        yield JSON.stringify(row);
      }
    })(),
  );
}

function writeParquet(path: string, data: InMemory): void {
  const buffer = parquetWriteBuffer({
    columnData: [
      ...numericNames.map((name, j) => ({
        name,
        data: data.numeric[j] as Float64Array,
        type: "DOUBLE" as const,
      })),
      ...categoricalNames.map((name, j) => ({
        name,
        data: Array.from(data.categorical[j] as Int32Array, (c) => `k${c}`),
        type: "STRING" as const,
      })),
    ],
    rowGroupSize: 100_000,
  });
  writeFileSync(path, Buffer.from(buffer));
}

function counts(codes: Int32Array): Map<string, number> {
  const tally = new Map<string, number>();
  for (const c of codes) {
    const key = `k${c}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  return tally;
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Exact drift on in-memory columns: KS and Wasserstein per numeric column, χ² contingency (the test scipy runs below) per categorical one. */
function inMemoryDrift(reference: InMemory, current: InMemory): Measure {
  const refCounts = reference.categorical.map(counts);
  const curCounts = current.categorical.map(counts);
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (const method of ["ks", "wasserstein"] as DriftMethodName[]) {
    const inputs: DriftColumnInput[] = numericNames.map((name, j) => ({
      name,
      reference: { kind: "numerical", values: reference.numeric[j] as Float64Array },
      current: { kind: "numerical", values: current.numeric[j] as Float64Array },
    }));
    const result = detectDrift(inputs, { numericalMethod: method });
    if (result.errorCount > 0)
      throw new Error(`in-memory ${method} drift errored: ${JSON.stringify(result.columns[0])}`);
  }
  const categoricalInputs: DriftColumnInput[] = categoricalNames.map((name, j) => ({
    name,
    reference: { kind: "categorical", counts: refCounts[j] as Map<string, number> },
    current: { kind: "categorical", counts: curCounts[j] as Map<string, number> },
  }));
  const result = detectDrift(categoricalInputs, { categoricalMethod: "chi2_contingency" });
  if (result.errorCount > 0) throw new Error("in-memory chi2_contingency drift errored");
  return { seconds: (performance.now() - start) / 1000, cpuSeconds: cpuSince(cpu), peakRssMb: peakRssMb() };
}

/** The node flags of the runtime image's ENTRYPOINT, so the CLI runs here as it does in the container. */
const CONTAINER_NODE_FLAGS: string[] = (() => {
  const dockerfile = readFileSync(join(REPO, "runtime/Dockerfile"), "utf8");
  const entry = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (!entry) throw new Error("runtime/Dockerfile has no exec-form ENTRYPOINT");
  return (JSON.parse(entry[1]!) as string[]).filter((arg) => arg.startsWith("--"));
})();

/** Bundles the entrypoint as the Dockerfile does, plus a preload that reports the child's peak RSS. */
export function buildCli(dir: string): { bundle: string; preload: string } {
  const bundle = join(dir, "mlops-runtime.cjs");
  buildSync({
    entryPoints: [join(REPO, "runtime/main.ts")],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    outfile: bundle,
    logLevel: "warning",
  });
  const preload = join(dir, "peak-rss.cjs");
  // The child's own peak: VmHWM of its address space. getrusage's maxRSS is no good here: Linux
  // carries the forked copy of the (large) bench process's RSS over the exec into it.
  writeFileSync(
    preload,
    `process.on("exit", () => {
  const fs = require("node:fs");
  const u = process.resourceUsage();
  let peakKb = u.maxRSS;
  try { peakKb = Number(/VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"))[1]); } catch {}
  fs.writeSync(2, "\\nPEAK_RSS_KB=" + peakKb + " CPU_US=" + (u.userCPUTime + u.systemCPUTime) + "\\n");
});
`,
  );
  return { bundle, preload };
}

/** Runs the CLI in a child process; returns wall time and the child's own peak RSS. */
export function runCli(
  cli: { bundle: string; preload: string },
  args: string[],
  stdinFrom?: (stdin: NodeJS.WritableStream) => Promise<void>,
): Promise<Measure & { code: number | null }> {
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    const child = spawn(
      process.execPath,
      [...CONTAINER_NODE_FLAGS, "--require", cli.preload, cli.bundle, ...args],
      {
        stdio: [stdinFrom ? "pipe" : "ignore", "ignore", "pipe"],
        env: { ...process.env, NO_PROGRESS: "1" },
      },
    );
    let stderr = "";
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    if (stdinFrom && child.stdin) {
      stdinFrom(child.stdin)
        .then(() => child.stdin?.end())
        .catch(reject);
    }
    child.on("error", reject);
    child.on("close", (code) => {
      const match = /PEAK_RSS_KB=(\d+) CPU_US=(\d+)/.exec(stderr);
      if (code !== 0 && code !== 2) {
        reject(new Error(`mlops ${args[0]} exited ${code}: ${stderr.slice(0, 2000)}`));
        return;
      }
      resolvePromise({
        seconds: (performance.now() - start) / 1000,
        cpuSeconds: match ? Number(match[2]) / 1e6 : Number.NaN,
        peakRssMb: match ? Number(match[1]) / 1024 : Number.NaN,
        code,
      });
    });
  });
}

/** Streams PROFILE_ROWS freshly generated CSV rows into a child's stdin, never holding them. */
export async function streamRows(stdin: NodeJS.WritableStream, rows: number): Promise<void> {
  const gen = new RowGenerator(7, 0);
  stdin.write(`${[...numericNames, ...categoricalNames].join(",")}\n`);
  const chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    const cells: string[] = [];
    for (let j = 0; j < NUMERIC; j++) cells.push(gen.numeric(j).toFixed(5));
    for (let j = 0; j < CATEGORICAL; j++) cells.push(`k${gen.category(j)}`);
    chunk.push(cells.join(","));
    if (chunk.length === 5_000) {
      if (!stdin.write(`${chunk.join("\n")}\n`))
        await new Promise<void>((r) => stdin.once("drain", () => r()));
      chunk.length = 0;
    }
  }
  if (chunk.length > 0) stdin.write(`${chunk.join("\n")}\n`);
}

const PYTHON_BENCH = `
import json, resource, sys, time
import numpy as np
from scipy import stats
from scipy.spatial import distance
d, nnum, ncat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
REPEATS = ${IN_MEMORY_REPEATS}
out = {}
ref = [np.fromfile(f"{d}/ref_n{j}.f64") for j in range(nnum)]
cur = [np.fromfile(f"{d}/cur_n{j}.f64") for j in range(nnum)]
rc = [np.fromfile(f"{d}/ref_c{j}.i32", dtype=np.int32) for j in range(ncat)]
cc = [np.fromfile(f"{d}/cur_c{j}.i32", dtype=np.int32) for j in range(ncat)]
tables = []
for a, b in zip(rc, cc):
    k = max(a.max(), b.max()) + 1
    tables.append(np.vstack([np.bincount(a, minlength=k), np.bincount(b, minlength=k)]))
for rep in range(REPEATS):
    t = time.perf_counter(); c0 = time.process_time()
    for a, b in zip(ref, cur):
        stats.ks_2samp(a, b)
    for a, b in zip(ref, cur):
        stats.wasserstein_distance(a, b)
    for table in tables:
        stats.chi2_contingency(table)
    wall, cpu = time.perf_counter() - t, time.process_time() - c0
    if rep == 0 or cpu < out["inMemoryCpuSeconds"]:
        out["inMemorySeconds"], out["inMemoryCpuSeconds"] = wall, cpu
if len(sys.argv) > 5:
    import pandas as pd
    t = time.perf_counter(); c0 = time.process_time()
    r = pd.read_csv(sys.argv[4]); c = pd.read_csv(sys.argv[5])
    for j in range(nnum):
        a, b = r[f"n{j}"].dropna().to_numpy(), c[f"n{j}"].dropna().to_numpy()
        stats.wasserstein_distance(a, b) / max(np.std(a), 0.001)
    for j in range(ncat):
        p = r[f"c{j}"].value_counts(normalize=True); q = c[f"c{j}"].value_counts(normalize=True)
        keys = p.index.union(q.index)
        distance.jensenshannon(p.reindex(keys, fill_value=0).to_numpy(), q.reindex(keys, fill_value=0).to_numpy())
    out["csvEndToEndSeconds"] = time.perf_counter() - t
    out["csvEndToEndCpuSeconds"] = time.process_time() - c0
out["peakRssMb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
`;

function pythonAvailable(): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ["-c", "import scipy, numpy, pandas"], { stdio: "ignore" }).status === 0;
}

export function verdict(pass: boolean): string {
  return pass ? "PASS" : "FAIL";
}

export function line(label: string, m: Measure, extra = ""): void {
  process.stdout.write(
    `${label.padEnd(50)} wall ${m.seconds.toFixed(2).padStart(7)} s  cpu ${m.cpuSeconds.toFixed(2).padStart(7)} s  peak RSS ${m.peakRssMb.toFixed(0).padStart(5)} MB${extra}\n`,
  );
}

export async function runRuntimeBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mlops-bench-"));
  try {
    process.stdout.write(
      `runtime bench: ${ROWS.toLocaleString("en")} reference + ${ROWS.toLocaleString("en")} current rows, ${NUMERIC} numeric + ${CATEGORICAL} categorical columns\n`,
    );
    const reference = generate(ROWS, 1, 0);
    const current = generate(ROWS, 2, 0.05);
    // In-memory drift first, on a heap the file writers have not yet filled with garbage. Best of a
    // few runs on both sides, as timeit reports: a shared VM's noise only ever adds time.
    let ours = inMemoryDrift(reference, current);
    for (let rep = 1; rep < IN_MEMORY_REPEATS; rep++) {
      const again = inMemoryDrift(reference, current);
      if (again.cpuSeconds < ours.cpuSeconds) ours = again;
    }
    const python = pythonAvailable();
    if (!python)
      process.stdout.write(`(${PYTHON} with scipy, numpy and pandas not found: scipy comparisons skipped)\n`);

    const refCsv = join(dir, "reference.csv");
    const curCsv = join(dir, "current.csv");
    await writeCsv(refCsv, reference);
    await writeCsv(curCsv, current);
    const refJsonl = join(dir, "reference.jsonl");
    const curJsonl = join(dir, "current.jsonl");
    await writeJsonLines(refJsonl, reference);
    await writeJsonLines(curJsonl, current);
    const refParquet = join(dir, "reference.parquet");
    const curParquet = join(dir, "current.parquet");
    writeParquet(refParquet, reference);
    writeParquet(curParquet, current);
    if (python) {
      for (const [side, data] of [
        ["ref", reference],
        ["cur", current],
      ] as const) {
        data.numeric.forEach((column, j) => {
          writeFileSync(join(dir, `${side}_n${j}.f64`), Buffer.from(column.buffer));
        });
        data.categorical.forEach((column, j) => {
          writeFileSync(join(dir, `${side}_c${j}.i32`), Buffer.from(column.buffer));
        });
      }
    }

    // 1. In-memory exact drift (measured above, before the files were written).
    let scipy:
      | {
          inMemorySeconds: number;
          inMemoryCpuSeconds: number;
          csvEndToEndSeconds?: number;
          csvEndToEndCpuSeconds?: number;
          peakRssMb: number;
        }
      | undefined;
    if (python) {
      const result = spawnSync(
        PYTHON,
        ["-c", PYTHON_BENCH, dir, String(NUMERIC), String(CATEGORICAL), refCsv, curCsv],
        { encoding: "utf8", maxBuffer: 1 << 20 },
      );
      if (result.status === 0) scipy = JSON.parse(result.stdout.trim().split("\n").pop() as string);
      else process.stdout.write(`(python comparison failed: ${result.stderr.slice(0, 500)})\n`);
    }
    line(`in-memory exact drift (KS + W1 + chi2), best of ${IN_MEMORY_REPEATS}`, ours);
    if (scipy) {
      const ratio = scipy.inMemoryCpuSeconds / ours.cpuSeconds;
      line("  scipy ks_2samp + wasserstein + chi2_contingency", {
        seconds: scipy.inMemorySeconds,
        cpuSeconds: scipy.inMemoryCpuSeconds,
        peakRssMb: scipy.peakRssMb,
      });
      process.stdout.write(
        `  speed-up ${ratio.toFixed(2)}x in CPU time (target >= 3x): ${verdict(ratio >= 3)}\n`,
      );
    }

    // 2. End-to-end CLI.
    const cli = buildCli(dir);
    const csvRun = await runCli(cli, [
      "drift",
      "--reference",
      refCsv,
      "--current",
      curCsv,
      "--json",
      join(dir, "csv-report.json"),
      "-q",
    ]);
    line("mlops drift, CSV end to end", csvRun, `   exit ${csvRun.code}`);
    if (scipy?.csvEndToEndSeconds !== undefined && scipy.csvEndToEndCpuSeconds !== undefined) {
      line("  pandas.read_csv + scipy (same methods)", {
        seconds: scipy.csvEndToEndSeconds,
        cpuSeconds: scipy.csvEndToEndCpuSeconds,
        peakRssMb: scipy.peakRssMb,
      });
      const ratio = csvRun.cpuSeconds / scipy.csvEndToEndCpuSeconds;
      process.stdout.write(`  CPU time ratio ${ratio.toFixed(2)} (target <= 1): ${verdict(ratio <= 1)}\n`);
    }

    const parquetRun = await runCli(cli, [
      "drift",
      "--reference",
      refParquet,
      "--current",
      curParquet,
      "--json",
      join(dir, "pq-report.json"),
      "-q",
    ]);
    line("mlops drift, Parquet end to end", parquetRun, `   exit ${parquetRun.code}`);

    // JSON Lines is what the serving sidecar captures, so it is what every scheduled drift run reads.
    const jsonlRun = await runCli(cli, [
      "drift",
      "--reference",
      refJsonl,
      "--current",
      curJsonl,
      "--json",
      join(dir, "jsonl-report.json"),
      "-q",
    ]);
    line("mlops drift, JSON Lines end to end", jsonlRun, `   exit ${jsonlRun.code}`);

    // 3. Streaming profile over 10M rows, in its own process.
    const profileRun = await runCli(
      cli,
      ["profile", "-", "--format", "csv", "-o", join(dir, "profile.json"), "-q"],
      (stdin) => streamRows(stdin, PROFILE_ROWS),
    );
    line(`mlops profile, ${PROFILE_ROWS.toLocaleString("en")} rows via stdin`, profileRun);
    process.stdout.write(
      `  peak RSS ${profileRun.peakRssMb.toFixed(0)} MB (target < 512 MB): ${verdict(profileRun.peakRssMb < 512)}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runRuntimeBench().catch((error: unknown) => {
    process.stderr.write(`runtime bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
