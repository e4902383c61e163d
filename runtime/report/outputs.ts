import type { Writable } from "node:stream";
import type { Registry } from "prom-client";
import { writeReportFile } from "./atomic";
import { isPushgatewayUrl, pushRegistry } from "./prometheus";

/** Where a report command was asked to write: the flags every report command shares. */
export interface ReportTargets {
  /** `--json`: a file or object URI, or `-` for stdout. */
  json?: string;
  /** `--html`: a file or object URI. */
  html?: string;
  /** `--prometheus`: a file or object URI, or a Pushgateway URL. */
  prometheus?: string;
  /** `--emf`: CloudWatch embedded-metric-format lines on stdout. */
  emf?: boolean;
}

/** One report in each output form, each built only when its flag asks for it. */
export interface ReportForms {
  json: () => string;
  html: () => string;
  registry: () => Registry;
  emfLines: () => string[];
  /** The Pushgateway job (grouping) name. */
  jobName: string;
}

/**
 * Writes a report where the flags say, every file all-or-nothing. The HTML and the metrics are
 * rendered before anything is written, so a rendering failure leaves no output at all.
 */
export async function writeReportOutputs(
  forms: ReportForms,
  targets: ReportTargets,
  stdout: Writable,
): Promise<void> {
  const json = targets.json === undefined ? undefined : forms.json();
  const html = targets.html === undefined ? undefined : forms.html();
  const registry = targets.prometheus === undefined ? undefined : forms.registry();
  const prom = registry === undefined ? undefined : await registry.metrics();
  if (json !== undefined && targets.json === "-") stdout.write(json);
  else if (json !== undefined && targets.json !== undefined) await writeReportFile(targets.json, json);
  if (html !== undefined && targets.html !== undefined) await writeReportFile(targets.html, html);
  if (registry !== undefined && prom !== undefined && targets.prometheus !== undefined) {
    if (isPushgatewayUrl(targets.prometheus)) await pushRegistry(registry, targets.prometheus, forms.jobName);
    else await writeReportFile(targets.prometheus, prom);
  }
  if (targets.emf) for (const line of forms.emfLines()) stdout.write(`${line}\n`);
}
