import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { REPO } from "./helpers";

const RUNTIME = join(REPO, "runtime");
const dockerfile = readFileSync(join(RUNTIME, "Dockerfile"), "utf8");
const runtimePackage = JSON.parse(readFileSync(join(RUNTIME, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules") return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|cjs|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every module specifier a file imports or requires. */
function specifiers(path: string): string[] {
  const text = readFileSync(path, "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(
    /(?:import|export)\s[^"']*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)|^import\s+["']([^"']+)["']/gm,
  )) {
    found.push((match[1] ?? match[2] ?? match[3] ?? match[4]) as string);
  }
  return found;
}

/** The final stage of a multi-stage Dockerfile: what ships. */
function finalStage(text: string): string {
  const stages = text.split(/^FROM /m);
  return stages[stages.length - 1] as string;
}

describe("runtime/Dockerfile", () => {
  it("runs the final image as a non-root user, by number", () => {
    const users = [...finalStage(dockerfile).matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1] as string);
    expect(users.length).toBeGreaterThan(0);
    const last = users[users.length - 1] as string;
    const [user, group] = last.split(":");
    expect(user).toMatch(/^\d+$/);
    expect(Number(user)).toBeGreaterThan(0);
    if (group !== undefined) expect(Number(group)).toBeGreaterThan(0);
  });

  it("has an exec-form entrypoint running the bundled runtime/main.ts", () => {
    const entry = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(finalStage(dockerfile));
    expect(entry).not.toBeNull();
    const argv = JSON.parse(entry?.[1] as string) as string[];
    expect(argv[0]).toBe("node");
    // node flags, then the bundle: nothing else runs before the CLI
    expect(argv.slice(1, -1).every((a) => a.startsWith("--"))).toBe(true);
    expect(argv.at(-1)).toBe("/app/mlops-runtime.cjs");
    expect(dockerfile).toMatch(
      /esbuild runtime\/main\.ts --bundle[^\n]*\\\n\s*--outfile=dist\/mlops-runtime\.cjs/,
    );
    expect(dockerfile).toMatch(
      /COPY --from=build [^\n]*\/build\/dist\/mlops-runtime\.cjs \/app\/mlops-runtime\.cjs/,
    );
  });

  it("installs only runtime/package.json, which lists no @pulumi package", () => {
    const installs = [...dockerfile.matchAll(/^COPY\s+(?!--from)([^\n]+)$/gm)].map((m) => m[1] as string);
    expect(installs).toContain("runtime/package.json runtime/package-lock.json ./");
    expect(dockerfile).not.toMatch(/COPY\s+(\.\/)?package(-lock)?\.json/);
    expect(dockerfile).toMatch(/npm ci\b/);
    const all = { ...runtimePackage.dependencies, ...runtimePackage.devDependencies };
    expect(Object.keys(all).filter((name) => name.startsWith("@pulumi/"))).toEqual([]);
    const lock = readFileSync(join(RUNTIME, "package-lock.json"), "utf8");
    expect(lock).not.toMatch(/"node_modules\/@pulumi\//);
  });

  it("writes nothing into the image at run time (read-only root filesystem)", () => {
    // The final stage creates no writable directory and no VOLUME the job would need to write to.
    const final = finalStage(dockerfile);
    expect(final).not.toMatch(/^RUN\s/m);
    expect(final).not.toMatch(/^VOLUME\s/m);
    expect(final).toMatch(/--chown=root:root --chmod=0444/);
  });
});

describe("runtime sources", () => {
  const files = sourceFiles(RUNTIME);
  const builtins = new Set(builtinModules);

  it("import nothing from @pulumi/*", () => {
    const offenders = files.flatMap((file) =>
      specifiers(file)
        .filter((s) => s.startsWith("@pulumi/"))
        .map((s) => `${relative(REPO, file)} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it("import nothing from outside runtime/", () => {
    const offenders = files.flatMap((file) =>
      specifiers(file)
        .filter((s) => s.startsWith("."))
        .filter((s) => !resolve(dirname(file), s).startsWith(`${RUNTIME}/`))
        .map((s) => `${relative(REPO, file)} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it("import only packages that runtime/package.json installs", () => {
    const declared = new Set(Object.keys(runtimePackage.dependencies));
    const missing = new Set<string>();
    for (const file of files) {
      for (const s of specifiers(file)) {
        if (s.startsWith(".") || s.startsWith("node:") || builtins.has(s)) continue;
        const name = s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : (s.split("/")[0] as string);
        if (!declared.has(name)) missing.add(`${name} (${relative(REPO, file)})`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it("pins the same versions as the repository's package.json", () => {
    const root = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    for (const [name, version] of Object.entries(runtimePackage.dependencies)) {
      if (root.dependencies[name] !== undefined)
        expect(`${name}@${version}`).toBe(`${name}@${root.dependencies[name]}`);
    }
  });
});

describe("the job image's Node and its release workflow", () => {
  const workflowText = readFileSync(join(REPO, ".github/workflows/runtime-image.yml"), "utf8");
  const workflow = parseYaml(workflowText) as {
    on: { push: { tags: string[] } };
    permissions: Record<string, string>;
    jobs: Record<string, { steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const build = steps.find((step) => step.uses?.startsWith("docker/build-push-action@"));
  const rootPackage = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };

  it("runs a supported Node LTS (22 or 24, not the end-of-life 20), at an exact version", () => {
    const image = /^ARG NODE_IMAGE=node:(\d+)\.(\d+)\.(\d+)-[a-z]+-slim$/m.exec(dockerfile);
    expect(image).not.toBeNull();
    expect(["22", "24"]).toContain(image?.[1]);
    expect(dockerfile).toMatch(new RegExp(`--target=node${image?.[1]}\\b`));
  });

  it("bundles once on the build platform, so the multi-arch build needs no emulated npm", () => {
    expect(dockerfile).toMatch(/^FROM --platform=\$BUILDPLATFORM \$\{NODE_IMAGE\} AS build$/m);
  });

  it("builds and pushes amd64 and arm64 to GHCR on a version tag, tagged with the package version", () => {
    expect(workflow.on.push.tags).toEqual(["v*.*.*"]);
    expect(workflow.permissions).toEqual({ contents: "read", packages: "write" });
    expect(build?.with?.file).toBe("runtime/Dockerfile");
    expect(String(build?.with?.platforms).split(",").sort()).toEqual(["linux/amd64", "linux/arm64"]);
    expect(build?.with?.push).toBe(true);
    // GitHub expressions, not template placeholders.
    const expression = (name: string) => `$\{{ steps.version.outputs.${name} }}`;
    expect(build?.with?.tags).toBe(`${expression("image")}:${expression("version")}`);
    expect(workflowText).toContain('require("./package.json").version');
    expect(workflowText).toContain(`ghcr.io/$\{GITHUB_REPOSITORY_OWNER,,}/runtime`);
  });

  it("the components default to the image the workflow pushes for this version", () => {
    for (const file of ["components/kubernetes/monitoring.ts", "components/kubernetes/servingEndpoint.ts"]) {
      expect(readFileSync(join(REPO, file), "utf8")).toContain(
        `"ghcr.io/pulumi-mlops/runtime:${rootPackage.version}"`,
      );
      expect(workflowText).toContain(file);
    }
  });
});
