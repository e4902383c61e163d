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

/** Metric names an expression selects (`name{…}` and `{__name__="name"}`). */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name === "Identifier" && node.node.parent?.name === "VectorSelector")
        names.add(expr.slice(node.from, node.to));
      if (node.name === "UnquotedLabelMatcher") {
        const m = /^__name__\s*=\s*"([^"]+)"$/.exec(expr.slice(node.from, node.to));
        if (m) names.add(m[1]!);
      }
    },
  });
  return [...names];
}

/** The series names a prom-client registry exposes (histograms as `_bucket`, `_sum`, `_count`). */
async function seriesNames(registry: Registry): Promise<string[]> {
  const out: string[] = [];
  for (const m of await registry.getMetricsAsJSON()) {
    if (String(m.type) === "histogram") out.push(`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`);
    else out.push(m.name);
  }
  return out;
}

/** The series the capture sidecar exports (its own registry, without Node's process metrics). */
export async function captureSeries(): Promise<string[]> {
  return seriesNames(createCaptureMetrics(false).registry);
}

/** The series the drift job pushes, rendered from the runtime's own registry, plus the Pushgateway's own. */
export async function driftSeries(): Promise<string[]> {
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
  const names = await seriesNames(reportRegistry(report as never));
  return [...names, "push_time_seconds"];
}

/** Cluster add-ons the documentation asks for, and what they export to Prometheus. */
export interface AddOns {
  /** Pushgateway URLs whose scrape the add-on's chart sets up. */
  pushgateways: string[];
  /** Series exported and scraped by add-ons (kube-state-metrics, controllers). */
  series: { names: string[]; exporter: string; documented: string }[];
}

/** How a series reaches Prometheus, or why it does not. */
export interface Export {
  exporter: string;
  scraped: boolean;
  why: string;
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
  const capture = await captureSeries();
  const drift = await driftSeries();
  const out = new Map<string, Export[]>();
  const add = (names: string[], e: Export) => {
    for (const n of names) out.set(n, [...(out.get(n) ?? []), e]);
  };
  for (const s of addOns.series) add(s.names, { exporter: s.exporter, scraped: true, why: s.documented });
  const monitors = c.manifests.filter((m) => m.kind === "PodMonitor");
  for (const t of c.templates) {
    for (const { container } of containersOf(t)) {
      const args: string[] = (container.args ?? []).filter((a: unknown) => typeof a === "string");
      const exporter = `container '${container.name}' of ${t.owner.kind} ${t.owner.metadata.namespace}/${t.owner.metadata.name}`;
      if (args[0] === "capture")
        add(capture, { exporter, ...captureScrape(c, t, container, args, monitors) });
      if (args[0] === "monitor-run") {
        const url = argValue(args, "--pushgateway");
        const scraped = url !== undefined && addOns.pushgateways.includes(url);
        add(drift, {
          exporter,
          scraped,
          why:
            url === undefined
              ? "it pushes to no Pushgateway"
              : scraped
                ? `pushed to ${url}`
                : `${url} is not a documented Pushgateway`,
        });
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
    for (const name of metricNames(q.expr)) {
      const found = exports.get(name) ?? [];
      if (found.length === 0)
        out.push(problem(q.owner, q.field, `reads series '${name}', which nothing in the cluster exports`));
      else if (!found.some((e) => e.scraped)) {
        out.push(
          problem(
            q.owner,
            q.field,
            `reads series '${name}', which nothing scrapes (${found.map((e) => `${e.exporter}: ${e.why}`).join("; ")})`,
          ),
        );
      }
    }
  }
  return out;
}
