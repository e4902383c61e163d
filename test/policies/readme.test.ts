/** policies/README.md lists every rule with its current metadata (regenerate with policies/scripts/update-readme.ts). */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOGUE_END, CATALOGUE_START, rulesCatalogue } from "../../policies/lib/docs";
import { allRules } from "../../policies/rules";

// Formatters pad markdown tables; compare the content, not the padding.
const normalise = (s: string) => s.replace(/\s+/g, "").replace(/-{3,}/g, "---");

describe("policies/README.md", () => {
  const text = readFileSync(path.join(process.cwd(), "policies", "README.md"), "utf8");

  it("contains the generated catalogue, up to date", () => {
    const section = text.slice(
      text.indexOf(CATALOGUE_START) + CATALOGUE_START.length,
      text.indexOf(CATALOGUE_END),
    );
    expect(normalise(section)).toBe(normalise(rulesCatalogue(allRules)));
  });

  it.each(allRules.map((r) => [r.name]))("lists %s", (name) => {
    expect(text).toMatch(new RegExp(`\\|\\s*\`${name}\`\\s*\\|`));
  });
});
