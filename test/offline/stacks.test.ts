import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CapturedResource } from "../../offline/capture";
import { REPO_ROOT, runCli } from "../helpers/cli";

describe("npm start: the local stack's offline preview", () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), "mlops-local-")), "plan.json");
  const run = runCli(["preview", "--stack", "local", "--json", out]);

  it("prints the platform with the MLflow registry and its children", () => {
    // The one warning: the 90/10 split's HTTPRoute is a GAMMA route, which needs a mesh.
    expect(run.stderr.replace(/^warning: .*GAMMA service mesh.*\n/m, "")).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("mlops:index:MlPlatform  platform");
    expect(run.stdout).toContain("mlops:index:KubernetesModelRegistry  platform-registry");
    expect(run.stdout).toContain("kubernetes:apps/v1:Deployment  platform-registry-server");
    expect(run.stdout).toMatch(
      /registryUri: "http:\/\/platform-registry-mlflow\.mlops\.svc\.cluster\.local:5000"/,
    );
  });

  it("protects every stateful resource of the platform", () => {
    const plan = JSON.parse(readFileSync(out, "utf8")) as { resources: CapturedResource[] };
    const stateful = plan.resources.filter((r) =>
      ["PersistentVolumeClaim", "StatefulSet", "Namespace", "Secret"].some((k) => r.type.endsWith(`:${k}`)),
    );
    expect(stateful.length).toBeGreaterThan(0);
    for (const r of stateful) expect(r.options.protect, r.name).toBe(true);
  });
});

describe("a stack file with a bad value", () => {
  const stackFile = path.join(REPO_ROOT, "stacks", "Pulumi.test-bad-replicas.yaml");
  afterAll(() => rmSync(stackFile, { force: true }));

  it("makes mlops preview exit non-zero with the config key, the value and the fix", () => {
    const local = readFileSync(path.join(REPO_ROOT, "stacks", "Pulumi.local.yaml"), "utf8");
    writeFileSync(
      stackFile,
      local.replace("backendStore: in-cluster", "backendStore: in-cluster\n      replicas: -1"),
    );
    const r = runCli(["preview", "--stack", "test-bad-replicas"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Invalid configuration in Pulumi.test-bad-replicas.yaml:");
    expect(r.stderr).toContain(
      "mlops:kubernetes.modelRegistry.replicas = -1: must be at least 1. Fix: use 1 or more replicas",
    );
    expect(r.stdout).toBe("");
  });
});
