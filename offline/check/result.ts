import type { SourceLocation } from "../capture";
import type { EnforcementLevel, ReconciledConfig } from "./policy-config";

/** Where a diagnostic came from: a resource's Analyze, the final AnalyzeStack, or a Remediate that could not run. */
export type DiagnosticStage = "analyze" | "analyze-stack" | "remediate";

/** A component a resource sits in, and where the program declared it. */
export interface ComponentSource {
  name: string;
  source: SourceLocation;
}

/** One policy violation, as the engine would report it. */
export interface PolicyViolation {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  /** The policy's description. */
  description: string;
  /** What the pack sent: the description, a newline, then the violation's own message. */
  message: string;
  enforcementLevel: Exclude<EnforcementLevel, "disabled" | "remediate">;
  /** `low`, `medium`, `high` or `critical` when the policy or violation says so. */
  severity?: string;
  /** The resource the violation is about; a stack violation without a URN is attributed to the root stack. */
  urn: string;
  resourceType: string;
  resourceName: string;
  /** The resource's name, then its parent components' names, innermost first (the root stack left out). */
  ancestry: string[];
  /** Where the resource was declared, when the SDK said (see `CapturedResource.source`). */
  source?: SourceLocation;
  /** The components the resource sits in, innermost first, with where each was declared. */
  declaredIn?: ComponentSource[];
  stage: DiagnosticStage;
}

/** A remediation that changed a resource's inputs before Analyze saw them. */
export interface AppliedRemediation {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  urn: string;
  resourceType: string;
  resourceName: string;
  /** The resource's name, then its parent components' names, innermost first (the root stack left out). */
  ancestry: string[];
  /** Where the resource was declared, when the SDK said. */
  source?: SourceLocation;
  /** The components the resource sits in, innermost first, with where each was declared. */
  declaredIn?: ComponentSource[];
  /** Top-level input keys whose values the remediation added, changed or removed. */
  changedKeys: string[];
}

/** A policy as `GetAnalyzerInfo` describes it. */
export interface PolicyInfo {
  name: string;
  displayName: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  kind: "resource" | "stack" | "unknown";
  severity?: string;
  url?: string;
  remediationSteps?: string;
  tags: string[];
  framework?: { name: string; version: string; reference: string; specification: string };
  configSchema?: { properties?: Record<string, Record<string, unknown>>; required?: string[] };
}

export interface PackInfo {
  name: string;
  displayName: string;
  version: string;
  description?: string;
  repository?: string;
  dir: string;
  policies: PolicyInfo[];
}

/** Everything `mlops check` found. */
export interface CheckResult {
  project: string;
  stack: string;
  programDir: string;
  /** The program's entry module (absolute). */
  entry: string;
  /** `Pulumi.<stack>.yaml` (absolute), when there is one. */
  stackFile?: string;
  pack: PackInfo;
  /** The config the pack was configured with, after reconciliation. */
  config: ReconciledConfig;
  /** Where that config's file part came from. */
  configFile?: string;
  resourceCount: number;
  /** In registration order of the resources, then stack violations. */
  violations: PolicyViolation[];
  remediations: AppliedRemediation[];
  unmockedInvokes: string[];
  /** Milliseconds spent in each phase, for the benchmark and `--json`. */
  timings: {
    program: number;
    packStart: number;
    /** All analyzer RPCs after the pack started: configure + resources + stack. */
    analyze: number;
    configure: number;
    resources: number;
    stack: number;
    total: number;
  };
}

export function mandatoryCount(result: CheckResult): number {
  return result.violations.filter((v) => v.enforcementLevel === "mandatory").length;
}

export function advisoryCount(result: CheckResult): number {
  return result.violations.filter((v) => v.enforcementLevel === "advisory").length;
}
