/**
 * The `--sarif` log validates against the official SARIF 2.1.0 schema (the copy shipped in
 * @microsoft/jest-sarif, a draft-04 schema, hence ajv-draft-04) and carries what GitHub code scanning
 * shows: rules with help, levels from enforcement, a source location and the resource URN.
 */
import { readFileSync } from "node:fs";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import type * as sarif from "sarif";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureUrn, runCheck } from "./helpers";

const schema = JSON.parse(
  readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
) as object;
// The schema's language-tag pattern is not a valid unicode-mode regular expression, hence unicodeRegExp: false.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, logger: false });
addFormats(ajv);
const validate = ajv.compile(schema);

let log: sarif.Log;
let code: number;

// Generous: a CLI run is a few seconds alone, much longer on a loaded 2-core CI machine.
beforeAll(async () => {
  const run = await runCheck({ stack: "dev", sarif: true });
  code = run.code;
  log = run.sarif as sarif.Log;
}, 240_000);

describe("SARIF output", () => {
  it("validates against the SARIF 2.1.0 schema", () => {
    expect(code).toBe(1);
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("is rejected by the same validator when a result level is not a SARIF level", () => {
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    broken.runs[0]!.results[0]!.level = "mandatory";
    expect(validate(broken)).toBe(false);
  });

  it("names the pack as the tool and lists every policy as a rule with its description and help", () => {
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe("fixture-basic");
    expect(driver.version).toBe("1.2.3");
    expect(driver.rules!.map((r) => [r.id, r.defaultConfiguration?.level])).toEqual([
      ["add-managed-by-tag", "note"],
      ["bucket-must-be-private", "error"],
      ["bucket-should-have-owner", "warning"],
      ["managed-by-tag-required", "error"],
      ["max-buckets", "warning"],
    ]);
    const privateRule = driver.rules!.find((r) => r.id === "bucket-must-be-private")!;
    expect(privateRule.fullDescription?.text).toBe("S3 buckets must not be world-readable.");
    expect(privateRule.help?.text).toBe("Set `acl` to `private`.");
    expect(privateRule.properties?.["security-severity"]).toBe("8.0");
  });

  it("reports violations as error/warning results and remediations as notes, located at the program and the resource URN", () => {
    const results = log.runs[0]!.results!;
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ["bucket-must-be-private", "error"],
      ["bucket-should-have-owner", "warning"],
      ["add-managed-by-tag", "note"],
      ["add-managed-by-tag", "note"],
    ]);
    const first = results[0]!;
    const rules = log.runs[0]!.tool.driver.rules!;
    expect(rules[first.ruleIndex!]!.id).toBe(first.ruleId);
    const physical = first.locations![0]!.physicalLocation!;
    expect(physical.artifactLocation).toEqual({
      uri: "test/check/fixtures/programs/platform/index.ts",
      uriBaseId: "%SRCROOT%",
    });
    // open-bucket is declared inside the DataLake component, which the program declares as
    // new DataLake("open", ...): the first is the result's location, the second a related one.
    const source = readFileSync(`${__dirname}/fixtures/programs/platform/index.ts`, "utf8").split("\n");
    const at = (region: sarif.Region | undefined) =>
      source[region!.startLine! - 1]!.slice(region!.startColumn! - 1);
    expect(at(physical.region)).toMatch(/^new s3\.Bucket\(/);
    expect(first.locations![0]!.logicalLocations![0]!.fullyQualifiedName).toBe(
      fixtureUrn("dev", "fixture:index:DataLake$aws:s3/bucket:Bucket", "open-bucket"),
    );
    const [stackFile, caller, ...more] = first.relatedLocations!;
    expect(stackFile!.physicalLocation!.artifactLocation!.uri).toBe(
      "test/check/fixtures/programs/platform/Pulumi.dev.yaml",
    );
    expect(caller!.physicalLocation!.artifactLocation!.uri).toBe(
      "test/check/fixtures/programs/platform/index.ts",
    );
    expect(at(caller!.physicalLocation!.region)).toMatch(/^new DataLake\("open"/);
    expect(caller!.message!.text).toBe('inside component "open", declared here');
    expect(more).toEqual([]);
    expect(new Set(results.map((r) => r.partialFingerprints!["mlopsCheck/v1"])).size).toBe(results.length);
    expect(log.runs[0]!.automationDetails!.id).toBe("mlops-check/check-fixture/dev/");
  });
});
