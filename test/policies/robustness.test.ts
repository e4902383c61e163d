/**
 * The whole pack, as served, on every fixture of every case: no rule may crash the analyzer (a thrown error
 * becomes a gRPC error that fails the whole preview), whatever resource it is shown.
 */
import { describe, expect, it } from "vitest";
import { allRules } from "../../policies/rules";
import { allCases } from "./cases";
import { analyzeResource, analyzeStack } from "./harness";

describe("the full pack never crashes", () => {
  it("on any resource fixture", async () => {
    const fixtures = allCases.flatMap((c) => [...(c.fixture ? [c.fixture] : []), ...(c.stack ?? [])]);
    expect(fixtures.length).toBeGreaterThan(300);
    for (const f of fixtures) {
      await expect(analyzeResource([...allRules], f), f.type).resolves.toBeDefined();
    }
  });

  it("on any stack", async () => {
    for (const c of allCases.filter((x) => x.stack)) {
      await expect(analyzeStack([...allRules], c.stack ?? [], c.options), c.title).resolves.toBeDefined();
    }
  });

  it("on a resource whose every property is unknown", async () => {
    const types = [...new Set(allRules.flatMap((r) => r.resourceTypes).filter((t) => !t.endsWith("*")))];
    for (const type of types) {
      const result = await analyzeResource([...allRules], {
        type,
        props: {
          tags: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
          spec: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
          properties: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        },
      });
      expect(result).toBeDefined();
    }
  });
});
