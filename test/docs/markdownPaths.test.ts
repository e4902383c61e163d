/**
 * Every repository path and npm script the Markdown guides name exists, so the guides stay true as
 * files move: a backticked `components/…`, `runtime/…`, `test/…` (or inside a fenced command) that
 * matches nothing, or an `npm run <script>` that package.json lacks, fails here.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli";

const ROOTS = [
  "bench",
  "bin",
  "cli",
  "components",
  "docs",
  "examples",
  "offline",
  "policies",
  "runtime",
  "scripts",
  "stacks",
  "test",
];
const GUIDES = [
  "README.md",
  "CONTRIBUTING.md",
  "runtime/README.md",
  "policies/README.md",
  "offline/check/README.md",
  "docs/ARCHITECTURE.md",
  "docs/kubernetes-crd-ordering.md",
  "test/fidelity/README.md",
  ...readdirSync(path.join(REPO_ROOT, "examples")).map((e) => `examples/${e}/README.md`),
].filter((f) => existsSync(path.join(REPO_ROOT, f)));

/** Backticked spans and fenced blocks, split into whitespace-separated words. */
function words(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, "");
  const inline = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...fenced, ...inline].flatMap((s) => s.split(/[\s=]+/));
}

/** The repository paths among the words: a known top-level folder, then more. */
function repoPaths(markdown: string): string[] {
  const root = new RegExp(`^(?:\\./)?((?:${ROOTS.join("|")})/(?:\\{[^}\\s]*\\}|[^\\s"'\`),;{])*)`);
  const found = words(markdown)
    .map((w) => root.exec(w.replace(/^["'(]+/, ""))?.[1])
    .filter((p): p is string => p !== undefined)
    .map((p) =>
      p
        .replace(/[.:]+$/, "")
        .replace(/:\d+$/, "")
        .replace(/#.*$/, ""),
    );
  return [...new Set(found)];
}

/** Whether a path exists; `<placeholder>`, `*` and `{a,b}` are wildcards matched against the tree. */
function exists(p: string): boolean {
  if (!/[<*{…]/.test(p)) return existsSync(path.join(REPO_ROOT, p));
  const glob = p
    .replace(/<[^>]+>/g, "*")
    .replace(/…/g, "*")
    .replace(/\/$/, "");
  const matches = picomatch(glob);
  const walk = (dir: string): boolean =>
    readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).some((entry) => {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) return false;
      const rel = path.posix.join(dir, entry.name);
      return matches(rel) || (entry.isDirectory() && walk(rel));
    });
  return walk(glob.split("/")[0]);
}

const scripts = Object.keys(JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).scripts);

describe.each(GUIDES)("%s", (guide) => {
  const text = readFileSync(path.join(REPO_ROOT, guide), "utf8");

  it("names only repository paths that exist", () => {
    expect(repoPaths(text).filter((p) => !exists(p))).toEqual([]);
  });

  it("names only npm scripts package.json defines", () => {
    const named = [...text.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
    expect(named.filter((s) => !scripts.includes(s))).toEqual([]);
  });

  it("links only to files inside the repository", () => {
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1])
      .filter((t) => !/^(https?:|#|mailto:)/.test(t));
    const outside = targets.filter((t) => {
      const resolved = path.resolve(REPO_ROOT, path.dirname(guide), t.replace(/#.*$/, ""));
      return !resolved.startsWith(REPO_ROOT + path.sep) || !existsSync(resolved);
    });
    expect(outside).toEqual([]);
  });
});

describe("the path check itself", () => {
  it("flags a path that does not exist and accepts placeholders that match", () => {
    const md =
      "See `components/nowhere.ts`, `runtime/drift/methods/<name>.ts` and `policies/config/{dev,prod}.json`.";
    expect(repoPaths(md)).toEqual([
      "components/nowhere.ts",
      "runtime/drift/methods/<name>.ts",
      "policies/config/{dev,prod}.json",
    ]);
    expect(repoPaths(md).map(exists)).toEqual([false, true, true]);
  });
});
