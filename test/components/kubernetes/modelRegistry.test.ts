import { describe, expect, it } from "vitest";
import { ArgsValidationError } from "../../../components/core/validation";
import { KubernetesModelRegistry, postgresUri } from "../../../components/kubernetes/modelRegistry";
import { descendantsOf, ofType, one, podSpecsOf } from "../../helpers/capture";
import { expectRestricted } from "../../helpers/restricted";

const tags = {
  owner: "ml-platform@example.com",
  costCenter: "cc-42",
  environment: "dev",
  dataClassification: "internal",
} as const;

// Two registries in one worker: the local default (in-cluster PostgreSQL, artifact volume) and an
// external one (connection string from a Secret, S3 artifacts, Ingress, 2 replicas).
const local = new KubernetesModelRegistry("reg", { tags, namespace: "mlops" });
const external = new KubernetesModelRegistry("ext", {
  tags: { ...tags, environment: "prod" },
  namespace: "mlops-prod",
  backendStore: "external",
  databaseSecretName: "mlflow-db",
  artifactStoreUri: "s3://acme-models/mlflow",
  replicas: 2,
  ingressHost: "mlflow.example.com",
  ingressClassName: "nginx",
  allowedNamespaces: ["serving"],
  serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/mlflow" },
});

describe("KubernetesModelRegistry (in-cluster backend, volume artifacts)", () => {
  it("registers its children under the component with derived names", async () => {
    const component = await one("mlops:index:KubernetesModelRegistry", "reg");
    const children = await descendantsOf(component.urn);
    const names = children.map((c) => `${c.type}::${c.name}`).sort();
    expect(names).toEqual(
      [
        "kubernetes:apps/v1:Deployment::reg-server",
        "kubernetes:apps/v1:StatefulSet::reg-db",
        "kubernetes:core/v1:PersistentVolumeClaim::reg-artifacts",
        "kubernetes:core/v1:PersistentVolumeClaim::reg-db-data",
        "kubernetes:core/v1:Secret::reg-db-credentials",
        "kubernetes:core/v1:Service::reg-db",
        "kubernetes:core/v1:Service::reg-server",
        "kubernetes:core/v1:ServiceAccount::reg-server",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy::reg-db",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy::reg-server",
        "random:index/randomPassword:RandomPassword::reg-db-password",
      ].sort(),
    );
    for (const c of children) expect(c.parent).toBe(component.urn);
    expect(component.urn).toBe("urn:pulumi:test::mlops::mlops:index:KubernetesModelRegistry::reg");
    expect(children.find((c) => c.name === "reg-server" && c.type.endsWith("Deployment"))!.urn).toBe(
      "urn:pulumi:test::mlops::mlops:index:KubernetesModelRegistry$kubernetes:apps/v1:Deployment::reg-server",
    );
  });

  it("protects the database, its credentials and the artifact volume, and nothing stateless", async () => {
    const component = await one("mlops:index:KubernetesModelRegistry", "reg");
    const children = await descendantsOf(component.urn);
    const protectedNames = children
      .filter((c) => c.options.protect)
      .map((c) => c.name)
      .sort();
    expect(protectedNames).toEqual([
      "reg-artifacts",
      "reg-db",
      "reg-db-credentials",
      "reg-db-data",
      "reg-db-password",
    ]);
    for (const c of children.filter((c) => c.options.protect)) expect(c.options.retainOnDelete).toBe(true);
  });

  it("runs MLflow against PostgreSQL with the artifact volume proxied by the server", async () => {
    const deploy = await one("kubernetes:apps/v1:Deployment", "reg-server");
    const [pod] = podSpecsOf(deploy);
    const mlflow = pod!.containers[0];
    expect(mlflow.args).toContain("--backend-store-uri=$(MLFLOW_BACKEND_STORE_URI)");
    expect(mlflow.args).toContain("--artifacts-destination=/mlartifacts");
    expect(mlflow.args).toContain("--serve-artifacts");
    const uriEnv = mlflow.env.find((e: any) => e.name === "MLFLOW_BACKEND_STORE_URI");
    expect(uriEnv.valueFrom.secretKeyRef).toEqual({ name: "reg-mlflow-db-credentials", key: "uri" });
    expect(pod!.volumes.find((v: any) => v.name === "artifacts").persistentVolumeClaim.claimName).toBe(
      "reg-mlflow-artifacts",
    );
    // One replica on a ReadWriteOnce volume must not surge onto a second node.
    expect(deploy.props.spec.strategy.type).toBe("Recreate");
    // Nothing is installed at pod start: the -full image carries the drivers.
    expect(pod!.initContainers).toBeUndefined();
    expect(mlflow.image).toBe("ghcr.io/mlflow/mlflow:v3.9.0-full");
    expect(mlflow.env.find((e: any) => e.name === "PYTHONPATH")).toBeUndefined();
  });

  it("names the psycopg2 driver in the backend URI (a bare postgresql:// is psycopg 3 to SQLAlchemy 2.1)", async () => {
    expect(
      postgresUri({ user: "mlflow", password: "p@ss/w", host: "db.mlops.svc", database: "mlflow" }),
    ).toBe("postgresql+psycopg2://mlflow:p%40ss%2Fw@db.mlops.svc:5432/mlflow");
  });

  it("allows the in-cluster Service host names past MLflow's host check", async () => {
    const deploy = await one("kubernetes:apps/v1:Deployment", "reg-server");
    const env = podSpecsOf(deploy)[0]!.containers[0].env;
    const hosts = env.find((e: any) => e.name === "MLFLOW_SERVER_ALLOWED_HOSTS").value.split(",");
    expect(hosts).toContain("reg-mlflow.mlops.svc.cluster.local:5000");
    expect(hosts).toContain("reg-mlflow:5000");
    // Setting the list replaces MLflow's defaults, so localhost on any port (kubectl port-forward)
    // is kept. MLflow matches entries with '*' by fnmatch, the others exactly.
    const allowed = (host: string) =>
      hosts.some((h: string) =>
        h.includes("*")
          ? new RegExp(`^${h.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(host)
          : h === host,
      );
    for (const host of ["localhost:5000", "localhost:8080", "127.0.0.1:5000", "localhost"]) {
      expect(allowed(host), host).toBe(true);
    }
    expect(allowed("evil.example.com:5000")).toBe(false);
  });

  it("has probes on /health and resources on every container", async () => {
    const deploy = await one("kubernetes:apps/v1:Deployment", "reg-server");
    const mlflow = podSpecsOf(deploy)[0]!.containers[0];
    for (const probe of [mlflow.readinessProbe, mlflow.livenessProbe, mlflow.startupProbe]) {
      expect(probe.httpGet.path).toBe("/health");
    }
    expect(mlflow.resources).toEqual({
      requests: { cpu: "250m", memory: "1Gi" },
      limits: { cpu: "1000m", memory: "1Gi" },
    });
  });

  it("meets Pod Security Standards restricted in every workload", async () => {
    for (const type of ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"]) {
      for (const w of await ofType(type, "reg")) for (const pod of podSpecsOf(w)) expectRestricted(pod);
    }
  });

  it("admits only its namespace to the server and only the server to the database", async () => {
    const server = await one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "reg-server");
    expect(server.props.spec.ingress[0].from).toEqual([{ podSelector: {} }]);
    expect(server.props.spec.ingress[0].ports).toEqual([{ protocol: "TCP", port: 5000 }]);
    const db = await one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "reg-db");
    expect(db.props.spec.ingress[0].from[0].podSelector.matchLabels).toEqual({
      "app.kubernetes.io/name": "mlflow",
      "app.kubernetes.io/instance": "reg-mlflow",
    });
  });

  it("labels every object with the governance tags and keeps exact values in annotations", async () => {
    const component = await one("mlops:index:KubernetesModelRegistry", "reg");
    for (const c of (await descendantsOf(component.urn)).filter((c) => c.type.startsWith("kubernetes:"))) {
      expect(c.props.metadata.labels, c.name).toMatchObject({
        owner: "ml-platform_example.com",
        "cost-center": "cc-42",
        environment: "dev",
        "data-classification": "internal",
        "managed-by": "pulumi-mlops",
      });
      expect(c.props.metadata.annotations["pulumi-mlops/owner"]).toBe("ml-platform@example.com");
      expect(c.props.metadata.namespace).toBe("mlops");
    }
  });

  it("exposes the tracking and registry URIs", async () => {
    const component = await one("mlops:index:KubernetesModelRegistry", "reg");
    expect(component.outputs.trackingUri).toBe("http://reg-mlflow.mlops.svc.cluster.local:5000");
    expect(component.outputs.registryUri).toBe(component.outputs.trackingUri);
    expect(component.outputs.artifactStoreUri).toBe("mlflow-artifacts:/");
    expect(local.urn).toBeDefined();
  });
});

describe("KubernetesModelRegistry (external backend, S3 artifacts)", () => {
  it("creates no database and reads the connection string from the given Secret", async () => {
    expect(await ofType("kubernetes:apps/v1:StatefulSet", "ext")).toEqual([]);
    expect(await ofType("random:index/randomPassword:RandomPassword", "ext")).toEqual([]);
    const deploy = await one("kubernetes:apps/v1:Deployment", "ext-server");
    const mlflow = podSpecsOf(deploy)[0]!.containers[0];
    const uriEnv = mlflow.env.find((e: any) => e.name === "MLFLOW_BACKEND_STORE_URI");
    expect(uriEnv.valueFrom.secretKeyRef).toEqual({ name: "mlflow-db", key: "uri" });
    expect(mlflow.args).toContain("--artifacts-destination=s3://acme-models/mlflow");
    expect(podSpecsOf(deploy)[0]!.initContainers).toBeUndefined();
    expect(deploy.props.spec.replicas).toBe(2);
    expect(deploy.props.spec.strategy.type).toBe("RollingUpdate");
  });

  it("adds a PodDisruptionBudget, the Ingress and the ingress controller to the NetworkPolicy", async () => {
    const pdb = await one("kubernetes:policy/v1:PodDisruptionBudget", "ext-server");
    expect(pdb.props.spec.minAvailable).toBe(1);
    const ingress = await one("kubernetes:networking.k8s.io/v1:Ingress", "ext-server");
    expect(ingress.props.spec.ingressClassName).toBe("nginx");
    expect(ingress.props.spec.rules[0].host).toBe("mlflow.example.com");
    const np = await one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "ext-server");
    const namespaces = np.props.spec.ingress[0].from
      .map((p: any) => p.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"])
      .filter(Boolean);
    expect(namespaces).toEqual(["serving", "ingress-nginx"]);
    const sa = await one("kubernetes:core/v1:ServiceAccount", "ext-server");
    expect(sa.props.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(
      "arn:aws:iam::111122223333:role/mlflow",
    );
    expect(sa.props.automountServiceAccountToken).toBe(false);
    expect(external.urn).toBeDefined();
  });
});

describe("KubernetesModelRegistry validation", () => {
  const attempt = (args: Record<string, unknown>) => () =>
    new KubernetesModelRegistry("bad", { tags, ...args } as never);

  it("refuses an external backend without its Secret, naming the field and the fix", () => {
    expect(attempt({ backendStore: "external" })).toThrow(ArgsValidationError);
    expect(attempt({ backendStore: "external" })).toThrow(
      /KubernetesModelRegistry "bad":\n {2}- args\.databaseSecretName = \(missing\): is required when backendStore is 'external'\. Fix:/,
    );
  });

  it("refuses a negative replica count and an unknown artifact scheme", () => {
    expect(attempt({ replicas: -1 })).toThrow(/args\.replicas = -1: must be at least 1\. Fix:/);
    expect(attempt({ artifactStoreUri: "ftp://x/y" })).toThrow(
      /args\.artifactStoreUri = "ftp:\/\/x\/y": must be an s3:\/\/, gs:\/\/ or wasbs:\/\/ URI/,
    );
  });

  it("refuses several replicas on a ReadWriteOnce volume", () => {
    expect(attempt({ replicas: 3 })).toThrow(
      /args\.replicas = 3: more than one replica cannot share a ReadWriteOnce/,
    );
  });

  it("refuses a misspelt field and a bad data classification", () => {
    expect(attempt({ replica: 2 })).toThrow(/args\.replica = 2: unknown field\(s\) "replica"/);
  });

  it("refuses installing drivers at pod start, sizes at or below zero, and unpinned images", () => {
    expect(attempt({ installDrivers: true })).toThrow(
      /args\.installDrivers = true: installing drivers at pod start is no longer supported.*Fix:/,
    );
    expect(attempt({ installDrivers: false })).not.toThrow();
    for (const size of ["-5Gi", "0", "-8"]) {
      expect(attempt({ databaseStorageSize: size })).toThrow(
        new RegExp(`args\\.databaseStorageSize = "${size}"`),
      );
    }
    expect(attempt({ image: "ghcr.io/mlflow/mlflow:latest" })).toThrow(/args\.image = .*has tag latest/);
  });

  it("refuses a resource name that would start its Service names with a digit", () => {
    expect(() => new KubernetesModelRegistry("4cast", { tags })).toThrow(
      /KubernetesModelRegistry "4cast":\n {2}- name = "4cast": gives the Service name\(s\) "4cast-mlflow", "4cast-mlflow-db".*DNS-1035.*Fix:/,
    );
    expect(
      () => new KubernetesModelRegistry("bad2", { tags: { ...tags, dataClassification: "secret" } } as never),
    ).toThrow(
      /args\.tags\.dataClassification = "secret": .*Fix: use one of "public", "internal", "confidential", "restricted"/,
    );
  });
});
