import * as pulumi from "@pulumi/pulumi";
import { closest, distance } from "fastest-levenshtein";
import type { DataClassification } from "../components/core/tags";
import { ArgsValidationError } from "../components/core/validation";
import type { KubernetesPlatformOptions, MlPlatformArgs } from "../components/platform";

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

/** The keys of `mlops:kubernetes`; typed so that a new option of the slice cannot be left out. */
const KUBERNETES_KEYS = Object.keys({
  namespace: true,
  createNamespace: true,
  modelRegistry: true,
  featureStore: true,
  trainingCluster: true,
  servingEndpoints: true,
  monitoring: true,
} satisfies Record<keyof KubernetesPlatformOptions, true>);

/** `servingEndpoints` is a list; every other structured key is a map of settings. */
const LIST_KEYS = new Set<string>(["servingEndpoints"]);

/** A value as quoted in a message: JSON, cut to a short prefix. */
function quote(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** `namespce` → `; did you mean 'namespace'?`, when a known key is near enough to be the one meant. */
function nearest(key: string, known: readonly string[]): string {
  const best = closest(key, known as string[]);
  // More than a third of the key changed is another word, not a typo of this one.
  return distance(key, best) <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean '${best}'?)` : "";
}

/** Reads a structured key as the YAML map (or list) it must be; `problems` gets the key and the fix otherwise. */
function readSection(config: pulumi.Config, key: string, problems: string[]): unknown {
  const raw = config.get(key);
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  const list = LIST_KEYS.has(key);
  const ok = list ? Array.isArray(value) : !!value && typeof value === "object" && !Array.isArray(value);
  if (ok) return value;
  const shape = list
    ? "a list of entries (YAML '- name: ...' items)"
    : "a map of settings (YAML 'field: value' lines)";
  problems.push(
    `${config.name}:${key} = ${quote(value)}: must be ${shape}. Fix: indent its settings under '${config.name}:${key}:'${list ? " as list items" : ""}, or remove the key (an empty ${list ? "list is []" : "map is {}"})`,
  );
  return undefined;
}

/** Keys under `mlops:kubernetes` that the slice does not read, each with the nearest known key. */
function kubernetesKeyProblems(section: unknown, configName: string): string[] {
  if (section === undefined) return [];
  return Object.keys(section as object)
    .filter((k) => !KUBERNETES_KEYS.includes(k))
    .map(
      (k) =>
        `${configName}:kubernetes.${k}: unknown key${nearest(k, KUBERNETES_KEYS)}. Fix: check the spelling; the keys of ${configName}:kubernetes are ${KUBERNETES_KEYS.join(", ")}`,
    );
}

/**
 * Reads the stack's config into the platform's args. Values are validated by `MlPlatform` itself;
 * here the stack file's own mistakes are refused, all at once: unknown keys (Pulumi would silently
 * ignore a misspelt one, and so would the platform under `mlops:kubernetes`) and sections that are
 * not the map or list they must be.
 */
export function readPlatformArgs(config = new pulumi.Config("mlops")): MlPlatformArgs {
  const file = `Pulumi.${pulumi.getStack()}.yaml`;
  const unknown = Object.keys(pulumi.runtime.allConfig())
    .filter((k) => k.startsWith(`${config.name}:`))
    .map((k) => k.slice(config.name.length + 1))
    .filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length > 0) {
    throw new pulumi.RunError(
      `Unknown configuration in ${file}: ${unknown.map((k) => `${config.name}:${k}${nearest(k, [...KNOWN_KEYS])}`).join(", ")}. Fix: check the spelling; the keys are ${[...KNOWN_KEYS].map((k) => `${config.name}:${k}`).join(", ")}.`,
    );
  }
  const problems: string[] = [];
  const structured = Object.fromEntries(
    STRUCTURED_KEYS.map((key) => [key, readSection(config, key, problems)]).filter(
      ([, v]) => v !== undefined,
    ),
  );
  problems.push(...kubernetesKeyProblems(structured.kubernetes, config.name));
  if (problems.length > 0) {
    throw new pulumi.RunError(
      `Invalid configuration in ${file}:\n${problems.map((l) => `  - ${l}`).join("\n")}`,
    );
  }
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
