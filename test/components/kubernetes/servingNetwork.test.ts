import { describe, expect, it } from "vitest";
import { KubernetesServingEndpoint } from "../../../components/kubernetes/servingEndpoint";
import { one, podSpecsOf } from "../../helpers/capture";

const tags = {
  owner: "recsys",
  costCenter: "cc-7",
  environment: "staging",
  dataClassification: "internal",
} as const;

new KubernetesServingEndpoint("net", {
  tags,
  namespace: "serving",
  name: "fraud",
  variants: [{ name: "main", modelUri: "s3://models/fraud/1" }],
  gatewayName: "public",
  gatewayNamespace: "gateways",
  allowedNamespaces: ["batch"],
  cpu: "500m",
});

describe("KubernetesServingEndpoint network and resource limits", () => {
  it("admits the serving port from its namespace, the Gateway's and the allowed ones, and metrics only from Prometheus", async () => {
    const np = await one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "net-network");
    expect(np.props.metadata.namespace).toBe("serving");
    expect(np.props.spec.podSelector.matchLabels).toEqual({ "mlops.pulumi-mlops.io/endpoint": "fraud" });
    const [serving, metrics] = np.props.spec.ingress;
    expect(serving.ports).toEqual([{ protocol: "TCP", port: 8080 }]);
    expect(serving.from).toEqual([
      { podSelector: {} },
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gateways" } } },
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "batch" } } },
    ]);
    expect(metrics.ports).toEqual([{ protocol: "TCP", port: 9090 }]);
    expect(metrics.from).toEqual([
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
    ]);
  });

  it("bounds the model container's CPU at four times its request and probes its readiness on its own port", async () => {
    const rollout = await one("kubernetes:argoproj.io/v1alpha1:Rollout", "net-main");
    const model = podSpecsOf(rollout)[0]!.containers.find((c: { name: string }) => c.name === "model");
    expect(model.resources.requests.cpu).toBe("500m");
    expect(model.resources.limits.cpu).toBe("2000m");
    expect(model.readinessProbe.httpGet).toEqual({ path: "/ping", port: "model" });
  });
});
