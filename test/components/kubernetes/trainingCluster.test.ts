import { describe, expect, it } from "vitest";
import { ArgsValidationError } from "../../../components/core/validation";
import { KubernetesTrainingCluster } from "../../../components/kubernetes/trainingCluster";
import { descendantsOf, ofType, one, type PlainResource } from "../../helpers/capture";

const tags = {
  owner: "ml-platform@example.com",
  costCenter: "cc-42",
  environment: "dev",
  dataClassification: "internal",
} as const;

const RF = "kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor";
const CQ = "kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue";
const LQ = "kubernetes:kueue.x-k8s.io/v1beta2:LocalQueue";
const QUOTA = "kubernetes:core/v1:ResourceQuota";
const CHART = "kubernetes:helm.sh/v4:Chart";

// Any cluster labelled by GPU Feature Discovery: two pools, three teams sharing them.
const gpu = new KubernetesTrainingCluster("gpu", {
  tags,
  pools: [
    { name: "l4", accelerator: "nvidia-l4", maxNodes: 8 },
    { name: "t4", accelerator: "nvidia-t4", gpusPerNode: 2, maxNodes: 2 },
  ],
  teams: [
    { name: "research", gpuQuota: { l4: 4, t4: 2 }, gpuBorrowingLimit: { l4: 2 }, priority: "high" },
    { name: "vision", gpuQuota: { l4: 2 }, cpuQuota: "32", memoryQuota: "128Gi", priority: "low" },
    { name: "ops", gpuQuota: { t4: 1 }, gpuBorrowingLimit: { t4: 0 } },
  ],
});

// EKS with Kueue and the device plugin installed by the component.
const eks = new KubernetesTrainingCluster("eks", {
  tags,
  cloud: "aws",
  cohort: "shared-gpus",
  pools: [
    { name: "a100", accelerator: "nvidia-a100-80gb", gpusPerNode: 8, maxNodes: 2 },
    { name: "l4x4", accelerator: "nvidia-l4", gpusPerNode: 4, maxNodes: 3 },
  ],
  teams: [{ name: "llm", gpuQuota: { a100: 16, l4x4: 4 } }],
  installKueue: true,
  installDevicePlugin: true,
  queueingStrategy: "StrictFIFO",
});

// GKE, AKS, and a bare cluster with A100s, whose two board variants need explicit node labels.
const gke = new KubernetesTrainingCluster("gke", {
  tags,
  cloud: "gcp",
  pools: [{ name: "l4", accelerator: "nvidia-l4", gpusPerNode: 2, maxNodes: 2 }],
  teams: [{ name: "gke-team", gpuQuota: { l4: 4 } }],
});
const aks = new KubernetesTrainingCluster("aks", {
  tags,
  cloud: "azure",
  pools: [{ name: "a100", accelerator: "nvidia-a100-80gb", maxNodes: 2 }],
  teams: [{ name: "aks-team", gpuQuota: { a100: 2 } }],
});
const bare = new KubernetesTrainingCluster("bare", {
  tags,
  pools: [{ name: "a100", accelerator: "nvidia-a100-40gb", gpusPerNode: 8, maxNodes: 1 }],
  poolNodeLabels: { a100: { "nvidia.com/gpu.product": "NVIDIA-A100-SXM4-40GB" } },
  teams: [{ name: "bare-team", gpuQuota: { a100: 8 } }],
});

const inNamespace = async (type: string, namespace: string) =>
  (await ofType(type)).filter((r) => r.props.metadata.namespace === namespace);
const byName = async (type: string, objName: string): Promise<PlainResource> => {
  const found = (await ofType(type)).filter((r) => r.props.metadata.name === objName);
  expect(found, `${type} ${objName}`).toHaveLength(1);
  return found[0]!;
};

describe("KubernetesTrainingCluster (GPU Feature Discovery labels, three teams)", () => {
  it("registers its children under the component", async () => {
    const component = await one("mlops:index:KubernetesTrainingCluster", "gpu");
    const children = await descendantsOf(component.urn);
    const count = (type: string) => children.filter((c) => c.type === type).length;
    expect(count("kubernetes:core/v1:Namespace")).toBe(3);
    expect(count(RF)).toBe(3); // cpu + two pools
    expect(count(CQ)).toBe(3);
    expect(count(LQ)).toBe(3);
    expect(count("kubernetes:scheduling.k8s.io/v1:PriorityClass")).toBe(3);
    expect(count("kubernetes:core/v1:LimitRange")).toBe(3);
    // A compute quota per team, plus a priority cap for the two teams below "high".
    expect(count(QUOTA)).toBe(5);
    for (const c of children) expect(c.parent).toBe(component.urn);
    expect(gpu.urn).toBeDefined();
  });

  it("caps each namespace's requests.nvidia.com/gpu at what the team can hold: its quota plus what it may borrow", async () => {
    const hard = async (ns: string) =>
      (await inNamespace(QUOTA, ns)).find((q) => q.props.metadata.name === "gpu-compute")!.props.spec.hard;
    // ops: 1 T4 guaranteed, borrowing limit 0 → exactly its pool quota.
    expect(await hard("ops")).toEqual({
      "requests.cpu": "64",
      "requests.memory": "256Gi",
      "requests.nvidia.com/gpu": "1",
    });
    // research: L4 4 + borrow 2 = 6 (the cohort has 6 L4s); T4 unlimited borrowing → the cohort's 3 T4s.
    expect((await hard("research"))["requests.nvidia.com/gpu"]).toBe("9");
    // vision: L4 2, unlimited borrowing → all 6 L4s of the cohort.
    expect(await hard("vision")).toEqual({
      "requests.cpu": "32",
      "requests.memory": "128Gi",
      "requests.nvidia.com/gpu": "6",
    });
    // Only the requests. form: Kubernetes refuses limits.nvidia.com/gpu in a quota.
    for (const q of await ofType(QUOTA, "gpu-")) {
      for (const key of Object.keys(q.props.spec.hard)) expect(key.startsWith("limits.")).toBe(false);
    }
  });

  it("gives containers default requests and a default memory limit so they pass the quota", async () => {
    for (const ns of ["research", "vision", "ops"]) {
      const [range] = await inNamespace("kubernetes:core/v1:LimitRange", ns);
      expect(range!.props.spec.limits).toEqual([
        { type: "Container", defaultRequest: { cpu: "500m", memory: "1Gi" }, default: { memory: "4Gi" } },
      ]);
    }
  });

  it("creates low, standard and high PriorityClasses, none the global default", async () => {
    const classes = await ofType("kubernetes:scheduling.k8s.io/v1:PriorityClass", "gpu-");
    const summary = classes
      .map((c) => [c.props.metadata.name, c.props.value, c.props.preemptionPolicy, c.props.globalDefault])
      .sort((x, y) => (x[1] as number) - (y[1] as number));
    expect(summary).toEqual([
      ["gpu-low", 1000, "Never", false],
      ["gpu-standard", 10000, "PreemptLowerPriority", false],
      ["gpu-high", 100000, "PreemptLowerPriority", false],
    ]);
  });

  it("keeps teams off the PriorityClasses above their level", async () => {
    const cap = async (ns: string) =>
      (await inNamespace(QUOTA, ns)).find((q) => q.props.metadata.name === "gpu-priority-cap")?.props.spec;
    expect(await cap("vision")).toEqual({
      hard: { pods: "0" },
      scopeSelector: {
        matchExpressions: [
          { scopeName: "PriorityClass", operator: "In", values: ["gpu-standard", "gpu-high"] },
        ],
      },
    });
    expect((await cap("ops"))!.scopeSelector.matchExpressions[0].values).toEqual(["gpu-high"]);
    expect(await cap("research")).toBeUndefined();
  });

  it("creates a protected namespace per team with Pod Security enforced", async () => {
    for (const team of ["research", "vision", "ops"]) {
      const ns = await byName("kubernetes:core/v1:Namespace", team);
      expect(ns.props.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
      expect(ns.props.metadata.labels.environment).toBe("dev");
      expect(ns.options.protect).toBe(true);
    }
  });

  it("selects each pool's nodes by the GFD product label, with the GPU taint and its toleration", async () => {
    const l4 = await byName(RF, "gpu-l4");
    expect(l4.props.apiVersion).toBe("kueue.x-k8s.io/v1beta2");
    expect(l4.props.spec).toEqual({
      nodeLabels: { "nvidia.com/gpu.product": "NVIDIA-L4" },
      nodeTaints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
      tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
    });
    expect((await byName(RF, "gpu-t4")).props.spec.nodeLabels).toEqual({
      "nvidia.com/gpu.product": "Tesla-T4",
    });
    expect((await byName(RF, "gpu-cpu")).props.spec).toEqual({});
  });

  it("gives each team a ClusterQueue in the cohort with its GPU quota per pool and its borrowing limits", async () => {
    const research = (await byName(CQ, "gpu-research")).props.spec;
    expect(research.cohortName).toBe("gpu");
    expect(research.cohort).toBeUndefined();
    expect(research.namespaceSelector).toEqual({
      matchLabels: { "kubernetes.io/metadata.name": "research" },
    });
    expect(research.queueingStrategy).toBe("BestEffortFIFO");
    expect(research.preemption).toEqual({ reclaimWithinCohort: "Any", withinClusterQueue: "LowerPriority" });
    expect(research.resourceGroups).toEqual([
      {
        coveredResources: ["cpu", "memory"],
        flavors: [
          {
            name: "gpu-cpu",
            resources: [
              { name: "cpu", nominalQuota: "64", borrowingLimit: "0" },
              { name: "memory", nominalQuota: "256Gi", borrowingLimit: "0" },
            ],
          },
        ],
      },
      {
        coveredResources: ["nvidia.com/gpu"],
        flavors: [
          { name: "gpu-l4", resources: [{ name: "nvidia.com/gpu", nominalQuota: 4, borrowingLimit: 2 }] },
          { name: "gpu-t4", resources: [{ name: "nvidia.com/gpu", nominalQuota: 2 }] },
        ],
      },
    ]);
    const vision = (await byName(CQ, "gpu-vision")).props.spec;
    expect(vision.resourceGroups[1].flavors).toEqual([
      { name: "gpu-l4", resources: [{ name: "nvidia.com/gpu", nominalQuota: 2 }] },
    ]);
    const ops = (await byName(CQ, "gpu-ops")).props.spec;
    expect(ops.resourceGroups[1].flavors[0].resources[0]).toEqual({
      name: "nvidia.com/gpu",
      nominalQuota: 1,
      borrowingLimit: 0,
    });
  });

  it("gives each team a LocalQueue in its namespace pointing at its ClusterQueue", async () => {
    for (const team of ["research", "vision", "ops"]) {
      const [queue] = await inNamespace(LQ, team);
      expect(queue!.props.metadata.name).toBe("gpu");
      expect(queue!.props.spec).toEqual({ clusterQueue: `gpu-${team}` });
    }
  });

  it("exposes the queue per team and the scheduling per pool for jobs", async () => {
    const component = await one("mlops:index:KubernetesTrainingCluster", "gpu");
    expect(component.outputs.queueNameLabel).toBe("kueue.x-k8s.io/queue-name");
    expect(component.outputs.cohort).toBe("gpu");
    expect(component.outputs.teamQueues).toEqual({
      research: {
        namespace: "research",
        localQueue: "gpu",
        clusterQueue: "gpu-research",
        priorityClassName: "gpu-high",
      },
      vision: {
        namespace: "vision",
        localQueue: "gpu",
        clusterQueue: "gpu-vision",
        priorityClassName: "gpu-low",
      },
      ops: {
        namespace: "ops",
        localQueue: "gpu",
        clusterQueue: "gpu-ops",
        priorityClassName: "gpu-standard",
      },
    });
    expect((component.outputs.poolScheduling as Record<string, unknown>).l4).toEqual({
      flavor: "gpu-l4",
      nodeSelector: { "nvidia.com/gpu.product": "NVIDIA-L4" },
      tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
      resourceName: "nvidia.com/gpu",
    });
    expect(component.outputs.priorityClassNames).toEqual({
      low: "gpu-low",
      standard: "gpu-standard",
      high: "gpu-high",
    });
  });

  it("installs no Helm chart unless asked", async () => {
    expect(await ofType(CHART, "gpu")).toEqual([]);
    for (const cr of [...(await ofType(RF, "gpu")), ...(await ofType(CQ, "gpu"))]) {
      expect(cr.dependencies.some((d) => d.includes("helm.sh"))).toBe(false);
    }
  });
});

describe("KubernetesTrainingCluster (EKS, Kueue and device plugin installed)", () => {
  it("selects nodes by the instance type carrying the pool's GPUs per node", async () => {
    expect((await byName(RF, "eks-a100")).props.spec.nodeLabels).toEqual({
      "node.kubernetes.io/instance-type": "p4de.24xlarge",
    });
    expect((await byName(RF, "eks-l4x4")).props.spec.nodeLabels).toEqual({
      "node.kubernetes.io/instance-type": "g6.12xlarge",
    });
    const cq = (await byName(CQ, "eks-llm")).props.spec;
    expect(cq.cohortName).toBe("shared-gpus");
    expect(cq.queueingStrategy).toBe("StrictFIFO");
    expect((await inNamespace(QUOTA, "llm"))[0]!.props.spec.hard["requests.nvidia.com/gpu"]).toBe("20");
  });

  it("installs the pinned Kueue and device plugin charts in their namespaces", async () => {
    const kueue = await one(CHART, "eks-kueue");
    expect(kueue.props).toMatchObject({
      chart: "oci://registry.k8s.io/kueue/charts/kueue",
      version: "0.19.2",
      namespace: "kueue-system",
    });
    const plugin = await one(CHART, "eks-nvidia-device-plugin");
    expect(plugin.props).toMatchObject({
      chart: "nvidia-device-plugin",
      version: "0.20.0",
      repositoryOpts: { repo: "https://nvidia.github.io/k8s-device-plugin" },
      namespace: "nvidia-device-plugin",
      values: { gfd: { enabled: false } },
    });
    const pluginNs = await one("kubernetes:core/v1:Namespace", "eks-nvidia-device-plugin");
    expect(pluginNs.props.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(eks.urn).toBeDefined();
  });

  it("makes every Kueue object depend on the Kueue chart", async () => {
    const kueue = await one(CHART, "eks-kueue");
    const crs = [...(await ofType(RF, "eks")), ...(await ofType(CQ, "eks")), ...(await ofType(LQ, "eks"))];
    expect(crs).toHaveLength(3 + 1 + 1);
    for (const cr of crs) expect(cr.dependencies, cr.name).toContain(kueue.urn);
  });
});

describe("KubernetesTrainingCluster (GKE, AKS, explicit labels)", () => {
  it("uses the GKE accelerator label on gcp", async () => {
    expect((await byName(RF, "gke-l4")).props.spec.nodeLabels).toEqual({
      "cloud.google.com/gke-accelerator": "nvidia-l4",
    });
    expect(gke.urn).toBeDefined();
  });

  it("uses the AKS accelerator label and VM size on azure, and tolerates the AKS sku=gpu taint", async () => {
    const spec = (await byName(RF, "aks-a100")).props.spec;
    expect(spec.nodeLabels).toEqual({
      "kubernetes.azure.com/accelerator": "nvidia",
      "node.kubernetes.io/instance-type": "Standard_NC24ads_A100_v4",
    });
    expect(spec.tolerations).toContainEqual({
      key: "sku",
      operator: "Equal",
      value: "gpu",
      effect: "NoSchedule",
    });
    expect(aks.urn).toBeDefined();
  });

  it("uses the given node labels for a GPU with several board variants", async () => {
    expect((await byName(RF, "bare-a100")).props.spec.nodeLabels).toEqual({
      "nvidia.com/gpu.product": "NVIDIA-A100-SXM4-40GB",
    });
    expect(bare.urn).toBeDefined();
  });
});

describe("KubernetesTrainingCluster validation", () => {
  const base = {
    tags,
    pools: [{ name: "l4", accelerator: "nvidia-l4", maxNodes: 4 }],
    teams: [{ name: "research", gpuQuota: { l4: 2 } }],
  };
  const attempt = (overrides: Record<string, unknown>) => () =>
    new KubernetesTrainingCluster("bad", { ...base, ...overrides } as never);

  it("refuses quotas and requests at or below zero, which Kubernetes refuses or which give nothing", () => {
    for (const quota of ["-5Gi", "0", "-8"]) {
      expect(attempt({ teams: [{ name: "research", gpuQuota: { l4: 2 }, cpuQuota: quota }] })).toThrow(
        new RegExp(`args\\.teams\\[0\\]\\.cpuQuota = "${quota}": `),
      );
      expect(attempt({ teams: [{ name: "research", gpuQuota: { l4: 2 }, memoryQuota: quota }] })).toThrow(
        new RegExp(`args\\.teams\\[0\\]\\.memoryQuota = "${quota}": `),
      );
    }
    expect(attempt({ teams: [{ name: "research", gpuQuota: { l4: 2 }, memoryQuota: "0Gi" }] })).toThrow(
      /memoryQuota = "0Gi": must be above zero\. Fix:/,
    );
    expect(attempt({ teams: [{ name: "research", gpuQuota: { l4: 2 }, cpuQuota: "500m" }] })).not.toThrow();
  });

  it("refuses an unknown accelerator", () => {
    const args = { pools: [{ name: "l4", accelerator: "nvidia-l40s", maxNodes: 4 }] };
    expect(attempt(args)).toThrow(ArgsValidationError);
    expect(attempt(args)).toThrow(
      /args\.pools\[0\]\.accelerator = "nvidia-l40s": is not an accelerator of the catalogue\. Fix: use one of nvidia-t4, nvidia-l4/,
    );
  });

  it("refuses an accelerator the chosen cloud does not sell", () => {
    expect(attempt({ cloud: "azure" })).toThrow(
      /args\.pools\[0\]\.accelerator = "nvidia-l4": nvidia-l4 is not offered on azure/,
    );
  });

  it("refuses a gpusPerNode the catalogue does not offer for the accelerator on the cloud", () => {
    expect(
      attempt({
        cloud: "aws",
        pools: [{ name: "l4", accelerator: "nvidia-l4", gpusPerNode: 3, maxNodes: 4 }],
      }),
    ).toThrow(
      /args\.pools\[0\]\.gpusPerNode = 3: nvidia-l4 on aws has no machine type with 3 GPUs per node .*Valid GPU counts per node: 1, 4, 8/,
    );
  });

  it("refuses a team quota naming an unknown pool", () => {
    expect(attempt({ teams: [{ name: "research", gpuQuota: { h100: 2 } }] })).toThrow(
      /args\.teams\[0\]\.gpuQuota\.h100 = 2: names unknown pool 'h100'\. Fix: use one of 'l4'/,
    );
  });

  it("refuses a borrowing limit on a pool not in the team's quota", () => {
    const args = {
      pools: [...base.pools, { name: "t4", accelerator: "nvidia-t4", maxNodes: 2 }],
      teams: [{ name: "research", gpuQuota: { l4: 2 }, gpuBorrowingLimit: { t4: 1 } }],
    };
    expect(attempt(args)).toThrow(
      /args\.teams\[0\]\.gpuBorrowingLimit\.t4 = 1: sets a borrowing limit on pool 't4', which is not in the team's gpuQuota/,
    );
  });

  it("refuses duplicate team and pool names", () => {
    expect(attempt({ teams: [...base.teams, { name: "research", gpuQuota: { l4: 1 } }] })).toThrow(
      /args\.teams\[1\]\.name = "research": team 'research' is declared twice/,
    );
    expect(
      attempt({ pools: [...base.pools, { name: "l4", accelerator: "nvidia-t4", maxNodes: 1 }] }),
    ).toThrow(/args\.pools\[1\]\.name = "l4": pool 'l4' is declared twice/);
  });

  it("refuses guarantees beyond a pool's capacity and a system namespace as a team", () => {
    expect(attempt({ teams: [{ name: "research", gpuQuota: { l4: 5 } }] })).toThrow(
      /args\.pools\[0\]\.maxNodes = 4: gives pool 'l4' 4 GPUs \(maxNodes × gpusPerNode\), less than the 5 the teams are guaranteed/,
    );
    expect(attempt({ teams: [{ name: "kube-system", gpuQuota: { l4: 1 } }] })).toThrow(
      /args\.teams\[0\]\.name = "kube-system": is a system namespace/,
    );
  });

  it("refuses a multi-variant GPU on a GFD-labelled cluster without node labels", () => {
    expect(attempt({ pools: [{ name: "l4", accelerator: "nvidia-h100-80gb", maxNodes: 4 }] })).toThrow(
      /args\.pools\[0\]\.accelerator = "nvidia-h100-80gb": nvidia-h100-80gb comes in several board variants .*Fix: set poolNodeLabels for this pool/,
    );
  });

  it("refuses a pool named like the CPU flavor", () => {
    expect(attempt({ pools: [{ name: "cpu", accelerator: "nvidia-l4", maxNodes: 4 }], teams: [] })).toThrow(
      /args\.pools\[0\]\.name = "cpu": is reserved for the CPU and memory flavor/,
    );
  });

  it("refuses the device plugin on GKE, and node labels for an unknown pool", () => {
    expect(attempt({ cloud: "gcp", installDevicePlugin: true })).toThrow(
      /args\.installDevicePlugin = true: GKE installs and manages its own NVIDIA device plugin/,
    );
    expect(attempt({ poolNodeLabels: { a100: { x: "y" } } })).toThrow(
      /args\.poolNodeLabels\.a100 = \{"x":"y"\}: names unknown pool 'a100'/,
    );
  });
});
