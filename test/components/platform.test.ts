import { describe, expect, it } from "vitest";
import { ArgsValidationError } from "../../components/core/validation";
import { MlPlatform } from "../../components/platform";
import { isSecret } from "../../offline/properties";
import { descendantsOf, ofType, one } from "../helpers/capture";

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

describe("MlPlatform monitoring wiring", () => {
  const endpoint = {
    name: "scorer",
    variants: [
      { name: "a", modelUri: "models:/scorer/1", weight: 70 },
      { name: "b", modelUri: "models:/scorer/2", weight: 30 },
      { name: "shadow", modelUri: "models:/scorer/3", shadow: true },
    ],
  };
  new MlPlatform("wired", {
    cloud: "kubernetes",
    tags,
    modelRegistry: {},
    servingEndpoints: [endpoint],
    monitoring: { referenceUri: "configmap://scorer-ref/profile.json", schedule: "30 * * * *" },
    kubernetes: { namespace: "wired", servingEndpoints: { captureVolumeAccessMode: "ReadWriteOnce" } },
  });

  it("feeds the registry to serving, and serving's capture and metrics to monitoring", async () => {
    const rollout = await one("kubernetes:argoproj.io/v1alpha1:Rollout", "wired-scorer-a");
    const model = rollout.props.spec.template.spec.containers.find(
      (c: { name: string }) => c.name === "model",
    );
    expect(model.env).toContainEqual({
      name: "MLFLOW_TRACKING_URI",
      value: "http://wired-registry-mlflow.wired.svc.cluster.local:5000",
    });
    const capture = await one("kubernetes:core/v1:PersistentVolumeClaim", "wired-scorer-capture");
    const job = await one("kubernetes:batch/v1:CronJob", "wired-scorer-monitoring-drift");
    expect(job.props.spec.schedule).toBe("30 * * * *");
    const volumes = job.props.spec.jobTemplate.spec.template.spec.volumes;
    expect(volumes).toContainEqual(
      expect.objectContaining({
        persistentVolumeClaim: { claimName: capture.props.metadata.name, readOnly: true },
      }),
    );
    // One PodMonitor, the endpoint's own: what the alerts and the canary analysis read is scraped once.
    const monitors = await ofType("kubernetes:monitoring.coreos.com/v1:PodMonitor", "wired");
    expect(monitors.map((m) => m.name)).toEqual(["wired-scorer-metrics"]);
    expect(monitors[0]!.props.spec.selector.matchLabels).toEqual({
      "mlops.pulumi-mlops.io/endpoint": "scorer",
    });
  });

  it("keeps the retraining webhook URL secret in the platform's inputs", async () => {
    new MlPlatform("hooked", {
      cloud: "kubernetes",
      tags,
      modelRegistry: {},
      servingEndpoints: [{ ...endpoint, name: "hooked" }],
      monitoring: {
        referenceUri: "configmap://r/p.json",
        retrainWebhookUrl: "https://ci.example.com/hooks/x",
      },
      kubernetes: { namespace: "hooked" },
    });
    const platform = await one("mlops:index:MlPlatform", "hooked");
    expect(isSecret((platform.inputs.monitoring as Record<string, unknown>).retrainWebhookUrl)).toBe(true);
    const monitoring = await one("mlops:index:KubernetesMonitoring", "hooked-hooked-monitoring");
    expect(isSecret(monitoring.inputs.retrainWebhookUrl)).toBe(true);
  });

  it("refuses two endpoints whose physical names collide, at construction, naming the field", () => {
    expect(
      () =>
        new MlPlatform("twice", {
          cloud: "kubernetes",
          tags,
          modelRegistry: {},
          servingEndpoints: [endpoint, { ...endpoint, variants: [{ name: "c", modelUri: "s3://m/1" }] }],
          kubernetes: { namespace: "twice" },
        }),
    ).toThrow(
      /args\.servingEndpoints\[1\]\.name = "scorer": gives the v1\/Service "scorer" in namespace "twice", which KubernetesServingEndpoint "twice-scorer".*Fix:/,
    );
  });

  it("passes kubernetes.monitoring's labels source to the drift job, and names a bad one under kubernetes.monitoring", async () => {
    new MlPlatform("labels", {
      cloud: "kubernetes",
      tags,
      modelRegistry: {},
      servingEndpoints: [{ ...endpoint, name: "labels" }],
      monitoring: { referenceUri: "configmap://r/p.json" },
      kubernetes: {
        namespace: "labels",
        monitoring: { labelsUri: "pvc://scorer-labels/labels.csv", labelKey: "order_id" },
      },
    });
    const job = await one("kubernetes:batch/v1:CronJob", "labels-labels-monitoring-drift");
    const pod = job.props.spec.jobTemplate.spec.template.spec;
    expect(pod.containers[0].args).toEqual(
      expect.arrayContaining([
        "--labels=/var/lib/mlops/labels/labels.csv",
        "--label-key=order_id",
        "--label-column=label",
      ]),
    );
    expect(pod.volumes).toContainEqual({
      name: "labels",
      persistentVolumeClaim: { claimName: "scorer-labels", readOnly: true },
    });
    // Each attempt in its own namespace: the endpoint is built before its monitoring is refused.
    const build = (monitoring: Record<string, unknown>) => () => {
      const id = `labels-bad-${Math.random().toString(36).slice(2, 8)}`;
      return new MlPlatform(id, {
        cloud: "kubernetes",
        tags,
        modelRegistry: {},
        servingEndpoints: [{ ...endpoint, name: "labels" }],
        monitoring: { referenceUri: "configmap://r/p.json" },
        kubernetes: { namespace: id, monitoring: monitoring as never },
      });
    };
    expect(build({ labelsUri: "https://x.example.com/labels.csv" })).toThrow(
      /MlPlatform .*args\.kubernetes\.monitoring\.labelsUri = "https:\/\/x\.example\.com\/labels\.csv": is an https:\/\/ URL.*Fix:/s,
    );
    expect(build({ labelUri: "pvc://scorer-labels/labels.csv" })).toThrow(
      /args\.kubernetes\.monitoring\.labelUri = "pvc:\/\/scorer-labels\/labels\.csv": unknown field\(s\) "labelUri"/,
    );
  });

  it("alerts per live variant, not on the shadow", async () => {
    const rule = await one(
      "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
      "wired-scorer-monitoring-alerts",
    );
    const exprs = JSON.stringify(rule.props.spec.groups);
    expect(exprs).toContain('variant=\\"a\\"');
    expect(exprs).toContain('variant=\\"b\\"');
    expect(exprs).not.toContain('variant=\\"shadow\\"');
  });

  it("refuses monitoring without an endpoint, or of an endpoint that captures nothing", () => {
    expect(
      () =>
        new MlPlatform("nomon", {
          cloud: "kubernetes",
          tags,
          monitoring: { referenceUri: "configmap://r/p.json" },
        }),
    ).toThrow(/args\.monitoring = \[\]: monitoring watches serving endpoints, and there are none\. Fix:/);
    expect(
      () =>
        new MlPlatform("nocap", {
          cloud: "kubernetes",
          tags,
          servingEndpoints: [{ ...endpoint, captureSamplingPercent: 0 }],
          monitoring: { referenceUri: "configmap://r/p.json" },
        }),
    ).toThrow(/args\.monitoring = \["scorer"\]: the drift job reads captured requests/);
  });
});
