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
    // A schema that must not echo its value (a secret URL) says what to show instead.
    const shown =
      issue.code === "custom" ? (issue.params as { shown?: unknown } | undefined)?.shown : undefined;
    return {
      path: formatPath(root, path),
      value: shown !== undefined ? shown : issue.code === "unrecognized_keys" ? valueAt(input, path) : value,
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
        ...(issue.code === "custom" && issue.params ? { params: issue.params } : {}),
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

/**
 * A DNS-1035 label: what Service names must be (a DNS-1123 label that starts with a letter, so that
 * `<service>.<namespace>.svc` never looks like an IP address).
 */
export const dns1035LabelSchema = dnsLabelSchema.regex(
  /^[a-z]/,
  "must start with a letter (it names a Service, a DNS-1035 label). Fix: e.g. prefix it with a letter",
);

const QUANTITY = /^(\d+(\.\d*)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][-+]?\d+)?$/;

/**
 * A Kubernetes resource quantity above zero, such as `500m`, `2`, `4Gi`: requests, limits, volume
 * sizes and quotas. Kubernetes refuses negative sizes and requests, and a zero size or quota gives a
 * volume or a team nothing.
 */
export const quantitySchema = z
  .string()
  .regex(QUANTITY, "is not a Kubernetes quantity. Fix: use e.g. '500m', '2', '512Mi' or '4Gi'")
  .refine(
    (q) => !QUANTITY.test(q) || Number(/^[\d.]+/.exec(q)![0]) > 0,
    "must be above zero. Fix: use e.g. '500m', '2', '512Mi' or '4Gi'",
  );

const IMAGE =
  /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(.+))?$/;

/**
 * A container image reference pinned by a tag other than `latest` and, optionally, by digest
 * (`<repository>:<tag>@sha256:<64 hex digits>`); a digest that is not a sha256 of 64 hex digits is
 * refused, so a typo never reaches the kubelet's pull.
 */
export const imageSchema = z.string().superRefine((image, ctx) => {
  const m = IMAGE.exec(image);
  const fail = (message: string) => ctx.addIssue({ code: "custom", message });
  if (!m) return fail("is not a container image reference. Fix: e.g. 'ghcr.io/org/image:1.2.3'");
  const [, tag, digest] = m;
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest))
    return fail("has a digest that is not sha256:<64 hex digits>. Fix: copy the digest the registry reports");
  if (digest === undefined && (tag === undefined || tag === "latest"))
    return fail(
      `${tag ? "has tag latest" : "has no tag (implicitly latest)"}, so what runs can change under it. Fix: pin a version tag, and a digest ('<image>:<tag>@sha256:<digest>')`,
    );
});

/**
 * An http(s) URL that is a secret (a webhook whose path or query carries a token): refused when it
 * holds credentials (`user:password@`, which fetch will not send), and never echoed in an error
 * beyond its scheme and host.
 */
export const secretUrlSchema = (what: string) =>
  z.string().superRefine((v, ctx) => {
    let url: URL | undefined;
    try {
      url = new URL(v);
    } catch {
      url = undefined;
    }
    const shown =
      url && /^https?:$/.test(url.protocol) ? `${url.protocol}//${url.host}/… (rest hidden)` : "(hidden)";
    if (!url || !/^https?:$/.test(url.protocol)) {
      ctx.addIssue({
        code: "custom",
        params: { shown },
        message: `is not an http(s) URL. Fix: give the full URL of the ${what}, e.g. 'https://ci.example.com/hooks/retrain'`,
      });
    } else if (url.username !== "" || url.password !== "") {
      ctx.addIssue({
        code: "custom",
        params: { shown },
        message: `holds credentials (user:password@), which fetch refuses to send. Fix: put the token in the path, the query or a header the ${what} accepts, and keep the URL out of plain text (a secret config value)`,
      });
    }
  });
