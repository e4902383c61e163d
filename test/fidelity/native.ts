import { type Json, type Manifest, type Problem, problem, UNKNOWN } from "./manifests";
import { containersOf, podTemplates } from "./pods";

// The API server's own name rules (k8s.io/apimachinery/pkg/util/validation), which no OpenAPI schema carries.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** IANA_SVC_NAME: a container port's name (at most 15 characters, a letter in it, no `--`). */
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** The rule `metadata.name` follows, by kind (the API server's `ValidateObjectMeta` name functions). */
function nameRule(kind: string): { test: (n: string) => boolean; rule: string } {
  if (kind === "Service")
    return {
      test: (n) => DNS1035_LABEL.test(n) && n.length <= 63,
      rule: "a DNS-1035 label (starts with a letter, at most 63 characters)",
    };
  if (kind === "Namespace")
    return {
      test: (n) => DNS1123_LABEL.test(n) && n.length <= 63,
      rule: "a DNS-1123 label (at most 63 characters)",
    };
  // A CronJob's Jobs are named `<name>-<11 digits>`, and a Job name is a label value too.
  if (kind === "CronJob")
    return {
      test: (n) => DNS1123_SUBDOMAIN.test(n) && n.length <= 52,
      rule: "a DNS-1123 subdomain of at most 52 characters",
    };
  return {
    test: (n) => DNS1123_SUBDOMAIN.test(n) && n.length <= 253,
    rule: "a DNS-1123 subdomain (at most 253 characters)",
  };
}

function labelProblems(m: Manifest, path: string, labels: Record<string, unknown> | undefined): Problem[] {
  const out: Problem[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    const [prefix, name] = k.includes("/") ? k.split("/", 2) : [undefined, k];
    const keyOk =
      name !== undefined &&
      name.length <= 63 &&
      QUALIFIED_NAME.test(name) &&
      (prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix)));
    if (!keyOk)
      out.push(
        problem(
          m,
          `${path}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`,
          "label key is not a qualified name",
        ),
      );
    if (v !== UNKNOWN && (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v))) {
      out.push(
        problem(
          m,
          `${path}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`,
          `label value ${JSON.stringify(v)} is not a valid label value (at most 63 characters, alphanumerics, '-', '_', '.')`,
        ),
      );
    }
  }
  return out;
}

/** Object names, label syntax, container and port names: rules the API server applies in Go. */
export function nativeProblems(m: Manifest): Problem[] {
  const out: Problem[] = [];
  const name = m.metadata.name;
  if (name !== UNKNOWN) {
    const r = nameRule(m.kind);
    if (!r.test(name)) out.push(problem(m, "/metadata/name", `'${name}' is not ${r.rule}`));
  }
  out.push(...labelProblems(m, "/metadata/labels", m.metadata.labels));
  for (const t of podTemplates([m])) {
    if (t.path !== "/spec")
      out.push(...labelProblems(m, `${t.path.replace(/\/spec$/, "")}/metadata/labels`, t.labels));
    for (const { path, container } of containersOf(t)) {
      if (!DNS1123_LABEL.test(container.name ?? ""))
        out.push(problem(m, `${path}/name`, `'${container.name}' is not a DNS-1123 label`));
      (container.ports ?? []).forEach((p: Record<string, Json>, i: number) => {
        if (p.name === undefined) return;
        const n = String(p.name);
        if (n.length > 15 || !IANA_SVC_NAME.test(n) || !/[a-z]/.test(n) || n.includes("--")) {
          out.push(
            problem(
              m,
              `${path}/ports/${i}/name`,
              `'${n}' is not an IANA service name (at most 15 lowercase characters, a letter, no '--')`,
            ),
          );
        }
      });
    }
  }
  if (m.kind === "Service") {
    (m.spec?.ports ?? []).forEach((p: Record<string, Json>, i: number) => {
      if (p.name !== undefined && !(DNS1123_LABEL.test(p.name) && p.name.length <= 63)) {
        out.push(problem(m, `/spec/ports/${i}/name`, `'${p.name}' is not a DNS-1123 label`));
      }
    });
  }
  return out;
}
