/**
 * Fixture builders: a compliant baseline per resource type, and one-field mutations of it
 * (the compliance-policies pattern), plus the case type every case file exports.
 */
import type { Fixture, Outcome, RunOptions } from "./harness";

/** One expectation: run `rule` on `fixture` (or on the `stack`) and expect `expect`. */
export interface Case {
  rule: string;
  title: string;
  fixture?: Fixture;
  stack?: Fixture[];
  options?: RunOptions;
  expect: Outcome;
  /** A substring the rule's messages must contain (for fail / exempted outcomes). */
  contains?: string;
}

/** The required tag/label set with non-empty values. */
export const TAGS = {
  owner: "ml-platform",
  "cost-center": "cc-123",
  environment: "dev",
  "data-classification": "internal",
  "managed-by": "pulumi",
};

/** Deep copy of `base` with the value at `path` (dotted, or a key list) replaced (`undefined` deletes it). */
export function set<T extends object>(base: T, path: string | string[], value: unknown): T {
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = typeof path === "string" ? path.split(".") : path;
  let cursor: Record<string, unknown> = copy;
  for (const [i, key] of keys.slice(0, -1).entries()) {
    if (cursor[key] === undefined || cursor[key] === null || typeof cursor[key] !== "object") {
      cursor[key] = /^\d+$/.test(keys[i + 1] ?? "") ? [] : {};
    }
    cursor = cursor[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] as string;
  if (value === undefined) {
    delete cursor[last];
  } else {
    cursor[last] = value;
  }
  return copy as T;
}

/** A fixture of `type` with `props`. */
export function fx(type: string, props: Record<string, unknown>, extra: Partial<Fixture> = {}): Fixture {
  return { type, props, name: extra.name ?? "res", ...extra };
}

/** A fixture built from `base` with one mutation. */
export function mut(
  type: string,
  base: Record<string, unknown>,
  path: string,
  value: unknown,
  extra: Partial<Fixture> = {},
): Fixture {
  return fx(type, set(base, path, value), extra);
}

/** Options that pin the environment through policy config (as config/<env>.json does). */
export function env(rule: string, environment: string, more: Record<string, unknown> = {}): RunOptions {
  return { config: { [rule]: { environment, ...more } } };
}
