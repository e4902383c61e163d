import * as path from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { describe, expect, it } from "vitest";
import * as library from "../../components/index";
import { REPO_ROOT } from "../helpers/cli";

// Pulumi's source-based component packages infer the schema from the TypeScript source; anything
// it rejects (inline unions, intersections, args that are not an interface, bad type tokens) would
// make the library unusable from Python, Go and YAML. This builds that schema offline.
describe("the multi-language package schema", () => {
  const components = getPulumiComponents(library);

  it("builds for every exported component, with mlops:index:<Name> tokens", async () => {
    expect(components.length).toBeGreaterThanOrEqual(2);
    const schema = JSON.parse(
      await new ComponentProvider({ dirname: REPO_ROOT, name: "mlops", components }).getSchema(),
    ) as { name: string; resources: Record<string, { isComponent: boolean; inputProperties: object }> };
    expect(schema.name).toBe("mlops");
    for (const component of components) {
      const token = `mlops:index:${component.name}`;
      expect(schema.resources[token], token).toBeDefined();
      expect(schema.resources[token]!.isComponent).toBe(true);
      expect(Object.keys(schema.resources[token]!.inputProperties).length).toBeGreaterThan(0);
    }
    expect(Object.keys(schema.resources).sort()).toEqual(
      components.map((c) => `mlops:index:${c.name}`).sort(),
    );
  });

  it("rejects a component with a union argument (the guard bites)", async () => {
    const fixture = path.join(REPO_ROOT, "test/offline/fixtures/bad-component");
    const bad = (await import(path.join(fixture, "index.ts"))) as Record<string, unknown>;
    const provider = new ComponentProvider({
      dirname: fixture,
      name: "mlops",
      components: getPulumiComponents(bad),
    });
    await expect(provider.getSchema()).rejects.toThrow(/Union types are not supported/);
  });
});
