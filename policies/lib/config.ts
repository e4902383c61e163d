/**
 * Policy configuration: schema defaults and validation.
 *
 * The Pulumi CLI fills `configSchema` defaults and validates the `--policy-pack-config` file before it calls
 * `Configure`, but `@pulumi/policy` itself does neither: `args.getConfig()` returns `{}` until `Configure`
 * arrives, and whatever arrived afterwards. Other drivers (unit harnesses, `mlops check`, Pulumi Cloud
 * policy groups) reconcile config differently, so every rule resolves its own config here: defaults from its
 * schema first, then the values it was given, then validation with a message that names the policy, the
 * field, the bad value and the fix.
 */

import type { PolicyConfigSchema } from "@pulumi/policy";
import { Ajv, type ValidateFunction } from "ajv";

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const compiled = new WeakMap<PolicyConfigSchema, ValidateFunction>();

function validatorFor(schema: PolicyConfigSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile({
      type: "object",
      properties: schema.properties,
      required: schema.required ?? [],
    });
    compiled.set(schema, validate);
  }
  return validate;
}

/** Thrown when a policy's configuration does not match its schema. */
export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

/**
 * Returns `given` with schema defaults filled in, after validating it against `schema`.
 * @throws PolicyConfigError naming the policy, the field, the bad value and the fix.
 */
export function resolveConfig<T extends object>(
  policyName: string,
  schema: PolicyConfigSchema | undefined,
  given: object | undefined,
): T {
  const config = structuredClone({ ...(given ?? {}) }) as Record<string, unknown>;
  delete config.enforcementLevel;
  if (!schema) {
    return config as T;
  }
  const validate = validatorFor(schema);
  if (!validate(config)) {
    const problems = (validate.errors ?? []).map((e) => {
      const field = e.instancePath
        ? e.instancePath.slice(1).replaceAll("/", ".")
        : String(e.params?.missingProperty ?? "(root)");
      const top = field.split(".")[0] ?? field;
      const got = top in config ? ` (got ${JSON.stringify(config[top])})` : "";
      return `field "${field}" ${e.message}${got}`;
    });
    throw new PolicyConfigError(
      `policy "${policyName}": invalid configuration: ${problems.join("; ")}. ` +
        `Fix the "${policyName}" entry of the --policy-pack-config file (see policies/README.md for its schema).`,
    );
  }
  return config as T;
}

/** The schema defaults alone, as the CLI would send them with an empty config file. */
export function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema?.properties ?? {})) {
    if (prop && typeof prop === "object" && "default" in prop) {
      out[key] = structuredClone((prop as { default: unknown }).default);
    }
  }
  return out;
}
