import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const FIXTURES = path.join(__dirname, "fixtures");
export const PLATFORM_PROGRAM = path.join(FIXTURES, "programs/platform");
export const BASIC_PACK = path.join(FIXTURES, "packs/basic");
export const INTROSPECT_PACK = path.join(FIXTURES, "packs/introspect");
export const EXEMPTIONS_PROGRAM = path.join(FIXTURES, "programs/exemptions");

export interface CheckRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The parsed `--json` report, when the run wrote one. */
  report?: CheckReport;
  /** The raw `--sarif` log, when the run wrote one. */
  sarif?: unknown;
}

/** The parts of the `--json` report the tests read. */
export interface CheckReport {
  passed: boolean;
  summary: { resources: number; mandatory: number; advisory: number; remediations: number };
  policyPack: { name: string; version: string; policies: { name: string; enforcementLevel: string }[] };
  config: Record<string, { enforcementLevel: string; properties?: Record<string, unknown> }>;
  violations: {
    policyName: string;
    enforcementLevel: string;
    message: string;
    urn: string;
    resourceType: string;
    resourceName: string;
    stage: string;
  }[];
  remediations: { policyName: string; urn: string; changedKeys: string[] }[];
}

export interface CheckArgs {
  stack: string;
  program?: string;
  /** Policy pack directory; `null` leaves --policy-pack out so the default (<repo>/policies) is used. @default the basic fixture pack */
  pack?: string | null;
  /** Policy pack config, written to a temp file and passed with --policy-pack-config. */
  config?: unknown;
  /** An existing --policy-pack-config file (instead of `config`). */
  configFile?: string;
  /** Raw text of the config file, when `config` is not given. */
  configText?: string;
  sarif?: boolean;
  /** More arguments (`--timeout 2`). @default none */
  extraArgs?: string[];
  /** More environment for the run (and so for the pack, which inherits it). @default none */
  env?: Record<string, string>;
}

/**
 * Runs `mlops check` in a child process, as CI does (the Pulumi runtime is global, so one program per
 * process), with `--json` always on so tests can read the structured report.
 */
export async function runCheck(args: CheckArgs): Promise<CheckRun> {
  const dir = mkdtempSync(path.join(tmpdir(), "mlops-check-test-"));
  try {
    const json = path.join(dir, "report.json");
    const sarif = path.join(dir, "report.sarif");
    const argv = [
      path.join(REPO_ROOT, "bin/mlops.cjs"),
      "check",
      "--stack",
      args.stack,
      "--program",
      args.program ?? PLATFORM_PROGRAM,
      "--json",
      json,
    ];
    if (args.pack !== null) argv.push("--policy-pack", args.pack ?? BASIC_PACK);
    if (args.sarif) argv.push("--sarif", sarif);
    argv.push(...(args.extraArgs ?? []));
    if (args.configFile) argv.push("--policy-pack-config", args.configFile);
    else if (args.config !== undefined || args.configText !== undefined) {
      const file = path.join(dir, "policy-config.json");
      writeFileSync(file, args.configText ?? JSON.stringify(args.config));
      argv.push("--policy-pack-config", file);
    }
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(process.execPath, argv, {
          cwd: REPO_ROOT,
          env: { ...process.env, VITEST: "", NO_COLOR: "1", ...args.env },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
        });
        child.stderr.on("data", (c: Buffer) => {
          err += c.toString();
        });
        child.on("error", reject);
        child.on("close", (status) => resolve({ code: status ?? -1, stdout: out, stderr: err }));
      },
    );
    const read = (file: string) => {
      try {
        return JSON.parse(readFileSync(file, "utf8")) as unknown;
      } catch {
        return undefined;
      }
    };
    return {
      code,
      stdout,
      stderr,
      report: read(json) as CheckReport | undefined,
      sarif: args.sarif ? read(sarif) : undefined,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The engine-form URN of a resource of the fixture program. */
export function fixtureUrn(stack: string, qualifiedType: string, name: string): string {
  return `urn:pulumi:${stack}::check-fixture::${qualifiedType}::${name}`;
}
