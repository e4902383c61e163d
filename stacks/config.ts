import * as pulumi from "@pulumi/pulumi";
import type { DataClassification } from "../components/core/tags";
import { ArgsValidationError } from "../components/core/validation";
import type { MlPlatformArgs } from "../components/platform";

/**
 * Structured config keys: each holds the neutral spec of one concern, written in the stack file as a
 * YAML object (Pulumi.yaml's config schema only types scalars and arrays, so these are documented
 * here and in the README rather than declared there).
 */
export const STRUCTURED_KEYS = [
  "featureStore",
  "trainingCluster",
  "modelRegistry",
  "servingEndpoints",
  "monitoring",
  "kubernetes",
] as const;

/** Where a platform argument comes from in the stack file. */
const TAG_CONFIG_KEYS: Record<string, string> = {
  owner: "owner",
  costCenter: "costCenter",
  environment: "environment",
  dataClassification: "dataClassification",
};

/** Every key this program reads; anything else under `mlops:` is a typo. */
const KNOWN_KEYS = new Set<string>(["cloud", "protect", ...Object.keys(TAG_CONFIG_KEYS), ...STRUCTURED_KEYS]);

/**
 * Reads the stack's config into the platform's args. Values are validated by `MlPlatform` itself;
 * here only unknown keys are refused, since Pulumi would silently ignore a misspelt one.
 */
export function readPlatformArgs(config = new pulumi.Config("mlops")): MlPlatformArgs {
  const unknown = Object.keys(pulumi.runtime.allConfig())
    .filter((k) => k.startsWith(`${config.name}:`))
    .map((k) => k.slice(config.name.length + 1))
    .filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length > 0) {
    throw new pulumi.RunError(
      `Unknown configuration in Pulumi.${pulumi.getStack()}.yaml: ${unknown.map((k) => `${config.name}:${k}`).join(", ")}. Fix: check the spelling; the keys are ${[...KNOWN_KEYS].map((k) => `${config.name}:${k}`).join(", ")}.`,
    );
  }
  const structured = Object.fromEntries(
    STRUCTURED_KEYS.map((key) => [key, config.getObject<unknown>(key)]).filter(([, v]) => v !== undefined),
  );
  secretWebhook(structured, `${config.name}:monitoring`);
  return {
    cloud: config.require("cloud") as MlPlatformArgs["cloud"],
    protect: config.getBoolean("protect") ?? true,
    tags: {
      owner: config.require("owner"),
      costCenter: config.require("costCenter"),
      environment: config.require("environment"),
      dataClassification: (config.get("dataClassification") ?? "internal") as DataClassification,
    },
    ...structured,
  };
}

/**
 * A `secure:` value under `monitoring` makes the whole key secret. Its URL is then handed on as a
 * secret Output: it stays encrypted in the state, and an offline run (which sees a placeholder, not
 * the URL) does not validate what it cannot know. A plain-text URL stays plain, to be validated.
 */
function secretWebhook(structured: Record<string, unknown>, key: string): void {
  const monitoring = structured.monitoring as { retrainWebhookUrl?: unknown } | undefined;
  // `isConfigSecret` is exported by @pulumi/pulumi's runtime but left out of its typings.
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  if (monitoring?.retrainWebhookUrl === undefined || !isSecret?.(key)) return;
  structured.monitoring = { ...monitoring, retrainWebhookUrl: pulumi.secret(monitoring.retrainWebhookUrl) };
}

/** Config key of an argument path: `args.tags.owner` → `mlops:owner`, `args.servingEndpoints[0].name` → `mlops:servingEndpoints[0].name`. */
export function configKeyOf(argPath: string, project = "mlops"): string {
  const rest = argPath.replace(/^args\.?/, "");
  const tag = /^tags\.(\w+)(.*)$/.exec(rest);
  if (tag && TAG_CONFIG_KEYS[tag[1]!]) return `${project}:${TAG_CONFIG_KEYS[tag[1]!]}${tag[2]}`;
  return `${project}:${rest}`;
}

/**
 * Raised when the stack's config is invalid; names the config key as written in
 * `Pulumi.<stack>.yaml`, the bad value and the fix.
 */
export class StackConfigError extends pulumi.RunError {
  constructor(stack: string, err: ArgsValidationError) {
    const lines = err.problems.map((p) => {
      const value = p.value === undefined ? "(missing)" : JSON.stringify(p.value);
      return `  - ${configKeyOf(p.path)} = ${value}: ${p.message}`;
    });
    super(`Invalid configuration in Pulumi.${stack}.yaml:\n${lines.join("\n")}`);
    this.name = "StackConfigError";
  }
}

/** Runs `build`, turning argument errors into config errors that point at the stack file. */
export function withConfigErrors<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof ArgsValidationError) throw new StackConfigError(pulumi.getStack(), err);
    throw err;
  }
}
