import type { DriftReport, ReportColumn } from "./schema";
import { CURRENT_COLOUR, escapeHtml, overlaySvg, REFERENCE_COLOUR } from "./svg";

export const STYLE = `
:root{--ref:${REFERENCE_COLOUR};--cur:${CURRENT_COLOUR};--ok:#2e7d32;--bad:#c62828;--err:#6d4c41;--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f5f7fa}
header{padding:24px 32px;background:#fff;border-bottom:1px solid var(--line)}h1{margin:0 0 4px;font-size:22px}
.meta{color:var(--muted)}main{padding:24px 32px;max-width:1200px}
.verdict{display:inline-block;padding:4px 12px;border-radius:999px;color:#fff;font-weight:600;margin-right:8px}
.v-drift{background:var(--bad)}.v-no-drift{background:var(--ok)}.v-error{background:var(--err)}
.tiles{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.tile{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:140px}
.tile b{display:block;font-size:22px}table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);border-radius:8px}
th,td{padding:8px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}th{background:#f0f3f7;font-weight:600}
.badge{padding:2px 8px;border-radius:4px;color:#fff;font-size:12px;font-weight:600}.b-drift{background:var(--bad)}.b-ok{background:var(--ok)}.b-error{background:var(--err)}
.columns{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:16px;margin-top:16px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px}.card h3{margin:0 0 8px;font-size:16px}
.card dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0 0}.card dt{color:var(--muted)}.card dd{margin:0}
svg.overlay{width:100%;height:auto}svg .ref{fill:var(--ref);fill-opacity:.45}svg .cur{fill:var(--cur);fill-opacity:.75}
svg .axis{stroke:#9aa5b1}svg .tick,svg .note{font-size:10px;fill:var(--muted)}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;border-radius:2px}.warn{color:#8d6e00}.error{color:var(--bad)}
footer{padding:16px 32px;color:var(--muted)}`;

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function num(value: number | undefined): string {
  if (value === undefined) return "–";
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

function badge(column: ReportColumn): string {
  if (column.status === "error") return `<span class="badge b-error">error</span>`;
  return column.drift?.drifted
    ? `<span class="badge b-drift">drift</span>`
    : `<span class="badge b-ok">no drift</span>`;
}

function card(column: ReportColumn, currentMode: "exact" | "sketch"): string {
  const title = `${column.name}${column.role === "feature" ? "" : ` (${column.role})`}`;
  const body: string[] = [`<h3>${escapeHtml(title)} ${badge(column)}</h3>`];
  if (column.drift !== null) {
    const d = column.drift;
    body.push(
      `<div class="legend"><span style="background:var(--ref);opacity:.6"></span>reference<span style="background:var(--cur)"></span>current</div>`,
      overlaySvg(d.histogram, `${column.name}: reference and current distributions`),
      `<dl><dt>method</dt><dd>${escapeHtml(d.method)} (${d.kind}${d.methodSource === "default" ? ", default choice" : ""})</dd>`,
      `<dt>score</dt><dd>${num(d.score)} ${escapeHtml(d.comparison)} ${num(d.threshold)} → ${d.drifted ? "drift" : "no drift"}</dd>`,
      `<dt>statistic</dt><dd>${num(d.statistic)}${d.pValue !== undefined ? `, p = ${num(d.pValue)}` : ""}</dd>`,
      `<dt>rows</dt><dd>reference ${d.referenceCount.toLocaleString("en")} (+${d.referenceNullCount} missing), current ${d.currentCount.toLocaleString("en")} (+${d.currentNullCount} missing)</dd>`,
    );
    if (d.computation.mode === "sketch") {
      const bounds = d.computation.statisticBounds;
      body.push(
        `<dt>computed</dt><dd>from ${currentMode === "sketch" ? "the reference and current profiles' sketches" : "the reference profile's sketch"}, rank error ≤ ${num(d.computation.rankErrorBound)} at ${pct(d.computation.rankErrorConfidence)} confidence${bounds ? `; exact statistic within [${num(bounds[0])}, ${num(bounds[1])}]` : ""}</dd>`,
      );
    }
    body.push("</dl>");
  }
  if (column.error !== null) body.push(`<p class="error">${escapeHtml(column.error.message)}</p>`);
  if (column.quality !== null) {
    const q = column.quality;
    body.push(
      `<dl><dt>missing</dt><dd>${pct(q.referenceMissingShare)} → ${pct(q.currentMissingShare)}</dd>`,
      q.typeMismatchShare > 0 ? `<dt>not numbers</dt><dd>${pct(q.typeMismatchShare)}</dd>` : "",
      q.outOfRangeShare > 0 ? `<dt>out of range</dt><dd>${pct(q.outOfRangeShare)}</dd>` : "",
      q.newCategoryShare > 0
        ? `<dt>new categories</dt><dd>${pct(q.newCategoryShare)}: ${escapeHtml(q.newCategories.slice(0, 5).join(", "))}</dd>`
        : "",
      "</dl>",
    );
  }
  for (const warning of column.warnings) body.push(`<p class="warn">${escapeHtml(warning)}</p>`);
  return `<section class="card" id="col-${escapeHtml(column.name)}">${body.join("")}</section>`;
}

/**
 * One self-contained HTML page: verdict and summary tiles, a table of every column, then a card per
 * column with the reference and current distributions overlaid (inline SVG, inline CSS, no scripts,
 * fonts or images from anywhere), the statistic, the threshold and the verdict, plus data quality.
 */
export function renderHtml(report: DriftReport): string {
  const s = report.summary;
  const rows = report.columns
    .map(
      (c) =>
        `<tr><td><a href="#col-${escapeHtml(c.name)}">${escapeHtml(c.name)}</a></td><td>${c.role}</td><td>${badge(c)}</td><td>${escapeHtml(c.drift?.method ?? "–")}</td><td>${num(c.drift?.score)}</td><td>${c.drift ? `${escapeHtml(c.drift.comparison)} ${num(c.drift.threshold)}` : "–"}</td></tr>`,
    )
    .join("");
  const violations =
    report.qualityViolations.length === 0
      ? "<p>No data-quality violations.</p>"
      : `<table><tr><th>column</th><th>check</th><th>finding</th></tr>${report.qualityViolations
          .map(
            (v) =>
              `<tr><td>${escapeHtml(v.column)}</td><td>${v.check}</td><td>${escapeHtml(v.description)}</td></tr>`,
          )
          .join("")}</table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Drift report: ${escapeHtml(s.verdict)}</title><style>${STYLE}</style></head>
<body><header><h1><span class="verdict v-${s.verdict}">${s.verdict === "no-drift" ? "no drift" : s.verdict}</span>Drift report</h1>
<div class="meta">reference <b>${escapeHtml(report.reference.source)}</b> (${report.reference.rowCount.toLocaleString("en")} rows, ${report.reference.mode}) · current <b>${escapeHtml(report.current.source)}</b> (${report.current.rowCount.toLocaleString("en")} rows, ${report.current.mode}) · ${escapeHtml(report.generatedAt)}</div></header>
<main><div class="tiles"><div class="tile"><b>${s.driftedCount} / ${s.evaluatedCount}</b>columns drifted</div>
<div class="tile"><b>${pct(s.driftShare)}</b>drift share (dataset drifts at ≥ ${pct(s.driftShareThreshold)})</div>
<div class="tile"><b>${s.errorCount}</b>columns errored</div><div class="tile"><b>${s.qualityViolationCount}</b>quality violations</div>
<div class="tile"><b>${s.exitCode}</b>exit code</div></div>
<h2>Columns</h2><table><tr><th>column</th><th>role</th><th>verdict</th><th>method</th><th>score</th><th>threshold</th></tr>${rows}</table>
<h2>Data quality</h2>${violations}
<div class="columns">${report.columns.map((column) => card(column, report.current.mode)).join("")}</div></main>
<footer>Generated by the pulumi-mlops drift job · report schema ${report.kind} v${report.schemaVersion}</footer></body></html>
`;
}
