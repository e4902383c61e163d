import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { childName } from "./core/naming";
import { statefulOptions } from "./core/protection";
import { type StandardTags, standardTagsSchema } from "./core/tags";
import { ArgsValidationError, dnsLabelSchema, validateArgs } from "./core/validation";
import { KubernetesFeatureStore, type KubernetesFeatureStoreOptions } from "./kubernetes/featureStore";
import { objectMeta } from "./kubernetes/metadata";
import { KubernetesModelRegistry, type KubernetesModelRegistryOptions } from "./kubernetes/modelRegistry";
import { KubernetesMonitoring, type KubernetesMonitoringOptions } from "./kubernetes/monitoring";
import {
  KubernetesServingEndpoint,
  type KubernetesServingEndpointOptions,
} from "./kubernetes/servingEndpoint";
import {
  KubernetesTrainingCluster,
  type KubernetesTrainingClusterOptions,
  type TrainingTeamQueue,
} from "./kubernetes/trainingCluster";
import type {
  FeatureStoreSpec,
  ModelRegistrySpec,
  MonitoringSpec,
  ServingEndpointSpec,
  TrainingClusterSpec,
} from "./spec";

/** The clouds a platform can target. `kubernetes` means any conformant cluster, a laptop kind cluster included. */
export const Cloud = { Aws: "aws", Gcp: "gcp", Azure: "azure", Kubernetes: "kubernetes" } as const;
/** A cloud a platform can target. */
export type Cloud = (typeof Cloud)[keyof typeof Cloud];

/** Options of the Kubernetes slice of the platform. */
export interface KubernetesPlatformOptions {
  /**
   * Namespace for the shared services (registry, feature store, serving, monitoring).
   * @default "mlops"
   */
  namespace?: string;
  /**
   * Create the namespace (with the Pod Security Standards "restricted" enforce label).
   * @default true
   */
  createNamespace?: boolean;
  /**
   * Options of the model registry beyond the neutral spec.
   * @default {}
   */
  modelRegistry?: KubernetesModelRegistryOptions;
  /**
   * Options of the feature store beyond the neutral spec.
   * @default {}
   */
  featureStore?: KubernetesFeatureStoreOptions;
  /**
   * Options of the training cluster beyond the neutral spec.
   * @default {}
   */
  trainingCluster?: KubernetesTrainingClusterOptions;
  /**
   * Options applied to every serving endpoint, beyond the neutral spec.
   * @default {}
   */
  servingEndpoints?: KubernetesServingEndpointOptions;
  /**
   * Options applied to the monitoring of every serving endpoint, beyond the neutral spec.
   * @default {}
   */
  monitoring?: KubernetesMonitoringOptions;
}

/** Arguments of {@link MlPlatform}. */
export interface MlPlatformArgs {
  /** The cloud to build on. */
  cloud: Cloud;
  /** Governance tags applied to every resource of the platform. */
  tags: StandardTags;
  /**
   * Feature store.
   * @default none
   */
  featureStore?: FeatureStoreSpec;
  /**
   * GPU training capacity with per-team queues.
   * @default none
   */
  trainingCluster?: TrainingClusterSpec;
  /**
   * Model registry and tracking server.
   * @default none
   */
  modelRegistry?: ModelRegistrySpec;
  /**
   * Serving endpoints.
   * @default []
   */
  servingEndpoints?: ServingEndpointSpec[];
  /**
   * Drift and data-quality monitoring of the serving endpoints.
   * @default none
   */
  monitoring?: MonitoringSpec;
  /**
   * Options of the Kubernetes slice (used when `cloud` is `kubernetes`).
   * @default {}
   */
  kubernetes?: KubernetesPlatformOptions;
  /**
   * Protect every stateful child from deletion.
   * @default true
   */
  protect?: boolean;
}

const platformSchema = z.looseObject({
  cloud: z.enum(Cloud),
  tags: standardTagsSchema,
  featureStore: z.looseObject({}).optional(),
  trainingCluster: z.looseObject({}).optional(),
  modelRegistry: z.looseObject({}).optional(),
  servingEndpoints: z.array(z.looseObject({})).default([]),
  monitoring: z.looseObject({}).optional(),
  kubernetes: z
    .looseObject({
      namespace: dnsLabelSchema.default("mlops"),
      createNamespace: z.boolean().default(true),
      modelRegistry: z.looseObject({}).default({}),
      featureStore: z.looseObject({}).default({}),
      trainingCluster: z.looseObject({}).default({}),
      servingEndpoints: z.looseObject({}).default({}),
      monitoring: z.looseObject({}).default({}),
    })
    .default({
      namespace: "mlops",
      createNamespace: true,
      modelRegistry: {},
      featureStore: {},
      trainingCluster: {},
      servingEndpoints: {},
      monitoring: {},
    }),
  protect: z.boolean().default(true),
});

/** The concerns, in the order they are built. */
const CONCERNS = [
  "featureStore",
  "trainingCluster",
  "modelRegistry",
  "servingEndpoints",
  "monitoring",
] as const;
type Concern = (typeof CONCERNS)[number];

/** Which concerns each cloud can build so far. */
const SUPPORTED: Record<Cloud, ReadonlySet<Concern>> = {
  aws: new Set(),
  gcp: new Set(),
  azure: new Set(),
  kubernetes: new Set(["featureStore", "trainingCluster", "modelRegistry", "servingEndpoints", "monitoring"]),
};

/**
 * The whole MLOps platform on one cloud, from cloud-neutral specs: feature store, training
 * capacity, model registry, serving endpoints and monitoring, wired together (the registry feeds
 * serving, serving's capture feeds the drift job, the alerts feed the rollback).
 *
 * A concern that a cloud cannot build yet fails at construction with "not supported yet on
 * <cloud>", never silently.
 */
export class MlPlatform extends pulumi.ComponentResource {
  /** Tracking URI of the model registry, when there is one. */
  public readonly trackingUri: pulumi.Output<string | undefined>;
  /** Registry URI that serving reads models from, when there is a registry. */
  public readonly registryUri: pulumi.Output<string | undefined>;
  /** URL of the online feature server, when there is a feature store. */
  public readonly featureServerUrl: pulumi.Output<string | undefined>;
  /** Per team, the queue its training jobs name (`kueue.x-k8s.io/queue-name`), when there is a training cluster. */
  public readonly teamQueues: pulumi.Output<Record<string, TrainingTeamQueue> | undefined>;
  /** URL of each serving endpoint, by endpoint name. */
  public readonly endpointUrls: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: MlPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = validateArgs("MlPlatform", name, platformSchema, args);
    if (a.monitoring) {
      const uncaptured = (a.servingEndpoints as unknown as ServingEndpointSpec[]).filter(
        (e) => e.captureSamplingPercent === 0,
      );
      if (a.servingEndpoints.length === 0 || uncaptured.length > 0) {
        throw new ArgsValidationError("MlPlatform", name, [
          {
            path: "args.monitoring",
            value: uncaptured.map((e) => e.name),
            message:
              a.servingEndpoints.length === 0
                ? "monitoring watches serving endpoints, and there are none. Fix: add servingEndpoints or remove monitoring"
                : "the drift job reads captured requests, and these endpoints capture none (captureSamplingPercent 0). Fix: capture a share of requests",
          },
        ]);
      }
    }
    for (const concern of CONCERNS) {
      const present =
        concern === "servingEndpoints" ? a.servingEndpoints.length > 0 : a[concern] !== undefined;
      if (present && !SUPPORTED[a.cloud].has(concern)) {
        throw new ArgsValidationError("MlPlatform", name, [
          {
            path: `args.${concern}`,
            value: a.cloud,
            message: `${concern} is not supported yet on ${a.cloud}. Fix: remove it from this stack, or use cloud 'kubernetes' where it is available`,
          },
        ]);
      }
    }
    // The retraining webhook URL often carries a token: secret in the platform's inputs in the state.
    const webhook = args.monitoring?.retrainWebhookUrl;
    super(
      "mlops:index:MlPlatform",
      name,
      webhook === undefined
        ? args
        : { ...args, monitoring: { ...args.monitoring!, retrainWebhookUrl: pulumi.secret(webhook) } },
      opts,
    );

    let registry: KubernetesModelRegistry | undefined;
    let training: KubernetesTrainingCluster | undefined;
    let featureStore: KubernetesFeatureStore | undefined;
    const endpoints: { name: string; url: pulumi.Output<string> }[] = [];
    if (a.cloud === "kubernetes") {
      const k = a.kubernetes;
      const namespace = k.createNamespace
        ? new k8s.core.v1.Namespace(
            childName(name, "namespace"),
            {
              metadata: {
                ...objectMeta({ name: k.namespace, tags: a.tags, app: "mlops", instance: name }),
                labels: {
                  ...objectMeta({ name: k.namespace, tags: a.tags, app: "mlops", instance: name }).labels,
                  "pod-security.kubernetes.io/enforce": "restricted",
                  "pod-security.kubernetes.io/enforce-version": "latest",
                },
              },
            },
            // Deleting a namespace deletes the volumes in it, whatever Pulumi's protection says.
            statefulOptions({ parent: this }, a.protect),
          )
        : undefined;
      const childOpts = { parent: this, dependsOn: namespace ? [namespace] : [] };

      const common = { tags: a.tags, protect: a.protect };

      if (a.trainingCluster) {
        training = nested(
          ["trainingCluster", "kubernetes.trainingCluster"],
          a,
          () =>
            new KubernetesTrainingCluster(
              childName(name, "training"),
              {
                ...(a.trainingCluster as unknown as TrainingClusterSpec),
                ...(k.trainingCluster as KubernetesTrainingClusterOptions),
                ...common,
              },
              { parent: this },
            ),
        );
      }

      if (a.modelRegistry) {
        const registryOptions = k.modelRegistry as KubernetesModelRegistryOptions;
        // Training jobs in the team namespaces log runs and register models.
        const teamNamespaces =
          (a.trainingCluster as unknown as TrainingClusterSpec | undefined)?.teams.map((t) => t.name) ?? [];
        registry = nested(
          ["modelRegistry", "kubernetes.modelRegistry"],
          a,
          () =>
            new KubernetesModelRegistry(
              childName(name, "registry"),
              {
                ...(a.modelRegistry as ModelRegistrySpec),
                ...registryOptions,
                allowedNamespaces: [
                  ...new Set([...(registryOptions.allowedNamespaces ?? []), ...teamNamespaces]),
                ],
                namespace: k.namespace,
                ...common,
              },
              childOpts,
            ),
        );
      }

      if (a.featureStore) {
        featureStore = nested(
          ["featureStore", "kubernetes.featureStore"],
          a,
          () =>
            new KubernetesFeatureStore(
              childName(name, "features"),
              {
                ...(a.featureStore as unknown as FeatureStoreSpec),
                ...(k.featureStore as KubernetesFeatureStoreOptions),
                namespace: k.namespace,
                ...common,
              },
              childOpts,
            ),
        );
      }

      for (const [i, raw] of a.servingEndpoints.entries()) {
        const spec = raw as unknown as ServingEndpointSpec;
        const endpoint = nested(
          [`servingEndpoints[${i}]`, "kubernetes.servingEndpoints"],
          a,
          () =>
            new KubernetesServingEndpoint(
              childName(name, spec.name ?? `endpoint${i}`),
              {
                ...spec,
                ...(k.servingEndpoints as KubernetesServingEndpointOptions),
                namespace: k.namespace,
                // The registry feeds serving: `models:/` URIs resolve against it.
                ...(registry ? { registryUri: registry.registryUri } : {}),
                // The monitoring of 0.1 created this endpoint's PodMonitor; keep its URN. A platform
                // nested in another component has a type chain this cannot know: no alias there.
                ...(a.monitoring && !opts?.parent
                  ? {
                      previousPodMonitorUrn: previousPodMonitorUrn(childName(name, spec.name, "monitoring"), [
                        "mlops:index:MlPlatform",
                      ]),
                    }
                  : {}),
                ...common,
              },
              childOpts,
            ),
        );
        endpoints.push({ name: spec.name, url: endpoint.url });

        // Serving's capture feeds the drift job; its metrics feed the alerts, which share their
        // PromQL with the canary analysis that rolls a bad version back.
        if (a.monitoring) {
          nested(
            ["monitoring", "kubernetes.monitoring"],
            a,
            () =>
              new KubernetesMonitoring(
                childName(name, spec.name, "monitoring"),
                {
                  ...(a.monitoring as unknown as MonitoringSpec),
                  ...(k.monitoring as KubernetesMonitoringOptions),
                  tags: a.tags,
                  namespace: k.namespace,
                  endpointName: spec.name,
                  podSelector: endpoint.metricsSelector,
                  metricsPortName: endpoint.metricsPortName,
                  captureClaimName: endpoint.captureVolumeClaimName,
                  variants: spec.variants.filter((v) => !v.shadow).map((v) => v.name),
                },
                childOpts,
              ),
          );
        }
      }
    }

    this.trackingUri = registry ? registry.trackingUri : pulumi.output(undefined);
    this.registryUri = registry ? registry.registryUri : pulumi.output(undefined);
    this.featureServerUrl = featureStore ? featureStore.featureServerUrl : pulumi.output(undefined);
    this.teamQueues = training ? training.teamQueues : pulumi.output(undefined);
    this.endpointUrls = pulumi.output(Object.fromEntries(endpoints.map((e) => [e.name, e.url] as const)));
    this.registerOutputs({
      trackingUri: this.trackingUri,
      registryUri: this.registryUri,
      featureServerUrl: this.featureServerUrl,
      teamQueues: this.teamQueues,
      endpointUrls: this.endpointUrls,
    });
  }
}

/**
 * Builds a child component from fields merged out of several platform args, and re-roots its
 * validation errors at the field the user wrote (`args.kubernetes.modelRegistry.replicas`), not at
 * the child's internals. `sources` are dotted paths into the platform args, most specific last.
 */
function nested<T>(sources: string[], platformArgs: Record<string, unknown>, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (!(err instanceof ArgsValidationError)) throw err;
    const lookup = (path: string) =>
      path
        .split(".")
        .reduce<unknown>(
          (o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined),
          platformArgs,
        );
    const problems = err.problems.map((p) => {
      const field = /^args\.([^.[]+)/.exec(p.path)?.[1];
      if (!field || field === "tags") return p;
      const source =
        [...sources].reverse().find((s) => {
          const obj = lookup(s);
          return obj && typeof obj === "object" && field in obj;
        }) ?? sources[0];
      return { ...p, path: p.path.replace(/^args/, `args.${source}`) };
    });
    throw new ArgsValidationError("MlPlatform", err.resourceName, problems);
  }
}

/**
 * The URN of the PodMonitor that `KubernetesMonitoring` named `<monitoring>-serving` before the
 * serving endpoint scraped its own sidecars: the endpoint's PodMonitor keeps it as an alias.
 * `parentTypes` is the type chain above the monitoring component (`MlPlatform`'s own type when the
 * platform built it). It is formed from strings, not from a parent's `urn` Output: an alias that
 * depends on an ancestor's URN would wait for that ancestor to finish, which waits for the child.
 */
export function previousPodMonitorUrn(monitoringName: string, parentTypes: string[] = []): string {
  const types = [
    ...parentTypes,
    "mlops:index:KubernetesMonitoring",
    "kubernetes:monitoring.coreos.com/v1:PodMonitor",
  ];
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${types.join("$")}::${childName(monitoringName, "serving")}`;
}
