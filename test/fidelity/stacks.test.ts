import { beforeAll, describe, expect, it } from "vitest";
import { clusterProblems, objectProblems } from "./checks";
import { formatProblems, type Manifest, type Problem, type Program, previewManifests } from "./manifests";
import type { AddOns } from "./promql";
import type { External } from "./xref";

/**
 * The programs meant to share one cluster: the `local` platform stack and the app team's example,
 * whose README says it runs beside it (same namespace, the platform's registry).
 */
const SHARED_CLUSTER: Program[] = [
  { stack: "local" },
  { stack: "dev", dir: "examples/kubernetes-recommender" },
];

/** What the programs refer to and the user provides, each where its documentation says so. */
const EXTERNALS: External[] = [
  {
    kind: "ConfigMap",
    namespace: "mlops",
    name: "recommender-reference",
    documented:
      "stacks/Pulumi.local.yaml, mlops:monitoring.referenceUri: written by `mlops profile`, stored in this ConfigMap",
  },
  {
    kind: "PersistentVolumeClaim",
    namespace: "mlops",
    name: "recommender-reference",
    documented:
      "examples/kubernetes-recommender/Pulumi.yaml, config referenceUri: written by `mlops profile`",
  },
];

/** The cluster add-ons README.md "What the `local` stack needs in the cluster" lists, and what they export. */
const ADD_ONS: AddOns = {
  pushgateways: ["http://prometheus-pushgateway.monitoring.svc:9091"],
  series: [
    {
      names: ["kube_deployment_status_replicas_available"],
      exporter: "kube-state-metrics",
      documented: "part of kube-prometheus-stack (README.md); the dashboard's Replicas panel names it",
    },
    {
      names: ["rollout_info_replicas_available"],
      exporter: "the Argo Rollouts controller",
      documented: "README.md lists the controller; the dashboard's Replicas panel names it",
    },
  ],
};

let manifests: Manifest[] = [];
let byCheck: Record<string, Problem[]> = {};

beforeAll(async () => {
  const programs = await Promise.all(SHARED_CLUSTER.map(previewManifests));
  manifests = programs.flat();
  // kube-prometheus-stack's Prometheus runs in `monitoring` (the canary analysis queries
  // prometheus-operated.monitoring.svc).
  byCheck = await clusterProblems(manifests, {
    externals: EXTERNALS,
    addOns: ADD_ONS,
    prometheusNamespace: "monitoring",
  });
});

describe("the programs sharing a cluster (stacks -s local, examples/kubernetes-recommender -s dev)", () => {
  it("are previewed, with the kinds these checks must cover", () => {
    const kinds = new Set(manifests.map((m) => m.kind));
    for (const k of [
      "Rollout",
      "Service",
      "PodMonitor",
      "PrometheusRule",
      "AnalysisTemplate",
      "HTTPRoute",
      "ClusterQueue",
    ]) {
      expect(kinds, k).toContain(k);
    }
  });

  it("have objects that their APIs' published schemas and the API server's name rules accept", async () => {
    expect(formatProblems(await objectProblems(manifests))).toEqual([]);
  });

  for (const check of [
    "probePorts",
    "services",
    "selectors",
    "networkPolicies",
    "podMonitors",
    "scrapeReachability",
    "autoscalers",
    "podSecurity",
    "podReferences",
    "objectReferences",
    "promql",
    "collisions",
  ]) {
    it(`pass the cross-reference check '${check}'`, () => {
      expect(byCheck[check], `unknown check ${check}`).toBeDefined();
      expect(formatProblems(byCheck[check]!)).toEqual([]);
    });
  }
});
