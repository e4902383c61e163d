import { STYLE } from "../report/html";
import { escapeHtml } from "../report/svg";
import type { ChallengerResult } from "./analyze";
import type { ExperimentReport } from "./report";

const EXTRA = `.v-promote{background:var(--ok)}.v-keep{background:#52606d}.v-continue{background:#b7791f}.v-srm{background:var(--bad)}
svg.forest{width:100%;max-width:720px;height:auto;background:#fff;border:1px solid var(--line);border-radius:8px}
svg .ci{stroke:var(--ref);stroke-width:3}svg .ci-seq{stroke:var(--cur);stroke-width:3}svg .zero{stroke:#9aa5b1;stroke-dasharray:3 3}`;

function num(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

function pct(value: number | null): string {
  return value === null ? "–" : `${(value * 100).toFixed(2)}%`;
}

function interval(bounds: readonly [number, number] | null): string {
  return bounds === null ? "–" : `[${num(bounds[0])}, ${num(bounds[1])}]`;
}

/** Difference intervals of every challenger around zero: fixed-horizon (blue) and, with --sequential, always-valid (orange). */
function forestSvg(challengers: readonly ChallengerResult[]): string {
  const width = 720;
  const row = 34;
  const left = 150;
  const right = 20;
  const height = 40 + row * challengers.length;
  const ends = challengers.flatMap((c) => [
    ...c.fixedHorizon.differenceInterval,
    ...(c.sequential ? c.sequential.interval.filter(Number.isFinite) : []),
    0,
  ]);
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  const span = hi - lo || 1;
  const x = (v: number) => left + ((Math.min(Math.max(v, lo), hi) - lo) / span) * (width - left - right);
  const parts = [
    `<line class="zero" x1="${x(0).toFixed(1)}" y1="10" x2="${x(0).toFixed(1)}" y2="${height - 20}"/>`,
  ];
  challengers.forEach((c, i) => {
    const y = 26 + i * row;
    const [a, b] = c.fixedHorizon.differenceInterval;
    parts.push(
      `<text class="tick" x="${left - 8}" y="${y + 4}" text-anchor="end">${escapeHtml(c.challenger.slice(0, 22))}</text>`,
      `<line class="ci" x1="${x(a).toFixed(1)}" y1="${y}" x2="${x(b).toFixed(1)}" y2="${y}"><title>${escapeHtml(`${c.challenger}: fixed-horizon interval ${interval(c.fixedHorizon.differenceInterval)}`)}</title></line>`,
      `<circle cx="${x(c.fixedHorizon.difference).toFixed(1)}" cy="${y}" r="4" fill="var(--ink)"/>`,
    );
    if (c.sequential !== null) {
      const [s0, s1] = c.sequential.interval;
      parts.push(
        `<line class="ci-seq" x1="${x(s0).toFixed(1)}" y1="${y + 8}" x2="${x(s1).toFixed(1)}" y2="${y + 8}"><title>${escapeHtml(`${c.challenger}: always-valid interval ${interval(c.sequential.interval)}`)}</title></line>`,
      );
    }
  });
  parts.push(
    `<text class="tick" x="${left}" y="${height - 4}">${num(lo)}</text>`,
    `<text class="tick" x="${width - right}" y="${height - 4}" text-anchor="end">${num(hi)}</text>`,
    `<text class="tick" x="${x(0).toFixed(1)}" y="${height - 4}" text-anchor="middle">0</text>`,
  );
  return `<svg class="forest" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="Difference from the control with its intervals"><title>Difference from the control</title>${parts.join("")}</svg>`;
}

/**
 * One self-contained page (inline CSS and SVG, no scripts), in the drift report's style: the
 * recommendation and its reason, the sample-ratio check, the variants, each comparison, and the
 * difference intervals drawn around zero.
 */
export function renderExperimentHtml(report: ExperimentReport): string {
  const verdict = report.recommendation ?? "srm";
  const label = report.recommendation ?? "sample-ratio mismatch";
  const srm = report.srm;
  const variantRows = srm.variants
    .map((v) => {
      const stats = report.variants.find((s) => s.name === v.name);
      return `<tr><td>${escapeHtml(v.name)}${v.name === report.control ? " (control)" : ""}</td><td>${v.observed.toLocaleString("en")}</td><td>${pct(v.observedShare)}</td><td>${pct(v.weight)}</td><td>${num(v.expected)}</td><td>${num(stats?.mean)}</td><td>${num(stats?.variance)}</td></tr>`;
    })
    .join("");
  const comparisonRows = report.challengers
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.challenger)}</td><td>${num(c.fixedHorizon.difference)}</td><td>${interval(c.fixedHorizon.differenceInterval)}</td><td>${pct(c.fixedHorizon.relativeLift)}</td><td>${c.fixedHorizon.relativeLiftInterval === null ? "–" : `[${pct(c.fixedHorizon.relativeLiftInterval[0])}, ${pct(c.fixedHorizon.relativeLiftInterval[1])}]`}</td><td>${escapeHtml(c.fixedHorizon.standardizedEffect.name)} ${num(c.fixedHorizon.standardizedEffect.value)}</td><td>${escapeHtml(c.fixedHorizon.test)} ${num(c.fixedHorizon.statistic)}${c.fixedHorizon.degreesOfFreedom === null ? "" : ` (df ${num(c.fixedHorizon.degreesOfFreedom)})`}, p = ${num(c.fixedHorizon.pValue)}</td>${report.sequential === null ? "" : `<td>${c.sequential === null ? "–" : `p = ${num(c.sequential.pValue)}, ${interval(c.sequential.interval)}, ${c.sequential.looks.toLocaleString("en")} looks`}</td>`}<td>${num(c.alpha)}</td><td><b>${c.recommendation ?? "blocked"}</b>: ${escapeHtml(c.reason)}</td></tr>`,
    )
    .join("");
  const sequentialHead = report.sequential === null ? "" : "<th>mSPRT (always valid)</th>";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>A/B test: ${escapeHtml(label)}</title><style>${STYLE}${EXTRA}</style></head>
<body><header><h1><span class="verdict v-${verdict}">${escapeHtml(label)}</span>A/B test report</h1>
<div class="meta">data <b>${escapeHtml(report.data.source)}</b> (${report.data.rows.toLocaleString("en")} ${report.data.aggregated ? "aggregate rows" : "rows"}) · metric <b>${escapeHtml(report.metric.column)}</b> (${report.metric.kind}, ${report.metric.direction} is better) · control <b>${escapeHtml(report.control)}</b> · ${escapeHtml(report.generatedAt)}</div></header>
<main><p><b>${escapeHtml(label)}</b>${report.winner === null ? "" : ` <b>${escapeHtml(report.winner)}</b>`}: ${escapeHtml(report.reason)}</p>
<div class="tiles"><div class="tile"><b>${report.srm.variants.length}</b>variants</div>
<div class="tile"><b class="${srm.mismatch ? "error" : ""}">${num(srm.pValue)}</b>SRM χ² p-value (mismatch below ${srm.alpha})</div>
<div class="tile"><b>${num(report.alpha)}</b>family-wise α${report.challengers.length > 1 ? " (Bonferroni-split)" : ""}</div>
<div class="tile"><b>${report.sequential === null ? "fixed horizon" : "mSPRT"}</b>${report.sequential === null ? "one look" : "always-valid, any number of looks"}</div>
<div class="tile"><b>${report.exitCode}</b>exit code</div></div>
<h2>Sample ratio</h2><table><tr><th>variant</th><th>observed</th><th>observed share</th><th>configured share</th><th>expected</th><th>mean</th><th>variance</th></tr>${variantRows}</table>
<p class="meta">χ² = ${num(srm.statistic)} with ${srm.degreesOfFreedom} degree(s) of freedom, p = ${num(srm.pValue)}: ${srm.mismatch ? `<span class="error">mismatch, every recommendation is blocked</span>` : "the split matches the configuration"}.</p>
<h2>Challengers against ${escapeHtml(report.control)}</h2>
<table><tr><th>challenger</th><th>difference</th><th>interval</th><th>relative lift</th><th>lift interval</th><th>effect size</th><th>fixed-horizon test</th>${sequentialHead}<th>α</th><th>recommendation</th></tr>${comparisonRows}</table>
<h2>Difference from the control</h2>${forestSvg(report.challengers)}
<p class="meta">Dot: observed difference; blue: ${(100 * (1 - (report.challengers[0]?.alpha ?? report.alpha))).toFixed(1)}% fixed-horizon interval${report.challengers.length > 1 ? " (Bonferroni)" : ""}${report.sequential === null ? "" : "; orange: always-valid confidence sequence (mSPRT)"}.</p>
${report.sequential === null ? "" : `<p class="meta">Sequential test: ${escapeHtml(report.sequential.reference)}; first look after ${report.sequential.minSamples} observations per variant.</p>`}</main>
<footer>Generated by the pulumi-mlops abtest job · report schema ${report.kind} v${report.schemaVersion}</footer></body></html>
`;
}
