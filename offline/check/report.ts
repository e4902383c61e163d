import * as path from "node:path";
import type { SourceLocation } from "../capture";
import { OFFLINE_LIMITS } from "../preview";
import { advisoryCount, type CheckResult, mandatoryCount, type PolicyViolation } from "./result";

/** Version of the `--json` report's shape; bump on any breaking change. */
export const CHECK_REPORT_SCHEMA_VERSION = 1;

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/**
 * One violation as `pulumi preview` prints it under "Policy Violations:", then (which the CLI cannot say)
 * where the resource was declared.
 */
function renderViolation(v: PolicyViolation): string {
  const head = `    [${v.enforcementLevel}]  ${v.policyPackName} v${v.policyPackVersion}  ${v.policyName}  (${v.resourceType}: ${v.resourceName})`;
  const body = v.message
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
  return v.source ? `${head}\n${body}\n    declared at ${where(v.source)}` : `${head}\n${body}`;
}

/** `file:line:column`, relative to the working directory when inside it. */
function where(source: SourceLocation): string {
  const rel = path.relative(process.cwd(), source.file);
  const file = rel.startsWith("..") || path.isAbsolute(rel) ? source.file : rel;
  return `${file}:${source.line}:${source.column}`;
}

/** The one-line verdict that closes the report. */
export function summaryLine(result: CheckResult): string {
  const mandatory = mandatoryCount(result);
  const advisory = advisoryCount(result);
  const affected = new Set(result.violations.map((v) => v.urn)).size;
  const verdict = mandatory > 0 ? "FAILED" : "PASSED";
  return (
    `${verdict}: ${plural(mandatory, "mandatory violation")}, ${plural(advisory, "advisory violation")} ` +
    `in ${affected} of ${plural(result.resourceCount, "resource")}; ${plural(result.remediations.length, "remediation")} applied ` +
    `(policy pack ${result.pack.name} v${result.pack.version}, ${plural(result.pack.policies.length, "policy", "policies")})`
  );
}

/** The human report: violations grouped by resource in the CLI's layout, remediations, the verdict, the offline caveat. */
export function renderReport(result: CheckResult): string {
  const lines: string[] = [];
  lines.push(
    `Checking stack '${result.stack}' of project '${result.project}' against policy pack ${result.pack.name} v${result.pack.version} (offline)`,
    "",
  );
  if (result.violations.length > 0) {
    lines.push("Policy Violations:");
    let lastUrn: string | undefined;
    for (const v of result.violations) {
      if (lastUrn !== undefined && v.urn !== lastUrn) lines.push("");
      lines.push(renderViolation(v));
      lastUrn = v.urn;
    }
    lines.push("");
  } else {
    lines.push("No policy violations.", "");
  }
  if (result.remediations.length > 0) {
    lines.push("Remediations:");
    for (const r of result.remediations) {
      lines.push(
        `    [remediate]  ${r.policyPackName} v${r.policyPackVersion}  ${r.policyName}  (${r.resourceType}: ${r.resourceName})`,
        `    ${r.description}${r.changedKeys.length > 0 ? ` (changed: ${r.changedKeys.join(", ")})` : ""}`,
      );
    }
    lines.push("");
  }
  if (result.unmockedInvokes.length > 0) {
    lines.push(
      `Provider functions answered with empty results offline: ${result.unmockedInvokes.join(", ")}`,
      "",
    );
  }
  lines.push(summaryLine(result), "", OFFLINE_LIMITS);
  return `${lines.join("\n")}\n`;
}

/** The `--json` report. */
export function reportDocument(result: CheckResult) {
  return {
    schemaVersion: CHECK_REPORT_SCHEMA_VERSION,
    project: result.project,
    stack: result.stack,
    note: OFFLINE_LIMITS,
    passed: mandatoryCount(result) === 0,
    summary: {
      resources: result.resourceCount,
      mandatory: mandatoryCount(result),
      advisory: advisoryCount(result),
      remediations: result.remediations.length,
    },
    policyPack: {
      name: result.pack.name,
      version: result.pack.version,
      dir: result.pack.dir,
      policies: result.pack.policies.map((p) => ({
        name: p.name,
        description: p.description,
        kind: p.kind,
        enforcementLevel: result.config[p.name]?.enforcementLevel ?? p.enforcementLevel,
      })),
    },
    config: result.config,
    ...(result.configFile ? { configFile: result.configFile } : {}),
    violations: result.violations,
    remediations: result.remediations,
    unmockedInvokes: result.unmockedInvokes,
    timingsMs: result.timings,
  };
}
