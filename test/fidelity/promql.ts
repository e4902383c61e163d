import { parser } from "@prometheus-io/lezer-promql";
import type { Registry } from "prom-client";
import { createCaptureMetrics } from "../../runtime/capture/metrics";
import { reportRegistry } from "../../runtime/report/prometheus";
import { type Json, type Manifest, type Problem, problem, UNKNOWN } from "./manifests";
import { containersOf, type PodTemplate } from "./pods";
import { type Cluster, podMonitorTargets } from "./xref";

/** A PromQL expression found in a manifest. */
export interface Query {
  owner: Manifest;
  field: string;
  expr: string;
}

/** Argo Rollouts substitutes `{{args.name}}` before querying; a placeholder label value stands in. */
function withoutArgs(query: string): string {
  return query.replace(/\{\{\s*args\.[\w-]+\s*\}\}/g, "arg");
}

/**
 * Grafana interpolates its variables before querying: the interval macros become a duration, other
 * variables (`$var`, `${var}`) a value; stand-ins keep the expression's shape.
 */
function withoutGrafanaVariables(query: string): string {
  return query
    .replace(/\$__(rate_interval|interval|range)(_ms|_s)?\b/g, "5m")
    .replace(/\$\{\w+(:\w+)?\}|\$\w+/g, "var");
}

function dashboardQueries(m: Manifest, key: string, text: string): Query[] {
  const out: Query[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return out;
  }
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v))
      v.forEach((x, i) => {
        walk(x, `${path}/${i}`);
      });
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "expr" && typeof x === "string") {
          out.push({ owner: m, field: `${path}/expr`, expr: withoutGrafanaVariables(x) });
        } else walk(x, `${path}/${k}`);
      }
    }
  };
  walk(doc, `/data/${key}`);
  return out;
}

/** Every PromQL expression: alert and recording rules, canary analyses and Grafana dashboards. */
export function queriesOf(manifests: Manifest[]): Query[] {
  const out: Query[] = [];
  for (const m of manifests) {
    if (m.kind === "PrometheusRule") {
      (m.spec?.groups ?? []).forEach((g: Record<string, Json>, i: number) => {
        (g.rules ?? []).forEach((r: Record<string, Json>, j: number) => {
          if (typeof r.expr === "string")
            out.push({ owner: m, field: `/spec/groups/${i}/rules/${j}/expr`, expr: r.expr });
        });
      });
    }
    if (m.kind === "AnalysisTemplate" || m.kind === "ClusterAnalysisTemplate") {
      (m.spec?.metrics ?? []).forEach((metric: Record<string, Json>, i: number) => {
        const q = metric.provider?.prometheus?.query;
        if (typeof q === "string")
          out.push({ owner: m, field: `/spec/metrics/${i}/provider/prometheus/query`, expr: withoutArgs(q) });
      });
    }
    if (m.kind === "ConfigMap" && m.data && m.data !== UNKNOWN) {
      for (const [k, v] of Object.entries(m.data as Record<string, string>)) {
        if (k.endsWith(".json") && typeof v === "string") out.push(...dashboardQueries(m, k, v));
      }
    }
  }
  return out;
}

/** Syntax errors Prometheus' own grammar finds, with their position. */
export function syntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`syntax error at ${node.from}: ${JSON.stringify(expr.slice(node.from, node.from + 24))}`);
    },
  });
  return errors;
}

/** The series an expression selects (`name{…}` and `{__name__="name"}`), with the label names it matches on. */
export function selectors(expr: string): { name: string; labels: string[] }[] {
  const out: { name: string; labels: string[] }[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name !== "VectorSelector") return;
      let name: string | undefined;
      const labels: string[] = [];
      const cursor = node.node.cursor();
      cursor.iterate((n) => {
        if (n.name === "Identifier" && n.node.parent?.name === "VectorSelector")
          name = expr.slice(n.from, n.to);
        if (n.name === "LabelName") labels.push(expr.slice(n.from, n.to));
        if (n.name === "UnquotedLabelMatcher") {
          const m = /^__name__\s*=\s*"([^"]+)"$/.exec(expr.slice(n.from, n.to));
          if (m) name = m[1];
        }
      });
      if (name) out.push({ name, labels: labels.filter((l) => l !== "__name__") });
      return false;
    },
  });
  return out;
}

/** Metric names an expression selects. */
export function metricNames(expr: string): string[] {
  return [...new Set(selectors(expr).map((s) => s.name))];
}

/** A series a registry exposes, with the label names it carries. */
export interface Series {
  name: string;
  labels: string[];
}

/** The series a prom-client registry exposes (histograms as `_bucket` with `le`, `_sum`, `_count`). */
function registrySeries(registry: Registry): Series[] {
  const out: Series[] = [];
  for (const m of registry.getMetricsAsArray() as unknown as {
    name: string;
    labelNames?: string[];
    constructor: { name: string };
  }[]) {
    const labels = [...(m.labelNames ?? [])];
    if (m.constructor.name === "Histogram") {
      out.push(
        { name: `${m.name}_bucket`, labels: [...labels, "le"] },
        { name: `${m.name}_sum`, labels },
        { name: `${m.name}_count`, labels },
      );
    } else out.push({ name: m.name, labels });
  }
  return out;
}

/** The series the capture sidecar exports (its own registry, without Node's process metrics). */
export function captureSeries(): Series[] {
  return registrySeries(createCaptureMetrics(false).registry);
}

/** The series the drift job pushes, from the runtime's own registry, and the Pushgateway's `push_time_seconds`. */
export function driftSeries(): Series[] {
  const report = {
    summary: {
      datasetDrift: false,
      driftShare: 0,
      driftedCount: 0,
      errorCount: 0,
      qualityViolationCount: 0,
      exitCode: 0,
    },
    current: { rowCount: 0 },
    columns: [],
  };
  return [...registrySeries(reportRegistry(report as never)), { name: "push_time_seconds", labels: [] }];
}

/** Labels Prometheus adds to every series of a PodMonitor's targets (prometheus-operator's relabelling). */
export const POD_MONITOR_TARGET_LABELS = ["namespace", "pod", "container", "endpoint", "job", "instance"];

/** Cluster add-ons the documentation asks for, and what they export to Prometheus. */
export interface AddOns {
  /** Pushgateway URLs whose scrape the add-on's chart sets up. */
  pushgateways: string[];
  /** Series exported and scraped by add-ons (kube-state-metrics, controllers). */
  series: { names: string[]; exporter: string; documented: string }[];
}

/** How a series reaches Prometheus, or why it does not, and the labels it has there (unknown: any). */
export interface Export {
  exporter: string;
  scraped: boolean;
  why: string;
  labels?: string[];
}

function argValue(args: string[], flag: string): string | undefined {
  const a = args.find((x) => x.startsWith(`${flag}=`));
  return a?.slice(flag.length + 1);
}

/**
 * Who exports which series in a cluster set, and whether something scrapes them: the capture sidecar
 * (`capture … --metrics-port=N`) is scraped when a PodMonitor selects its pod on that port's name; the
 * drift job (`monitor-run … --pushgateway=URL`) pushes to a Pushgateway, which must be a documented
 * add-on (`pushgateways`: URLs whose Prometheus scrape the add-on's chart sets up).
 */
export async function exportsOf(c: Cluster, addOns: AddOns): Promise<Map<string, Export[]>> {
  const out = new Map<string, Export[]>();
  const add = (name: string, e: Export) => out.set(name, [...(out.get(name) ?? []), e]);
  for (const s of addOns.series)
    for (const n of s.names) add(n, { exporter: s.exporter, scraped: true, why: s.documented });
  const monitors = c.manifests.filter((m) => m.kind === "PodMonitor");
  for (const t of c.templates) {
    for (const { container } of containersOf(t)) {
      const args: string[] = (container.args ?? []).filter((a: unknown) => typeof a === "string");
      const exporter = `container '${container.name}' of ${t.owner.kind} ${t.owner.metadata.namespace}/${t.owner.metadata.name}`;
      if (args[0] === "capture") {
        const scrape = captureScrape(c, t, container, args, monitors);
        for (const s of captureSeries())
          add(s.name, { exporter, ...scrape, labels: [...s.labels, ...POD_MONITOR_TARGET_LABELS] });
      }
      if (args[0] === "monitor-run") {
        const url = argValue(args, "--pushgateway");
        const scraped = url !== undefined && addOns.pushgateways.includes(url);
        const why =
          url === undefined
            ? "it pushes to no Pushgateway"
            : scraped
              ? `pushed to ${url}`
              : `${url} is not a documented Pushgateway`;
        // Grouping labels of the push (runtime/jobs/monitorRun.ts): the endpoint, and the namespace when
        // --namespace or $POD_NAMESPACE gives one; the Pushgateway adds job and instance.
        const env = (container.env ?? []).map((e: { name: string }) => e.name);
        const grouping = ["endpoint", "job", "instance"];
        if (argValue(args, "--namespace") !== undefined || env.includes("POD_NAMESPACE"))
          grouping.push("namespace");
        for (const s of driftSeries())
          add(s.name, { exporter, scraped, why, labels: [...s.labels, ...grouping] });
      }
    }
  }
  return out;
}

function captureScrape(
  c: Cluster,
  t: PodTemplate,
  container: Record<string, Json>,
  args: string[],
  monitors: Manifest[],
) {
  const port = Number(argValue(args, "--metrics-port"));
  const portName = (container.ports ?? []).find(
    (p: { containerPort: number }) => p.containerPort === port,
  )?.name;
  if (!portName) return { scraped: false, why: `no named container port declares its metrics port ${port}` };
  const pm = monitors.find(
    (m) =>
      podMonitorTargets(c, m).includes(t) &&
      (m.spec?.podMetricsEndpoints ?? []).some((e: { port?: string }) => e.port === portName),
  );
  return pm
    ? { scraped: true, why: `scraped by PodMonitor ${pm.metadata.name}` }
    : { scraped: false, why: `no PodMonitor scrapes port '${portName}' of its pods` };
}

/** Every expression parses, and every series it reads is exported by something that is scraped. */
export async function promqlProblems(c: Cluster, addOns: AddOns): Promise<Problem[]> {
  const exports = await exportsOf(c, addOns);
  const out: Problem[] = [];
  for (const q of queriesOf(c.manifests)) {
    const errors = syntaxErrors(q.expr);
    for (const e of errors) out.push(problem(q.owner, q.field, `PromQL ${e}`));
    if (errors.length > 0) continue;
    for (const sel of selectors(q.expr)) {
      const found = exports.get(sel.name) ?? [];
      if (found.length === 0) {
        out.push(
          problem(q.owner, q.field, `reads series '${sel.name}', which nothing in the cluster exports`),
        );
        continue;
      }
      const scraped = found.filter((e) => e.scraped);
      if (scraped.length === 0) {
        const whys = found.map((e) => `${e.exporter}: ${e.why}`).join("; ");
        out.push(problem(q.owner, q.field, `reads series '${sel.name}', which nothing scrapes (${whys})`));
        continue;
      }
      for (const label of sel.labels) {
        if (scraped.some((e) => e.labels === undefined || e.labels.includes(label))) continue;
        out.push(
          problem(
            q.owner,
            q.field,
            `matches label '${label}', which series '${sel.name}' never has (it has ${scraped[0]!.labels!.join(", ")}); the query selects nothing`,
          ),
        );
      }
    }
  }
  return out;
}
