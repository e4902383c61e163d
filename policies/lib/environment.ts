/**
 * Which environment (dev, staging, prod…) a stack belongs to, for the rules that differ by environment
 * (spot capacity outside production, more than one serving instance in production).
 *
 * Resolution order, first hit wins:
 * 1. the policy's own `environment` config property (set by `policies/config/<env>.json`);
 * 2. the stack config `<project>:environment` (the analyzer receives stack config in `PULUMI_CONFIG`), so a stack
 *    file such as `Pulumi.aws-prod.yaml` with `mlops:environment: prod` speaks for itself;
 * 3. the stack tag `environment` (sent by `ConfigureStack`, `args.stackTags`);
 * 4. the stack name (`pulumi.getStack()`, i.e. `PULUMI_STACK` in the analyzer process): a `-`, `_` or `.`
 *    separated segment such as `prod` in `aws-prod`.
 * When none of them says anything the environment is undetermined, and environment-specific rules report
 * themselves not applicable (with that reason) rather than guess.
 */
import * as pulumi from "@pulumi/pulumi";
import { stackConfigValue } from "./stackConfig";

const PRODUCTION = new Set(["prod", "production", "prd", "live"]);
const NON_PRODUCTION = new Set([
  "dev",
  "development",
  "test",
  "testing",
  "qa",
  "uat",
  "stage",
  "staging",
  "sandbox",
  "local",
  "preview",
  "nonprod",
  "non-prod",
]);

/** A resolved environment. */
export interface Environment {
  /** The environment name as found, lower case. */
  readonly name: string;
  /** True for production environments. */
  readonly production: boolean;
  /** Where the name came from, for messages. */
  readonly from: "policy config" | "stack config" | "stack tag" | "stack name";
}

function classify(name: string, from: Environment["from"]): Environment | undefined {
  const lower = name.trim().toLowerCase();
  if (PRODUCTION.has(lower)) {
    return { name: lower, production: true, from };
  }
  if (NON_PRODUCTION.has(lower)) {
    return { name: lower, production: false, from };
  }
  return undefined;
}

function currentStackName(): string {
  let stack = "";
  try {
    stack = pulumi.getStack();
  } catch {
    // Outside a Pulumi process getStack() may be unavailable; fall back to the environment variable.
  }
  return stack || process.env.PULUMI_STACK || process.env.PULUMI_NODEJS_STACK || "";
}

/**
 * Resolves the environment from config, stack tags and the stack name.
 * @param configured the policy's `environment` config value, if any
 * @param stackTags `args.stackTags`
 * @param stackName overrides the current stack name (tests)
 */
export function resolveEnvironment(
  configured: string | undefined,
  stackTags: ReadonlyMap<string, string> | undefined,
  stackName: string = currentStackName(),
): Environment | undefined {
  if (configured && configured.trim() !== "") {
    const lower = configured.trim().toLowerCase();
    return classify(lower, "policy config") ?? { name: lower, production: false, from: "policy config" };
  }
  const project = process.env.PULUMI_PROJECT || process.env.PULUMI_NODEJS_PROJECT;
  const fromConfig = project ? stackConfigValue(`${project}:environment`) : undefined;
  if (fromConfig) {
    const lower = fromConfig.trim().toLowerCase();
    return classify(lower, "stack config") ?? { name: lower, production: false, from: "stack config" };
  }
  const tag = stackTags?.get("environment");
  if (tag) {
    const found = classify(tag, "stack tag");
    if (found) {
      return found;
    }
  }
  for (const segment of stackName.split(/[-_.]/)) {
    const found = classify(segment, "stack name");
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** JSON schema for the `environment` config property shared by the environment-specific rules. */
export const environmentConfigProperty = {
  type: "string",
  description:
    "The environment this stack belongs to (e.g. dev, staging, prod). Unset: taken from the stack config " +
    "`<project>:environment`, the stack tag `environment`, then the stack name; when still unknown the rule is not applicable.",
} as const;

/**
 * For rules that apply only in production: returns the production environment, or reports the rule
 * not applicable (which throws) when the stack is not production or nothing says what it is.
 */
export function requireProduction(check: {
  environment(): Environment | undefined;
  args: { notApplicable(reason?: string): never };
}): Environment {
  const env = check.environment();
  if (!env?.production) {
    check.args.notApplicable(
      env ? `environment "${env.name}" is not production` : "the environment is unknown",
    );
  }
  return env as Environment;
}
