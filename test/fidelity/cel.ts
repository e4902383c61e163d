import { readFileSync } from "node:fs";
import * as path from "node:path";
import { celEnv, isCelError, parse, plan } from "@bufbuild/cel";
import { body, type Json, type Manifest, type Problem, problem, UNKNOWN } from "./manifests";

/**
 * CRD schemas with CEL rules (`x-kubernetes-validations`) that the repo already holds as test data
 * (see that folder's README for their source and version); no npm or Debian package ships them.
 */
const CRD_DIR = path.resolve(__dirname, "../components/kubernetes/fixtures/crds");
const CEL_SCHEMAS: Record<string, string> = {
  "gateway.networking.k8s.io/v1/HTTPRoute": "gateway-api-v1.3.0-standard-httproute.schema.json",
  "argoproj.io/v1alpha1/Rollout": "argo-rollouts-v1.9.1-rollout.schema.json",
  "argoproj.io/v1alpha1/AnalysisTemplate": "argo-rollouts-v1.9.1-analysistemplate.schema.json",
};

type Schema = Record<string, Json>;

const env = celEnv();
const programs = new Map<string, ReturnType<typeof plan>>();

/** A rule parsed and planned once, then run on every value it applies to. */
function program(rule: string) {
  let p = programs.get(rule);
  if (!p) {
    p = plan(env, parse(rule));
    programs.set(rule, p);
  }
  return p;
}
const loaded = new Map<string, Schema>();

export function celSchemaFor(apiVersion: string, kind: string): Schema | undefined {
  const file = CEL_SCHEMAS[`${apiVersion}/${kind}`];
  if (!file) return undefined;
  if (!loaded.has(file)) loaded.set(file, JSON.parse(readFileSync(path.join(CRD_DIR, file), "utf8")));
  return loaded.get(file);
}

/** The API server applies the schema's defaults before it evaluates rules (structural defaulting). */
export function withDefaults(value: Json, schema: Schema | undefined): Json {
  if (!schema || value === UNKNOWN) return value;
  if (Array.isArray(value)) return value.map((v) => withDefaults(v, schema.items));
  if (value && typeof value === "object") {
    const out: Record<string, Json> = { ...value };
    for (const [k, s] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      if (out[k] === undefined && s.default !== undefined) out[k] = structuredClone(s.default);
      if (out[k] !== undefined) out[k] = withDefaults(out[k], s);
    }
    return out;
  }
  return value;
}

/** CEL names reserved words as `__word__` (Kubernetes' property-name escaping). */
const RESERVED = new Set([
  "as",
  "break",
  "const",
  "continue",
  "else",
  "false",
  "for",
  "function",
  "if",
  "import",
  "in",
  "let",
  "loop",
  "package",
  "namespace",
  "null",
  "return",
  "true",
  "var",
  "void",
  "while",
]);

/** JSON to CEL values, by the schema's types: integers are CEL ints, objects maps. */
function toCel(value: Json, schema: Schema | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => toCel(v, schema?.items));
  if (value && typeof value === "object") {
    const props = (schema?.properties ?? {}) as Record<string, Schema>;
    return new Map(
      Object.entries(value).map(([k, v]) => [
        RESERVED.has(k) ? `__${k}__` : k,
        toCel(v, props[k] ?? schema?.additionalProperties),
      ]),
    );
  }
  if (typeof value === "number" && schema?.type === "integer") return BigInt(value);
  return value;
}

function containsUnknownValue(v: Json): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknownValue);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknownValue);
  return false;
}

/** Evaluates every CEL rule of the schema on the value, depth first; transition rules (`oldSelf`) hold on create. */
export function celViolations(
  value: Json,
  schema: Schema,
  pointer = "",
): { field: string; reason: string }[] {
  const out: { field: string; reason: string }[] = [];
  if (value === undefined || value === null) return out;
  for (const rule of (schema["x-kubernetes-validations"] ?? []) as { rule: string; message?: string }[]) {
    if (/\boldSelf\b/.test(rule.rule) || containsUnknownValue(value)) continue;
    let ok: unknown;
    try {
      ok = program(rule.rule)({ self: toCel(value, schema) as never });
    } catch (err) {
      ok = err;
    }
    if (isCelError(ok) || ok instanceof Error) {
      const reason = `CEL rule could not be evaluated (${(ok as Error).message}): ${rule.rule}`;
      out.push({ field: pointer || "/", reason });
      continue;
    }
    if (ok !== true) out.push({ field: pointer || "/", reason: `CEL: ${rule.message ?? rule.rule}` });
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((v, i) => {
      out.push(...celViolations(v, schema.items, `${pointer}/${i}`));
    });
  } else if (value && typeof value === "object") {
    for (const [k, s] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      out.push(...celViolations(value[k], s, `${pointer}/${k}`));
    }
  }
  return out;
}

/** The CEL rules of a custom resource's CRD, evaluated on it as the API server would on create. */
export function celProblems(m: Manifest): Problem[] {
  const schema = celSchemaFor(m.apiVersion, m.kind);
  if (!schema) return [];
  const doc = withDefaults(body(m), schema);
  return celViolations(doc, schema).map((v) => problem(m, v.field, v.reason));
}

/**
 * Fields a structural CRD schema does not declare: the API server prunes them on write (or, with
 * strict field validation, refuses the object), so a misspelt field silently does nothing.
 */
export function unknownFields(value: Json, schema: Schema, pointer = ""): string[] {
  if (
    value === undefined ||
    value === null ||
    value === UNKNOWN ||
    schema["x-kubernetes-preserve-unknown-fields"]
  ) {
    return [];
  }
  const out: string[] = [];
  if (Array.isArray(value)) {
    if (schema.items) {
      for (const [i, v] of value.entries()) out.push(...unknownFields(v, schema.items, `${pointer}/${i}`));
    }
    return out;
  }
  if (typeof value !== "object") return out;
  const props = schema.properties as Record<string, Schema> | undefined;
  const extra = schema.additionalProperties as Schema | boolean | undefined;
  for (const [k, v] of Object.entries(value)) {
    const field = `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (props?.[k]) out.push(...unknownFields(v, props[k]!, field));
    else if (extra && typeof extra === "object") out.push(...unknownFields(v, extra, field));
    else if (props && !extra) out.push(field);
  }
  return out;
}

/** Unknown fields of a custom resource, by its CRD's structural schema (`metadata` is the API server's). */
export function prunedFieldProblems(m: Manifest): Problem[] {
  const schema = celSchemaFor(m.apiVersion, m.kind);
  if (!schema) return [];
  return unknownFields(body(m), schema)
    .filter((f) => !f.startsWith("/metadata/"))
    .map((f) =>
      problem(
        m,
        f,
        "unknown field: the CRD's structural schema does not declare it, so the API server drops it",
      ),
    );
}
