/**
 * Policy pack configuration as the Pulumi CLI reconciles it before it calls `Configure`
 * (`pulumi/pulumi:pkg/resource/analyzer/config.go`, `ReconcilePolicyPackConfig`, and
 * `pkg/engine/plugins.go`, `installAndLoadPolicyPlugins`):
 *
 * 1. every policy starts from its `configSchema` property defaults and the enforcement level the pack reports;
 * 2. the pack's initial config (third argument of `new PolicyPack`) is applied, then the
 *    `--policy-pack-config` file; in each, an `"all"` key with a valid level sets every policy's level
 *    first, then each policy's own entry overrides its level and merges its properties;
 * 3. the result is validated against each policy's schema, with `enforcementLevel` injected as an enum.
 *
 * Parse errors use the CLI's wording (`parsing enforcement level for "p": "x" is not a valid enforcement
 * level`), and validation errors its `validating policy config: <pack> <version>  <policy>: <error>` lines,
 * each followed by what to change. One deliberate difference: the CLI passes config for a policy name the
 * pack does not have through silently; here it is an error, since a misspelt name in a compliance config
 * silently leaves the intended policy at its default level.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";

export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

/** One policy's config as `Configure` receives it. */
export interface PolicyConfig {
  enforcementLevel?: EnforcementLevel;
  properties?: Record<string, unknown>;
}

/** What the check needs to know about a policy, from `GetAnalyzerInfo`. */
export interface PolicyDescriptor {
  name: string;
  enforcementLevel: EnforcementLevel;
  configSchema?: { properties?: Record<string, Record<string, unknown>>; required?: string[] };
}

/** Raised for a config file the CLI would refuse (or, for unknown policy names, that it would silently misapply). */
export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

const LEVEL_FIX = `Fix: use one of ${ENFORCEMENT_LEVELS.map((l) => `"${l}"`).join(", ")}.`;

/** Parses a `--policy-pack-config` document (`parsePolicyPackConfig` in the CLI). */
export function parsePolicyPackConfig(text: string, source: string): Record<string, PolicyConfig> {
  if (text.trim() === "") return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new PolicyConfigError(`${source}: not valid JSON: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    throw new PolicyConfigError(
      `${source}: must be a JSON object mapping policy names (or "all") to a level or an object. Fix: e.g. {"all": "advisory", "some-policy": {"enforcementLevel": "mandatory"}}.`,
    );
  }
  const result: Record<string, PolicyConfig> = {};
  for (const [name, value] of Object.entries(doc)) {
    let enforcementLevel: EnforcementLevel | undefined;
    let properties: Record<string, unknown> | undefined;
    if (typeof value === "string") {
      if (!isLevel(value)) {
        throw new PolicyConfigError(
          `${source}: parsing enforcement level for "${name}": "${value}" is not a valid enforcement level. ${LEVEL_FIX}`,
        );
      }
      enforcementLevel = value;
    } else if (value && typeof value === "object" && !Array.isArray(value)) {
      const props = { ...(value as Record<string, unknown>) };
      if ("enforcementLevel" in props) {
        const level = props.enforcementLevel;
        if (typeof level !== "string") {
          throw new PolicyConfigError(
            `${source}: parsing enforcement level for "${name}": ${JSON.stringify(level)} is not a valid enforcement level; must be a string. ${LEVEL_FIX}`,
          );
        }
        if (!isLevel(level)) {
          throw new PolicyConfigError(
            `${source}: parsing enforcement level for "${name}": "${level}" is not a valid enforcement level. ${LEVEL_FIX}`,
          );
        }
        enforcementLevel = level;
        delete props.enforcementLevel;
      }
      if (Object.keys(props).length > 0) properties = props;
    } else {
      throw new PolicyConfigError(
        `${source}: parsing "${name}": ${JSON.stringify(value)} is not a valid value; must be a string or object. Fix: give an enforcement level or an object of the policy's properties.`,
      );
    }
    // The CLI drops entries that set nothing.
    if (enforcementLevel === undefined && properties === undefined) continue;
    result[name] = {
      ...(enforcementLevel ? { enforcementLevel } : {}),
      ...(properties ? { properties } : {}),
    };
  }
  return result;
}

export function loadPolicyPackConfig(file: string): Record<string, PolicyConfig> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new PolicyConfigError(
      `--policy-pack-config ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Fix: pass an existing JSON file.`,
    );
  }
  return parsePolicyPackConfig(text, file);
}

function applyConfig(result: Map<string, PolicyConfig>, toApply: Record<string, PolicyConfig>): void {
  const all = toApply.all;
  if (all?.enforcementLevel) {
    for (const [name, config] of result)
      result.set(name, { ...config, enforcementLevel: all.enforcementLevel });
  }
  for (const [name, given] of Object.entries(toApply)) {
    if (name === "all") continue;
    const current = result.get(name) ?? {};
    const properties =
      given.properties && Object.keys(given.properties).length > 0
        ? { ...(current.properties ?? {}), ...structuredClone(given.properties) }
        : current.properties;
    result.set(name, {
      enforcementLevel: given.enforcementLevel ?? current.enforcementLevel,
      ...(properties ? { properties } : {}),
    });
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** An ajv error in gojsonschema's words, which the CLI prints, plus the value that was given. */
function describeError(error: ErrorObject, config: Record<string, unknown>): string {
  if (error.keyword === "required") {
    return `${(error.params as { missingProperty: string }).missingProperty} is required`;
  }
  const field = error.instancePath.slice(1).replaceAll("/", ".") || "(root)";
  let value: unknown = config;
  for (const part of error.instancePath.split("/").slice(1)) {
    value = (value as Record<string, unknown> | undefined)?.[part];
  }
  const given = `, given: ${JSON.stringify(value)}`;
  switch (error.keyword) {
    case "type":
      return `${field}: Invalid type. Expected: ${(error.params as { type: string }).type}, given: ${jsonType(value)} ${JSON.stringify(value)}`;
    case "enum":
      return `${field}: ${field} must be one of the following: ${(
        error.params as { allowedValues: unknown[] }
      ).allowedValues
        .map((v) => JSON.stringify(v))
        .join(", ")}${given}`;
    default:
      return `${field}: ${error.message ?? error.keyword}${given}`;
  }
}

/** The reconciled config, ready for `Configure`, for every policy the pack has. */
export type ReconciledConfig = Record<
  string,
  Required<Pick<PolicyConfig, "enforcementLevel">> & PolicyConfig
>;

/**
 * Reconciles schema defaults, the pack's initial config and the config file, then validates the result.
 * @throws PolicyConfigError listing every validation error, as the CLI prints them.
 */
export function reconcilePolicyPackConfig(options: {
  packName: string;
  packVersion: string;
  policies: PolicyDescriptor[];
  initialConfig: Record<string, PolicyConfig>;
  fileConfig: Record<string, PolicyConfig>;
  /** Where the file config came from, for messages. */
  source?: string;
}): ReconciledConfig {
  const { policies, packName, packVersion } = options;
  const known = new Set(policies.map((p) => p.name));
  const unknown = Object.keys(options.fileConfig).filter((n) => n !== "all" && !known.has(n));
  if (unknown.length > 0) {
    const names = [...known].sort();
    throw new PolicyConfigError(
      `${options.source ?? "policy pack config"}: ${unknown.map((n) => `"${n}"`).join(", ")} ${unknown.length === 1 ? "is not a policy" : "are not policies"} of policy pack ${packName} ${packVersion}. Fix: use one of ${names.map((n) => `"${n}"`).join(", ")}, or "all".`,
    );
  }

  const result = new Map<string, PolicyConfig>();
  for (const policy of policies) {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      if (schema && typeof schema === "object" && "default" in schema)
        defaults[key] = structuredClone(schema.default);
    }
    result.set(policy.name, {
      enforcementLevel: policy.enforcementLevel,
      ...(Object.keys(defaults).length > 0 ? { properties: defaults } : {}),
    });
  }
  applyConfig(result, options.initialConfig);
  applyConfig(result, options.fileConfig);

  const errors: string[] = [];
  for (const policy of policies) {
    const config = result.get(policy.name) ?? {};
    const props = config.properties ?? {};
    if (policy.configSchema) {
      const schema = {
        type: "object",
        properties: {
          ...(policy.configSchema.properties ?? {}),
          enforcementLevel: { type: "string", enum: [...ENFORCEMENT_LEVELS] },
        },
        ...(policy.configSchema.required?.length ? { required: policy.configSchema.required } : {}),
      };
      const validate = ajv.compile(schema);
      if (!validate(props)) {
        for (const error of validate.errors ?? []) {
          errors.push(
            `validating policy config: ${packName} ${packVersion}  ${policy.name}: ${describeError(error, props)}`,
          );
        }
      }
    }
  }
  if (errors.length > 0) {
    errors.sort();
    throw new PolicyConfigError(
      `${errors.join("\n")}\nFix: correct ${errors.length === 1 ? "this entry" : "these entries"} in ${options.source ?? "the policy pack config"} to match each policy's configSchema.`,
    );
  }

  const reconciled: ReconciledConfig = {};
  for (const [name, config] of result) {
    reconciled[name] = {
      enforcementLevel: config.enforcementLevel ?? "advisory",
      ...(config.properties ? { properties: config.properties } : {}),
    };
  }
  return reconciled;
}
