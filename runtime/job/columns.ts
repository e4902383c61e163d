import type { ColumnKind } from "../drift/types";
import { RuntimeInputError } from "../errors";

/** A column named on the command line, with an optional forced kind (`age`, `zip:categorical`). */
export interface ColumnSpec {
  name: string;
  kind?: ColumnKind;
}

const KIND_ALIASES: Record<string, ColumnKind> = {
  numerical: "numerical",
  numeric: "numerical",
  num: "numerical",
  categorical: "categorical",
  category: "categorical",
  cat: "categorical",
};

/** Parses `--columns a,b:categorical,c:numerical` (the option may also repeat). */
export function parseColumnSpecs(values: readonly string[]): ColumnSpec[] {
  const specs: ColumnSpec[] = [];
  for (const value of values) {
    for (const part of value.split(",")) {
      const item = part.trim();
      if (item === "") continue;
      const colon = item.lastIndexOf(":");
      const suffix = colon > 0 ? item.slice(colon + 1).toLowerCase() : undefined;
      if (suffix !== undefined && KIND_ALIASES[suffix] !== undefined) {
        specs.push({ name: item.slice(0, colon), kind: KIND_ALIASES[suffix] });
      } else if (suffix !== undefined && /^[a-z]+$/.test(suffix) && !item.slice(0, colon).includes(":")) {
        throw new RuntimeInputError({
          source: "--columns",
          column: item.slice(0, colon),
          problem: `the kind "${suffix}" is unknown`,
          fix: "Write name, name:numerical or name:categorical",
        });
      } else {
        specs.push({ name: item });
      }
    }
  }
  return specs;
}
