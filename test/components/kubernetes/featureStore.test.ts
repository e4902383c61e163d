import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ArgsValidationError } from "../../../components/core/validation";
import { KubernetesFeatureStore } from "../../../components/kubernetes/featureStore";
import { UNKNOWN } from "../../../offline/properties";
import { descendantsOf, ofType, one, podSpecsOf } from "../../helpers/capture";
import { expectRestricted } from "../../helpers/restricted";

const tags = {
  owner: "ml-platform@example.com",
  costCenter: "cc-42",
  environment: "dev",
  dataClassification: "internal",
} as const;

const spec = {
  entities: [
    { name: "customer", joinKeys: ["customer_id"], description: "A paying customer" },
    { name: "merchant", joinKeys: ["merchant_id"], valueType: "string" as const },
  ],
  featureViews: [
    {
      name: "customer_stats",
      entities: ["customer"],
      features: [
        { name: "orders_7d", type: "int64" as const },
        { name: "spend_7d", type: "float64" as const },
        { name: "is_vip", type: "bool" as const },
      ],
      ttlSeconds: 3600,
      sourcePath: "customers/stats.parquet",
      timestampField: "event_ts",
    },
    {
      name: "merchant_risk",
      entities: ["merchant", "customer"],
      features: [
        { name: "risk_score", type: "float32" as const },
        { name: "last_seen", type: "unix_timestamp" as const },
        { name: "segment", type: "string" as const },
      ],
      ttlSeconds: 0,
      sourcePath: "merchants/risk",
      timestampField: "ts",
      online: false,
    },
  ],
};

// Two feature stores in one worker: the local default (in-cluster Redis, volumes for the registry and
// the offline store) and one on external Redis with S3 for the offline store and the registry.
const local = new KubernetesFeatureStore("fs", { tags, namespace: "mlops", ...spec });
const external = new KubernetesFeatureStore("ext-fs", {
  tags: { ...tags, environment: "prod" },
  namespace: "features",
  project: "fraud",
  ...spec,
  onlineStore: "external",
  redisSecretName: "redis-conn",
  offlineStoreUri: "s3://acme-features/offline/",
  registryPath: "s3://acme-features/registry/registry.db",
  minReplicas: 3,
  maxReplicas: 10,
  allowedNamespaces: ["serving", "training"],
  serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/feast" },
});

async function repoFiles(configMapName: string): Promise<Record<string, string>> {
  return (await one("kubernetes:core/v1:ConfigMap", configMapName)).props.data;
}

describe("KubernetesFeatureStore (in-cluster Redis, volumes)", () => {
  it("registers its children under the component with derived names", async () => {
    const component = await one("mlops:index:KubernetesFeatureStore", "fs");
    const children = await descendantsOf(component.urn);
    expect(children.map((c) => `${c.type}::${c.name}`).sort()).toEqual(
      [
        "kubernetes:apps/v1:Deployment::fs-registry",
        "kubernetes:apps/v1:Deployment::fs-server",
        "kubernetes:apps/v1:StatefulSet::fs-redis",
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler::fs-server",
        "kubernetes:core/v1:ConfigMap::fs-repo",
        "kubernetes:core/v1:PersistentVolumeClaim::fs-offline-data",
        "kubernetes:core/v1:PersistentVolumeClaim::fs-redis-data",
        "kubernetes:core/v1:PersistentVolumeClaim::fs-registry-data",
        "kubernetes:core/v1:Secret::fs-redis-credentials",
        "kubernetes:core/v1:Service::fs-redis",
        "kubernetes:core/v1:Service::fs-registry",
        "kubernetes:core/v1:Service::fs-server",
        "kubernetes:core/v1:ServiceAccount::fs-feast",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy::fs-redis",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy::fs-registry",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy::fs-server",
        "kubernetes:policy/v1:PodDisruptionBudget::fs-server",
        "random:index/randomPassword:RandomPassword::fs-redis-password",
      ].sort(),
    );
    for (const c of children) expect(c.parent).toBe(component.urn);
  });

  it("protects Redis, its credentials, the registry and the offline volume, and nothing stateless", async () => {
    const component = await one("mlops:index:KubernetesFeatureStore", "fs");
    const children = await descendantsOf(component.urn);
    const protectedNames = children
      .filter((c) => c.options.protect)
      .map((c) => `${c.type.split(":").pop()}::${c.name}`)
      .sort();
    expect(protectedNames).toEqual([
      "PersistentVolumeClaim::fs-offline-data",
      "PersistentVolumeClaim::fs-redis-data",
      "PersistentVolumeClaim::fs-registry-data",
      "RandomPassword::fs-redis-password",
      "Secret::fs-redis-credentials",
      "StatefulSet::fs-redis",
    ]);
    for (const c of children.filter((c) => c.options.protect)) expect(c.options.retainOnDelete).toBe(true);
  });

  it("generates feature_store.yaml for the registry server (file registry on the volume) and for the feature servers (remote registry)", async () => {
    const files = await repoFiles("fs-repo");
    const registryYaml = parse(files["feature_store.yaml"]!);
    expect(registryYaml).toEqual({
      project: "fs",
      provider: "local",
      registry: { registry_type: "file", path: "/var/lib/feast/registry/registry.db", cache_ttl_seconds: 60 },
      online_store: { type: "redis", connection_string: "${FEAST_REDIS_CONNECTION_STRING}" },
      offline_store: { type: "file" },
      entity_key_serialization_version: 3,
    });
    const serverYaml = parse(files["feature_store.remote.yaml"]!);
    expect(serverYaml.registry).toEqual({
      registry_type: "remote",
      path: "fs-feast-registry.mlops.svc.cluster.local:6570",
    });
    expect(serverYaml.online_store).toEqual(registryYaml.online_store);
    // The password never reaches the ConfigMap: Feast expands the variable from the Secret-backed env.
    for (const text of Object.values(files)) expect(text).not.toMatch(/password=/);
  });

  it("generates features.py with each entity, source and view, typed fields and TTLs", async () => {
    const py = (await repoFiles("fs-repo"))["features.py"]!;
    expect(py).toContain("from feast import Entity, FeatureView, Field, FileSource, ValueType");
    expect(py).toContain("from feast.types import Bool, Float32, Float64, Int64, String, UnixTimestamp");
    expect(py).toContain("from datetime import timedelta");
    expect(py).toMatch(
      /entity_customer = Entity\(\n {4}name="customer",\n {4}join_keys=\["customer_id"\],\n {4}value_type=ValueType\.INT64,\n {4}description="A paying customer",\n\)/,
    );
    expect(py).toMatch(
      /entity_merchant = Entity\([^)]*join_keys=\["merchant_id"\],\n {4}value_type=ValueType\.STRING,/,
    );
    expect(py).toMatch(
      /source_customer_stats = FileSource\(\n {4}name="customer_stats_source",\n {4}path="\/var\/lib\/feast\/offline\/customers\/stats\.parquet",\n {4}timestamp_field="event_ts",\n\)/,
    );
    const view = (viewName: string) => {
      const start = py.indexOf(`feature_view_${viewName} = FeatureView(`);
      expect(start, viewName).toBeGreaterThanOrEqual(0);
      return py.slice(start, py.indexOf("\n)", start));
    };
    const stats = view("customer_stats");
    expect(stats).toContain("entities=[entity_customer]");
    expect(stats).toContain("ttl=timedelta(seconds=3600)");
    expect(stats).toContain('Field(name="customer_id", dtype=Int64)');
    expect(stats).toContain('Field(name="orders_7d", dtype=Int64)');
    expect(stats).toContain('Field(name="spend_7d", dtype=Float64)');
    expect(stats).toContain('Field(name="is_vip", dtype=Bool)');
    expect(stats).toContain("online=True");
    expect(stats).toContain("source=source_customer_stats");
    const risk = view("merchant_risk");
    expect(risk).toContain("entities=[entity_merchant, entity_customer]");
    expect(risk).toContain("ttl=timedelta(seconds=0)");
    expect(risk).toContain('Field(name="merchant_id", dtype=String)');
    expect(risk).toContain('Field(name="risk_score", dtype=Float32)');
    expect(risk).toContain('Field(name="last_seen", dtype=UnixTimestamp)');
    expect(risk).toContain('Field(name="segment", dtype=String)');
    expect(risk).toContain("online=False");
  });

  it("renders the repository deterministically and rolls the pods only when it changes", async () => {
    const again = new KubernetesFeatureStore("fs-again", {
      tags,
      namespace: "mlops",
      project: "fs",
      ...spec,
    });
    const changed = new KubernetesFeatureStore("fs-changed", {
      tags,
      namespace: "mlops",
      project: "fs",
      ...spec,
      featureViews: [{ ...spec.featureViews[0]!, ttlSeconds: 7200 }],
    });
    expect(again.urn && changed.urn).toBeDefined();
    const checksum = async (deployment: string) =>
      (await one("kubernetes:apps/v1:Deployment", deployment)).props.spec.template.metadata.annotations[
        "pulumi-mlops/repository-checksum"
      ];
    expect((await repoFiles("fs-again-repo"))["features.py"]).toBe(
      (await repoFiles("fs-repo"))["features.py"],
    );
    expect(await checksum("fs-server")).toMatch(/^[0-9a-f]{64}$/);
    expect(await checksum("fs-server")).toBe(await checksum("fs-registry"));
    expect(await checksum("fs-changed-server")).not.toBe(await checksum("fs-again-server"));
  });

  it("runs feast apply once, in the registry server's init container, before serving the registry", async () => {
    const deploy = await one("kubernetes:apps/v1:Deployment", "fs-registry");
    expect(deploy.props.spec.replicas).toBe(1);
    expect(deploy.props.spec.strategy.type).toBe("Recreate");
    const [pod] = podSpecsOf(deploy);
    expect(pod!.initContainers.map((c: any) => c.command)).toEqual([
      ["feast", "-c", "/opt/feast/repo", "apply", "--skip-source-validation"],
    ]);
    const registry = pod!.containers[0];
    expect(registry.image).toBe("quay.io/feastdev/feature-server:0.66.0");
    expect(registry.command).toEqual(["feast", "-c", "/opt/feast/repo", "serve_registry", "-p", "6570"]);
    expect(registry.readinessProbe.grpc.port).toBe(6570);
    // The repository files are mounted one by one, and the registry volume holds registry.db.
    const mounts = pod!.initContainers[0].volumeMounts;
    expect(mounts).toContainEqual({
      name: "repo",
      mountPath: "/opt/feast/repo/features.py",
      subPath: "features.py",
      readOnly: true,
    });
    expect(mounts).toContainEqual({ name: "registry", mountPath: "/var/lib/feast/registry" });
    expect(pod!.volumes.find((v: any) => v.name === "registry").persistentVolumeClaim.claimName).toBe(
      "fs-feast-registry-data",
    );
    expect(pod!.volumes.find((v: any) => v.name === "offline").persistentVolumeClaim.claimName).toBe(
      "fs-feast-offline-data",
    );
  });

  it("serves features with feast serve, probes on /health, an autoscaler and a disruption budget", async () => {
    const deploy = await one("kubernetes:apps/v1:Deployment", "fs-server");
    expect(deploy.options.ignoreChanges).toContain("spec.replicas");
    const server = podSpecsOf(deploy)[0]!.containers[0];
    expect(server.command).toEqual([
      "feast",
      "-c",
      "/opt/feast/repo",
      "serve",
      "-h",
      "0.0.0.0",
      "-p",
      "6566",
      "--registry_ttl_sec",
      "60",
    ]);
    expect(server.volumeMounts).toContainEqual({
      name: "repo",
      mountPath: "/opt/feast/repo/feature_store.yaml",
      subPath: "feature_store.remote.yaml",
      readOnly: true,
    });
    for (const probe of [server.startupProbe, server.readinessProbe, server.livenessProbe]) {
      expect(probe.httpGet).toEqual({ path: "/health", port: "http" });
    }
    const conn = server.env.find((e: any) => e.name === "FEAST_REDIS_CONNECTION_STRING");
    expect(conn.valueFrom.secretKeyRef).toEqual({
      name: "fs-feast-redis-credentials",
      key: "connection-string",
    });
    const hpa = await one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "fs-server");
    expect(hpa.props.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "fs-feast" },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
        },
      ],
    });
    const pdb = await one("kubernetes:policy/v1:PodDisruptionBudget", "fs-server");
    expect(pdb.props.spec.maxUnavailable).toBe(1);
    expect(pdb.props.spec.selector.matchLabels).toEqual(deploy.props.spec.selector.matchLabels);
  });

  it("runs Redis with append-only persistence on its protected volume and a generated password", async () => {
    const sts = await one("kubernetes:apps/v1:StatefulSet", "fs-redis");
    const [pod] = podSpecsOf(sts);
    const redis = pod!.containers[0];
    expect(redis.image).toBe("redis:7.4.2");
    expect(redis.args).toEqual([
      "--appendonly",
      "yes",
      "--dir",
      "/data",
      "--requirepass",
      "$(REDIS_PASSWORD)",
    ]);
    expect(redis.env.find((e: any) => e.name === "REDIS_PASSWORD").valueFrom.secretKeyRef).toEqual({
      name: "fs-feast-redis-credentials",
      key: "password",
    });
    expect(pod!.securityContext.runAsUser).toBe(999);
    expect(redis.volumeMounts).toContainEqual({ name: "data", mountPath: "/data" });
    expect(pod!.volumes.find((v: any) => v.name === "data").persistentVolumeClaim.claimName).toBe(
      "fs-feast-redis-data",
    );
    const secret = await one("kubernetes:core/v1:Secret", "fs-redis-credentials");
    // The password is generated at deployment time, so a preview only knows the data is computed.
    expect(secret.props.stringData).toBe(UNKNOWN);
    expect(secret.props.type).toBe("Opaque");
  });

  it("meets Pod Security Standards restricted in every workload", async () => {
    for (const type of ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"]) {
      const workloads = (await ofType(type, "fs-")).filter(
        (w) => !w.name.startsWith("fs-again") && !w.name.startsWith("fs-changed"),
      );
      expect(workloads.length).toBeGreaterThan(0);
      for (const w of workloads) for (const pod of podSpecsOf(w)) expectRestricted(pod);
    }
  });

  it("admits its namespace to the feature server, only the servers to Redis and only the feature servers to the registry", async () => {
    const server = await one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "fs-server");
    expect(server.props.spec.ingress).toEqual([
      { from: [{ podSelector: {} }], ports: [{ protocol: "TCP", port: 6566 }] },
    ]);
    const redis = await one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "fs-redis");
    expect(
      redis.props.spec.ingress[0].from.map((p: any) => p.podSelector.matchLabels["app.kubernetes.io/name"]),
    ).toEqual(["feast", "feast-registry"]);
    expect(redis.props.spec.ingress[0].ports).toEqual([{ protocol: "TCP", port: 6379 }]);
    const registry = await one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "fs-registry");
    expect(registry.props.spec.ingress).toEqual([
      {
        from: [
          {
            podSelector: {
              matchLabels: { "app.kubernetes.io/name": "feast", "app.kubernetes.io/instance": "fs-feast" },
            },
          },
        ],
        ports: [{ protocol: "TCP", port: 6570 }],
      },
    ]);
  });

  it("labels every object with the governance tags", async () => {
    const component = await one("mlops:index:KubernetesFeatureStore", "fs");
    for (const c of (await descendantsOf(component.urn)).filter((c) => c.type.startsWith("kubernetes:"))) {
      expect(c.props.metadata.labels, c.name).toMatchObject({
        environment: "dev",
        "managed-by": "pulumi-mlops",
      });
      expect(c.props.metadata.annotations["pulumi-mlops/owner"]).toBe("ml-platform@example.com");
      expect(c.props.metadata.namespace).toBe("mlops");
    }
  });

  it("exposes the server URL, the project, the registry and the online store host", async () => {
    const component = await one("mlops:index:KubernetesFeatureStore", "fs");
    expect(component.outputs).toMatchObject({
      featureServerUrl: "http://fs-feast.mlops.svc.cluster.local:6566",
      project: "fs",
      registryPath: "/var/lib/feast/registry/registry.db",
      registryAddress: "fs-feast-registry.mlops.svc.cluster.local:6570",
      onlineStoreHost: "fs-feast-redis.mlops.svc.cluster.local:6379",
      offlineStoreUri: "/var/lib/feast/offline",
      namespace: "mlops",
    });
    expect(local.urn).toBeDefined();
  });
});

describe("KubernetesFeatureStore (external Redis, S3)", () => {
  it("creates no Redis and no volumes, and reads the connection string from the given Secret", async () => {
    for (const type of [
      "kubernetes:apps/v1:StatefulSet",
      "kubernetes:core/v1:PersistentVolumeClaim",
      "random:index/randomPassword:RandomPassword",
      "kubernetes:core/v1:Secret",
    ]) {
      expect(await ofType(type, "ext-fs"), type).toEqual([]);
    }
    const server = podSpecsOf(await one("kubernetes:apps/v1:Deployment", "ext-fs-server"))[0]!.containers[0];
    expect(
      server.env.find((e: any) => e.name === "FEAST_REDIS_CONNECTION_STRING").valueFrom.secretKeyRef,
    ).toEqual({
      name: "redis-conn",
      key: "connection-string",
    });
  });

  it("points the registry and the sources at S3", async () => {
    const files = await repoFiles("ext-fs-repo");
    expect(parse(files["feature_store.yaml"]!).registry.path).toBe("s3://acme-features/registry/registry.db");
    expect(parse(files["feature_store.yaml"]!).project).toBe("fraud");
    expect(files["features.py"]).toContain('path="s3://acme-features/offline/customers/stats.parquet"');
    expect(files["features.py"]).toContain('path="s3://acme-features/offline/merchants/risk"');
    const component = await one("mlops:index:KubernetesFeatureStore", "ext-fs");
    expect(component.outputs.onlineStoreHost).toBe("secret://features/redis-conn/connection-string");
    expect(component.outputs.offlineStoreUri).toBe("s3://acme-features/offline");
  });

  it("admits the allowed namespaces and scales within the given bounds", async () => {
    const np = await one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "ext-fs-server");
    expect(
      np.props.spec.ingress[0].from.map(
        (p: any) => p.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"],
      ),
    ).toEqual([undefined, "serving", "training"]);
    const hpa = await one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "ext-fs-server");
    expect([hpa.props.spec.minReplicas, hpa.props.spec.maxReplicas]).toEqual([3, 10]);
    const sa = await one("kubernetes:core/v1:ServiceAccount", "ext-fs-feast");
    expect(sa.props.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(
      "arn:aws:iam::111122223333:role/feast",
    );
    expect(external.urn).toBeDefined();
  });
});

describe("KubernetesFeatureStore validation", () => {
  const attempt = (overrides: Record<string, unknown>) => () =>
    new KubernetesFeatureStore("bad", { tags, ...spec, ...overrides } as never);
  const view = spec.featureViews[0]!;

  it("refuses a resource name that would start its Service names with a digit, and sizes at or below zero", () => {
    expect(() => new KubernetesFeatureStore("9features", { tags, ...spec } as never)).toThrow(
      /KubernetesFeatureStore "9features":\n {2}- name = "9features": gives the Service name\(s\) "9features-feast".*Fix:/,
    );
    expect(attempt({ redisStorageSize: "-5Gi" })).toThrow(/args\.redisStorageSize = "-5Gi"/);
    expect(attempt({ offlineStorageSize: "0" })).toThrow(
      /args\.offlineStorageSize = "0": must be above zero/,
    );
  });

  it("refuses a feature view naming an unknown entity", () => {
    expect(attempt({ featureViews: [{ ...view, entities: ["custmer"] }] })).toThrow(ArgsValidationError);
    expect(attempt({ featureViews: [{ ...view, entities: ["custmer"] }] })).toThrow(
      /args\.featureViews\[0\]\.entities\[0\] = "custmer": names unknown entity 'custmer'\. Fix: use one of the declared entities \('customer', 'merchant'\)/,
    );
  });

  it("refuses duplicate entity, view and feature names", () => {
    expect(attempt({ entities: [...spec.entities, { name: "customer", joinKeys: ["id"] }] })).toThrow(
      /args\.entities\[2\]\.name = "customer": entity 'customer' is declared twice/,
    );
    expect(attempt({ featureViews: [view, { ...view }] })).toThrow(
      /args\.featureViews\[1\]\.name = "customer_stats": feature view 'customer_stats' is declared twice/,
    );
    expect(
      attempt({
        featureViews: [{ ...view, features: [...view.features, { name: "spend_7d", type: "int32" }] }],
      }),
    ).toThrow(
      /args\.featureViews\[0\]\.features\[3\]\.name = "spend_7d": feature 'spend_7d' is declared twice/,
    );
  });

  it("refuses names that are not identifiers", () => {
    expect(attempt({ featureViews: [{ ...view, name: "Customer-Stats" }] })).toThrow(
      /args\.featureViews\[0\]\.name = "Customer-Stats": is not a valid feature view name\. Fix:/,
    );
    expect(
      attempt({ featureViews: [{ ...view, features: [{ name: "7d_orders", type: "int64" }] }] }),
    ).toThrow(/args\.featureViews\[0\]\.features\[0\]\.name = "7d_orders": is not a valid feature name/);
    expect(attempt({ project: "my-project" })).toThrow(
      /args\.project = "my-project": is not a valid Feast project name/,
    );
  });

  it("refuses a negative TTL and a feature that shadows a join key", () => {
    expect(attempt({ featureViews: [{ ...view, ttlSeconds: -1 }] })).toThrow(
      /args\.featureViews\[0\]\.ttlSeconds = -1: must not be negative\. Fix:/,
    );
    expect(
      attempt({ featureViews: [{ ...view, features: [{ name: "customer_id", type: "int64" }] }] }),
    ).toThrow(/features\[0\]\.name = "customer_id": feature 'customer_id' has the name of a join key/);
  });

  it("refuses bad offline store and registry URIs, and unsafe source paths", () => {
    expect(attempt({ offlineStoreUri: "wasbs://c@acct.blob.core.windows.net/x" })).toThrow(
      /args\.offlineStoreUri = "wasbs:\/\/c@acct\.blob\.core\.windows\.net\/x": must be a s3:\/\/, gs:\/\/, az:\/\/, abfs:\/\/, abfss:\/\/ URI.*fsspec has no wasbs:\/\/ driver/,
    );
    expect(attempt({ registryPath: "az://c/registry.db" })).toThrow(
      /args\.registryPath = "az:\/\/c\/registry\.db": must be a s3:\/\/, gs:\/\/ URI/,
    );
    expect(attempt({ featureViews: [{ ...view, sourcePath: "../etc/passwd" }] })).toThrow(
      /args\.featureViews\[0\]\.sourcePath = "\.\.\/etc\/passwd": must be a path relative to the offline store/,
    );
  });

  it("refuses two entities of one view sharing a join key", () => {
    const entities = [...spec.entities, { name: "buyer", joinKeys: ["customer_id"] }];
    expect(attempt({ entities, featureViews: [{ ...view, entities: ["customer", "buyer"] }] })).toThrow(
      /args\.featureViews\[0\]\.entities = \["customer","buyer"\]: has two entities with the join key 'customer_id'/,
    );
  });

  it("refuses two join keys, which Feast does not support", () => {
    expect(attempt({ entities: [{ name: "customer", joinKeys: ["a", "b"] }, spec.entities[1]] })).toThrow(
      /args\.entities\[0\]\.joinKeys = \["a","b"\]: has more than one join key/,
    );
  });

  it("refuses an external online store without its Secret, and inverted replica bounds", () => {
    expect(attempt({ onlineStore: "external" })).toThrow(
      /args\.redisSecretName = \(missing\): is required when onlineStore is 'external'\. Fix:/,
    );
    expect(attempt({ minReplicas: 4, maxReplicas: 2 })).toThrow(
      /args\.maxReplicas = 2: is below minReplicas \(4\)/,
    );
  });
});
