import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { DriftMethod } from "./methods/contract";
import { registerDriftMethod } from "./methods/registry";

/**
 * Loads user drift methods from the modules a config names in `drift.plugins`, as Evidently's
 * `register_stattest` lets a user add a test. A module exports one method or a list of them, as `default` or as
 * `methods`; each is a {@link DriftMethod} (descriptor plus implementations) and is checked when registered.
 *
 * @param specifiers module paths (relative ones are resolved against `baseDir`, the config file's folder) or
 *   package names.
 * @returns the names registered, in order.
 * @throws Error naming the module and what is wrong with it.
 */
export async function loadDriftPlugins(specifiers: readonly string[], baseDir: string): Promise<string[]> {
  const names: string[] = [];
  for (const specifier of specifiers) {
    const target =
      specifier.startsWith(".") || isAbsolute(specifier)
        ? pathToFileURL(resolve(baseDir, specifier)).href
        : specifier;
    let module: Record<string, unknown>;
    try {
      module = (await import(target)) as Record<string, unknown>;
    } catch (e) {
      throw new Error(
        `drift plugin '${specifier}' could not be loaded (${e instanceof Error ? e.message : String(e)}); check the path, relative to the config file.`,
      );
    }
    const exported = module.methods ?? module.default;
    const methods = (Array.isArray(exported) ? exported : [exported]) as DriftMethod[];
    if (exported === undefined || methods.length === 0) {
      throw new Error(
        `drift plugin '${specifier}' exports no method; export a drift method (or a list of them) as 'default' or 'methods'.`,
      );
    }
    for (const method of methods) {
      try {
        registerDriftMethod(method);
      } catch (e) {
        throw new Error(`drift plugin '${specifier}': ${e instanceof Error ? e.message : String(e)}`);
      }
      names.push(method.name);
    }
  }
  return names;
}
