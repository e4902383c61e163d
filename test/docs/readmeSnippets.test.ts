/**
 * The README's TypeScript snippets compile against the library as an app team imports it
 * (`import … from "pulumi-mlops"`), so the usage shown to newcomers cannot drift from the API.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli";

/** The bodies of the fenced ```ts / ```typescript blocks of a Markdown text, in order. */
function typescriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```(?:ts|typescript)\s*\n([\s\S]*?)^```\s*$/gm)].map((m) => m[1]);
}

/** The repository's compiler options, with "pulumi-mlops" mapped to the library's entry point. */
function compilerOptions(): ts.CompilerOptions {
  const configPath = path.join(REPO_ROOT, "tsconfig.json");
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, REPO_ROOT);
  return {
    ...options,
    noEmit: true,
    paths: { "pulumi-mlops": [path.join(REPO_ROOT, "components/index.ts")] },
  };
}

/** Typechecks in-memory sources (file name → text) placed at the repository root, in one program. */
function typecheck(sources: Record<string, string>): Map<string, string[]> {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const virtual = new Map(Object.entries(sources).map(([name, text]) => [path.join(REPO_ROOT, name), text]));
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, language, ...rest) => {
    const text = virtual.get(f);
    return text === undefined
      ? getSourceFile.call(host, f, language, ...rest)
      : ts.createSourceFile(f, text, language, true);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  const format = (d: ts.Diagnostic) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  };
  return new Map(
    Object.keys(sources).map((name) => {
      const file = program.getSourceFile(path.join(REPO_ROOT, name));
      const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
      return [name, diagnostics.map(format)];
    }),
  );
}

/** A snippet with an argument no component takes, slipped into its first `new Component("name", {`. */
function misuse(snippet: string): string {
  return snippet.replace(/new \w+\("[^"]*", \{/, "$&\n  notAnArg: true,");
}

describe("README.md TypeScript snippets", () => {
  const blocks = typescriptBlocks(readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"));
  const sources = Object.fromEntries(blocks.map((text, i) => [`README.snippet-${i + 1}.ts`, text]));
  const usage = blocks.find((b) => /from "pulumi-mlops"/.test(b)) ?? "";
  // One program for the real snippets and the broken one: building the checker is the slow part.
  const diagnostics = typecheck({ ...sources, "README.broken.ts": misuse(usage) });

  it("has a snippet that constructs a component imported from the library as an app team does", () => {
    expect(usage).toMatch(/new \w+\("[^"]*", \{/);
  });

  it.each(Object.keys(sources))("%s compiles against the library with no diagnostic", (name) => {
    expect(diagnostics.get(name)).toEqual([]);
  });

  it("catches a snippet that passes an argument the component does not take", () => {
    expect(diagnostics.get("README.broken.ts")?.join("\n")).toMatch(/'notAnArg' does not exist in type/);
  });
});
