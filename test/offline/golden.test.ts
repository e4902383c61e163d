import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { describe, expect, it } from "vitest";
import * as library from "../../components/index";
import type { CapturedResource } from "../../offline/capture";
import { REPO_ROOT, runCli } from "../helpers/cli";

// URNs and the package schema are a contract with every user who has deployed: a changed URN
// makes Pulumi delete and recreate the resource (and protected ones block `pulumi up`), and a
// changed schema breaks Python, Go and YAML programs. These golden files make any such change a
// failing test; a deliberate change is recorded with `UPDATE_GOLDEN=1 npx vitest run
// test/offline/golden.test.ts` and reviewed in the diff. A URN may only leave the list if a
// resource of the new plan carries it in its `aliases`.
const GOLDEN_DIR = path.join(REPO_ROOT, "test/golden");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

interface Program {
  label: string;
  args: string[];
}

/** Every stack in stacks/ and every stack file of every example program. */
function programs(): Program[] {
  const stackFiles = (dir: string) =>
    readdirSync(dir)
      .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
      .map((f) => f.slice("Pulumi.".length, -".yaml".length))
      .filter((stack) => !stack.startsWith("test-"))
      .sort();
  const found: Program[] = stackFiles(path.join(REPO_ROOT, "stacks")).map((stack) => ({
    label: `stacks-${stack}`,
    args: ["--stack", stack],
  }));
  const examples = path.join(REPO_ROOT, "examples");
  for (const example of readdirSync(examples).sort()) {
    const dir = path.join(examples, example);
    if (!existsSync(path.join(dir, "Pulumi.yaml"))) continue;
    for (const stack of stackFiles(dir)) {
      found.push({ label: `${example}-${stack}`, args: ["--program", dir, "--stack", stack] });
    }
  }
  return found;
}

interface UrnEntry {
  urn: string;
  type: string;
  name: string;
  parent: string;
  aliases?: string[];
}

function urnList(resources: CapturedResource[]): UrnEntry[] {
  return resources
    .map((r) => {
      const aliases = (r.options.aliases ?? []).map((a) => (typeof a === "string" ? a : JSON.stringify(a)));
      const entry: UrnEntry = { urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? "" };
      if (aliases.length > 0) entry.aliases = aliases.sort();
      return entry;
    })
    .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

function compareWithGolden(file: string, actual: string): void {
  const target = path.join(GOLDEN_DIR, file);
  if (UPDATE || !existsSync(target)) {
    if (!UPDATE) throw new Error(`No golden file ${file}: run with UPDATE_GOLDEN=1 to record it`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, actual);
  }
  expect(actual, `${file} differs: review, then UPDATE_GOLDEN=1 if the change is deliberate`).toBe(
    readFileSync(target, "utf8"),
  );
}

describe("golden URN lists: every stack and example keeps its URNs", () => {
  const work = mkdtempSync(path.join(tmpdir(), "mlops-golden-"));
  for (const program of programs()) {
    it(`${program.label}: the same URNs as the golden file, or aliases for the ones that left`, () => {
      const out = path.join(work, `${program.label}.json`);
      const run = runCli(["preview", ...program.args, "--json", out]);
      expect(run.code, run.stderr).toBe(0);
      const plan = JSON.parse(readFileSync(out, "utf8")) as { resources: CapturedResource[] };
      const current = urnList(plan.resources);
      const file = `urns/${program.label}.json`;
      const goldenPath = path.join(GOLDEN_DIR, file);
      if (existsSync(goldenPath) && !UPDATE) {
        const before = JSON.parse(readFileSync(goldenPath, "utf8")) as UrnEntry[];
        const kept = new Set(current.flatMap((e) => [e.urn, ...(e.aliases ?? [])]));
        const lost = before.map((e) => e.urn).filter((urn) => !kept.has(urn));
        expect(lost, "URNs removed without an alias (users' resources would be replaced)").toEqual([]);
      }
      compareWithGolden(file, `${JSON.stringify(current, null, 1)}\n`);
    });
  }
});

describe("golden package schema", () => {
  it("the multi-language schema is unchanged", async () => {
    const schema = await new ComponentProvider({
      dirname: REPO_ROOT,
      name: "mlops",
      components: getPulumiComponents(library),
    }).getSchema();
    compareWithGolden("schema.json", `${JSON.stringify(JSON.parse(schema), null, 1)}\n`);
  });
});
