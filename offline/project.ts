import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";

/** Raised for a project or stack file the CLI would also refuse; the message names the file, key and fix. */
export class ProjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProjectError";
  }
}

const configTypeSchema = z.enum(["string", "integer", "boolean", "array", "object"]);

const projectSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/),
  runtime: z.union([
    z.string(),
    z.object({ name: z.string(), options: z.record(z.string(), z.unknown()).optional() }),
  ]),
  main: z.string().optional(),
  stackConfigDir: z.string().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});

/** A `Pulumi.yaml` with the paths it implies. */
export interface Project {
  dir: string;
  name: string;
  runtime: string;
  /** Absolute path of the program's entry module. */
  entry: string;
  stackConfigDir: string;
  /** Declared project keys (`<project>:<key>`) with their schema. */
  schema: Record<string, { type?: string; default?: unknown; secret?: boolean; description?: string }>;
  /** Values set in `Pulumi.yaml` for provider keys and defaults of project keys. */
  defaults: Record<string, unknown>;
}

function readYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new ProjectError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
}

function resolveEntry(dir: string, main: string | undefined): string {
  const candidates: string[] = [];
  if (main) {
    const target = path.resolve(dir, main);
    if (existsSync(target) && statSync(target).isDirectory()) {
      candidates.push(path.join(target, "index.ts"), path.join(target, "index.js"));
    } else {
      candidates.push(target);
    }
  } else {
    const pkgFile = path.join(dir, "package.json");
    if (existsSync(pkgFile)) {
      const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as { main?: string };
      if (pkg.main) candidates.push(path.resolve(dir, pkg.main));
    }
    candidates.push(path.join(dir, "index.ts"), path.join(dir, "index.js"));
  }
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  if (!found) {
    throw new ProjectError(
      `${path.join(dir, "Pulumi.yaml")}: cannot find the program's entry point (looked for ${candidates.join(", ")}). Fix: set 'main' to the program file or directory.`,
    );
  }
  return found;
}

/** Reads `<dir>/Pulumi.yaml` as the CLI does. */
export function loadProject(dir: string): Project {
  const file = path.join(dir, "Pulumi.yaml");
  if (!existsSync(file))
    throw new ProjectError(`${file}: no Pulumi.yaml. Fix: point --program at a Pulumi project directory.`);
  const parsed = projectSchema.safeParse(readYaml(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProjectError(`${file}: '${issue.path.join(".")}' ${issue.message}`);
  }
  const doc = parsed.data;
  const runtime = typeof doc.runtime === "string" ? doc.runtime : doc.runtime.name;
  if (runtime !== "nodejs") {
    throw new ProjectError(
      `${file}: runtime '${runtime}' is not supported offline. Fix: only nodejs programs can be previewed.`,
    );
  }
  const schema: Project["schema"] = {};
  const defaults: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(doc.config ?? {})) {
    if (key.includes(":")) {
      // Provider keys take a plain value or {value: ...}.
      defaults[key] =
        raw && typeof raw === "object" && !Array.isArray(raw) && "value" in raw
          ? (raw as { value: unknown }).value
          : raw;
      continue;
    }
    const fullKey = `${doc.name}:${key}`;
    if (raw && typeof raw === "object" && !Array.isArray(raw)) {
      const decl = raw as Record<string, unknown>;
      if ("value" in decl) {
        defaults[fullKey] = decl.value;
        continue;
      }
      const type = decl.type === undefined ? undefined : configTypeSchema.safeParse(decl.type);
      if (type && !type.success) {
        throw new ProjectError(
          `${file}: config '${key}' has unknown type ${JSON.stringify(decl.type)}. Fix: use string, integer, boolean or array.`,
        );
      }
      schema[fullKey] = {
        type: type?.data,
        default: decl.default,
        secret: decl.secret === true,
        description: typeof decl.description === "string" ? decl.description : undefined,
      };
      if (decl.default !== undefined) defaults[fullKey] = decl.default;
    } else {
      defaults[fullKey] = raw;
    }
  }
  return {
    dir,
    name: doc.name,
    runtime,
    entry: resolveEntry(dir, doc.main),
    stackConfigDir: path.resolve(dir, doc.stackConfigDir ?? "."),
    schema,
    defaults,
  };
}

/** Stack config as the CLI hands it to a program: every value a string, secrets listed by key. */
export interface StackConfig {
  file?: string;
  config: Record<string, string>;
  secretKeys: string[];
}

/** What an offline run puts where a `secure:` value stands: it cannot decrypt it. */
export const SECRET_PLACEHOLDER = "offline-placeholder-secret";

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function encode(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function isSecure(value: unknown): value is { secure: string } {
  return (
    !!value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    "secure" in value &&
    Object.keys(value).length === 1
  );
}

/** Replaces nested `secure:` values with the placeholder; reports whether any was found. */
function stripSecure(value: unknown): { value: unknown; secret: boolean } {
  if (isSecure(value)) return { value: SECRET_PLACEHOLDER, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(stripSecure);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (value && typeof value === "object") {
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = stripSecure(v);
      out[k] = r.value;
      secret ||= r.secret;
    }
    return { value: out, secret };
  }
  return { value, secret: false };
}

/**
 * Merges `Pulumi.<stack>.yaml` over the project's defaults and type-checks project keys against
 * their declared schema, as the CLI does before it starts the program.
 */
export function loadStackConfig(project: Project, stack: string): StackConfig {
  const file = path.join(project.stackConfigDir, `Pulumi.${stack}.yaml`);
  let values: Record<string, unknown> = {};
  if (existsSync(file)) {
    const root = readYaml(file) ?? {};
    if (typeof root !== "object" || Array.isArray(root)) {
      throw new ProjectError(
        `${file}: the file is ${Array.isArray(root) ? "a list" : `the ${typeOf(root)} ${JSON.stringify(root).slice(0, 40)}`}, but a stack file is a map with a 'config' key. Fix: start the file with 'config:' and indent each '<namespace>:<key>: value' under it, without a leading '- '.`,
      );
    }
    const doc = root as { config?: Record<string, unknown> };
    if (
      doc.config !== undefined &&
      doc.config !== null &&
      (typeof doc.config !== "object" || Array.isArray(doc.config))
    ) {
      throw new ProjectError(
        `${file}: 'config' is ${Array.isArray(doc.config) ? "a list" : `the ${typeOf(doc.config)} ${JSON.stringify(doc.config).slice(0, 40)}`}, but it must be a map of keys to values. Fix: indent each '<namespace>:<key>: value' under 'config:', without a leading '- '.`,
      );
    }
    values = doc.config ?? {};
  } else {
    throw new ProjectError(
      `${file}: no such stack file. Fix: create it, or pick one of the stacks in ${project.stackConfigDir}.`,
    );
  }

  const merged = new Map<string, unknown>(Object.entries(project.defaults));
  for (const [rawKey, value] of Object.entries(values)) {
    const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
    merged.set(key, value);
  }

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, rawValue] of merged) {
    const { value, secret } = stripSecure(rawValue);
    const decl = project.schema[key];
    if (decl?.type && !secret) {
      const actual = typeOf(value);
      const ok = actual === decl.type || (decl.type === "object" && actual === "object");
      if (!ok) {
        throw new ProjectError(
          `${file}: config '${key}' is ${actual} ${JSON.stringify(value)}, but Pulumi.yaml declares it ${decl.type}. Fix: give a ${decl.type} value.`,
        );
      }
    }
    config[key] = encode(value);
    if (secret || decl?.secret) secretKeys.push(key);
  }
  for (const [key, decl] of Object.entries(project.schema)) {
    if (!(key in config) && decl.default === undefined) {
      throw new ProjectError(
        `${file}: missing required configuration variable '${key}'${decl.description ? ` (${decl.description})` : ""}. Fix: set it in the stack file or give it a default in Pulumi.yaml.`,
      );
    }
  }
  return { file: existsSync(file) ? file : undefined, config, secretKeys };
}
