/**
 * An app team's program: the team ships its recommender model behind an A/B endpoint with canary
 * rollouts and automatic rollback, and watches it for drift, on the platform the platform team runs.
 * In your own repository, import from "pulumi-mlops" instead of the relative path.
 */
import * as pulumi from "@pulumi/pulumi";
import { KubernetesMonitoring, KubernetesServingEndpoint, previousPodMonitorUrn } from "../../components";

const config = new pulumi.Config();
const namespace = config.require("namespace");
const tags = {
  owner: "recsys-team",
  costCenter: "cc-4711",
  environment: pulumi.getStack(),
  dataClassification: "confidential",
} as const;

// Physical names derive from `name`: it differs from the platform stack's own `recommender`
// endpoint, which runs in the same namespace, so neither overwrites the other's objects.
const endpointName = "recsys-recommender";

const endpoint = new KubernetesServingEndpoint("recommender", {
  tags,
  namespace,
  name: endpointName,
  registryUri: config.require("registryUri"),
  variants: [
    { name: "champion", modelUri: "models:/recommender/12", weight: 90, minReplicas: 2, maxReplicas: 6 },
    { name: "challenger", modelUri: "models:/recommender/13", weight: 10, minReplicas: 2, maxReplicas: 3 },
  ],
  rollout: {
    // The canary is weighted by replicas: with two to six replicas a variant can express 25% and 50%.
    steps: [{ weight: 25, pauseSeconds: 600 }, { weight: 50, pauseSeconds: 600 }, { weight: 100 }],
    maxErrorRate: 0.01,
    maxP99LatencyMs: 250,
  },
  captureSamplingPercent: 20,
  // Since 0.2 the endpoint scrapes its own sidecars; this keeps the PodMonitor that the
  // `recommender` monitoring below created in 0.1, renamed rather than deleted and recreated.
  previousPodMonitorUrn: previousPodMonitorUrn("recommender"),
});

const monitoring = new KubernetesMonitoring("recommender", {
  tags,
  namespace,
  // The capture location goes to the drift job; the metrics selector to the PodMonitor.
  endpointName,
  podSelector: endpoint.metricsSelector,
  metricsPortName: endpoint.metricsPortName,
  captureClaimName: endpoint.captureVolumeClaimName,
  variants: ["champion", "challenger"],
  referenceUri: config.require("referenceUri"),
  schedule: "15 * * * *",
  driftShareThreshold: 0.3,
  errorRateAlertThreshold: 0.02,
  p99LatencyAlertMs: 250,
  retrainWebhookUrl: "https://ci.example.com/hooks/retrain-recommender",
});

export const url = endpoint.url;
export const alerts = monitoring.alertNames;
export const driftJob = monitoring.cronJobName;
