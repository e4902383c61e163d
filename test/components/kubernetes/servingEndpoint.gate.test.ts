import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ArgsValidationError } from "../../../components/core/validation";
import { GATE_METRICS, gatesSchema } from "../../../components/kubernetes/serving/promotionGate";
import { KubernetesServingEndpoint } from "../../../components/kubernetes/servingEndpoint";
import {
  METRIC_DIRECTION,
  parseGates,
  gatesSchema as runtimeGatesSchema,
} from "../../../runtime/model/gates";
import { descendantsOf, ofType, one, type PlainResource } from "../../helpers/capture";
import { expectRestricted } from "../../helpers/restricted";
import analysisSchema from "./fixtures/crds/argo-rollouts-v1.9.1-analysistemplate.schema.json";
import rolloutSchema from "./fixtures/crds/argo-rollouts-v1.9.1-rollout.schema.json";

const tags = {
  owner: "ml-platform@example.com",
  costCenter: "cc-42",
  environment: "prod",
  dataClassification: "confidential",
} as const;

const ROLLOUT = "kubernetes:argoproj.io/v1alpha1:Rollout";
const ANALYSIS = "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

const gates = {
  metrics: { rocAuc: { min: 0.8 }, logLoss: { max: 0.5 } },
  champion: { metric: "rocAuc", margin: 0, maxRegression: { f1: 0.01 } },
  fairness: { disparateImpact: { min: 0.8 } },
};
const gatesYaml = `# reviewed by the risk team
metrics: {rocAuc: {min: 0.8}, logLoss: {max: 0.5}}
champion: {metric: rocAuc, margin: 0, maxRegression: {f1: 0.01}}
fairness: {disparateImpact: {min: 0.8}}
`;

// Two live variants; the challenger's candidate is named, the champion's modelUri is its ONNX file.
const gated = new KubernetesServingEndpoint("churn-gated", {
  tags,
  name: "churn",
  namespace: "serving",
  modelServer: "custom",
  image: "registry.example.com/onnx-serving:1.0",
  variants: [
    { name: "main", modelUri: "/models/churn/4/model.onnx", weight: 80, minReplicas: 2 },
    { name: "challenger", modelUri: "s3://models/churn/5/", weight: 20, minReplicas: 2 },
  ],
  rollout: {
    steps: [
      { weight: 50, pauseSeconds: 60 },
      { weight: 100, pauseSeconds: 0 },
    ],
  },
  promotionGate: {
    holdoutUri: "s3://ml/holdout/churn.parquet",
    labelColumn: "churned",
    protectedColumn: "gender",
    championModelUri: "/models/churn/3/model.onnx",
    candidateModelUris: { challenger: "/models/churn/5/model.onnx" },
    gates: gatesYaml,
  },
  promotionGateModelsClaimName: "models",
});

// The same endpoint without the gate: nothing of it is created.
const ungated = new KubernetesServingEndpoint("plain", {
  tags,
  name: "plain",
  variants: [{ name: "main", modelUri: "s3://models/x/1" }],
});

const podOf = (r: PlainResource) => r.props.spec.metrics[0].provider.job.spec.template.spec;

function strictSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = strictSchema(v);
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    !out["x-kubernetes-preserve-unknown-fields"]
  )
    out.additionalProperties = false;
  return out;
}
function expectValid(schema: object, r: PlainResource) {
  const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(
    strictSchema(schema) as object,
  );
  const { apiVersion, kind, metadata, spec } = r.props;
  const ok = validate({ apiVersion, kind, metadata, spec });
  expect(validate.errors ?? [], `${r.type} ${r.name}`).toEqual([]);
  expect(ok).toBe(true);
}

describe("KubernetesServingEndpoint promotion gate", () => {
  it("writes an AnalysisTemplate whose one Job metric runs mlops evaluate once, without retry", async () => {
    const t = await one(ANALYSIS, "churn-gated-promotion-gate");
    expect(t.props.metadata.name).toBe("churn-promotion-gate");
    expect(t.props.metadata.namespace).toBe("serving");
    expect(t.props.spec.args).toEqual([{ name: "candidate-model" }]);
    expect(t.props.spec.metrics).toHaveLength(1);
    const m = t.props.spec.metrics[0];
    expect(m.name).toBe("promotion-gate");
    expect(m.failureLimit).toBe(0);
    expect(m.provider.job.spec.backoffLimit).toBe(0);
    expect(m.provider.job.spec.activeDeadlineSeconds).toBe(1800);
    const pod = podOf(t);
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0];
    expect(c.image).toBe("ghcr.io/pulumi-mlops/runtime:0.1.0");
    expect(c.args).toEqual([
      "evaluate",
      "--model",
      "{{args.candidate-model}}",
      "--champion",
      "/models/churn/3/model.onnx",
      "--data",
      "s3://ml/holdout/churn.parquet",
      "--label",
      "churned",
      "--protected",
      "gender",
      "--gates",
      "/etc/mlops/gates.yaml",
      "--json",
      "-",
    ]);
    expect(c.resources).toEqual({
      requests: { cpu: "1", memory: "2Gi" },
      limits: { cpu: "2000m", memory: "2Gi" },
    });
  });

  it("runs the Job under the restricted profile with read-only mounts and a writable /tmp", async () => {
    const pod = podOf(await one(ANALYSIS, "churn-gated-promotion-gate"));
    expectRestricted(pod);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.containers[0].securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe("churn-model-server");
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: "gates", mountPath: "/etc/mlops", readOnly: true },
      { name: "models", mountPath: "/models", readOnly: true },
      { name: "tmp", mountPath: "/tmp" },
    ]);
    expect(pod.volumes).toEqual([
      { name: "gates", configMap: { name: "churn-promotion-gates" } },
      { name: "models", persistentVolumeClaim: { claimName: "models", readOnly: true } },
      { name: "tmp", emptyDir: {} },
    ]);
    // The Job's pods are not serving pods: no endpoint label, so no Service, PodMonitor or
    // NetworkPolicy of the endpoint selects them.
    const labels = (await one(ANALYSIS, "churn-gated-promotion-gate")).props.spec.metrics[0].provider.job.spec
      .template.metadata.labels;
    expect(labels["mlops.pulumi-mlops.io/endpoint"]).toBeUndefined();
  });

  it("renders the gates into the mounted ConfigMap, in a file the runtime's own schema accepts", async () => {
    const cm = await one(CONFIG_MAP, "churn-gated-promotion-gates");
    expect(cm.props.metadata.name).toBe("churn-promotion-gates");
    expect(cm.props.metadata.namespace).toBe("serving");
    const text = cm.props.data["gates.yaml"];
    expect(text).toBe(gatesYaml);
    expect(parseYaml(text)).toEqual(gates);
    expect(parseGates(parseYaml(text), "gates.yaml").metrics).toEqual(gates.metrics);
  });

  it("puts the gate before the first traffic step, with each variant's candidate, and starts the SLO analysis after it", async () => {
    const steps = (name: string) => one(ROLLOUT, name).then((r) => r.props.spec.strategy.canary);
    const main = await steps("churn-gated-main");
    expect(main.steps[0]).toEqual({
      analysis: {
        templates: [{ templateName: "churn-promotion-gate" }],
        args: [{ name: "candidate-model", value: "/models/churn/4/model.onnx" }],
      },
    });
    expect(main.steps[1]).toEqual({ setWeight: 50 });
    expect(main.analysis.startingStep).toBe(1);
    expect(main.analysis.templates).toEqual([{ templateName: "churn-slo" }]);
    const challenger = await steps("churn-gated-challenger");
    expect(challenger.steps[0].analysis.args).toEqual([
      { name: "candidate-model", value: "/models/churn/5/model.onnx" },
    ]);
  });

  it("writes a template and Rollouts that the Argo Rollouts CRD schemas accept", async () => {
    for (const r of await ofType(ANALYSIS, "churn-gated")) expectValid(analysisSchema, r);
    for (const r of await ofType(ROLLOUT, "churn-gated")) expectValid(rolloutSchema, r);
  });

  it("would catch a misspelt Job field in the template", async () => {
    const t = structuredClone((await one(ANALYSIS, "churn-gated-promotion-gate")).props);
    t.spec.metrics[0].provider.job.spec.backofLimit = 0;
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(
      strictSchema(analysisSchema) as object,
    );
    expect(validate({ apiVersion: t.apiVersion, kind: t.kind, metadata: t.metadata, spec: t.spec })).toBe(
      false,
    );
  });

  it("adds nothing without promotionGate", async () => {
    const children = await descendantsOf((await one("mlops:index:KubernetesServingEndpoint", "plain")).urn);
    expect(children.length).toBeGreaterThan(5);
    expect(children.some((r) => r.name.includes("promotion"))).toBe(false);
    const canary = (await one(ROLLOUT, "plain-main")).props.spec.strategy.canary;
    expect(canary.steps[0]).toHaveProperty("setWeight");
    expect(canary.analysis.startingStep).toBeUndefined();
    expect(ungated.urn).toBeDefined();
    expect(gated.urn).toBeDefined();
    const gatedChildren = await descendantsOf(
      (await one("mlops:index:KubernetesServingEndpoint", "churn-gated")).urn,
    );
    expect(
      gatedChildren
        .filter((r) => r.name.includes("promotion"))
        .map((r) => r.type)
        .sort(),
    ).toEqual([ANALYSIS, CONFIG_MAP]);
  });

  it("knows the runtime's gate keys and metrics", () => {
    expect([...GATE_METRICS].sort()).toEqual(Object.keys(METRIC_DIRECTION).sort());
    expect(Object.keys(gatesSchema.shape).sort()).toEqual(Object.keys(runtimeGatesSchema.shape).sort());
  });
});

describe("KubernetesServingEndpoint promotion gate: bad input", () => {
  const base = {
    tags,
    name: "bad",
    variants: [{ name: "main", modelUri: "/models/bad/1/model.onnx" }],
    promotionGateModelsClaimName: "models",
  };
  const gate = { holdoutUri: "s3://ml/holdout.csv", labelColumn: "y" };
  const refuse = (args: Record<string, unknown>, ...fragments: string[]) => {
    let error: unknown;
    try {
      new KubernetesServingEndpoint("bad", { ...base, ...args } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgsValidationError);
    for (const f of fragments) expect(String((error as Error).message)).toContain(f);
  };

  it("refuses an unknown gate key or metric, and a gates file that is not YAML", () => {
    refuse(
      { promotionGate: { ...gate, gates: "metric: {rocAuc: {min: 0.8}}" } },
      "promotionGate.gates",
      '"metric"',
    );
    refuse(
      { promotionGate: { ...gate, gates: "metrics: {auc: {min: 0.8}}" } },
      "promotionGate.gates.metrics",
      "auc",
    );
    refuse(
      { promotionGate: { ...gate, gates: "metrics: {rocAuc: {min: 0.8}" } },
      "promotionGate.gates",
      "not YAML",
    );
    // The runtime refuses the same files.
    expect(() => parseGates(parseYaml("metric: {rocAuc: {min: 0.8}}"), "g")).toThrow();
    expect(() => parseGates(parseYaml("metrics: {auc: {min: 0.8}}"), "g")).toThrow();
  });

  it("refuses a gate without the models volume, or a variant without a candidate file", () => {
    refuse(
      { promotionGateModelsClaimName: undefined, promotionGate: gate },
      "promotionGateModelsClaimName",
      "required",
    );
    refuse(
      {
        variants: [{ name: "main", modelUri: "models:/churn/4" }],
        registryUri: "http://mlflow:5000",
        promotionGate: gate,
      },
      "variants[0].modelUri",
      "promotionGate.candidateModelUris.main",
    );
    refuse(
      { promotionGate: { ...gate, candidateModelUris: { other: "/models/x.onnx" } } },
      "names no variant",
    );
  });

  it("refuses model and holdout locations the Job cannot read", () => {
    refuse(
      { promotionGate: { ...gate, championModelUri: "s3://models/champion.onnx" } },
      "championModelUri",
      "/models/",
    );
    refuse({ promotionGate: { ...gate, holdoutUri: "holdout.csv" } }, "holdoutUri", "s3://");
    refuse({ promotionGate: { ...gate, holdoutUri: "/models/../etc/passwd" } }, "holdoutUri");
    refuse(
      { promotionGateModelsClaimName: "models" },
      "promotionGateModelsClaimName",
      "without promotionGate",
    );
  });
});
