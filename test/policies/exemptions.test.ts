/**
 * Exemptions declared on resources (policies/lib/exemptions.ts), through the real Analyze / AnalyzeStack RPC
 * functions: a valid one turns the violation into an advisory note, an expired or malformed one is refused.
 */
import { describe, expect, it } from "vitest";
import { exemptionKey, exemptionValue, findExemption } from "../../policies/lib/exemptions";
import { AWS, AZURE, GCP, K8S } from "../../policies/lib/types";
import { allRules } from "../../policies/rules";
import {
  analyzeResource,
  analyzeStack,
  type Fixture,
  of,
  outcome,
  remediateResource,
  UNKNOWN,
} from "./harness";

const rule = (name: string) => {
  const r = allRules.find((p) => p.name === name);
  if (!r) throw new Error(name);
  return r;
};

const FUTURE = "2999-12-31";
const PAST = "2001-01-31";
const REASON = "SEC-123 legacy notebook, migration planned";

/** A resource of each cloud violating one rule, and where its exemption goes. */
const subjects: {
  cloud: string;
  policy: string;
  fixture: (exemptions: Record<string, string>) => Fixture;
}[] = [
  {
    cloud: "AWS (tag)",
    policy: "aws-sagemaker-notebook-root-access",
    fixture: (ex) => ({
      type: AWS.notebookInstance,
      props: { rootAccess: "Enabled", tags: { owner: "x", ...ex } },
    }),
  },
  {
    cloud: "Azure (tag)",
    policy: "azure-ml-workspace-private",
    fixture: (ex) => ({ type: AZURE.mlWorkspace, props: { location: "westeurope", tags: ex } }),
  },
  {
    cloud: "GCP (label)",
    policy: "gcp-storage-versioning",
    fixture: (ex) => ({ type: GCP.bucket, props: { location: "EU", labels: ex } }),
  },
  {
    cloud: "Kubernetes (annotation)",
    policy: "kubernetes-read-only-root-fs",
    fixture: (ex) => ({
      type: K8S.deployment,
      props: {
        metadata: { name: "d", annotations: ex },
        spec: { template: { spec: { containers: [{ name: "c", image: "i:1" }] } } },
      },
    }),
  },
];

describe.each(subjects)("$cloud", ({ policy, fixture }) => {
  const type = fixture({}).type;
  const key = exemptionKey(type, policy) as string;

  it("without an exemption the violation is mandatory", async () => {
    const result = await analyzeResource([rule(policy)], fixture({}));
    expect(outcome(result, policy)).toBe("fail");
    expect(of(result, policy)[0]?.enforcementLevel).toBe("mandatory");
  });

  it("a valid exemption becomes an advisory note naming key, expiry and reason", async () => {
    const result = await analyzeResource(
      [rule(policy)],
      fixture({ [key]: exemptionValue(type, FUTURE, REASON) }),
    );
    expect(outcome(result, policy)).toBe("exempted");
    const [note] = of(result, policy);
    expect(note?.enforcementLevel).toBe("advisory");
    expect(note?.message).toContain(`exempted by`);
    expect(note?.message).toContain(key);
    expect(note?.message).toContain(`until ${FUTURE}`);
    expect(note?.message.toLowerCase()).toContain("sec");
  });

  it("an expired exemption is refused and reported with the violation", async () => {
    const result = await analyzeResource(
      [rule(policy)],
      fixture({ [key]: exemptionValue(type, PAST, REASON) }),
    );
    expect(outcome(result, policy)).toBe("fail");
    const [d] = of(result, policy);
    expect(d?.enforcementLevel).toBe("mandatory");
    expect(d?.message).toContain(`expired on ${PAST}`);
  });

  it("a malformed exemption is refused", async () => {
    const result = await analyzeResource([rule(policy)], fixture({ [key]: "whenever" }));
    expect(outcome(result, policy)).toBe("fail");
    expect(of(result, policy)[0]?.message).toContain("malformed");
  });

  it("an exemption for another rule does not apply", async () => {
    const other = exemptionKey(type, "some-other-rule") as string;
    const result = await analyzeResource(
      [rule(policy)],
      fixture({ [other]: exemptionValue(type, FUTURE, REASON) }),
    );
    expect(outcome(result, policy)).toBe("fail");
  });
});

describe("exemption parsing", () => {
  const at = new Date("2026-06-15T12:00:00Z");
  const props = (type: string, value: unknown, policy = "p") => {
    const key = exemptionKey(type, policy) as string;
    if (type.startsWith("kubernetes:")) return { metadata: { annotations: { [key]: value } } };
    if (type.startsWith("gcp:")) return { labels: { [key]: value } };
    return { tags: { [key]: value } };
  };

  it("is valid through the end of its expiry day (UTC)", () => {
    expect(findExemption(AWS.bucket, props(AWS.bucket, `2026-06-15 ${REASON}`), "p", at).status).toBe(
      "valid",
    );
    expect(findExemption(AWS.bucket, props(AWS.bucket, `2026-06-14 ${REASON}`), "p", at).status).toBe(
      "expired",
    );
  });

  it.each([
    ["no reason", "2027-01-01"],
    ["a reason under 10 characters", "2027-01-01 temp"],
    ["an impossible date", `2027-02-30 ${REASON}`],
    ["a reversed date", `01-01-2027 ${REASON}`],
  ])("refuses %s", (_what, value) => {
    const found = findExemption(AWS.bucket, props(AWS.bucket, value), "p", at);
    expect(found.status).toBe("malformed");
  });

  it("refuses a value that is unknown during preview", () => {
    const found = findExemption(AWS.bucket, props(AWS.bucket, UNKNOWN), "p", at);
    expect(found).toMatchObject({
      status: "malformed",
      problem: expect.stringContaining("unknown during preview"),
    });
  });

  it("encodes GCP values within label rules ([a-z0-9_-], at most 63 characters)", () => {
    const value = exemptionValue(GCP.bucket, "2027-01-31", "SEC-123: Legacy bucket, migration planned");
    expect(value).toMatch(/^[a-z0-9_-]{1,63}$/);
    expect(findExemption(GCP.bucket, props(GCP.bucket, value), "p", at)).toMatchObject({
      status: "valid",
      until: "2027-01-31",
    });
  });

  it("keeps every GCP exemption key within label rules for every rule name", () => {
    for (const r of allRules) {
      expect(exemptionKey(GCP.bucket, r.name)).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
      expect(exemptionKey(K8S.deployment, r.name)?.split("/")[1]?.length).toBeLessThanOrEqual(63);
    }
  });

  it("ignores resources of clouds without tags", () => {
    expect(findExemption("random:index:RandomString", { tags: {} }, "p", at).status).toBe("none");
  });
});

describe("exemptions on stack rules", () => {
  it("exempts the bucket the violation is reported on", async () => {
    const key = exemptionKey(AWS.bucket, "aws-s3-bucket-versioning") as string;
    const stack: Fixture[] = [
      { type: AWS.bucket, name: "scratch", props: { tags: { [key]: `${FUTURE} ${REASON}` } } },
    ];
    const result = await analyzeStack([rule("aws-s3-bucket-versioning")], stack);
    expect(outcome(result, "aws-s3-bucket-versioning")).toBe("exempted");
    expect(of(result, "aws-s3-bucket-versioning")[0]?.urn).toContain("::scratch");
  });

  it("refuses an expired one", async () => {
    const key = exemptionKey(AWS.bucket, "aws-s3-bucket-versioning") as string;
    const stack: Fixture[] = [
      { type: AWS.bucket, name: "scratch", props: { tags: { [key]: `${PAST} ${REASON}` } } },
    ];
    const result = await analyzeStack([rule("aws-s3-bucket-versioning")], stack);
    expect(outcome(result, "aws-s3-bucket-versioning")).toBe("fail");
  });
});

describe("exemptions and remediation", () => {
  it("a valid exemption stops the remediation from changing the resource", async () => {
    const key = exemptionKey(AWS.kmsKey, "aws-kms-key-rotation") as string;
    const exempt = await remediateResource(
      [rule("aws-kms-key-rotation")],
      { type: AWS.kmsKey, props: { tags: { [key]: `${FUTURE} ${REASON}` } } },
      { config: { "aws-kms-key-rotation": "remediate" } },
    );
    expect(exempt.remediations).toEqual([]);
    const plain = await remediateResource(
      [rule("aws-kms-key-rotation")],
      { type: AWS.kmsKey, props: {} },
      { config: { "aws-kms-key-rotation": "remediate" } },
    );
    expect(plain.remediations[0]?.properties).toEqual({ enableKeyRotation: true });
  });
});
