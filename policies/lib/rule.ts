/**
 * The one place where a rule becomes a CrossGuard policy.
 *
 * Every rule in `policies/rules/` is declared with {@link resourceRule} or {@link stackRule}. The wrapper adds what
 * each rule would otherwise have to repeat, and what reviewers rely on being uniform:
 * - type matching that reports "not applicable" the way `validateResourceOfType` does (and sets
 *   `__pulumiType` for the server's fast path when the rule targets exactly one type);
 * - config resolved against the rule's `configSchema` (defaults + validation, see `config.ts`);
 * - per-resource exemptions (see `exemptions.ts`): a valid one turns each violation into an advisory note, an
 *   expired or malformed one is refused and reported with the violation;
 * - remediations that never touch a resource carrying a valid exemption for that rule;
 * - metadata (`theme`, `source`, `unset`, `resourceTypes`) that the README, the tests and `mlops check` read.
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { resolveConfig } from "./config";
import { type Environment, resolveEnvironment } from "./environment";
import { describeExemptionKey, findExemption } from "./exemptions";

/** The themes the pack is organised by (one file each in `policies/rules/`). */
export type Theme =
  | "encryption"
  | "network"
  | "iam"
  | "logging"
  | "residency"
  | "tagging"
  | "cost"
  | "ml"
  | "kubernetes";

/** What every rule of this pack carries beyond the CrossGuard `Policy` fields. */
export interface RuleMetadata {
  /** The theme (and file) the rule belongs to. */
  readonly theme: Theme;
  /** Where the rule comes from: a checkov id, cdk-nag rule, AWS Config rule, PSS check… or "Own rule: why". */
  readonly source: string;
  /** What the rule concludes when the attribute it checks is not set. */
  readonly unset: string;
  /**
   * The Pulumi type tokens the rule examines. A token ending in `*` is a prefix (`aws:*`). For stack rules, the
   * first entry is the resource that must be accompanied by the others.
   */
  readonly resourceTypes: readonly string[];
  /** `resource` for per-resource rules, `stack` for rules over relations between resources. */
  readonly kind: "resource" | "stack";
  /** What the remediation does, when the rule has one. */
  readonly remediation?: string;
}

/** A resource rule of this pack. */
export type MlopsResourcePolicy = ResourceValidationPolicy & RuleMetadata & { readonly kind: "resource" };
/** A stack rule of this pack. */
export type MlopsStackPolicy = StackValidationPolicy & RuleMetadata & { readonly kind: "stack" };
/** Any rule of this pack. */
export type MlopsPolicy = MlopsResourcePolicy | MlopsStackPolicy;

interface CommonSpec {
  /** Unique, lower-case, `[a-z0-9-]`, at most 50 characters (so the GCP exemption label key fits 63). */
  readonly name: string;
  readonly theme: Theme;
  /** One or two sentences: what is required and why. */
  readonly description: string;
  readonly source: string;
  readonly unset: string;
  readonly severity: Severity;
  /** The default level; `policies/config/<env>.json` may override it. */
  readonly enforcementLevel: EnforcementLevel;
  readonly configSchema?: PolicyConfigSchema;
  readonly remediationSteps?: string;
  readonly resourceTypes: readonly string[];
}

/** What a resource rule's check receives. */
export interface ResourceCheck<C> {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** The proxied props: read them through `values.ts` helpers. */
  // biome-ignore lint/suspicious/noExplicitAny: provider inputs are untyped JSON at this point
  readonly props: any;
  readonly config: C;
  readonly args: ResourceValidationArgs;
  /** Records one violation of this rule on this resource. */
  fail(message: string): void;
  /** The stack's environment, or undefined when nothing says (see `environment.ts`). */
  environment(): Environment | undefined;
}

/** Specification of a resource rule. */
export interface ResourceRuleSpec<C> extends CommonSpec {
  validate(check: ResourceCheck<C>): void;
  /** Returns the remediated props, or undefined to leave the resource alone. Runs only at `remediate`. */
  // biome-ignore lint/suspicious/noExplicitAny: provider inputs are untyped JSON at this point
  remediate?(check: Omit<ResourceCheck<C>, "fail">): Record<string, any> | undefined;
  /** One sentence saying what the remediation changes. Required with `remediate`. */
  readonly remediation?: string;
}

/** What a stack rule's check receives. */
export interface StackCheck<C> {
  readonly resources: readonly PolicyResource[];
  readonly config: C;
  readonly args: StackValidationArgs;
  /** Records one violation on `resource`; exemptions declared on that resource apply. */
  fail(resource: PolicyResource, message: string): void;
  environment(): Environment | undefined;
  /** Resources whose type matches `type` (exact token or `prefix*`). */
  ofType(...types: string[]): PolicyResource[];
}

/** Specification of a stack rule. */
export interface StackRuleSpec<C> extends CommonSpec {
  /**
   * The rule runs only when the stack has a resource of one of these types (else it is not applicable).
   * @default the first entry of `resourceTypes`
   */
  readonly appliesWhen?: readonly string[];
  validate(check: StackCheck<C>): void;
}

const NAME_RE = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;

/** True when `type` matches one of `patterns` (exact tokens, or prefixes ending in `*`). */
export function typeMatches(type: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith("*") ? type.startsWith(p.slice(0, -1)) : type === p));
}

function checkSpec(spec: CommonSpec): void {
  if (!NAME_RE.test(spec.name)) {
    throw new Error(
      `policy name "${spec.name}" is invalid: use 1-50 characters of [a-z0-9-], starting and ending with a letter or digit`,
    );
  }
  if (spec.resourceTypes.length === 0) {
    throw new Error(`policy "${spec.name}" lists no resourceTypes`);
  }
}

function configured(spec: CommonSpec, given: object): Record<string, unknown> {
  return resolveConfig<Record<string, unknown>>(spec.name, spec.configSchema, given);
}

function environmentOf(
  config: Record<string, unknown>,
  stackTags: ReadonlyMap<string, string>,
): Environment | undefined {
  const env = config.environment;
  return resolveEnvironment(typeof env === "string" ? env : undefined, stackTags);
}

/** Sends one violation, turned into a note or refused according to the resource's exemption for this rule. */
function reportWithExemption(
  report: ReportViolation,
  policyName: string,
  description: string,
  resource: { type: string; props: unknown; urn: string },
  message: string,
): void {
  const exemption = findExemption(resource.type, resource.props, policyName);
  switch (exemption.status) {
    case "none":
      report(message, resource.urn);
      return;
    case "valid": {
      // The object form of reportViolation is handled by @pulumi/policy 1.21's server (makeReportViolationFun)
      // but not yet in its typings; it is the only way to lower one report to advisory.
      const note = {
        message: `${description}\nexempted by ${describeExemptionKey(resource.type, exemption.key)} until ${exemption.until}, reason: ${exemption.reason}. Exempted violation: ${message}`,
        urn: resource.urn,
        enforcementLevel: "advisory",
      };
      (report as unknown as (info: typeof note) => void)(note);
      return;
    }
    case "expired":
      report(
        `${message} [exemption ${describeExemptionKey(resource.type, exemption.key)} expired on ${exemption.until} and is not honoured: fix the resource, or renew the exemption with a new date and reason]`,
        resource.urn,
      );
      return;
    case "malformed":
      report(
        `${message} [exemption ${describeExemptionKey(resource.type, exemption.key)} is malformed and not honoured: ${exemption.problem}]`,
        resource.urn,
      );
      return;
  }
}

/** The policy fields and metadata every rule carries, resource or stack. */
function metadataOf(spec: CommonSpec) {
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel,
    severity: spec.severity,
    ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
    ...(spec.remediationSteps ? { remediationSteps: spec.remediationSteps } : {}),
    tags: [spec.theme],
    theme: spec.theme,
    source: spec.source,
    unset: spec.unset,
    resourceTypes: spec.resourceTypes,
  };
}

function notApplicableReason(types: readonly string[]): string {
  return types.length === 1
    ? `Policy only applies to resources of type '${types[0]}'`
    : `Policy only applies to resources of types ${types.map((t) => `'${t}'`).join(", ")}`;
}

/**
 * Reports the rule as not applicable to the resource: `args.notApplicable` throws the server's
 * `NotApplicableError`, which the server catches and turns into a `PolicyNotApplicable` entry, reading only
 * its reason. Its stack trace is never shown, yet capturing one for every (rule, resource) pair that does not
 * match was the largest single cost of a multi-type rule in the pack (a rule that targets several types gets
 * no `__pulumiType` fast path, so the server calls it for every resource). Capture is off while it is built.
 */
function throwNotApplicable(args: ResourceValidationArgs, reason: string): void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    args.notApplicable(reason);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Declares a per-resource rule. */
export function resourceRule<C extends object = Record<string, never>>(
  spec: ResourceRuleSpec<C>,
): MlopsResourcePolicy {
  checkSpec(spec);
  if (spec.remediate && !spec.remediation) {
    throw new Error(`policy "${spec.name}" has a remediate function but no remediation description`);
  }
  const single =
    spec.resourceTypes.length === 1 && !spec.resourceTypes[0]?.endsWith("*")
      ? spec.resourceTypes[0]
      : undefined;
  const notApplicable = notApplicableReason(spec.resourceTypes);

  const makeCheck = (args: ResourceValidationArgs, fail: (m: string) => void): ResourceCheck<C> => {
    const config = configured(spec, args.getConfig());
    return {
      type: args.type,
      name: args.name,
      urn: args.urn,
      props: args.props,
      config: config as C,
      args,
      fail,
      environment: () => environmentOf(config, args.stackTags),
    };
  };

  const validateResource = (args: ResourceValidationArgs, report: ReportViolation): void => {
    if (!typeMatches(args.type, spec.resourceTypes)) throwNotApplicable(args, notApplicable);
    const messages: string[] = [];
    spec.validate(makeCheck(args, (m) => messages.push(m)));
    for (const message of messages) {
      reportWithExemption(report, spec.name, spec.description, args, message);
    }
  };

  let remediateResource: ResourceValidationPolicy["remediateResource"];
  if (spec.remediate) {
    const remediate = spec.remediate;
    remediateResource = (args: ResourceValidationArgs) => {
      if (!typeMatches(args.type, spec.resourceTypes)) throwNotApplicable(args, notApplicable);
      // A resource that carries a valid exemption for this rule is left exactly as its authors declared it.
      if (findExemption(args.type, args.props, spec.name).status === "valid") {
        return undefined;
      }
      const { fail: _ignored, ...check } = makeCheck(args, () => undefined);
      return remediate(check);
    };
  }
  if (single) {
    (validateResource as unknown as { __pulumiType: string }).__pulumiType = single;
    if (remediateResource) {
      (remediateResource as unknown as { __pulumiType: string }).__pulumiType = single;
    }
  }

  return {
    ...metadataOf(spec),
    kind: "resource",
    ...(spec.remediation ? { remediation: spec.remediation } : {}),
    validateResource,
    ...(remediateResource ? { remediateResource } : {}),
  };
}

/** Declares a stack rule (a relation between resources). */
export function stackRule<C extends object = Record<string, never>>(
  spec: StackRuleSpec<C>,
): MlopsStackPolicy {
  checkSpec(spec);
  const validateStack = (args: StackValidationArgs, report: ReportViolation): void => {
    const primary = spec.appliesWhen ?? [spec.resourceTypes[0] as string];
    if (!args.resources.some((r) => typeMatches(r.type, primary))) {
      args.notApplicable(
        `Policy only applies to stacks with resources of type ${primary.map((t) => `'${t}'`).join(", ")}`,
      );
    }
    const config = configured(spec, args.getConfig());
    const found: { resource: PolicyResource; message: string }[] = [];
    spec.validate({
      resources: args.resources,
      config: config as C,
      args,
      fail: (resource, message) => found.push({ resource, message }),
      environment: () => environmentOf(config, args.stackTags),
      ofType: (...types) => args.resources.filter((r) => typeMatches(r.type, types)),
    });
    for (const { resource, message } of found) {
      reportWithExemption(report, spec.name, spec.description, resource, message);
    }
  };
  return {
    ...metadataOf(spec),
    kind: "stack",
    validateStack,
  };
}
