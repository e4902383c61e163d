/**
 * `mlops check` with its defaults, against the real policies/ pack: the pack's exemption mechanism as the
 * analyzer protocol delivers it, and the repository's own stacks, which must pass with their environment's
 * policy config.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { EXEMPTIONS_PROGRAM, REPO_ROOT, runCheck } from "./helpers";

describe("the real policy pack", () => {
  it("refuses an expired exemption and honours a current one as an advisory note", async () => {
    // No --policy-pack: the default is <repo>/policies.
    const run = await runCheck({ stack: "dev", program: EXEMPTIONS_PROGRAM, pack: null });
    expect(run.stderr).toBe("");
    expect(run.report!.policyPack.name).toBe("mlops-governance");
    const versioning = run.report!.violations.filter((v) => v.policyName === "aws-s3-bucket-versioning");
    const expired = versioning.find((v) => v.resourceName === "expired-exemption")!;
    const current = versioning.find((v) => v.resourceName === "current-exemption")!;
    expect(expired.enforcementLevel).toBe("mandatory");
    expect(expired.message).toContain(
      '[exemption tag "mlops-exempt:aws-s3-bucket-versioning" expired on 2020-01-31 and is not honoured',
    );
    expect(current.enforcementLevel).toBe("advisory");
    expect(current.message).toContain(
      'exempted by tag "mlops-exempt:aws-s3-bucket-versioning" until 2999-12-31, reason: SEC-456 write-once scratch bucket.',
    );
    expect(run.code).toBe(1);
  }, 240_000);
});

/** The stacks of this repository, with the environment examples/ci derives from each name. */
const stacks = readdirSync(path.join(REPO_ROOT, "stacks"))
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .map((stack) => {
    const suffix = stack.split("-").pop()!;
    return { stack, environment: ["dev", "staging", "prod"].includes(suffix) ? suffix : "dev" };
  });

describe.each(stacks)("stack $stack", ({ stack, environment }) => {
  it(`passes mlops check with policies/config/${environment}.json`, async () => {
    const run = await runCheck({
      stack,
      program: REPO_ROOT,
      pack: null,
      configFile: path.join(REPO_ROOT, "policies/config", `${environment}.json`),
    });
    // The one warning: the 90/10 split's HTTPRoute is a GAMMA route, which needs a mesh.
    expect(run.stderr.replace(/^warning: .*GAMMA service mesh.*\n/m, "")).toBe("");
    const mandatory = run.report!.violations.filter((v) => v.enforcementLevel === "mandatory");
    expect(mandatory.map((v) => `${v.policyName} ${v.resourceType} ${v.resourceName}`)).toEqual([]);
    expect(run.code).toBe(0);
  }, 240_000);
});
