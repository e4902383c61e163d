import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { z } from "zod";
import { childName, dnsLabel } from "../core/naming";
import { statefulOptions } from "../core/protection";
import { type StandardTags, standardTagsSchema } from "../core/tags";
import { dnsLabelSchema, imageSchema, quantitySchema, validateArgs } from "../core/validation";
import type { ModelRegistrySpec } from "../spec";
import { objectMeta, selectorLabels, VolumeAccessMode } from "./metadata";
import { requireServiceNames } from "./physicalNames";
import { scaleCpu } from "./quantity";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./security";

/** MLflow's tracking server port. */
const MLFLOW_PORT = 5000;
const POSTGRES_PORT = 5432;
/** UID of the `postgres` user in the official Debian-based image, which the entrypoint expects. */
const POSTGRES_UID = 999;

/**
 * MLflow's `-full` image: MLflow with its database drivers (psycopg2 and psycopg 3) and the S3, GCS
 * and Azure Blob SDKs (mlflow/mlflow `docker/Dockerfile.full`), so nothing is installed at pod start.
 * Pinned by tag only: pin its digest (`…:v3.9.0-full@sha256:<digest>`) where the policy requires one.
 */
export const DEFAULT_REGISTRY_IMAGE = "ghcr.io/mlflow/mlflow:v3.9.0-full";

/**
 * The SQLAlchemy URI of the in-cluster database. The driver is named: SQLAlchemy 2.1 reads a bare
 * `postgresql://` as psycopg 3, and `psycopg2` is the driver MLflow's images have carried longest
 * (the `-full` image carries both).
 */
export function postgresUri(c: { user: string; password: string; host: string; database: string }): string {
  return `postgresql+psycopg2://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@${c.host}:${POSTGRES_PORT}/${c.database}`;
}

/** Where the registry's metadata lives. */
export const RegistryBackendStore = { InCluster: "in-cluster", External: "external" } as const;
/** Where the registry's metadata lives. */
export type RegistryBackendStore = (typeof RegistryBackendStore)[keyof typeof RegistryBackendStore];

/** Arguments of {@link KubernetesModelRegistry}. */
export interface KubernetesModelRegistryArgs extends ModelRegistrySpec, KubernetesModelRegistryOptions {
  /** Governance tags, applied as labels and annotations to every object. */
  tags: StandardTags;
  /**
   * Namespace to deploy into; it must exist.
   * @default "default"
   */
  namespace?: string;
  /**
   * Protect the database, its credentials and the artifact volume from deletion.
   * @default true
   */
  protect?: boolean;
}

/** The Kubernetes-specific options of the registry, beyond the neutral {@link ModelRegistrySpec}. */
export interface KubernetesModelRegistryOptions {
  /**
   * MLflow image. It must carry the `mlflow` CLI, the `psycopg2` PostgreSQL driver and the artifact
   * store's SDK (boto3, google-cloud-storage or azure-storage-blob): nothing is installed at pod
   * start, so the registry starts on air-gapped clusters and runs only reviewed code. Pin it by tag
   * and digest (`<image>:<tag>@sha256:<digest>`).
   * @default "ghcr.io/mlflow/mlflow:v3.9.0-full" (tag only: pin its digest in production)
   */
  image?: string;
  /**
   * No longer supported: installing packages at pod start needs the internet on every start and
   * runs unpinned code. Only `false` is accepted; use an `image` that carries the drivers.
   * @default false
   */
  installDrivers?: boolean;
  /**
   * Tracking server replicas. More than one needs an external artifact store or a ReadWriteMany volume.
   * @default 1
   */
  replicas?: number;
  /**
   * `in-cluster` runs PostgreSQL as a StatefulSet on a protected volume (for `local` and small teams);
   * `external` reads a connection string from `databaseSecretName`.
   * @default "in-cluster"
   */
  backendStore?: RegistryBackendStore;
  /**
   * Secret (in `namespace`) holding the SQLAlchemy connection string of an external PostgreSQL, with
   * its driver named, e.g. `postgresql+psycopg2://mlflow:…@db.internal:5432/mlflow` (a bare
   * `postgresql://` means psycopg 3 to SQLAlchemy 2.1). Required when `backendStore` is `external`.
   * @default none
   */
  databaseSecretName?: string;
  /**
   * Key of the connection string inside `databaseSecretName`.
   * @default "uri"
   */
  databaseSecretKey?: string;
  /**
   * PostgreSQL image for the in-cluster backend (Debian-based official image, UID 999).
   * @default "postgres:16.6"
   */
  databaseImage?: string;
  /**
   * Size of the in-cluster database volume.
   * @default "10Gi"
   */
  databaseStorageSize?: string;
  /**
   * Size of the artifact volume, used when `artifactStoreUri` is unset.
   * @default "50Gi"
   */
  artifactStorageSize?: string;
  /**
   * Access mode of the artifact volume; `ReadWriteMany` is needed for more than one replica.
   * @default "ReadWriteOnce"
   */
  artifactVolumeAccessMode?: VolumeAccessMode;
  /**
   * StorageClass of the volumes.
   * @default the cluster's default StorageClass
   */
  storageClassName?: string;
  /**
   * Namespaces (by name) whose pods may reach the tracking server, besides its own.
   * @default []
   */
  allowedNamespaces?: string[];
  /**
   * Host name of an Ingress for the UI and API. No Ingress is created when unset.
   * @default none
   */
  ingressHost?: string;
  /**
   * IngressClass of the Ingress.
   * @default the cluster's default IngressClass
   */
  ingressClassName?: string;
  /**
   * Namespace of the ingress controller, allowed through the NetworkPolicy when `ingressHost` is set.
   * @default "ingress-nginx"
   */
  ingressControllerNamespace?: string;
  /**
   * TLS Secret for the Ingress host.
   * @default none (plain HTTP)
   */
  ingressTlsSecretName?: string;
  /**
   * Annotations of the server's ServiceAccount, e.g. `eks.amazonaws.com/role-arn` or
   * `iam.gke.io/gcp-service-account` for workload identity to the artifact store.
   * @default {}
   */
  serviceAccountAnnotations?: Record<string, string>;
  /**
   * CPU request of the server (the limit is four times the request).
   * @default "250m"
   */
  cpu?: string;
  /**
   * Memory request and limit of the server.
   * @default "1Gi"
   */
  memory?: string;
}

const argsSchema = z
  .strictObject({
    tags: standardTagsSchema,
    artifactStoreUri: z
      .string()
      .regex(
        /^(s3|gs|wasbs):\/\/[^\s]+$/,
        "must be an s3://, gs:// or wasbs:// URI. Fix: give the bucket URI, or leave it unset to use a volume",
      )
      .optional(),
    namespace: dnsLabelSchema.default("default"),
    image: imageSchema.default(DEFAULT_REGISTRY_IMAGE),
    installDrivers: z
      .literal(false, {
        message:
          "installing drivers at pod start is no longer supported (it needs the internet on every start and runs unpinned code). Fix: remove installDrivers, and use an image that carries the drivers (the default MLflow -full image does)",
      })
      .default(false),
    replicas: z.number().int().min(1, "must be at least 1. Fix: use 1 or more replicas").max(20).default(1),
    backendStore: z.enum(RegistryBackendStore).default("in-cluster"),
    databaseSecretName: dnsLabelSchema.optional(),
    databaseSecretKey: z.string().min(1).default("uri"),
    databaseImage: imageSchema.default("postgres:16.6"),
    databaseStorageSize: quantitySchema.default("10Gi"),
    artifactStorageSize: quantitySchema.default("50Gi"),
    artifactVolumeAccessMode: z.enum(VolumeAccessMode).default("ReadWriteOnce"),
    storageClassName: z.string().min(1).optional(),
    allowedNamespaces: z.array(dnsLabelSchema).default([]),
    ingressHost: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a DNS host name. Fix: e.g. 'mlflow.example.com'")
      .optional(),
    ingressClassName: z.string().min(1).optional(),
    ingressControllerNamespace: dnsLabelSchema.default("ingress-nginx"),
    ingressTlsSecretName: dnsLabelSchema.optional(),
    serviceAccountAnnotations: z.record(z.string(), z.string()).default({}),
    cpu: quantitySchema.default("250m"),
    memory: quantitySchema.default("1Gi"),
    protect: z.boolean().default(true),
  })
  .superRefine((a, ctx) => {
    if (a.backendStore === "external" && !a.databaseSecretName) {
      ctx.addIssue({
        code: "custom",
        path: ["databaseSecretName"],
        message:
          "is required when backendStore is 'external'. Fix: name the Secret holding the PostgreSQL connection string",
      });
    }
    if (a.replicas > 1 && !a.artifactStoreUri && a.artifactVolumeAccessMode === "ReadWriteOnce") {
      ctx.addIssue({
        code: "custom",
        path: ["replicas"],
        message:
          "more than one replica cannot share a ReadWriteOnce artifact volume. Fix: set artifactStoreUri, set artifactVolumeAccessMode to 'ReadWriteMany', or use 1 replica",
      });
    }
  });

/**
 * An MLflow tracking server and model registry on any Kubernetes cluster: the server as a
 * Deployment behind a Service, PostgreSQL as its backend store (in-cluster or external), artifacts
 * on a volume or in object storage, a NetworkPolicy that admits only the namespaces that need it,
 * and an optional Ingress. Every pod meets the Pod Security Standards "restricted" profile.
 *
 * Stateful children (the database volume and StatefulSet, its credentials, the artifact volume)
 * are protected and retained on delete; Kubernetes has no deletion guard of its own.
 */
export class KubernetesModelRegistry extends pulumi.ComponentResource {
  /** Tracking URI for `MLFLOW_TRACKING_URI` inside the cluster. */
  public readonly trackingUri: pulumi.Output<string>;
  /** Registry URI for `MLFLOW_REGISTRY_URI` (the same server serves the model registry). */
  public readonly registryUri: pulumi.Output<string>;
  /** Where artifacts are stored: the bucket URI, or `mlflow-artifacts:/` when the server proxies a volume. */
  public readonly artifactStoreUri: pulumi.Output<string>;
  /** Name of the tracking server's Service. */
  public readonly serviceName: pulumi.Output<string>;
  /** Namespace the registry runs in. */
  public readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: KubernetesModelRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = validateArgs("KubernetesModelRegistry", name, argsSchema, args);
    requireServiceNames("KubernetesModelRegistry", name, [
      dnsLabel(name, "mlflow"),
      dnsLabel(name, "mlflow-db"),
    ]);
    super("mlops:index:KubernetesModelRegistry", name, args, opts);

    const ns = a.namespace;
    const base = dnsLabel(name, "mlflow");
    const labels = selectorLabels("mlflow", base);
    const meta = (objName: string, component: string) =>
      objectMeta({ name: objName, namespace: ns, tags: a.tags, app: "mlflow", instance: base, component });
    const stateful = (o: pulumi.CustomResourceOptions) => statefulOptions(o, a.protect);

    // --- Backend store -------------------------------------------------------------------------
    let backendSecretName: string;
    let backendSecretKey: string;
    const dbName = dnsLabel(name, "mlflow-db");
    if (a.backendStore === "in-cluster") {
      const password = new random.RandomPassword(
        childName(name, "db-password"),
        { length: 32, special: false },
        stateful({ parent: this }),
      );
      const credentials = new k8s.core.v1.Secret(
        childName(name, "db-credentials"),
        {
          metadata: meta(dnsLabel(name, "mlflow-db-credentials"), "database"),
          type: "Opaque",
          stringData: {
            username: "mlflow",
            password: password.result,
            database: "mlflow",
            uri: password.result.apply((p) =>
              postgresUri({
                user: "mlflow",
                password: p,
                host: `${dbName}.${ns}.svc.cluster.local`,
                database: "mlflow",
              }),
            ),
          },
        },
        stateful({ parent: this }),
      );
      backendSecretName = dnsLabel(name, "mlflow-db-credentials");
      backendSecretKey = "uri";

      const dbLabels = selectorLabels("postgresql", dbName);
      const dbMeta = (objName: string) =>
        objectMeta({
          name: objName,
          namespace: ns,
          tags: a.tags,
          app: "postgresql",
          instance: dbName,
          component: "database",
        });
      const dbVolume = new k8s.core.v1.PersistentVolumeClaim(
        childName(name, "db-data"),
        {
          metadata: dbMeta(dnsLabel(name, "mlflow-db-data")),
          spec: {
            accessModes: ["ReadWriteOnce"],
            ...(a.storageClassName ? { storageClassName: a.storageClassName } : {}),
            resources: { requests: { storage: a.databaseStorageSize } },
          },
        },
        stateful({ parent: this }),
      );
      new k8s.core.v1.Service(
        childName(name, "db"),
        {
          metadata: dbMeta(dbName),
          spec: {
            selector: dbLabels,
            ports: [{ name: "postgres", port: POSTGRES_PORT, targetPort: "postgres" }],
          },
        },
        { parent: this },
      );
      new k8s.apps.v1.StatefulSet(
        childName(name, "db"),
        {
          metadata: dbMeta(dbName),
          spec: {
            serviceName: dbName,
            replicas: 1,
            selector: { matchLabels: dbLabels },
            template: {
              metadata: {
                labels: dbMeta(dbName).labels,
              },
              spec: {
                automountServiceAccountToken: false,
                securityContext: restrictedPodSecurityContext(POSTGRES_UID),
                containers: [
                  {
                    name: "postgres",
                    image: a.databaseImage,
                    ports: [{ name: "postgres", containerPort: POSTGRES_PORT }],
                    env: [
                      {
                        name: "POSTGRES_USER",
                        valueFrom: { secretKeyRef: { name: backendSecretName, key: "username" } },
                      },
                      {
                        name: "POSTGRES_PASSWORD",
                        valueFrom: { secretKeyRef: { name: backendSecretName, key: "password" } },
                      },
                      {
                        name: "POSTGRES_DB",
                        valueFrom: { secretKeyRef: { name: backendSecretName, key: "database" } },
                      },
                      // A subdirectory: the volume's root holds lost+found, which initdb refuses.
                      { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
                    ],
                    readinessProbe: {
                      exec: { command: ["pg_isready", "-U", "mlflow", "-d", "mlflow", "-h", "127.0.0.1"] },
                      periodSeconds: 10,
                      timeoutSeconds: 5,
                    },
                    livenessProbe: {
                      exec: { command: ["pg_isready", "-U", "mlflow", "-d", "mlflow", "-h", "127.0.0.1"] },
                      initialDelaySeconds: 30,
                      periodSeconds: 20,
                      timeoutSeconds: 5,
                    },
                    resources: {
                      requests: { cpu: "250m", memory: "512Mi" },
                      limits: { cpu: "1", memory: "1Gi" },
                    },
                    securityContext: restrictedContainerSecurityContext(POSTGRES_UID),
                    volumeMounts: [
                      { name: "data", mountPath: "/var/lib/postgresql/data" },
                      { name: "run", mountPath: "/var/run/postgresql" },
                      { name: "tmp", mountPath: "/tmp" },
                    ],
                  },
                ],
                volumes: [
                  { name: "data", persistentVolumeClaim: { claimName: dbVolume.metadata.name } },
                  { name: "run", emptyDir: {} },
                  { name: "tmp", emptyDir: {} },
                ],
              },
            },
          },
        },
        stateful({ parent: this, dependsOn: [credentials] }),
      );
      new k8s.networking.v1.NetworkPolicy(
        childName(name, "db"),
        {
          metadata: dbMeta(dbName),
          spec: {
            podSelector: { matchLabels: dbLabels },
            policyTypes: ["Ingress"],
            ingress: [
              {
                from: [{ podSelector: { matchLabels: labels } }],
                ports: [{ protocol: "TCP", port: POSTGRES_PORT }],
              },
            ],
          },
        },
        { parent: this },
      );
    } else {
      backendSecretName = a.databaseSecretName!;
      backendSecretKey = a.databaseSecretKey;
    }

    // --- Artifact store ------------------------------------------------------------------------
    let artifactsDestination: string;
    const artifactVolumes: k8s.types.input.core.v1.Volume[] = [];
    const artifactMounts: k8s.types.input.core.v1.VolumeMount[] = [];
    if (a.artifactStoreUri) {
      artifactsDestination = a.artifactStoreUri;
    } else {
      const artifacts = new k8s.core.v1.PersistentVolumeClaim(
        childName(name, "artifacts"),
        {
          metadata: meta(dnsLabel(name, "mlflow-artifacts"), "artifacts"),
          spec: {
            accessModes: [a.artifactVolumeAccessMode],
            ...(a.storageClassName ? { storageClassName: a.storageClassName } : {}),
            resources: { requests: { storage: a.artifactStorageSize } },
          },
        },
        stateful({ parent: this }),
      );
      artifactsDestination = "/mlartifacts";
      artifactVolumes.push({
        name: "artifacts",
        persistentVolumeClaim: { claimName: artifacts.metadata.name },
      });
      artifactMounts.push({ name: "artifacts", mountPath: artifactsDestination });
    }

    // --- Tracking server -----------------------------------------------------------------------
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      childName(name, "server"),
      {
        metadata: {
          ...meta(base, "server"),
          annotations: { ...meta(base, "server").annotations, ...a.serviceAccountAnnotations },
        },
        automountServiceAccountToken: false,
      },
      { parent: this },
    );

    // MLflow ≥ 3.5 rejects Host headers outside its allowed list (DNS-rebinding guard), and setting
    // the list replaces its defaults: localhost and 127.0.0.1 on any port (`kubectl port-forward`)
    // are kept, as fnmatch patterns, beside the Service names in-cluster clients call it by.
    const serviceHosts = [base, `${base}.${ns}`, `${base}.${ns}.svc`, `${base}.${ns}.svc.cluster.local`];
    const allowedHosts = [
      "localhost",
      "localhost:*",
      "127.0.0.1",
      "127.0.0.1:*",
      ...serviceHosts.flatMap((h) => [h, `${h}:${MLFLOW_PORT}`]),
      ...(a.ingressHost ? [a.ingressHost] : []),
    ];
    const containerSecurity = restrictedContainerSecurityContext();
    const probe = (path: string) => ({
      httpGet: { path, port: "http", httpHeaders: [{ name: "Host", value: "localhost" }] },
    });

    new k8s.apps.v1.Deployment(
      childName(name, "server"),
      {
        metadata: meta(base, "server"),
        spec: {
          replicas: a.replicas,
          selector: { matchLabels: labels },
          // A single replica on a ReadWriteOnce volume cannot surge onto another node.
          strategy:
            a.replicas === 1 && !a.artifactStoreUri ? { type: "Recreate" } : { type: "RollingUpdate" },
          template: {
            metadata: { labels: { ...meta(base, "server").labels } },
            spec: {
              serviceAccountName: serviceAccount.metadata.name,
              automountServiceAccountToken: false,
              securityContext: restrictedPodSecurityContext(),
              containers: [
                {
                  name: "mlflow",
                  image: a.image,
                  command: ["mlflow"],
                  args: [
                    "server",
                    "--host=0.0.0.0",
                    `--port=${MLFLOW_PORT}`,
                    "--backend-store-uri=$(MLFLOW_BACKEND_STORE_URI)",
                    `--artifacts-destination=${artifactsDestination}`,
                    "--serve-artifacts",
                  ],
                  ports: [{ name: "http", containerPort: MLFLOW_PORT }],
                  env: [
                    {
                      name: "MLFLOW_BACKEND_STORE_URI",
                      valueFrom: { secretKeyRef: { name: backendSecretName, key: backendSecretKey } },
                    },
                    { name: "MLFLOW_SERVER_ALLOWED_HOSTS", value: allowedHosts.join(",") },
                    { name: "HOME", value: "/tmp" },
                  ],
                  startupProbe: { ...probe("/health"), periodSeconds: 5, failureThreshold: 60 },
                  readinessProbe: { ...probe("/health"), periodSeconds: 10, timeoutSeconds: 5 },
                  livenessProbe: {
                    ...probe("/health"),
                    periodSeconds: 20,
                    timeoutSeconds: 5,
                    failureThreshold: 3,
                  },
                  resources: {
                    requests: { cpu: a.cpu, memory: a.memory },
                    limits: { cpu: scaleCpu(a.cpu, 4), memory: a.memory },
                  },
                  securityContext: containerSecurity,
                  volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, ...artifactMounts],
                },
              ],
              volumes: [{ name: "tmp", emptyDir: {} }, ...artifactVolumes],
            },
          },
        },
      },
      { parent: this },
    );

    const service = new k8s.core.v1.Service(
      childName(name, "server"),
      {
        metadata: meta(base, "server"),
        spec: {
          type: "ClusterIP",
          selector: labels,
          ports: [{ name: "http", port: MLFLOW_PORT, targetPort: "http" }],
        },
      },
      { parent: this },
    );

    if (a.replicas > 1) {
      new k8s.policy.v1.PodDisruptionBudget(
        childName(name, "server"),
        { metadata: meta(base, "server"), spec: { minAvailable: 1, selector: { matchLabels: labels } } },
        { parent: this },
      );
    }

    const peers: k8s.types.input.networking.v1.NetworkPolicyPeer[] = [
      { podSelector: {} },
      ...a.allowedNamespaces.map((n) => ({
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": n } },
      })),
      ...(a.ingressHost
        ? [
            {
              namespaceSelector: {
                matchLabels: { "kubernetes.io/metadata.name": a.ingressControllerNamespace },
              },
            },
          ]
        : []),
    ];
    new k8s.networking.v1.NetworkPolicy(
      childName(name, "server"),
      {
        metadata: meta(base, "server"),
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ["Ingress"],
          ingress: [{ from: peers, ports: [{ protocol: "TCP", port: MLFLOW_PORT }] }],
        },
      },
      { parent: this },
    );

    if (a.ingressHost) {
      new k8s.networking.v1.Ingress(
        childName(name, "server"),
        {
          metadata: meta(base, "server"),
          spec: {
            ...(a.ingressClassName ? { ingressClassName: a.ingressClassName } : {}),
            ...(a.ingressTlsSecretName
              ? { tls: [{ hosts: [a.ingressHost], secretName: a.ingressTlsSecretName }] }
              : {}),
            rules: [
              {
                host: a.ingressHost,
                http: {
                  paths: [
                    {
                      path: "/",
                      pathType: "Prefix",
                      backend: { service: { name: base, port: { number: MLFLOW_PORT } } },
                    },
                  ],
                },
              },
            ],
          },
        },
        { parent: this, dependsOn: [service] },
      );
    }

    this.namespace = pulumi.output(ns);
    this.serviceName = service.metadata.name;
    this.trackingUri = pulumi.interpolate`http://${service.metadata.name}.${ns}.svc.cluster.local:${MLFLOW_PORT}`;
    this.registryUri = this.trackingUri;
    this.artifactStoreUri = pulumi.output(a.artifactStoreUri ?? "mlflow-artifacts:/");
    this.registerOutputs({
      trackingUri: this.trackingUri,
      registryUri: this.registryUri,
      artifactStoreUri: this.artifactStoreUri,
      serviceName: this.serviceName,
      namespace: this.namespace,
    });
  }
}
