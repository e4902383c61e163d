/**
 * Remediations through the real Remediate RPC function: they run only at `remediate`, change only what is safe,
 * and the remediated resource then passes Analyze (as the CLI runs Remediate, then Analyze on the result).
 */
import { describe, expect, it } from "vitest";
import { AWS, AZURE, GCP, K8S } from "../../policies/lib/types";
import { allRules } from "../../policies/rules";
import { TAGS } from "./fixtures";
import {
  analyzeResource,
  type Fixture,
  outcome,
  type PackConfig,
  remediateResource,
  UNKNOWN,
} from "./harness";

const rule = (name: string) => allRules.find((r) => r.name === name) as (typeof allRules)[number];

async function remediateThenAnalyze(name: string, fixture: Fixture, config: PackConfig = {}) {
  const options = { config: { [name]: "remediate" as const, ...config } };
  const remediated = await remediateResource([rule(name)], fixture, options);
  const props = remediated.remediations[0]?.properties;
  const after = props ? await analyzeResource([rule(name)], { ...fixture, props }, options) : undefined;
  return { remediated, props, after };
}

describe("remediations", () => {
  it("do nothing below the remediate level", async () => {
    const result = await remediateResource([rule("aws-kms-key-rotation")], { type: AWS.kmsKey, props: {} });
    expect(result.remediations).toEqual([]);
  });

  it("aws-kms-key-rotation turns rotation on", async () => {
    const { props, after } = await remediateThenAnalyze("aws-kms-key-rotation", {
      type: AWS.kmsKey,
      props: { description: "k" },
    });
    expect(props).toEqual({ description: "k", enableKeyRotation: true });
    expect(after && outcome(after, "aws-kms-key-rotation")).toBe("pass");
  });

  it("azure-storage-min-tls raises TLS to 1.2 and leaves 1.3 alone", async () => {
    const { props } = await remediateThenAnalyze("azure-storage-min-tls", {
      type: AZURE.storageAccount,
      props: { minimumTlsVersion: "TLS1_0" },
    });
    expect(props).toEqual({ minimumTlsVersion: "TLS1_2" });
    const untouched = await remediateResource(
      [rule("azure-storage-min-tls")],
      { type: AZURE.storageAccount, props: { minimumTlsVersion: "TLS1_3" } },
      { config: { "azure-storage-min-tls": "remediate" } },
    );
    expect(untouched.remediations).toEqual([]);
  });

  it("azure-storage-https-only re-enables HTTPS-only", async () => {
    const { props, after } = await remediateThenAnalyze("azure-storage-https-only", {
      type: AZURE.storageAccount,
      props: { enableHttpsTrafficOnly: false },
    });
    expect(props).toEqual({ enableHttpsTrafficOnly: true });
    expect(after && outcome(after, "azure-storage-https-only")).toBe("pass");
  });

  it("kubernetes-seccomp-profile sets RuntimeDefault on the pod when nothing is set", async () => {
    const fixture: Fixture = {
      type: K8S.cronJob,
      props: {
        spec: {
          jobTemplate: { spec: { template: { spec: { containers: [{ name: "c", image: "i:1" }] } } } },
        },
      },
    };
    const { props, after } = await remediateThenAnalyze("kubernetes-seccomp-profile", fixture);
    expect(props).toEqual({
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                containers: [{ name: "c", image: "i:1" }],
                securityContext: { seccompProfile: { type: "RuntimeDefault" } },
              },
            },
          },
        },
      },
    });
    expect(after && outcome(after, "kubernetes-seccomp-profile")).toBe("pass");
  });

  it("kubernetes-seccomp-profile leaves an explicit Unconfined for a reviewer", async () => {
    const result = await remediateResource(
      [rule("kubernetes-seccomp-profile")],
      {
        type: K8S.pod,
        props: {
          spec: {
            securityContext: { seccompProfile: { type: "Unconfined" } },
            containers: [{ name: "c", image: "i:1" }],
          },
        },
      },
      { config: { "kubernetes-seccomp-profile": "remediate" } },
    );
    expect(result.remediations).toEqual([]);
  });

  it.each([
    ["a Windows pod", "windows"],
    ["a pod whose OS is unknown in preview", UNKNOWN],
  ])(
    "kubernetes-seccomp-profile never adds a profile to %s (the API server refuses it there)",
    async (_t, os) => {
      const result = await remediateResource(
        [rule("kubernetes-seccomp-profile")],
        { type: K8S.pod, props: { spec: { os: { name: os }, containers: [{ name: "c", image: "i:1" }] } } },
        { config: { "kubernetes-seccomp-profile": "remediate" } },
      );
      expect(result.remediations).toEqual([]);
    },
  );

  it("tagging adds managed-by and the known environment, never owner or cost centre", async () => {
    const fixture: Fixture = { type: AWS.bucket, props: { tags: { owner: "ml" } } };
    const noEnv = await remediateThenAnalyze("aws-required-tags", fixture);
    expect(noEnv.props).toEqual({ tags: { owner: "ml", "managed-by": "pulumi" } });
    const withEnv = await remediateThenAnalyze("aws-required-tags", fixture, {
      "aws-required-tags": { enforcementLevel: "remediate", environment: "staging" },
    });
    expect(withEnv.props).toEqual({ tags: { owner: "ml", "managed-by": "pulumi", environment: "staging" } });
    // What only a human can supply is still reported, at mandatory (remediate is reported as mandatory).
    expect(withEnv.after && outcome(withEnv.after, "aws-required-tags")).toBe("fail");
    const [d] = withEnv.after?.diagnostics ?? [];
    expect(d?.enforcementLevel).toBe("mandatory");
    expect(d?.message).toContain('"cost-center", "data-classification"');
    expect(d?.message).not.toContain('"managed-by"');
  });

  it("GCP label remediation lowercases the environment value", async () => {
    const result = await remediateResource(
      [rule("gcp-required-labels")],
      { type: GCP.bucket, props: { labels: {} } },
      {
        config: { "gcp-required-labels": { enforcementLevel: "remediate" } },
        stackTags: { environment: "Prod" },
      },
    );
    expect(result.remediations[0]?.properties).toEqual({
      labels: { "managed-by": "pulumi", environment: "prod" },
    });
  });

  it("Kubernetes label remediation writes metadata.labels", async () => {
    const result = await remediateResource(
      [rule("kubernetes-required-labels")],
      { type: K8S.service, props: { metadata: { name: "s", labels: TAGS } } },
      { config: { "kubernetes-required-labels": "remediate" } },
    );
    expect(result.remediations).toEqual([]);
  });
});
