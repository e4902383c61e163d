/**
 * Runs every case through the real policy server functions (see harness.ts) and checks the outcome of the rule
 * under test; then checks that every rule has at least one passing and one failing case.
 */
import { describe, expect, it } from "vitest";
import { allRules } from "../../policies/rules";
import { allCases } from "./cases";
import { analyzeResource, analyzeStack, of, outcome } from "./harness";

const byName = new Map(allRules.map((r) => [r.name, r]));

describe.each(allRules.map((r) => [r.name]))("%s", (name) => {
  const cases = allCases.filter((c) => c.rule === name);
  it.each(cases.map((c) => [c.title, c]))("%s", async (_title, c) => {
    const rule = byName.get(c.rule);
    expect(rule, `case names unknown rule ${c.rule}`).toBeDefined();
    const policies = [rule as NonNullable<typeof rule>];
    const result = c.stack
      ? await analyzeStack(policies, c.stack, c.options)
      : await analyzeResource(policies, c.fixture ?? { type: "none", props: {} }, c.options);
    expect(outcome(result, c.rule), JSON.stringify(result.diagnostics, null, 1)).toBe(c.expect);
    if (c.contains) {
      expect(
        of(result, c.rule)
          .map((d) => d.message)
          .join("\n"),
      ).toContain(c.contains);
    }
  });
});

describe("case coverage", () => {
  it("every case names an existing rule", () => {
    const unknown = allCases.filter((c) => !byName.has(c.rule)).map((c) => c.rule);
    expect(unknown).toEqual([]);
  });
  it.each(allRules.map((r) => [r.name]))("%s has a passing and a failing case", (name) => {
    const outcomes = new Set(allCases.filter((c) => c.rule === name).map((c) => c.expect));
    expect(outcomes.has("pass"), "no passing case").toBe(true);
    expect(outcomes.has("fail"), "no failing case").toBe(true);
  });
});
