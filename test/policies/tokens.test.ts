/**
 * Every type token a rule targets is a real token of the pinned providers (a typo would make a rule silently
 * never apply), read from each class's `__pulumiType` in the installed SDKs.
 */
import { describe, expect, it } from "vitest";
import { AWS, AZURE, GCP, K8S } from "../../policies/lib/types";
import { allRules } from "../../policies/rules";

function tokensOf(modules: Record<string, unknown>[]): Set<string> {
  const out = new Set<string>();
  for (const m of modules) {
    for (const key of Object.keys(m)) {
      try {
        const t = (m[key] as { __pulumiType?: unknown })?.__pulumiType;
        if (typeof t === "string") out.add(t);
      } catch {
        // lazy getters of unrelated members
      }
    }
  }
  return out;
}

describe("type tokens", () => {
  const known = tokensOf([
    require("@pulumi/aws/sagemaker"),
    require("@pulumi/aws/s3"),
    require("@pulumi/aws/eks"),
    require("@pulumi/aws/kms"),
    require("@pulumi/aws/iam"),
    require("@pulumi/aws/cloudwatch"),
    require("@pulumi/aws/budgets"),
    require("@pulumi/aws/ec2"),
    require("@pulumi/gcp/vertex"),
    require("@pulumi/gcp/notebooks"),
    require("@pulumi/gcp/workbench"),
    require("@pulumi/gcp/container"),
    require("@pulumi/gcp/storage"),
    require("@pulumi/gcp/bigquery"),
    require("@pulumi/gcp/projects"),
    require("@pulumi/gcp/billing"),
    require("@pulumi/gcp/artifactregistry"),
    require("@pulumi/gcp/monitoring"),
    require("@pulumi/azure-native/machinelearningservices"),
    require("@pulumi/azure-native/storage"),
    require("@pulumi/azure-native/keyvault"),
    require("@pulumi/azure-native/consumption"),
    require("@pulumi/azure-native/resources"),
    require("@pulumi/azure-native/monitor"),
    require("@pulumi/kubernetes/apps/v1"),
    require("@pulumi/kubernetes/batch/v1"),
    require("@pulumi/kubernetes/core/v1"),
    require("@pulumi/kubernetes/policy/v1"),
    require("@pulumi/kubernetes/networking/v1"),
    require("@pulumi/kubernetes/rbac/v1"),
    require("@pulumi/kubernetes/autoscaling/v2"),
  ]);
  // CustomResources have no class: their token is `kubernetes:<apiVersion>:<kind>`.
  const customResources = new Set<string>([
    K8S.rollout,
    K8S.serviceMonitor,
    K8S.podMonitor,
    K8S.prometheusRule,
  ]);

  it("loaded the provider SDKs", () => {
    expect(known.size).toBeGreaterThan(200);
  });

  it("custom resource tokens follow @pulumi/kubernetes' CustomResource format", () => {
    for (const t of customResources) {
      expect(t).toMatch(/^kubernetes:[a-z0-9.-]+\/v[0-9a-z]+:[A-Z][A-Za-z]+$/);
    }
  });

  it.each(Object.entries({ ...AWS, ...GCP, ...AZURE, ...K8S }))("%s token exists", (_k, token) => {
    expect(customResources.has(token) || known.has(token), token).toBe(true);
  });

  it("every exact token any rule targets exists", () => {
    const exact = allRules.flatMap((r) => r.resourceTypes).filter((t) => !t.endsWith("*"));
    const missing = [...new Set(exact)].filter((t) => !known.has(t) && !customResources.has(t));
    expect(missing).toEqual([]);
  });
});
