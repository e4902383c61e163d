import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** One problem found in a component's args. */
export interface ArgsProblem {
  /** Dotted path from `args`, e.g. `args.variants[1].name`. */
  path: string;
  /** The offending value, as given (`undefined` when the field is missing). */
  value: unknown;
  /** What is wrong and how to fix it. */
  message: string;
}

/**
 * Raised at construction when a component's args are invalid, before any resource is registered,
 * so a typo fails `pulumi preview` in a second rather than as a cloud API error minutes into an update.
 */
export class ArgsValidationError extends pulumi.ResourceError {
  readonly component: string;
  readonly resourceName: string;
  readonly problems: ArgsProblem[];

  constructor(component: string, resourceName: string, problems: ArgsProblem[]) {
    const lines = problems.map((p) => `  - ${p.path} = ${show(p.value)}: ${p.message}`);
    super(`Invalid arguments for ${component} "${resourceName}":\n${lines.join("\n")}`, undefined, true);
    this.name = "ArgsValidationError";
    this.component = component;
    this.resourceName = resourceName;
    this.problems = problems;
  }
}

function show(value: unknown): string {
  if (value === undefined) return "(missing)";
  if (pulumi.Output.isInstance(value)) return "(output)";
  try {
    const s = JSON.stringify(value);
    return s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return String(value);
  }
}

function formatPath(root: string, path: ReadonlyArray<PropertyKey>): string {
  let out = root;
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : `.${String(seg)}`;
  return out;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

/** A fix for zod's generic issues; schemas give their own fix in the message ("... Fix: ..."). */
function withFix(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.message.includes("Fix:")) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return value === undefined
        ? `required. Fix: set it (expected ${issue.expected})`
        : `${issue.message}. Fix: give a ${issue.expected}`;
    case "invalid_value":
      return `${issue.message}. Fix: use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys":
      return `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}. Fix: remove them or check the spelling`;
    case "too_small":
      return `${issue.message}. Fix: use a value of at least ${String(issue.minimum)}`;
    case "too_big":
      return `${issue.message}. Fix: use a value of at most ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

/** Converts a ZodError over `input` into problems with paths rooted at `root`. */
export function problemsFrom(error: z.ZodError, input: unknown, root = "args"): ArgsProblem[] {
  return error.issues.map((issue) => {
    // For unknown keys, point at the key itself so the message names the typo.
    const path =
      issue.code === "unrecognized_keys" && issue.keys.length === 1
        ? [...issue.path, issue.keys[0]]
        : issue.path;
    const value = valueAt(input, issue.path);
    return {
      path: formatPath(root, path),
      value: issue.code === "unrecognized_keys" ? valueAt(input, path) : value,
      message: withFix(issue, value),
    };
  });
}

/**
 * Validates a component's args and returns the parsed (defaulted) value, or throws one
 * {@link ArgsValidationError} listing every problem with its path, value and fix.
 */
export function validateArgs<S extends z.ZodType>(
  component: string,
  resourceName: string,
  schema: S,
  args: unknown,
): z.output<S> {
  const result = schema.safeParse(args ?? {});
  if (result.success) return result.data;
  throw new ArgsValidationError(component, resourceName, problemsFrom(result.error, args ?? {}));
}

/**
 * A field that takes `pulumi.Input<T>`: plain values are validated by `schema`; Outputs and Promises
 * pass through, since their value is only known during the deployment.
 */
export function input<S extends z.ZodType>(schema: S) {
  return z.unknown().transform((value, ctx): pulumi.Input<z.output<S>> => {
    if (pulumi.Output.isInstance(value) || value instanceof Promise)
      return value as pulumi.Input<z.output<S>>;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as z.output<S>;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({
        code: "custom",
        message: withFix(issue, valueAt(value, issue.path)),
        path: [...issue.path],
        input: value,
      });
    }
    return z.NEVER;
  });
}

/** A Kubernetes DNS-1123 label field (names of Services, Deployments, variants…). */
export const dnsLabelSchema = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    "must be a DNS-1123 label. Fix: use lowercase letters, digits and '-', starting and ending with a letter or digit",
  )
  .max(63, "must be at most 63 characters (a DNS-1123 label). Fix: shorten it");

/** A Kubernetes resource quantity such as `500m`, `2`, `4Gi`. */
export const quantitySchema = z
  .string()
  .regex(
    /^([+-]?[0-9.]+)([eE][-+]?[0-9]+|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/,
    "is not a Kubernetes quantity. Fix: use e.g. '500m', '2', '512Mi' or '4Gi'",
  );
