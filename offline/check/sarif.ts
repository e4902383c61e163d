/**
 * SARIF 2.1.0 output, shaped for GitHub code scanning (`github/codeql-action/upload-sarif`):
 *
 * - `tool.driver` is the policy pack (name, version), its `rules` are all of the pack's policies with their
 *   descriptions, help (remediation steps when the policy has them) and default level from the reconciled
 *   enforcement level;
 * - each violation is a `result`: `error` for mandatory, `warning` for advisory; each applied remediation is a
 *   `note`;
 * - a result's physical location is where the resource was declared: the innermost frame outside
 *   `node_modules` of the stack the SDK sent with its registration (an app team's `new …` line, or the
 *   component's own line for a resource declared inside this repository's library); without one (a stack-level
 *   violation), the program's entry file at the first line that spells the resource's name as a string literal.
 *   The stack file and the declarations of the components around the resource (the `new DataLake(…)` line of
 *   a bucket the DataLake holds) are related locations, and the logical location is the resource URN, which is what identifies the resource in Pulumi;
 * - `partialFingerprints` hash stack, policy and URN so an alert keeps its identity across runs and
 *   `automationDetails.id` separates stacks, so a matrix of stacks uploads distinct analyses.
 *
 * Paths are relative to the working directory (run from the repository root in CI) under `%SRCROOT%`.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type * as sarif from "sarif";
import type { SourceLocation } from "../capture";
import { OFFLINE_LIMITS } from "../preview";
import type { EnforcementLevel } from "./policy-config";
import type { CheckResult, ComponentSource, PolicyInfo } from "./result";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** GitHub reads `security-severity` (0.0-10.0) from rule properties to rank security alerts. */
const SECURITY_SEVERITY: Record<string, string> = { low: "3.0", medium: "5.5", high: "8.0", critical: "9.5" };

function ruleLevel(level: EnforcementLevel): sarif.ReportingConfiguration.level {
  switch (level) {
    case "mandatory":
      return "error";
    case "advisory":
      return "warning";
    case "remediate":
      return "note";
    default:
      return "none";
  }
}

/** A location relative to the working directory when inside it, else an absolute `file://` URI. */
function artifact(file: string, cwd: string): sarif.ArtifactLocation {
  const rel = path.relative(cwd, file);
  if (!rel.startsWith("..") && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).join("/"), uriBaseId: "%SRCROOT%" };
  }
  return { uri: `file://${file.split(path.sep).join("/")}` };
}

/**
 * The 1-based line that first spells the resource's name as a string literal in `lines`, else its
 * nearest parent component's name (a child's name is usually derived from its parent's), else 1.
 */
function lineOf(lines: string[], ancestry: string[]): number {
  for (const name of ancestry) {
    const needles = [`"${name}"`, `'${name}'`, `\`${name}\``];
    const i = lines.findIndex((l) => needles.some((n) => l.includes(n)));
    if (i >= 0) return i + 1;
  }
  return 1;
}

function fingerprint(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

function rule(policy: PolicyInfo, level: EnforcementLevel): sarif.ReportingDescriptor {
  const helpText = policy.remediationSteps || policy.description;
  return {
    id: policy.name,
    ...(policy.displayName ? { name: policy.displayName } : {}),
    shortDescription: { text: policy.displayName || policy.name },
    fullDescription: { text: policy.description || policy.name },
    help: { text: helpText, markdown: helpText },
    ...(policy.url ? { helpUri: policy.url } : {}),
    defaultConfiguration: { level: ruleLevel(level), enabled: level !== "disabled" },
    properties: {
      enforcementLevel: level,
      kind: policy.kind,
      tags: ["policy-as-code", ...policy.tags],
      ...(policy.severity ? { severity: policy.severity } : {}),
      ...(policy.severity && SECURITY_SEVERITY[policy.severity]
        ? { "security-severity": SECURITY_SEVERITY[policy.severity] }
        : {}),
      ...(policy.framework ? { framework: policy.framework } : {}),
    },
  };
}

/** The SARIF log for one `mlops check` run. */
export function sarifLog(result: CheckResult, cwd: string = process.cwd()): sarif.Log {
  const policies = result.pack.policies;
  const ruleIndex = new Map(policies.map((p, i) => [p.name, i]));
  let entryLines: string[] = [];
  try {
    entryLines = readFileSync(result.entry, "utf8").split("\n");
  } catch {
    // The entry was just run, so this only fails if it was removed meanwhile; fall back to line 1.
  }
  const entry = artifact(result.entry, cwd);
  const stackConfig: sarif.Location[] = result.stackFile
    ? [
        {
          id: 0,
          physicalLocation: { artifactLocation: artifact(result.stackFile, cwd) },
          message: { text: "stack configuration" },
        },
      ]
    : [];

  const location = (
    urn: string,
    type: string,
    name: string,
    ancestry: string[],
    source: SourceLocation | undefined,
  ): sarif.Location => ({
    physicalLocation: source
      ? {
          artifactLocation: artifact(source.file, cwd),
          region: { startLine: source.line, startColumn: source.column },
        }
      : { artifactLocation: entry, region: { startLine: lineOf(entryLines, ancestry) } },
    logicalLocations: [{ fullyQualifiedName: urn, name, kind: "resource", decoratedName: type }],
  });

  /** The stack file, then where each component around the resource was declared, innermost first. */
  const relatedFor = (declaredIn: ComponentSource[] | undefined): sarif.Location[] => [
    ...stackConfig,
    ...(declaredIn ?? []).map((c, i) => ({
      id: i + 1,
      physicalLocation: {
        artifactLocation: artifact(c.source.file, cwd),
        region: { startLine: c.source.line, startColumn: c.source.column },
      },
      message: { text: `inside component "${c.name}", declared here` },
    })),
  ];

  const results: sarif.Result[] = result.violations.map((v) => ({
    ruleId: v.policyName,
    ...(ruleIndex.has(v.policyName) ? { ruleIndex: ruleIndex.get(v.policyName)! } : {}),
    level: v.enforcementLevel === "mandatory" ? "error" : "warning",
    message: { text: `${v.message}\n(${v.resourceType}: ${v.resourceName}, stack ${result.stack})` },
    locations: [location(v.urn, v.resourceType, v.resourceName, v.ancestry, v.source)],
    ...(relatedFor(v.declaredIn).length > 0 ? { relatedLocations: relatedFor(v.declaredIn) } : {}),
    partialFingerprints: { "mlopsCheck/v1": fingerprint(result.stack, v.policyName, v.urn, v.message) },
    properties: {
      enforcementLevel: v.enforcementLevel,
      stage: v.stage,
      ...(v.severity ? { severity: v.severity } : {}),
    },
  }));
  for (const r of result.remediations) {
    results.push({
      ruleId: r.policyName,
      ...(ruleIndex.has(r.policyName) ? { ruleIndex: ruleIndex.get(r.policyName)! } : {}),
      level: "note",
      message: {
        text: `Remediated: ${r.description}${r.changedKeys.length > 0 ? ` (changed: ${r.changedKeys.join(", ")})` : ""}\n(${r.resourceType}: ${r.resourceName}, stack ${result.stack})`,
      },
      locations: [location(r.urn, r.resourceType, r.resourceName, r.ancestry, r.source)],
      ...(relatedFor(r.declaredIn).length > 0 ? { relatedLocations: relatedFor(r.declaredIn) } : {}),
      partialFingerprints: { "mlopsCheck/v1": fingerprint(result.stack, r.policyName, r.urn, "remediation") },
      properties: { enforcementLevel: "remediate" },
    });
  }

  const informationUri =
    result.pack.repository && /^https?:\/\//.test(result.pack.repository)
      ? result.pack.repository
      : undefined;
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: result.pack.name,
            fullName: result.pack.displayName,
            version: result.pack.version,
            ...(/^\d+\.\d+\.\d+/.test(result.pack.version) ? { semanticVersion: result.pack.version } : {}),
            ...(informationUri ? { informationUri } : {}),
            rules: policies.map((p) =>
              rule(p, result.config[p.name]?.enforcementLevel ?? p.enforcementLevel),
            ),
          },
        },
        automationDetails: { id: `mlops-check/${result.project}/${result.stack}/` },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [{ level: "note", message: { text: OFFLINE_LIMITS } }],
          },
        ],
        originalUriBaseIds: { "%SRCROOT%": { uri: `file://${cwd.split(path.sep).join("/")}/` } },
        results,
        properties: { project: result.project, stack: result.stack, resources: result.resourceCount },
      },
    ],
  };
}
