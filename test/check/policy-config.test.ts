/**
 * Policy pack config reconciliation, against the semantics of the Pulumi CLI's
 * `pkg/resource/analyzer/config.go` (`parsePolicyPackConfig`, `ReconcilePolicyPackConfig`) and its tests.
 */
import { describe, expect, it } from "vitest";
import {
  PolicyConfigError,
  type PolicyDescriptor,
  parsePolicyPackConfig,
  reconcilePolicyPackConfig,
} from "../../offline/check/policy-config";
import { durationSeconds, withoutInternalKeys } from "../../offline/check/requests";

const policies: PolicyDescriptor[] = [
  { name: "plain", enforcementLevel: "advisory" },
  {
    name: "sized",
    enforcementLevel: "mandatory",
    configSchema: {
      properties: {
        max: { type: "integer", default: 4 },
        names: { type: "array", items: { type: "string" } },
        mode: { type: "string", enum: ["strict", "lenient"] },
      },
    },
  },
  {
    name: "needs-owner",
    enforcementLevel: "advisory",
    configSchema: { properties: { owner: { type: "string" } }, required: ["owner"] },
  },
];

function reconcile(fileConfig: Record<string, unknown>, initialConfig = {}) {
  return reconcilePolicyPackConfig({
    packName: "pack",
    packVersion: "1.0.0",
    policies,
    initialConfig,
    fileConfig: parsePolicyPackConfig(JSON.stringify(fileConfig), "config.json"),
    source: "config.json",
  });
}

describe("parsePolicyPackConfig", () => {
  it("accepts a level string or an object with enforcementLevel and properties", () => {
    expect(
      parsePolicyPackConfig(
        JSON.stringify({ a: "mandatory", b: { enforcementLevel: "disabled", x: 1 }, c: { y: [1] } }),
        "f",
      ),
    ).toEqual({
      a: { enforcementLevel: "mandatory" },
      b: { enforcementLevel: "disabled", properties: { x: 1 } },
      c: { properties: { y: [1] } },
    });
  });

  it("drops entries that set nothing and treats an empty file as no config, as the CLI does", () => {
    expect(parsePolicyPackConfig(JSON.stringify({ a: {} }), "f")).toEqual({});
    expect(parsePolicyPackConfig("  \n", "f")).toEqual({});
  });

  it.each([
    [{ a: "strict" }, 'f: parsing enforcement level for "a": "strict" is not a valid enforcement level.'],
    [
      { a: { enforcementLevel: 3 } },
      'f: parsing enforcement level for "a": 3 is not a valid enforcement level; must be a string.',
    ],
    [{ a: 7 }, 'f: parsing "a": 7 is not a valid value; must be a string or object.'],
    [[1, 2], "f: must be a JSON object mapping policy names"],
  ])("refuses %j", (doc, message) => {
    expect(() => parsePolicyPackConfig(JSON.stringify(doc), "f")).toThrow(PolicyConfigError);
    expect(() => parsePolicyPackConfig(JSON.stringify(doc), "f")).toThrow(message);
  });
});

describe("reconcilePolicyPackConfig", () => {
  it("starts from each policy's level and schema defaults", () => {
    expect(reconcile({ "needs-owner": { owner: "ml" } })).toEqual({
      plain: { enforcementLevel: "advisory" },
      sized: { enforcementLevel: "mandatory", properties: { max: 4 } },
      "needs-owner": { enforcementLevel: "advisory", properties: { owner: "ml" } },
    });
  });

  it("applies the initial config, then the file; properties merge, levels override", () => {
    const result = reconcile(
      { "needs-owner": { owner: "ml" }, sized: { names: ["a"] } },
      { sized: { enforcementLevel: "advisory", properties: { max: 9 } } },
    );
    expect(result.sized).toEqual({ enforcementLevel: "advisory", properties: { max: 9, names: ["a"] } });
  });

  it('"all" sets every level before the named entries apply', () => {
    const result = reconcile({ all: "disabled", plain: "mandatory", "needs-owner": { owner: "ml" } });
    expect(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, v.enforcementLevel]))).toEqual({
      plain: "mandatory",
      sized: "disabled",
      "needs-owner": "disabled",
    });
  });

  it("reports every schema violation in the CLI's words, sorted, with the given value", () => {
    let error: unknown;
    try {
      reconcile({ sized: { max: "four", mode: "loose" } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PolicyConfigError);
    expect((error as Error).message.split("\n")).toEqual([
      "validating policy config: pack 1.0.0  needs-owner: owner is required",
      'validating policy config: pack 1.0.0  sized: max: Invalid type. Expected: integer, given: string "four"',
      'validating policy config: pack 1.0.0  sized: mode: mode must be one of the following: "strict", "lenient", given: "loose"',
      "Fix: correct these entries in config.json to match each policy's configSchema.",
    ]);
  });

  it("refuses a policy name the pack does not have and lists the names it has", () => {
    expect(() => reconcile({ plian: "mandatory", "needs-owner": { owner: "ml" } })).toThrow(
      'config.json: "plian" is not a policy of policy pack pack 1.0.0. Fix: use one of "needs-owner", "plain", "sized", or "all".',
    );
  });
});

describe("request helpers", () => {
  it("parses custom timeouts as Go durations, in seconds", () => {
    expect(durationSeconds("5m")).toBe(300);
    expect(durationSeconds("1h30m")).toBe(5400);
    expect(durationSeconds("1.5s")).toBe(1.5);
    expect(durationSeconds(undefined)).toBe(0);
    expect(() => durationSeconds("five minutes")).toThrow('custom timeout "five minutes" is not a duration');
  });

  it("drops the engine's internal keys before Analyze", () => {
    expect(withoutInternalKeys({ __defaults: [], name: "x", nested: { __keep: 1 } })).toEqual({
      name: "x",
      nested: { __keep: 1 },
    });
  });
});
