import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { childName, dnsLabel, isDnsLabel } from "../../../components/core/naming";
import { statefulOptions } from "../../../components/core/protection";
import {
  awsTags,
  azureTags,
  gcpLabels,
  kubernetesAnnotations,
  kubernetesLabels,
  type StandardTags,
} from "../../../components/core/tags";

const tags: StandardTags = {
  owner: "ML-Platform@Example.com",
  costCenter: "CC 1234/emea",
  environment: "prod",
  dataClassification: "confidential",
  extra: { "Team Lead": "Ada <ada@example.com>", owner: "overridden" },
};

describe("governance tags per cloud", () => {
  it("AWS keeps the allowed characters and the canonical keys, standard keys winning", () => {
    expect(awsTags(tags)).toEqual({
      "Team Lead": "Ada _ada@example.com_",
      owner: "ML-Platform@Example.com",
      "cost-center": "CC 1234/emea",
      environment: "prod",
      "data-classification": "confidential",
      "managed-by": "pulumi-mlops",
    });
  });

  it("GCP labels are lowercase [a-z0-9_-], at most 63 characters, keys starting with a letter", () => {
    const labels = gcpLabels({ ...tags, extra: { "9lives": "x".repeat(80) } });
    expect(labels.owner).toBe("ml-platform_example_com");
    expect(labels["cost-center"]).toBe("cc_1234_emea");
    expect(labels.l9lives).toHaveLength(63);
    for (const [k, v] of Object.entries(labels)) {
      expect(k).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
      expect(v).toMatch(/^[a-z0-9_-]{0,63}$/);
    }
  });

  it("Azure tag names drop the characters Azure refuses", () => {
    const t = azureTags({ ...tags, extra: { "a/b<c>": "v" } });
    expect(t["a_b_c_"]).toBe("v");
    expect(t.owner).toBe("ML-Platform@Example.com");
  });

  it("Kubernetes labels follow the label syntax; annotations keep the exact values", () => {
    const labels = kubernetesLabels(tags);
    expect(labels.owner).toBe("ML-Platform_Example.com");
    expect(labels["app.kubernetes.io/managed-by"]).toBe("pulumi-mlops");
    for (const v of Object.values(labels)) expect(v).toMatch(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/);
    expect(kubernetesAnnotations(tags)["pulumi-mlops/owner"]).toBe("ML-Platform@Example.com");
  });

  it("any owner value becomes a valid label on GCP and Kubernetes", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (owner) => {
        const t = { ...tags, owner, extra: {} };
        expect(gcpLabels(t).owner).toMatch(/^[a-z0-9_-]{0,63}$/);
        expect(kubernetesLabels(t).owner).toMatch(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/);
        expect(kubernetesLabels(t).owner.length).toBeLessThanOrEqual(63);
      }),
    );
  });
});

describe("naming", () => {
  it("derives child names from the component name", () => {
    expect(childName("platform", "registry", "db")).toBe("platform-registry-db");
  });

  it("makes DNS-1123 labels, cutting long names with a stable hash", () => {
    expect(dnsLabel("Platform_Registry", "MLflow")).toBe("platform-registry-mlflow");
    const long = dnsLabel("a".repeat(50), "b".repeat(50));
    expect(long).toHaveLength(63);
    expect(isDnsLabel(long)).toBe(true);
    expect(dnsLabel("a".repeat(50), "b".repeat(50))).toBe(long);
    expect(dnsLabel("a".repeat(50), "c".repeat(50))).not.toBe(long);
    expect(() => dnsLabel("__", "--")).toThrow(/no letters or digits/);
  });
});

describe("protection", () => {
  it("protects and retains stateful children, unless switched off", () => {
    expect(statefulOptions({ parent: undefined })).toEqual({
      parent: undefined,
      protect: true,
      retainOnDelete: true,
    });
    expect(statefulOptions({}, false)).toEqual({});
  });
});
