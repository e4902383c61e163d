import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { RuntimeInputError } from "./errors";

/**
 * Reads a YAML (or JSON) file that a job was pointed at, turning an unreadable file or bad syntax
 * into a {@link RuntimeInputError} that names the file, what it was for and how to fix it.
 */
export async function readYamlFile(
  path: string,
  what: string,
  fixes: { unreadable: string; invalid: string },
): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new RuntimeInputError({
      source: path,
      problem: `cannot read ${what} (${error instanceof Error ? error.message : String(error)})`,
      fix: fixes.unreadable,
    });
  }
  try {
    return parseYaml(text);
  } catch (error) {
    throw new RuntimeInputError({
      source: path,
      problem: `${what} is not valid YAML or JSON (${error instanceof Error ? error.message : String(error)})`,
      fix: fixes.invalid,
    });
  }
}
