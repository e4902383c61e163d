import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unregisterDriftMethod } from "../../../runtime/drift";
import { loadJobConfig, parseJobConfig } from "../../../runtime/job/config";

describe("drift.plugins and method names in a config file", () => {
  const dir = mkdtempSync(join(tmpdir(), "drift-config-"));
  afterAll(() => {
    unregisterDriftMethod("always_one");
    rmSync(dir, { recursive: true, force: true });
  });

  it("loads the plugins relative to the config file, then accepts their names", async () => {
    writeFileSync(
      join(dir, "always-one.mjs"),
      `export const methods = [{ name: "always_one", kinds: ["categorical"], scoreKind: "p-value", comparison: "<",
        defaultThreshold: 0.05, summary: "p = 1", categorical: (a, o, computation) => ({ method: "always_one",
        statistic: 0, pValue: 1, computation, histogram: { kind: "categorical", categories: [], referenceShares: [],
        currentShares: [] } }) }];`,
    );
    const path = join(dir, "thresholds.yaml");
    writeFileSync(
      path,
      "drift:\n  plugins: [./always-one.mjs]\n  categoricalMethod: always_one\n  numericalThreshold: 0.2\n",
    );
    const config = await loadJobConfig(path);
    expect(config.plugins).toEqual(["./always-one.mjs"]);
    expect(config.drift).toEqual({ categoricalMethod: "always_one", numericalThreshold: 0.2 });
  });

  it("an unknown method name fails at load, naming the field and the known names", () => {
    expect(() => parseJobConfig({ drift: { columns: { age: { method: "kolmogorov" } } } }, "t.yaml")).toThrow(
      /drift\.columns\.age\.method names an unknown drift method "kolmogorov"[\s\S]*ks, wasserstein/,
    );
    expect(() =>
      parseJobConfig({ drift: { method: "TVD", categoricalThreshold: 0.01 } }, "t.yaml"),
    ).not.toThrow();
  });
});
