/**
 * Unknown values never turn a compliant resource into a violation. For every passing resource case, each leaf
 * value is replaced in turn by the engine's unknown sentinel (what a computed input looks like in preview) and
 * the rule is run again through the real Analyze RPC: it must still pass, or say it cannot run during preview —
 * never report a violation.
 */
import { describe, expect, it } from "vitest";
import { allRules } from "../../policies/rules";
import { allCases } from "./cases";
import { set } from "./fixtures";
import { analyzeResource, outcome, UNKNOWN } from "./harness";

function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== "object") {
    return prefix.length > 0 ? [prefix] : [];
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

const byName = new Map(allRules.map((r) => [r.name, r]));
const passing = allCases.filter((c) => c.fixture && c.expect === "pass");

describe("unknown inputs never produce false failures", () => {
  it("has passing cases to sweep", () => {
    expect(passing.length).toBeGreaterThan(100);
  });

  it.each(passing.map((c) => [`${c.rule}: ${c.title}`, c]))("%s", async (_t, c) => {
    const fixture = c.fixture as NonNullable<typeof c.fixture>;
    const rule = byName.get(c.rule) as NonNullable<ReturnType<typeof byName.get>>;
    for (const path of leafPaths(fixture.props)) {
      if (path.some((p) => p.startsWith("mlops-exempt") || p.startsWith("exemptions."))) {
        continue;
      }
      const props = set(fixture.props, path, UNKNOWN);
      const result = await analyzeResource([rule], { ...fixture, props }, c.options);
      expect(
        ["pass", "cant-run"],
        `${path.join(".")} unknown → ${JSON.stringify(result.diagnostics)}`,
      ).toContain(outcome(result, c.rule));
    }
  });
});
