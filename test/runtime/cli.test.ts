import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerRuntimeCommands } from "../../runtime/cli";
import { runDriftCommand } from "../../runtime/commands/drift";
import { driftReportSchema } from "../../runtime/report/schema";
import { captureIo, DATA, filesIn, runMain, tempDir } from "./helpers";

const reference = join(DATA, "reference.csv");
const same = join(DATA, "current-same.csv");
const drifted = join(DATA, "current-drift.csv");

describe("mlops drift (spawned entrypoint)", () => {
  it("exits 0 when nothing drifted and writes a schema-valid report", () => {
    const dir = tempDir("mlops-cli-");
    const json = join(dir, "report.json");
    const result = runMain(["drift", "--reference", reference, "--current", same, "--json", json]);
    expect(result.stderr).toMatch(/no drift: 0\/4 columns drifted/);
    expect(result.status).toBe(0);
    const report = driftReportSchema.parse(JSON.parse(readFileSync(json, "utf8")));
    expect(report.summary).toMatchObject({
      verdict: "no-drift",
      exitCode: 0,
      datasetDrift: false,
      errorCount: 0,
    });
  });

  it("exits 2 when the data drifted (JSON Lines current against a CSV reference)", () => {
    const result = runMain([
      "drift",
      "--reference",
      reference,
      "--current",
      join(DATA, "current-drift.jsonl"),
      "--json",
      "-",
      "-q",
    ]);
    expect(result.status).toBe(2);
    const report = driftReportSchema.parse(JSON.parse(result.stdout));
    expect(report.summary.verdict).toBe("drift");
    expect(report.columns.map((c) => [c.name, c.drift?.drifted])).toEqual([
      ["age", true],
      ["income", true],
      ["plan", true],
      ["score", true],
    ]);
  });

  it("exits 1 on a malformed CSV row, names the row, and writes no report at all", () => {
    const dir = tempDir("mlops-cli-");
    const bad = join(dir, "current.csv");
    writeFileSync(bad, "age,income,plan,score\n30,1,basic,0.1\n31,2,pro\n");
    const outputs = ["report.json", "report.html", "metrics.prom"].map((f) => join(dir, f));
    const result = runMain([
      "drift",
      "--reference",
      reference,
      "--current",
      bad,
      "--json",
      outputs[0] as string,
      "--html",
      outputs[1] as string,
      "--prometheus",
      outputs[2] as string,
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/current\.csv, row 2: malformed CSV at line 3/);
    expect(filesIn(dir)).toEqual(["current.csv"]);
  });

  it("documents the exit codes in --help", () => {
    const result = runMain(["drift", "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/0 {2}no drift/);
    expect(result.stdout).toMatch(/2 {2}drift/);
    expect(result.stdout).toMatch(/1 {2}error/);
  });

  it("mounts every command the runtime image runs", () => {
    const result = runMain(["--help"]);
    expect(result.status).toBe(0);
    const commands = [...result.stdout.matchAll(/^ {2}([a-z-]+)(?= )/gm)].map((m) => m[1]);
    expect(commands).toEqual([
      "profile",
      "drift",
      "evaluate",
      "abtest",
      "monitor-run",
      "trigger",
      "capture",
      "help",
    ]);
  });

  it("reads the current data from stdin", () => {
    const result = runMain(
      ["drift", "--reference", reference, "--current", "-", "--format", "csv", "-q"],
      readFileSync(drifted, "utf8"),
    );
    expect(result.status).toBe(2);
  });

  it("reads the reference from stdin, and refuses stdin on both sides", () => {
    const ok = runMain(
      ["drift", "--reference", "-", "--format", "csv", "--current", drifted, "-q"],
      readFileSync(reference, "utf8"),
    );
    expect(ok.status).toBe(2);
    const both = runMain(["drift", "--reference", "-", "--current", "-", "--format", "csv"], "");
    expect(both.status).toBe(1);
    expect(both.stderr).toMatch(/both --reference and --current read stdin/);
  });

  it("exits 1 on a usage error", () => {
    expect(runMain(["drift", "--current", same]).status).toBe(1);
  });
});

describe("registerRuntimeCommands", () => {
  it("mounts profile, profile merge and drift on a host program, reporting exit codes through setExit", async () => {
    const codes: number[] = [];
    const program = new Command("mlops").exitOverride();
    program.command("preview").action(() => {});
    registerRuntimeCommands(program, { setExit: (code) => codes.push(code) });
    expect(program.commands.map((c) => c.name())).toEqual([
      "preview",
      "profile",
      "drift",
      "evaluate",
      "abtest",
    ]);
    expect(program.commands.find((c) => c.name() === "profile")?.commands.map((c) => c.name())).toEqual([
      "merge",
    ]);
    const dir = tempDir("mlops-host-");
    await program.parseAsync([
      "node",
      "mlops",
      "drift",
      "--reference",
      reference,
      "--current",
      drifted,
      "-q",
    ]);
    await program.parseAsync(["node", "mlops", "profile", reference, "-o", join(dir, "p.json"), "-q"]);
    await program.parseAsync([
      "node",
      "mlops",
      "profile",
      "merge",
      join(dir, "p.json"),
      "-o",
      join(dir, "m.json"),
      "-q",
    ]);
    expect(codes).toEqual([2, 0, 0]);
    expect(filesIn(dir)).toEqual(["m.json", "p.json"]);
  });
});

describe("mlops drift outputs", () => {
  async function driftRun(extra: Partial<Parameters<typeof runDriftCommand>[0]> = {}) {
    const dir = tempDir("mlops-out-");
    const io = captureIo();
    const options = {
      reference,
      current: drifted,
      json: join(dir, "report.json"),
      html: join(dir, "report.html"),
      prometheus: join(dir, "metrics.prom"),
      quiet: true,
      ...extra,
    };
    const code = await runDriftCommand(options, io);
    return { code, io, dir, options };
  }

  it("marks the prediction and target roles", async () => {
    const { code, options, dir } = await driftRun({ columns: ["age", "plan"], prediction: "score" });
    expect(code).toBe(2);
    // Written atomically: the three reports and no leftover temporary file.
    expect(filesIn(dir)).toEqual(["metrics.prom", "report.html", "report.json"]);
    const report = driftReportSchema.parse(JSON.parse(readFileSync(options.json, "utf8")));
    expect(report.columns.map((c) => [c.name, c.role])).toEqual([
      ["age", "feature"],
      ["plan", "feature"],
      ["score", "prediction"],
    ]);
  });

  it("writes a self-contained HTML report with the two distributions overlaid per column", async () => {
    const { options } = await driftRun();
    const html = readFileSync(options.html, "utf8");
    const report = JSON.parse(readFileSync(options.json, "utf8"));
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.match(/<svg class="overlay"/g)?.length).toBe(report.columns.length);
    for (const column of report.columns) {
      expect(html).toContain(`id="col-${column.name}"`);
      expect(html).toContain(`${column.drift.comparison.replace(">", "&#62;").replace("<", "&#60;")}`);
    }
    expect(html).toMatch(/<rect class="ref"[^>]*><title>[^<]*reference [\d.]+%, current [\d.]+%/);
    expect(html).toMatch(/<rect class="cur"/);
    // No external assets: no scripts, stylesheets, images or fonts fetched from anywhere.
    expect(html).not.toMatch(/<script|<link|<img|url\(|src=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it("writes Prometheus text that parses and matches the report", async () => {
    const { options } = await driftRun();
    const text = readFileSync(options.prometheus, "utf8");
    const report = driftReportSchema.parse(JSON.parse(readFileSync(options.json, "utf8")));
    expect(text.endsWith("\n")).toBe(true);
    const samples = new Map<string, number>();
    for (const line of text.split("\n")) {
      if (line === "" || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
      const match =
        /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(
          line,
        );
      expect(match, `not exposition format: ${line}`).not.toBeNull();
      samples.set(`${match?.[1]}${match?.[2] ?? ""}`, Number(match?.[3]));
    }
    expect(samples.get("mlops_drift_dataset_drift")).toBe(1);
    expect(samples.get("mlops_drift_share")).toBe(report.summary.driftShare);
    const age = report.columns.find((c) => c.name === "age")?.drift;
    expect(samples.get(`mlops_drift_column_score{column="age",method="${age?.method}"}`)).toBe(age?.score);
  });

  it("prints CloudWatch EMF lines whose metrics are declared and present", async () => {
    const { io, options } = await driftRun({ emf: true });
    const report = driftReportSchema.parse(JSON.parse(readFileSync(options.json, "utf8")));
    const lines = io
      .out()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1 + report.columns.length);
    for (const line of lines) {
      expect(typeof line._aws.Timestamp).toBe("number");
      const directive = line._aws.CloudWatchMetrics[0];
      expect(directive.Namespace).toBe("MLOps/Drift");
      for (const dimensionSet of directive.Dimensions)
        for (const dimension of dimensionSet) expect(typeof line[dimension]).toBe("string");
      for (const metric of directive.Metrics) expect(typeof line[metric.Name]).toBe("number");
    }
    expect(lines[0].DatasetDrift).toBe(1);
    expect(lines.slice(1).map((l) => l.Column)).toEqual(report.columns.map((c) => c.name));
  });

  it("reads several current files in order as one data set", async () => {
    const dir = tempDir("mlops-multi-");
    const lines = readFileSync(drifted, "utf8").trimEnd().split("\n");
    const [head, ...rows] = lines as [string, ...string[]];
    writeFileSync(join(dir, "a.csv"), `${[head, ...rows.slice(0, 700)].join("\n")}\n`);
    writeFileSync(join(dir, "b.csv"), `${[head, ...rows.slice(700)].join("\n")}\n`);
    const split = await driftRun({ current: [join(dir, "a.csv"), join(dir, "b.csv")] });
    const whole = await driftRun();
    const a = driftReportSchema.parse(JSON.parse(readFileSync(split.options.json, "utf8")));
    const b = driftReportSchema.parse(JSON.parse(readFileSync(whole.options.json, "utf8")));
    expect(a.current.rowCount).toBe(1500);
    expect(a.current.source).toMatch(/a\.csv and 1 more file\(s\)$/);
    expect(a.columns.map((c) => c.drift?.statistic)).toEqual(b.columns.map((c) => c.drift?.statistic));
  });

  it("applies a thresholds file, and rejects one with an unknown key", async () => {
    const dir = tempDir("mlops-config-");
    const config = join(dir, "thresholds.yaml");
    writeFileSync(
      config,
      "drift:\n  driftShare: 1\n  columns:\n    plan:\n      method: psi\n      threshold: 5\n",
    );
    const { code, options } = await driftRun({ config });
    const report = driftReportSchema.parse(JSON.parse(readFileSync(options.json, "utf8")));
    const plan = report.columns.find((c) => c.name === "plan")?.drift;
    expect(plan).toMatchObject({ method: "psi", threshold: 5, drifted: false, methodSource: "config" });
    expect(report.summary.driftShareThreshold).toBe(1);
    expect(code).toBe(0);

    writeFileSync(config, "drift:\n  driftshare: 0.3\n");
    const bad = await driftRun({ config });
    expect(bad.code).toBe(1);
    expect(bad.io.err()).toMatch(/thresholds\.yaml: the config file is invalid:[\s\S]*driftshare/);
    expect(filesIn(bad.dir)).toEqual([]);
  });
});
