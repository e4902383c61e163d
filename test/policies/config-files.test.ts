/**
 * The per-environment `--policy-pack-config` files name only existing policies, use valid enforcement levels,
 * and validate against each policy's configSchema; prod makes the security and ML rules mandatory.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { allRules } from "../../policies/rules";
import { analyzeResource } from "./harness";

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];
const byName = new Map(allRules.map((r) => [r.name, r]));
const load = (env: string) =>
  JSON.parse(readFileSync(path.join(process.cwd(), "policies", "config", `${env}.json`), "utf8")) as Record<
    string,
    unknown
  >;

describe.each(["dev", "staging", "prod"])("policies/config/%s.json", (env) => {
  const config = load(env);

  it("names only existing policies (or all)", () => {
    const unknown = Object.keys(config).filter((k) => k !== "all" && !byName.has(k));
    expect(unknown).toEqual([]);
  });

  it.each(Object.entries(config).map(([k, v]) => [k, v]))("%s is valid", (name, value) => {
    if (typeof value === "string") {
      expect(LEVELS).toContain(value);
      return;
    }
    const { enforcementLevel, ...props } = value as Record<string, unknown>;
    if (enforcementLevel !== undefined) {
      expect(LEVELS).toContain(enforcementLevel);
    }
    const rule = byName.get(name as string);
    const schema = rule?.configSchema;
    if (Object.keys(props).length > 0) {
      expect(schema, `${name} takes no properties`).toBeDefined();
    }
    if (schema) {
      // additionalProperties false here, so a misspelt property is caught (the CLI would silently pass it on).
      const validate = new Ajv({ strict: false }).compile({
        type: "object",
        additionalProperties: false,
        ...schema,
      });
      expect(validate(props), JSON.stringify(validate.errors)).toBe(true);
    }
    if (enforcementLevel === "remediate") {
      expect(
        rule && "remediateResource" in rule && rule.remediateResource,
        `${name} has no remediation`,
      ).toBeTruthy();
    }
  });
});

describe("prod.json", () => {
  const prod = load("prod");
  const level = (name: string) => {
    const v = prod[name];
    return typeof v === "string"
      ? v
      : ((v as { enforcementLevel?: string } | undefined)?.enforcementLevel ??
          byName.get(name)?.enforcementLevel);
  };

  it.each(
    allRules
      .filter((r) =>
        ["encryption", "network", "iam", "logging", "residency", "ml", "kubernetes"].includes(r.theme),
      )
      .map((r) => [r.name]),
  )("%s is mandatory", (name) => {
    expect(level(name)).toBe("mandatory");
  });

  it("leaves the environment to the stack: no config file pins it", () => {
    // A config file sets enforcement; the stack's own config says which environment it is.
    for (const r of allRules.filter((x) => x.configSchema?.properties?.environment)) {
      for (const env of ["dev", "staging", "prod"]) {
        expect(
          (load(env)[r.name] as { environment?: string } | undefined)?.environment,
          `${env}: ${r.name}`,
        ).toBeUndefined();
      }
    }
  });
});

describe("a bad config value", () => {
  it("fails the analysis with a message naming the policy, the field, the value and the fix", async () => {
    const rule = allRules.find((r) => r.name === "aws-log-group-retention") as (typeof allRules)[number];
    await expect(
      analyzeResource(
        [rule],
        { type: "aws:cloudwatch/logGroup:LogGroup", props: {} },
        { config: { "aws-log-group-retention": { minRetentionDays: 0 } } },
      ),
    ).rejects.toThrowError(
      /policy "aws-log-group-retention".*field "minRetentionDays".*0.*--policy-pack-config/,
    );
  });
});
