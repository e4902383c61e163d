import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { z } from "zod";
import { childName, dnsLabel } from "../core/naming";
import { statefulOptions } from "../core/protection";
import { type StandardTags, standardTagsSchema } from "../core/tags";
import { dnsLabelSchema, imageSchema, quantitySchema, validateArgs } from "../core/validation";
import type { FeatureStoreSpec } from "../spec";
import { renderFeatureStoreYaml, renderFeaturesPy } from "./feast/repository";
import { checkFeatureStoreSpec, FEAST_NAME_PATTERN, featureStoreSpecShape } from "./feast/specSchema";
import { objectMeta, selectorLabels } from "./metadata";
import { requireServiceNames } from "./physicalNames";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./security";

/** Port of `feast serve` (HTTP). */
const FEATURE_SERVER_PORT = 6566;
/** Port of `feast serve_registry` (gRPC). */
const REGISTRY_PORT = 6570;
const REDIS_PORT = 6379;
/** UID of the `redis` user in the official Debian-based image. */
const REDIS_UID = 999;
/** The environment variable `feature_store.yaml` reads the Redis connection string from. */
const REDIS_CONNECTION_ENV = "FEAST_REDIS_CONNECTION_STRING";
/** Where the generated repository is mounted (file by file, see the Deployment comments). */
const REPO_DIR = "/opt/feast/repo";
const REGISTRY_DIR = "/var/lib/feast/registry";
const OFFLINE_DIR = "/var/lib/feast/offline";

/** Where the online store runs. */
export const FeastOnlineStore = { InCluster: "in-cluster", External: "external" } as const;
/** Where the online store runs. */
export type FeastOnlineStore = (typeof FeastOnlineStore)[keyof typeof FeastOnlineStore];

/** Arguments of {@link KubernetesFeatureStore}. */
export interface KubernetesFeatureStoreArgs extends FeatureStoreSpec, KubernetesFeatureStoreOptions {
  /** Governance tags, applied as labels and annotations to every object. */
  tags: StandardTags;
  /**
   * Namespace to deploy into; it must exist.
   * @default "default"
   */
  namespace?: string;
  /**
   * Protect the Redis data, its credentials, the registry and the offline volume from deletion.
   * @default true
   */
  protect?: boolean;
}

/** The Kubernetes-specific options of the feature store, beyond the neutral {@link FeatureStoreSpec}. */
export interface KubernetesFeatureStoreOptions {
  /**
   * Feast feature server image. It must carry the `feast` CLI and, for object-store URIs, the
   * fsspec driver of the scheme (`s3fs`, `gcsfs` or `adlfs`).
   * @default "quay.io/feastdev/feature-server:0.66.0"
   */
  image?: string;
  /**
   * `in-cluster` runs Redis as a StatefulSet on a protected volume (append-only file on); `external`
   * reads a Feast Redis connection string (`host:port,password=…,ssl=true`) from `redisSecretName`.
   * @default "in-cluster"
   */
  onlineStore?: FeastOnlineStore;
  /**
   * Secret (in `namespace`) holding the connection string of an external Redis. Required when
   * `onlineStore` is `external`.
   * @default none
   */
  redisSecretName?: string;
  /**
   * Key of the connection string inside `redisSecretName`.
   * @default "connection-string"
   */
  redisSecretKey?: string;
  /**
   * Redis image for the in-cluster online store (official Debian-based image, UID 999).
   * @default "redis:7.4.2"
   */
  redisImage?: string;
  /**
   * Size of the in-cluster Redis volume.
   * @default "8Gi"
   */
  redisStorageSize?: string;
  /**
   * Offline store: an `s3://`, `gs://`, `az://`, `abfs://` or `abfss://` prefix under which the
   * views' `sourcePath`s live. Unset means a protected volume, mounted in the registry server.
   * @default a protected volume
   */
  offlineStoreUri?: string;
  /**
   * Size of the offline store volume, used when `offlineStoreUri` is unset.
   * @default "50Gi"
   */
  offlineStorageSize?: string;
  /**
   * Registry: an `s3://` or `gs://` URI of `registry.db`. Unset means `registry.db` on a protected
   * volume, owned by the registry server.
   * @default a protected volume
   */
  registryPath?: string;
  /**
   * Size of the registry volume, used when `registryPath` is unset.
   * @default "1Gi"
   */
  registryStorageSize?: string;
  /**
   * How long the servers cache the registry before re-reading it, in seconds (`cache_ttl_seconds`
   * of the registry server, `--registry_ttl_sec` of the feature servers).
   * @default 60
   */
  registryCacheTtlSeconds?: number;
  /**
   * StorageClass of the volumes.
   * @default the cluster's default StorageClass
   */
  storageClassName?: string;
  /**
   * Minimum feature server replicas (the HorizontalPodAutoscaler's floor).
   * @default 2
   */
  minReplicas?: number;
  /**
   * Maximum feature server replicas.
   * @default 5
   */
  maxReplicas?: number;
  /**
   * Average CPU utilisation (percent of the request) the autoscaler keeps the feature servers at.
   * @default 70
   */
  targetCpuUtilization?: number;
  /**
   * Namespaces (by name) whose pods may call the feature server, besides its own.
   * @default []
   */
  allowedNamespaces?: string[];
  /**
   * Annotations of the servers' ServiceAccount, e.g. `eks.amazonaws.com/role-arn` or
   * `iam.gke.io/gcp-service-account` for workload identity to the object store.
   * @default {}
   */
  serviceAccountAnnotations?: Record<string, string>;
  /**
   * CPU request of a feature server (the limit is four times the request).
   * @default "250m"
   */
  cpu?: string;
  /**
   * Memory request and limit of a feature server.
   * @default "1Gi"
   */
  memory?: string;
}

const objectStoreUri = (schemes: readonly string[], fix: string) =>
  z.string().refine(
    (u) => {
      const m = /^([a-z0-9]+):\/\/([^/\s]+)(\/[^\s]*)?$/.exec(u);
      return m !== null && schemes.includes(m[1]!);
    },
    `must be a ${schemes.map((s) => `${s}://`).join(", ")} URI with a bucket or container. Fix: ${fix}`,
  );

const argsSchema = z
  .strictObject({
    tags: standardTagsSchema,
    project: z
      .string()
      .regex(
        FEAST_NAME_PATTERN,
        "is not a valid Feast project name. Fix: use lowercase letters, digits and '_', starting with a letter",
      )
      .optional(),
    ...featureStoreSpecShape,
    namespace: dnsLabelSchema.default("default"),
    image: imageSchema.default("quay.io/feastdev/feature-server:0.66.0"),
    onlineStore: z.enum(FeastOnlineStore).default("in-cluster"),
    redisSecretName: dnsLabelSchema.optional(),
    redisSecretKey: z.string().min(1).default("connection-string"),
    redisImage: imageSchema.default("redis:7.4.2"),
    redisStorageSize: quantitySchema.default("8Gi"),
    offlineStoreUri: objectStoreUri(
      ["s3", "gs", "az", "abfs", "abfss"],
      "Feast reads Parquet through fsspec, so give e.g. 's3://bucket/features', 'gs://bucket/features' or 'abfss://container@account.dfs.core.windows.net/features' (fsspec has no wasbs:// driver), or leave it unset to use a volume",
    )
      .transform((u) => u.replace(/\/+$/, ""))
      .optional(),
    offlineStorageSize: quantitySchema.default("50Gi"),
    registryPath: objectStoreUri(
      ["s3", "gs"],
      "Feast's file registry reads s3:// and gs:// objects natively, e.g. 's3://bucket/feast/registry.db'; leave it unset to keep registry.db on a protected volume",
    ).optional(),
    registryStorageSize: quantitySchema.default("1Gi"),
    registryCacheTtlSeconds: z.number().int().min(0).max(86400).default(60),
    storageClassName: z.string().min(1).optional(),
    minReplicas: z
      .number()
      .int()
      .min(1, "must be at least 1. Fix: use 1 or more replicas")
      .max(50)
      .default(2),
    maxReplicas: z.number().int().min(1).max(100).default(5),
    targetCpuUtilization: z.number().int().min(10).max(100).default(70),
    allowedNamespaces: z.array(dnsLabelSchema).default([]),
    serviceAccountAnnotations: z.record(z.string(), z.string()).default({}),
    cpu: quantitySchema.default("250m"),
    memory: quantitySchema.default("1Gi"),
    protect: z.boolean().default(true),
  })
  .superRefine((a, ctx) => {
    checkFeatureStoreSpec(a, ctx);
    if (a.onlineStore === "external" && !a.redisSecretName) {
      ctx.addIssue({
        code: "custom",
        path: ["redisSecretName"],
        message:
          "is required when onlineStore is 'external'. Fix: name the Secret holding the Redis connection string ('host:port,password=…')",
      });
    }
    if (a.maxReplicas < a.minReplicas) {
      ctx.addIssue({
        code: "custom",
        path: ["maxReplicas"],
        message: `is below minReplicas (${a.minReplicas}). Fix: raise maxReplicas or lower minReplicas`,
      });
    }
  });

/**
 * A Feast feature store on any Kubernetes cluster, generated from the typed spec.
 *
 * - The repository (`feature_store.yaml` and a `features.py` with the entities, sources and feature
 *   views) is rendered deterministically into a ConfigMap.
 * - A single-replica registry server owns the registry: its init container runs `feast apply`, so
 *   there is exactly one writer, and it serves the registry over gRPC (`feast serve_registry`).
 * - The feature servers (`feast serve`) read the registry from it and features from Redis; they
 *   scale with a HorizontalPodAutoscaler and keep one replica through disruptions.
 * - Redis runs in-cluster (append-only persistence on a protected volume, generated password) or is
 *   external; the offline store is Parquet on a protected volume or in object storage.
 * - NetworkPolicies admit only the allowed namespaces to the feature server and only the feature
 *   store's own servers to Redis and the registry. Every pod meets Pod Security "restricted" with a
 *   read-only root filesystem.
 *
 * The repository files are mounted one by one (`subPath`), not as a directory: Feast resolves file
 * paths before importing them, and a ConfigMap directory resolves into its hidden `..<timestamp>`
 * folder, which Python cannot import. `subPath` mounts do not follow ConfigMap updates, so the pod
 * templates carry a checksum of the repository and roll when it changes.
 *
 * Materialisation (`feast materialize-incremental`) is not scheduled here; run it where the
 * offline data is readable (the registry server has the offline volume; object stores work anywhere).
 */
export class KubernetesFeatureStore extends pulumi.ComponentResource {
  /** URL of the feature server inside the cluster (`POST /get-online-features`). */
  public readonly featureServerUrl: pulumi.Output<string>;
  /** The Feast project name. */
  public readonly project: pulumi.Output<string>;
  /** Where `registry.db` lives: an object URI, or the path on the registry server's volume. */
  public readonly registryPath: pulumi.Output<string>;
  /** Address (`host:port`) of the registry server, for clients using `registry_type: remote`. */
  public readonly registryAddress: pulumi.Output<string>;
  /** `host:port` of the in-cluster Redis, or a `secret://<namespace>/<name>/<key>` reference to the external one. */
  public readonly onlineStoreHost: pulumi.Output<string>;
  /** Where the offline Parquet files live: the object URI, or the path on the registry server's volume. */
  public readonly offlineStoreUri: pulumi.Output<string>;
  /** Name of the feature server's Service. */
  public readonly serviceName: pulumi.Output<string>;
  /** Namespace the feature store runs in. */
  public readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: KubernetesFeatureStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = validateArgs("KubernetesFeatureStore", name, argsSchema, args);
    requireServiceNames("KubernetesFeatureStore", name, [
      dnsLabel(name, "feast"),
      dnsLabel(name, "feast-registry"),
      dnsLabel(name, "feast-redis"),
    ]);
    super("mlops:index:KubernetesFeatureStore", name, args, opts);

    const ns = a.namespace;
    const project =
      a.project ??
      name
        .toLowerCase()
        .replace(/[^a-z0-9_]+/g, "_")
        .replace(/^[^a-z]+/, "");
    if (!FEAST_NAME_PATTERN.test(project)) {
      throw new pulumi.ResourceError(
        `KubernetesFeatureStore "${name}": cannot derive a Feast project name from the component name. Fix: set args.project, e.g. 'features'`,
        this,
      );
    }
    const base = dnsLabel(name, "feast");
    const registryName = dnsLabel(name, "feast-registry");
    const redisName = dnsLabel(name, "feast-redis");
    const serverLabels = selectorLabels("feast", base);
    const registryLabels = selectorLabels("feast-registry", registryName);
    const redisLabels = selectorLabels("redis", redisName);
    const meta = (objName: string, app: string, instance: string, component: string) =>
      objectMeta({ name: objName, namespace: ns, tags: a.tags, app, instance, component });
    const serverMeta = meta(base, "feast", base, "feature-server");
    const registryMeta = meta(registryName, "feast-registry", registryName, "registry");
    const redisMeta = (objName: string) => meta(objName, "redis", redisName, "online-store");
    const stateful = (o: pulumi.CustomResourceOptions) => statefulOptions(o, a.protect);
    const pvcSpec = (size: string) => ({
      accessModes: ["ReadWriteOnce"],
      ...(a.storageClassName ? { storageClassName: a.storageClassName } : {}),
      resources: { requests: { storage: size } },
    });
    const containerSecurity = restrictedContainerSecurityContext();

    // --- Online store (Redis) -------------------------------------------------------------------
    let redisSecret: { name: string; key: string };
    let onlineStoreHost: pulumi.Output<string>;
    const redisDeps: pulumi.Resource[] = [];
    if (a.onlineStore === "in-cluster") {
      const password = new random.RandomPassword(
        childName(name, "redis-password"),
        // Alphanumeric (it sits in a comma-separated connection string), and with at least four
        // letters so Feast's JSON decoding of connection parameters can never read it as a number.
        { length: 32, special: false, minLower: 2, minUpper: 2 },
        stateful({ parent: this }),
      );
      const host = `${redisName}.${ns}.svc.cluster.local`;
      const credentialsName = dnsLabel(name, "feast-redis-credentials");
      const credentials = new k8s.core.v1.Secret(
        childName(name, "redis-credentials"),
        {
          metadata: redisMeta(credentialsName),
          type: "Opaque",
          stringData: {
            password: password.result,
            "connection-string": pulumi.interpolate`${host}:${REDIS_PORT},password=${password.result}`,
          },
        },
        stateful({ parent: this }),
      );
      redisDeps.push(credentials);
      redisSecret = { name: credentialsName, key: "connection-string" };
      onlineStoreHost = pulumi.output(`${host}:${REDIS_PORT}`);

      const data = new k8s.core.v1.PersistentVolumeClaim(
        childName(name, "redis-data"),
        { metadata: redisMeta(dnsLabel(name, "feast-redis-data")), spec: pvcSpec(a.redisStorageSize) },
        stateful({ parent: this }),
      );
      new k8s.core.v1.Service(
        childName(name, "redis"),
        {
          metadata: redisMeta(redisName),
          spec: { selector: redisLabels, ports: [{ name: "redis", port: REDIS_PORT, targetPort: "redis" }] },
        },
        { parent: this },
      );
      const passwordEnv = (envName: string) => ({
        name: envName,
        valueFrom: { secretKeyRef: { name: credentialsName, key: "password" } },
      });
      new k8s.apps.v1.StatefulSet(
        childName(name, "redis"),
        {
          metadata: redisMeta(redisName),
          spec: {
            serviceName: redisName,
            replicas: 1,
            selector: { matchLabels: redisLabels },
            template: {
              metadata: { labels: redisMeta(redisName).labels },
              spec: {
                automountServiceAccountToken: false,
                securityContext: restrictedPodSecurityContext(REDIS_UID),
                containers: [
                  {
                    name: "redis",
                    image: a.redisImage,
                    command: ["redis-server"],
                    // Append-only persistence makes every acknowledged write durable across restarts;
                    // the password comes from the Secret through Kubernetes' $(VAR) expansion.
                    args: ["--appendonly", "yes", "--dir", "/data", "--requirepass", "$(REDIS_PASSWORD)"],
                    ports: [{ name: "redis", containerPort: REDIS_PORT }],
                    env: [passwordEnv("REDIS_PASSWORD"), passwordEnv("REDISCLI_AUTH")],
                    readinessProbe: {
                      exec: { command: ["sh", "-c", "redis-cli -h 127.0.0.1 ping | grep -q PONG"] },
                      periodSeconds: 10,
                      timeoutSeconds: 5,
                    },
                    livenessProbe: {
                      tcpSocket: { port: "redis" },
                      initialDelaySeconds: 15,
                      periodSeconds: 20,
                      timeoutSeconds: 5,
                    },
                    resources: {
                      requests: { cpu: "100m", memory: "256Mi" },
                      limits: { cpu: "1", memory: "1Gi" },
                    },
                    securityContext: restrictedContainerSecurityContext(REDIS_UID),
                    volumeMounts: [
                      { name: "data", mountPath: "/data" },
                      { name: "tmp", mountPath: "/tmp" },
                    ],
                  },
                ],
                volumes: [
                  { name: "data", persistentVolumeClaim: { claimName: data.metadata.name } },
                  { name: "tmp", emptyDir: {} },
                ],
              },
            },
          },
        },
        stateful({ parent: this, dependsOn: [credentials] }),
      );
      new k8s.networking.v1.NetworkPolicy(
        childName(name, "redis"),
        {
          metadata: redisMeta(redisName),
          spec: {
            podSelector: { matchLabels: redisLabels },
            policyTypes: ["Ingress"],
            ingress: [
              {
                // The feature servers read and write features; the registry server's `feast apply`
                // updates the online store's tables when views change.
                from: [
                  { podSelector: { matchLabels: serverLabels } },
                  { podSelector: { matchLabels: registryLabels } },
                ],
                ports: [{ protocol: "TCP", port: REDIS_PORT }],
              },
            ],
          },
        },
        { parent: this },
      );
    } else {
      redisSecret = { name: a.redisSecretName!, key: a.redisSecretKey };
      onlineStoreHost = pulumi.output(`secret://${ns}/${a.redisSecretName}/${a.redisSecretKey}`);
    }

    // --- Registry and offline store -------------------------------------------------------------
    const registryVolumes: k8s.types.input.core.v1.Volume[] = [];
    const registryMounts: k8s.types.input.core.v1.VolumeMount[] = [];
    let registryPath: string;
    if (a.registryPath) {
      registryPath = a.registryPath;
    } else {
      const registryData = new k8s.core.v1.PersistentVolumeClaim(
        childName(name, "registry-data"),
        {
          metadata: meta(dnsLabel(name, "feast-registry-data"), "feast-registry", registryName, "registry"),
          spec: pvcSpec(a.registryStorageSize),
        },
        stateful({ parent: this }),
      );
      registryPath = `${REGISTRY_DIR}/registry.db`;
      registryVolumes.push({
        name: "registry",
        persistentVolumeClaim: { claimName: registryData.metadata.name },
      });
      registryMounts.push({ name: "registry", mountPath: REGISTRY_DIR });
    }
    let offlineRoot: string;
    if (a.offlineStoreUri) {
      offlineRoot = a.offlineStoreUri;
    } else {
      const offline = new k8s.core.v1.PersistentVolumeClaim(
        childName(name, "offline-data"),
        {
          metadata: meta(
            dnsLabel(name, "feast-offline-data"),
            "feast-registry",
            registryName,
            "offline-store",
          ),
          spec: pvcSpec(a.offlineStorageSize),
        },
        stateful({ parent: this }),
      );
      offlineRoot = OFFLINE_DIR;
      registryVolumes.push({ name: "offline", persistentVolumeClaim: { claimName: offline.metadata.name } });
      registryMounts.push({ name: "offline", mountPath: OFFLINE_DIR });
    }

    // --- Repository -----------------------------------------------------------------------------
    const registryAddress = `${registryName}.${ns}.svc.cluster.local:${REGISTRY_PORT}`;
    const files = {
      "feature_store.yaml": renderFeatureStoreYaml({
        project,
        registry: { kind: "file", path: registryPath },
        registryCacheTtlSeconds: a.registryCacheTtlSeconds,
        redisConnectionEnv: REDIS_CONNECTION_ENV,
      }),
      "feature_store.remote.yaml": renderFeatureStoreYaml({
        project,
        registry: { kind: "remote", address: registryAddress },
        registryCacheTtlSeconds: a.registryCacheTtlSeconds,
        redisConnectionEnv: REDIS_CONNECTION_ENV,
      }),
      "features.py": renderFeaturesPy(a, (path) => `${offlineRoot}/${path}`),
    };
    const checksum = createHash("sha256").update(JSON.stringify(files)).digest("hex");
    const repoName = dnsLabel(name, "feast-repo");
    const repo = new k8s.core.v1.ConfigMap(
      childName(name, "repo"),
      { metadata: meta(repoName, "feast", base, "repository"), data: files },
      { parent: this },
    );

    const serviceAccount = new k8s.core.v1.ServiceAccount(
      childName(name, "feast"),
      {
        metadata: {
          ...serverMeta,
          annotations: { ...serverMeta.annotations, ...a.serviceAccountAnnotations },
        },
        automountServiceAccountToken: false,
      },
      { parent: this },
    );

    const env = [
      {
        name: REDIS_CONNECTION_ENV,
        valueFrom: { secretKeyRef: { name: redisSecret.name, key: redisSecret.key } },
      },
      { name: "HOME", value: "/tmp" },
      { name: "PYTHONDONTWRITEBYTECODE", value: "1" },
    ];
    const repoFile = (key: keyof typeof files, as: string) => ({
      name: "repo",
      mountPath: `${REPO_DIR}/${as}`,
      subPath: key,
      readOnly: true,
    });
    const podAnnotations = { "pulumi-mlops/repository-checksum": checksum };

    // --- Registry server ------------------------------------------------------------------------
    new k8s.apps.v1.Deployment(
      childName(name, "registry"),
      {
        metadata: registryMeta,
        spec: {
          replicas: 1,
          // One writer: the old pod releases the volume before the new one runs `feast apply`.
          strategy: { type: "Recreate" },
          selector: { matchLabels: registryLabels },
          template: {
            metadata: { labels: registryMeta.labels, annotations: podAnnotations },
            spec: {
              serviceAccountName: serviceAccount.metadata.name,
              automountServiceAccountToken: false,
              securityContext: restrictedPodSecurityContext(),
              initContainers: [
                {
                  name: "feast-apply",
                  image: a.image,
                  // Source validation would read every Parquet file; the schemas are explicit, and the
                  // data may land after the definitions.
                  command: ["feast", "-c", REPO_DIR, "apply", "--skip-source-validation"],
                  env,
                  resources: {
                    requests: { cpu: "100m", memory: "512Mi" },
                    limits: { cpu: "1", memory: "1Gi" },
                  },
                  securityContext: containerSecurity,
                  volumeMounts: [
                    repoFile("feature_store.yaml", "feature_store.yaml"),
                    repoFile("features.py", "features.py"),
                    { name: "tmp", mountPath: "/tmp" },
                    ...registryMounts,
                  ],
                },
              ],
              containers: [
                {
                  name: "registry",
                  image: a.image,
                  command: ["feast", "-c", REPO_DIR, "serve_registry", "-p", String(REGISTRY_PORT)],
                  ports: [{ name: "grpc", containerPort: REGISTRY_PORT }],
                  env,
                  // The registry server registers the standard gRPC health service.
                  startupProbe: { grpc: { port: REGISTRY_PORT }, periodSeconds: 5, failureThreshold: 60 },
                  readinessProbe: { grpc: { port: REGISTRY_PORT }, periodSeconds: 10, timeoutSeconds: 5 },
                  livenessProbe: { grpc: { port: REGISTRY_PORT }, periodSeconds: 20, timeoutSeconds: 5 },
                  resources: {
                    requests: { cpu: "100m", memory: "512Mi" },
                    limits: { cpu: "1", memory: "1Gi" },
                  },
                  securityContext: containerSecurity,
                  volumeMounts: [
                    repoFile("feature_store.yaml", "feature_store.yaml"),
                    { name: "tmp", mountPath: "/tmp" },
                    ...registryMounts,
                  ],
                },
              ],
              volumes: [
                { name: "repo", configMap: { name: repo.metadata.name } },
                { name: "tmp", emptyDir: {} },
                ...registryVolumes,
              ],
            },
          },
        },
      },
      { parent: this, dependsOn: redisDeps },
    );
    const registryService = new k8s.core.v1.Service(
      childName(name, "registry"),
      {
        metadata: registryMeta,
        spec: {
          type: "ClusterIP",
          selector: registryLabels,
          ports: [{ name: "grpc", port: REGISTRY_PORT, targetPort: "grpc", appProtocol: "grpc" }],
        },
      },
      { parent: this },
    );
    new k8s.networking.v1.NetworkPolicy(
      childName(name, "registry"),
      {
        metadata: registryMeta,
        spec: {
          podSelector: { matchLabels: registryLabels },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: serverLabels } }],
              ports: [{ protocol: "TCP", port: REGISTRY_PORT }],
            },
          ],
        },
      },
      { parent: this },
    );

    // --- Feature server -------------------------------------------------------------------------
    const probe = { httpGet: { path: "/health", port: "http" } };
    const deployment = new k8s.apps.v1.Deployment(
      childName(name, "server"),
      {
        metadata: serverMeta,
        spec: {
          // The autoscaler owns the replica count after creation; this is the starting point.
          replicas: a.minReplicas,
          selector: { matchLabels: serverLabels },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: {
            metadata: { labels: serverMeta.labels, annotations: podAnnotations },
            spec: {
              serviceAccountName: serviceAccount.metadata.name,
              automountServiceAccountToken: false,
              securityContext: restrictedPodSecurityContext(),
              containers: [
                {
                  name: "feature-server",
                  image: a.image,
                  command: [
                    "feast",
                    "-c",
                    REPO_DIR,
                    "serve",
                    "-h",
                    "0.0.0.0",
                    "-p",
                    String(FEATURE_SERVER_PORT),
                    // How often the server re-reads the registry from the registry server.
                    "--registry_ttl_sec",
                    String(a.registryCacheTtlSeconds),
                  ],
                  ports: [{ name: "http", containerPort: FEATURE_SERVER_PORT }],
                  env,
                  // /health answers 200 once the registry (from the registry server) is readable.
                  startupProbe: { ...probe, periodSeconds: 5, failureThreshold: 60 },
                  readinessProbe: { ...probe, periodSeconds: 10, timeoutSeconds: 5 },
                  livenessProbe: { ...probe, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
                  resources: {
                    requests: { cpu: a.cpu, memory: a.memory },
                    limits: { cpu: scaleCpu(a.cpu, 4), memory: a.memory },
                  },
                  securityContext: containerSecurity,
                  volumeMounts: [
                    repoFile("feature_store.remote.yaml", "feature_store.yaml"),
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ],
              volumes: [
                { name: "repo", configMap: { name: repo.metadata.name } },
                { name: "tmp", emptyDir: {} },
              ],
            },
          },
        },
      },
      // The autoscaler changes the replica count; Pulumi must not reset it on every update.
      { parent: this, dependsOn: [registryService, ...redisDeps], ignoreChanges: ["spec.replicas"] },
    );
    const service = new k8s.core.v1.Service(
      childName(name, "server"),
      {
        metadata: serverMeta,
        spec: {
          type: "ClusterIP",
          selector: serverLabels,
          ports: [{ name: "http", port: FEATURE_SERVER_PORT, targetPort: "http" }],
        },
      },
      { parent: this },
    );
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      childName(name, "server"),
      {
        metadata: serverMeta,
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
          minReplicas: a.minReplicas,
          maxReplicas: a.maxReplicas,
          metrics: [
            {
              type: "Resource",
              resource: {
                name: "cpu",
                target: { type: "Utilization", averageUtilization: a.targetCpuUtilization },
              },
            },
          ],
        },
      },
      { parent: this },
    );
    new k8s.policy.v1.PodDisruptionBudget(
      childName(name, "server"),
      // maxUnavailable rather than minAvailable: it never blocks a drain when only one replica runs.
      { metadata: serverMeta, spec: { maxUnavailable: 1, selector: { matchLabels: serverLabels } } },
      { parent: this },
    );
    new k8s.networking.v1.NetworkPolicy(
      childName(name, "server"),
      {
        metadata: serverMeta,
        spec: {
          podSelector: { matchLabels: serverLabels },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                { podSelector: {} },
                ...a.allowedNamespaces.map((n) => ({
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": n } },
                })),
              ],
              ports: [{ protocol: "TCP", port: FEATURE_SERVER_PORT }],
            },
          ],
        },
      },
      { parent: this },
    );

    this.namespace = pulumi.output(ns);
    this.project = pulumi.output(project);
    this.serviceName = service.metadata.name;
    this.featureServerUrl = pulumi.interpolate`http://${service.metadata.name}.${ns}.svc.cluster.local:${FEATURE_SERVER_PORT}`;
    this.registryPath = pulumi.output(registryPath);
    this.registryAddress = pulumi.interpolate`${registryService.metadata.name}.${ns}.svc.cluster.local:${REGISTRY_PORT}`;
    this.onlineStoreHost = onlineStoreHost;
    this.offlineStoreUri = pulumi.output(offlineRoot);
    this.registerOutputs({
      featureServerUrl: this.featureServerUrl,
      project: this.project,
      registryPath: this.registryPath,
      registryAddress: this.registryAddress,
      onlineStoreHost: this.onlineStoreHost,
      offlineStoreUri: this.offlineStoreUri,
      serviceName: this.serviceName,
      namespace: this.namespace,
    });
  }
}

/** Multiplies a CPU quantity (`250m`, `1.5`, `2`) for a limit derived from the request. */
function scaleCpu(cpu: string, factor: number): string {
  const milli = cpu.endsWith("m") ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
  return `${Math.round(milli * factor)}m`;
}
