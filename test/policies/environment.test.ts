/** Environment resolution for the environment-specific rules (policies/lib/environment.ts). */
import { describe, expect, it } from "vitest";
import { resolveEnvironment } from "../../policies/lib/environment";

describe("resolveEnvironment", () => {
  const tags = (environment?: string) => new Map(environment ? [["environment", environment]] : []);

  it("prefers the policy config", () => {
    expect(resolveEnvironment("prod", tags("dev"), "aws-dev")).toMatchObject({
      name: "prod",
      production: true,
      from: "policy config",
    });
  });

  it("then the stack config <project>:environment", () => {
    const saved = { config: process.env.PULUMI_CONFIG, project: process.env.PULUMI_PROJECT };
    try {
      process.env.PULUMI_PROJECT = "mlops";
      process.env.PULUMI_CONFIG = JSON.stringify({ "mlops:environment": "prod", "aws:region": "eu-west-1" });
      expect(resolveEnvironment(undefined, tags("dev"), "aws-dev")).toMatchObject({
        name: "prod",
        production: true,
        from: "stack config",
      });
    } finally {
      for (const [k, v] of [
        ["PULUMI_CONFIG", saved.config],
        ["PULUMI_PROJECT", saved.project],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("then the stack tag", () => {
    expect(resolveEnvironment(undefined, tags("Production"), "aws-dev")).toMatchObject({
      name: "production",
      production: true,
      from: "stack tag",
    });
  });

  it("then a segment of the stack name", () => {
    expect(resolveEnvironment(undefined, tags(), "aws-prod")).toMatchObject({
      name: "prod",
      production: true,
      from: "stack name",
    });
    expect(resolveEnvironment(undefined, tags(), "gcp_staging.eu")).toMatchObject({
      name: "staging",
      production: false,
    });
  });

  it("does not read prod out of a longer word", () => {
    expect(resolveEnvironment(undefined, tags(), "product-catalog")).toBeUndefined();
  });

  it("is undetermined when nothing says", () => {
    expect(resolveEnvironment(undefined, tags(), "")).toBeUndefined();
    expect(resolveEnvironment(undefined, tags("blue"), "local-cluster")).toMatchObject({
      name: "local",
      production: false,
    });
  });

  it("treats an unrecognised configured name as non-production", () => {
    expect(resolveEnvironment("perf", tags(), "")).toMatchObject({ name: "perf", production: false });
  });
});
