/**
 * Reading resource properties without being fooled by values that are unknown during preview.
 *
 * `@pulumi/policy` hands every policy its props wrapped in `unknownCheckingProxy`: touching a value that
 * is still computed (a KMS key ARN that comes from `key.arn`, a bucket id) throws `UnknownValueError`, and
 * the server turns that into an advisory "can't run policy … during preview" note. That is the right outcome
 * when a rule needs the value itself, but wrong when a rule only needs to know that the attribute is SET: a
 * computed `kmsKeyId` is set, it just has no literal yet. These helpers separate the two cases.
 *
 * - {@link probe} never throws for unknowns: it classifies an attribute as absent, unknown or known.
 * - {@link present} treats unknown as present (presence checks).
 * - {@link known} returns the value and rethrows the proxy's own `UnknownValueError` when it is unknown, so the
 *   server reports "can't run during preview" instead of a false pass or a false failure.
 *
 * The helpers also recognise the raw sentinel strings, so a driver that forgets the proxy still gets the same
 * answers.
 */
import { UnknownValueError } from "@pulumi/policy";

// `@pulumi/policy/proxy` exports the sentinels at runtime, but its typings are stripped (`export {}`).
const proxyModule = require("@pulumi/policy/proxy") as Record<string, unknown>;

/** The sentinels the engine uses for computed values, read from `@pulumi/policy/proxy` itself. */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set(
  [
    "unknownBooleanValue",
    "unknownNumberValue",
    "unknownStringValue",
    "unknownArrayValue",
    "unknownAssetValue",
    "unknownArchiveValue",
    "unknownObjectValue",
  ].map((name) => {
    const sentinel = proxyModule[name];
    if (typeof sentinel !== "string") {
      throw new Error(`@pulumi/policy/proxy no longer exports ${name}; update policies/lib/values.ts`);
    }
    return sentinel;
  }),
);

/** True when `value` is one of the engine's unknown sentinels. */
export function isUnknownSentinel(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** A property path: `["dataCaptureConfig", "enableCapture"]`, or `"kmsKeyId"` for a top-level key. */
export type PropertyPath = string | readonly (string | number)[];

/** The outcome of looking at one attribute without tripping the unknown-checking proxy. */
export type Probe =
  | { readonly state: "absent" }
  | { readonly state: "unknown"; readonly error: Error }
  | { readonly state: "known"; readonly value: unknown };

const ABSENT: Probe = { state: "absent" };

function segments(path: PropertyPath): readonly (string | number)[] {
  return typeof path === "string" ? [path] : path;
}

function unknownError(sentinel: string, path: readonly (string | number)[]): Error {
  // Same class the server recognises, so an unknown seen outside the proxy still becomes "can't run".
  // Built without a stack trace: the server reports only its message.
  const Ctor = UnknownValueError as unknown as new (sentinel: string, props: string[]) => Error;
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new Ctor(sentinel, path.map(String));
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * Looks up `path` in `obj` and says whether it is absent, unknown or known.
 * `null` and `undefined` are absent (the engine drops undefined inputs; null means "not set").
 */
export function probe(obj: unknown, path: PropertyPath): Probe {
  let current: unknown = obj;
  const walked: (string | number)[] = [];
  for (const key of segments(path)) {
    walked.push(key);
    if (current === null || typeof current !== "object") {
      return ABSENT;
    }
    // `in` goes through the proxy's (absent) `has` trap, so it never throws.
    if (!(key in (current as object))) {
      return ABSENT;
    }
    let next: unknown;
    // The proxy throws `UnknownValueError` for a computed value; the server reads only its message, so its
    // stack trace, which V8 would capture on every unknown every rule probes, is not captured.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      next = (current as Record<string | number, unknown>)[key];
    } catch (e) {
      if (e instanceof UnknownValueError) {
        return { state: "unknown", error: e as Error };
      }
      throw e;
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    if (next === undefined || next === null) {
      return ABSENT;
    }
    if (isUnknownSentinel(next)) {
      return { state: "unknown", error: unknownError(next as string, walked) };
    }
    current = next;
  }
  return { state: "known", value: current };
}

/**
 * True when the attribute is set: a known non-empty value, or a value that is unknown during preview (it will be
 * set; its literal is computed). An empty string or empty array counts as unset, like checkov's `ANY_VALUE`.
 */
export function present(obj: unknown, path: PropertyPath): boolean {
  const p = probe(obj, path);
  if (p.state === "absent") {
    return false;
  }
  if (p.state === "unknown") {
    return true;
  }
  if (typeof p.value === "string") {
    return p.value.trim() !== "";
  }
  if (Array.isArray(p.value)) {
    return p.value.length > 0;
  }
  return true;
}

/**
 * The attribute's value, or `undefined` when absent. When the value is unknown during preview this throws the
 * proxy's `UnknownValueError`, which the policy server reports as an advisory "can't run during preview" note:
 * a rule that needs the literal must not guess.
 */
export function known<T = unknown>(obj: unknown, path: PropertyPath): T | undefined {
  const p = probe(obj, path);
  if (p.state === "unknown") {
    throw p.error;
  }
  return p.state === "known" ? (p.value as T) : undefined;
}

/** The array at `path` (empty when absent). Throws `UnknownValueError` when the array itself is unknown. */
export function knownArray(obj: unknown, path: PropertyPath): unknown[] {
  const v = known<unknown>(obj, path);
  if (v === undefined) {
    return [];
  }
  return Array.isArray(v) ? v : [v];
}

/** The plain-object map at `path` (empty when absent). Throws `UnknownValueError` when the map is unknown. */
export function knownRecord(obj: unknown, path: PropertyPath): Record<string, unknown> {
  const v = known<unknown>(obj, path);
  if (v === undefined || typeof v !== "object" || Array.isArray(v)) {
    return {};
  }
  return v as Record<string, unknown>;
}

/** Formats a value for a violation message. */
export function show(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

/**
 * Each element of the array at `path`, probed individually: an array whose elements are partly unknown
 * (`[literalArn, role.arn]`) can still be checked element by element. Throws `UnknownValueError` when the array
 * itself is unknown.
 */
export function elements(obj: unknown, path: PropertyPath): Probe[] {
  const arr = known<unknown>(obj, path);
  if (arr === undefined) {
    return [];
  }
  if (!Array.isArray(arr)) {
    return [probe({ v: arr }, ["v"])];
  }
  const out: Probe[] = [];
  for (let i = 0; i < arr.length; i++) {
    out.push(probe(arr, [i]));
  }
  return out;
}

/** The known value at `path`, or undefined when absent OR unknown: for joins, where unknown simply means "no match by value". */
export function literal<T = unknown>(obj: unknown, path: PropertyPath): T | undefined {
  const p = probe(obj, path);
  return p.state === "known" ? (p.value as T) : undefined;
}
