import { describe, expect, it } from "vitest";
import { ArgsValidationError } from "../../components/core/validation";
import { MlPlatform } from "../../components/platform";
import { descendantsOf, one } from "../helpers/capture";

const tags = {
  owner: "ml-platform",
  costCenter: "cc-1",
  environment: "dev",
  dataClassification: "internal",
} as const;

new MlPlatform("plat", { cloud: "kubernetes", tags, modelRegistry: {}, kubernetes: { namespace: "ml" } });

describe("MlPlatform on kubernetes", () => {
  it("creates a restricted, protected namespace and builds the registry inside it", async () => {
    const ns = await one("kubernetes:core/v1:Namespace", "plat-namespace");
    expect(ns.props.metadata.name).toBe("ml");
    expect(ns.props.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(ns.options.protect).toBe(true);
    const platform = await one("mlops:index:MlPlatform", "plat");
    const registry = await one("mlops:index:KubernetesModelRegistry", "plat-registry");
    expect(registry.parent).toBe(platform.urn);
    expect(registry.dependencies).toContain(ns.urn);
    const children = await descendantsOf(registry.urn);
    expect(children.every((c) => c.props.metadata === undefined || c.props.metadata.namespace === "ml")).toBe(
      true,
    );
    expect(platform.outputs.registryUri).toBe("http://plat-registry-mlflow.ml.svc.cluster.local:5000");
  });
});

describe("MlPlatform validation", () => {
  it.each(["aws", "gcp", "azure"] as const)(
    "says a concern is not supported yet on %s, at construction",
    (cloud) => {
      expect(() => new MlPlatform(`p-${cloud}`, { cloud, tags, modelRegistry: {} })).toThrow(
        new RegExp(
          `args\\.modelRegistry = "${cloud}": modelRegistry is not supported yet on ${cloud}\\. Fix:`,
        ),
      );
    },
  );

  it("refuses an unknown cloud and re-roots a child's error at the platform field", () => {
    expect(() => new MlPlatform("p1", { cloud: "openstack", tags } as never)).toThrow(
      /args\.cloud = "openstack": .*Fix: use one of "aws", "gcp", "azure", "kubernetes"/,
    );
    expect(
      () =>
        new MlPlatform("p2", {
          cloud: "kubernetes",
          tags,
          modelRegistry: { artifactStoreUri: "http://nope" },
          kubernetes: { modelRegistry: { replicas: 0 } },
        }),
    ).toThrow(ArgsValidationError);
    try {
      new MlPlatform("p3", {
        cloud: "kubernetes",
        tags,
        modelRegistry: { artifactStoreUri: "http://nope" },
        kubernetes: { modelRegistry: { replicas: 0 } },
      });
    } catch (err) {
      const paths = (err as ArgsValidationError).problems.map((p) => p.path).sort();
      expect(paths).toEqual([
        "args.kubernetes.modelRegistry.replicas",
        "args.modelRegistry.artifactStoreUri",
      ]);
    }
  });
});
