/** policies/README.md lists every rule with its current metadata (regenerate with policies/scripts/update-readme.ts). */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOGUE_END, CATALOGUE_START, rulesCatalogue } from "../../policies/lib/docs";
import { POD_SECURITY_CHECKS } from "../../policies/lib/podSecurity";
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

  it("does not list a Pod Security check the pack implements as a limit", () => {
    const limits = text.slice(text.indexOf("## Limits"));
    const missing = limits.match(/not (checked|covered)[^.]*\./gi) ?? [];
    // Each check's words as prose would name them: "procMount", "seLinuxOptions" → "selinux", "sysctls", …
    const words = POD_SECURITY_CHECKS.map((c) => c.id.replace(/_(baseline|restricted)$/, "").toLowerCase());
    const stems = words.map((w) => w.replace(/(options|profile|volumes|namespaces|ports)$/, ""));
    for (const sentence of missing) {
      const flat = sentence.toLowerCase().replace(/[^a-z]/g, "");
      expect(stems.filter((stem) => flat.includes(stem))).toEqual([]);
    }
    expect(limits).toContain("POD_SECURITY_CHECKS");
  });

  it.each(allRules.map((r) => [r.name]))("lists %s", (name) => {
    expect(text).toMatch(new RegExp(`\\|\\s*\`${name}\`\\s*\\|`));
  });
});
