import { StatsInputError } from "../../stats/errors";
import type { ColumnKind } from "../types";
import type { DriftMethod } from "./contract";

const registry = new Map<string, DriftMethod>();
const builtins = new Set<string>();

const KINDS: readonly ColumnKind[] = ["numerical", "categorical"];
const COMPARISONS = ["<=", "<", ">=", ">"];

/**
 * Adds a method to the registry, as Evidently's `register_stattest` does. The descriptor is checked here so a
 * broken plugin fails when it is loaded, naming the field, not when the first column reaches it.
 * @param builtin internal: marks the methods shipped with the engine, which a plugin may not replace.
 */
export function registerDriftMethod(method: DriftMethod, builtin = false): void {
  const bad = (field: string, value: unknown, fix: string) =>
    new StatsInputError("invalid-option", `method.${field}`, JSON.stringify(value), fix);
  if (typeof method?.name !== "string" || !/^[A-Za-z][A-Za-z0-9_]*$/.test(method.name)) {
    throw bad("name", method?.name, "Name the method with letters, digits and underscores, e.g. 'my_test'.");
  }
  if (builtins.has(method.name)) {
    throw bad("name", method.name, "A built-in method has this name; choose another one.");
  }
  if (
    !Array.isArray(method.kinds) ||
    method.kinds.length === 0 ||
    method.kinds.some((k) => !KINDS.includes(k))
  ) {
    throw bad("kinds", method.kinds, 'List the kinds it accepts: "numerical", "categorical" or both.');
  }
  if (method.scoreKind !== "p-value" && method.scoreKind !== "distance") {
    throw bad("scoreKind", method.scoreKind, 'Use "p-value" or "distance".');
  }
  if (!COMPARISONS.includes(method.comparison)) {
    throw bad("comparison", method.comparison, 'Use "<=", "<", ">=" or ">".');
  }
  if (!Number.isFinite(method.defaultThreshold)) {
    throw bad("defaultThreshold", method.defaultThreshold, "Give a finite default threshold.");
  }
  for (const kind of method.kinds) {
    const impl = kind === "numerical" ? "numeric" : "categorical";
    if (typeof method[impl] !== "function") {
      throw bad(impl, typeof method[impl], `A method accepting ${kind} columns needs a '${impl}' function.`);
    }
  }
  registry.set(method.name, method);
  if (builtin) builtins.add(method.name);
}

/** The registered method of that name, or a clear error listing the known names. */
export function getDriftMethod(name: unknown, field = "method"): DriftMethod {
  const m = typeof name === "string" ? registry.get(name) : undefined;
  if (m === undefined) {
    throw new StatsInputError(
      "invalid-option",
      field,
      JSON.stringify(name),
      `Use one of: ${driftMethodNames().join(", ")} (or register it from a module listed in drift.plugins).`,
    );
  }
  return m;
}

/** Every registered method name, built-ins first in registration order. */
export function driftMethodNames(): string[] {
  return [...registry.keys()];
}

/** Every registered method. */
export function driftMethods(): DriftMethod[] {
  return [...registry.values()];
}

/** Removes a plugin method (tests, and a job that loads another set of plugins). Built-ins stay. */
export function unregisterDriftMethod(name: string): boolean {
  return !builtins.has(name) && registry.delete(name);
}
