/**
 * Every rule is well-formed: a unique name CrossGuard accepts, a description, a source citation, a statement of
 * what unset means, a theme, a level, and a configSchema whose defaults validate. The pack's PolicyPack is not
 * constructed here (that would start a gRPC server); the same checks `serve()` makes are repeated instead.
 */
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { resolveConfig, schemaDefaults } from "../../policies/lib/config";
import { allRules } from "../../policies/rules";

const THEMES = [
  "encryption",
  "network",
  "iam",
  "logging",
  "residency",
  "tagging",
  "cost",
  "ml",
  "kubernetes",
];
const CITATION =
  /(checkov CKV|cdk-nag|AWS Config|Pod Security Standards|kube-score|steampipe|trivy|Pulumi|pulumi\/examples|compliance-policies|CIS Kubernetes|initech|awsguard|Own rule|Derived)/;

describe("rule metadata", () => {
  it("has at least 50 rules covering every theme and every cloud", () => {
    expect(allRules.length).toBeGreaterThanOrEqual(50);
    expect(new Set(allRules.map((r) => r.theme))).toEqual(new Set(THEMES));
    const types = allRules.flatMap((r) => r.resourceTypes);
    for (const prefix of ["aws:", "gcp:", "azure-native:", "kubernetes:"]) {
      expect(
        types.some((t) => t.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
    expect(allRules.some((r) => r.kind === "stack")).toBe(true);
  });

  it("has unique names", () => {
    const names = allRules.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(allRules.map((r) => [r.name, r]))("%s is well-formed", (_name, r) => {
    // serve() (server.js) exits on these.
    expect(r.name).not.toBe("all");
    expect(r.name).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/);
    expect(r.configSchema?.properties?.enforcementLevel).toBeUndefined();
    expect(r.configSchema?.required ?? []).not.toContain("enforcementLevel");
    expect(r.description.length).toBeGreaterThan(20);
    expect(r.description.trim()).toMatch(/\.$/);
    expect(r.source).toMatch(CITATION);
    expect(r.unset.length).toBeGreaterThan(10);
    expect(THEMES).toContain(r.theme);
    expect(["advisory", "mandatory", "remediate", "disabled"]).toContain(r.enforcementLevel);
    expect(["low", "medium", "high", "critical"]).toContain(r.severity);
    expect(r.resourceTypes.length).toBeGreaterThan(0);
    expect(Boolean(r.remediation)).toBe("remediateResource" in r && r.remediateResource !== undefined);
    if (r.kind === "stack") {
      expect("validateStack" in r && typeof r.validateStack).toBe("function");
    } else {
      expect("validateResource" in r && typeof r.validateResource).toBe("function");
    }
  });

  it.each(allRules.filter((r) => r.configSchema).map((r) => [r.name, r]))(
    "%s: configSchema compiles and its defaults validate",
    (_n, r) => {
      const schema = { type: "object", ...r.configSchema };
      const validate = new Ajv({ strict: false }).compile(schema);
      const defaults = schemaDefaults(r.configSchema);
      expect(validate(defaults), JSON.stringify(validate.errors)).toBe(true);
      for (const [key, prop] of Object.entries(r.configSchema?.properties ?? {})) {
        expect((prop as { description?: string }).description, `${key} needs a description`).toBeTruthy();
      }
    },
  );
});

describe("config resolution", () => {
  const schema = allRules.find((r) => r.name === "aws-log-group-retention")?.configSchema;

  it("fills schema defaults when the driver sent none", () => {
    expect(resolveConfig("aws-log-group-retention", schema, {})).toEqual({ minRetentionDays: 30 });
  });

  it("keeps given values and drops enforcementLevel", () => {
    expect(
      resolveConfig("aws-log-group-retention", schema, {
        minRetentionDays: 90,
        enforcementLevel: "mandatory",
      }),
    ).toEqual({
      minRetentionDays: 90,
    });
  });

  it("rejects a bad value naming the policy, the field, the value and the fix", () => {
    expect(() =>
      resolveConfig("aws-log-group-retention", schema, { minRetentionDays: "a year" }),
    ).toThrowError(
      /policy "aws-log-group-retention".*field "minRetentionDays".*"a year".*--policy-pack-config/,
    );
  });
});
