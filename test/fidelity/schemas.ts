import { body, type Json, type Manifest, type Problem, problem, UNKNOWN } from "./manifests";

/**
 * Where each API's published schema is: the module directory of the kubernetes-models package whose
 * model classes carry that group-version's precompiled ajv validators, one module per kind (README.md
 * beside this file gives the package versions and the upstream releases they were built from).
 */
const SCHEMA_MODULES: Record<string, string> = {
  v1: "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "batch/v1": "kubernetes-models/batch/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "policy/v1": "kubernetes-models/policy/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "scheduling.k8s.io/v1": "kubernetes-models/scheduling.k8s.io/v1",
  "rbac.authorization.k8s.io/v1": "kubernetes-models/rbac.authorization.k8s.io/v1",
  "argoproj.io/v1alpha1": "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1",
  "gateway.networking.k8s.io/v1": "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};

/**
 * API groups no npm or Debian package publishes a schema of: their objects get the name and label
 * rules of `native.ts` only. A new group must be added here knowingly, or get a schema.
 */
export const UNPUBLISHED_SCHEMAS: Record<string, string> = {
  "kueue.x-k8s.io/v1beta2":
    "Kueue publishes its CRDs only as release manifests and a Helm chart (no npm or Debian package)",
};

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** A model class of kubernetes-models: `new Model(data).validate()` throws ajv's ValidationError. */
type ModelClass = (new (data: unknown) => { validate(): void }) & { apiVersion?: string; kind?: string };

/** Validates a document with its API's published schema; `null` when the schema is not published. */
type Validate = (doc: unknown) => AjvError[];

const cache = new Map<string, Validate | null>();

/** The published schema's validator of an apiVersion/kind, or `null` when none is published. */
export async function validatorFor(apiVersion: string, kind: string): Promise<Validate | null> {
  const key = `${apiVersion}/${kind}`;
  if (cache.has(key)) return cache.get(key)!;
  const dir = SCHEMA_MODULES[apiVersion];
  let fn: Validate | null = null;
  if (dir && /^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    const mod = (await import(/* @vite-ignore */ `${dir}/${kind}`).catch(() => ({}))) as Record<
      string,
      unknown
    >;
    const Model = Object.values(mod).find(
      (v): v is ModelClass =>
        typeof v === "function" &&
        (v as ModelClass).apiVersion === apiVersion &&
        (v as ModelClass).kind === kind,
    );
    if (Model) {
      fn = (doc) => {
        try {
          new Model(doc).validate();
          return [];
        } catch (err) {
          const errors = (err as { errors?: AjvError[] }).errors;
          if (!errors) throw err;
          return errors;
        }
      };
    }
  }
  cache.set(key, fn);
  return fn;
}

function valueAt(doc: unknown, pointer: string): unknown {
  let cur: Json = doc;
  for (const part of pointer.split("/").slice(1)) {
    if (cur === undefined || cur === null) return undefined;
    cur = cur[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return cur;
}

function describeError(e: AjvError): string {
  switch (e.keyword) {
    case "required":
      return `required field '${String(e.params.missingProperty)}' is missing`;
    case "type":
      return `must be of type ${String(e.params.type)}`;
    case "enum":
      return `must be one of ${JSON.stringify(e.params.allowedValues)}`;
    case "format":
      return `must have format ${String(e.params.format)}`;
    default:
      return `${e.keyword} ${JSON.stringify(e.params)}`;
  }
}

/**
 * Validates one manifest against its API's published OpenAPI schema. Errors on values unknown until
 * deployment are left out: the offline run cannot know them.
 */
export async function schemaProblems(m: Manifest): Promise<Problem[]> {
  const validate = await validatorFor(m.apiVersion, m.kind);
  if (!validate) {
    if (UNPUBLISHED_SCHEMAS[m.apiVersion]) return [];
    return [problem(m, "apiVersion", `no published schema for ${m.apiVersion} ${m.kind} in test/fidelity`)];
  }
  const doc = body(m);
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of validate(doc)) {
    if (valueAt(doc, e.instancePath) === UNKNOWN) continue;
    const text = describeError(e);
    const key = `${e.instancePath} ${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem(m, e.instancePath || "/", `schema: ${text}`));
  }
  return out;
}
