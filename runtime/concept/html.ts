import { STYLE } from "../report/html";
import { escapeHtml } from "../report/svg";
import type { ConceptDriftReport } from "./report";

const COLOURS: Record<string, string> = {
  adwin: "#3b6fb6",
  ddm: "#c62828",
  eddm: "#7b1fa2",
  "page-hinkley": "#e07b29",
};

/** Error rate per block, with a marker at every detection (one lane per detector). */
function chart(report: ConceptDriftReport): string {
  const width = 960;
  const height = 260;
  const pad = { left: 90, right: 12, top: 12, bottom: 70 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const { rates, blockSize } = report.errorRateSeries;
  const n = Math.max(1, report.labelled);
  const max = Math.max(0.05, ...rates);
  const x = (index: number) => pad.left + (index / n) * plotW;
  const y = (rate: number) => pad.top + plotH - (rate / max) * plotH;
  const points = rates
    .map((r, i) => `${x(Math.min(n, (i + 0.5) * blockSize)).toFixed(1)},${y(r).toFixed(1)}`)
    .join(" ");
  const parts = [
    `<polyline fill="none" stroke="var(--ink)" stroke-width="1.5" points="${points}"/>`,
    `<line class="axis" x1="${pad.left}" y1="${pad.top + plotH}" x2="${width - pad.right}" y2="${pad.top + plotH}"/>`,
    `<text class="tick" x="${pad.left - 4}" y="${pad.top + 8}" text-anchor="end">${(max * 100).toFixed(0)}%</text>`,
    `<text class="tick" x="${pad.left - 4}" y="${pad.top + plotH}" text-anchor="end">0%</text>`,
    `<text class="tick" x="${width - pad.right}" y="${pad.top + plotH + 12}" text-anchor="end">${report.labelled.toLocaleString("en")}</text>`,
  ];
  report.detectors.forEach((d, lane) => {
    const laneY = pad.top + plotH + 22 + lane * 11;
    parts.push(
      `<text class="tick" x="${pad.left - 4}" y="${laneY + 3}" text-anchor="end">${escapeHtml(d.name)}</text>`,
    );
    for (const hit of d.detections) {
      const tip = `${d.name} at #${hit.index}${hit.timestamp === null ? "" : ` (${hit.timestamp})`}: error ${hit.direction}`;
      parts.push(
        `<line x1="${x(hit.index).toFixed(1)}" y1="${pad.top}" x2="${x(hit.index).toFixed(1)}" y2="${pad.top + plotH}" stroke="${COLOURS[d.name]}" stroke-opacity=".35"/>`,
        `<circle cx="${x(hit.index).toFixed(1)}" cy="${laneY}" r="4" fill="${COLOURS[d.name]}"><title>${escapeHtml(tip)}</title></circle>`,
      );
    }
  });
  return `<svg class="overlay" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="Error rate over the stream with the detections"><title>Error rate per ${blockSize} predictions, and where each detector fired</title>${parts.join("")}</svg>`;
}

/** One self-contained page in the drift report's style: verdict, error-rate chart, detections per detector. */
export function renderConceptDriftHtml(report: ConceptDriftReport): string {
  const verdict = report.accuracyDrop ? "drift" : "no-drift";
  const label = report.accuracyDrop ? "accuracy drop" : "no accuracy drop";
  const rows = report.detectors
    .flatMap((d) =>
      d.detections.map(
        (h) =>
          `<tr><td><span style="color:${COLOURS[d.name]}">●</span> ${escapeHtml(d.name)}</td><td>${h.index.toLocaleString("en")}</td><td>${h.source === null ? "–" : `${escapeHtml(h.source)}:${h.row}`}</td><td>${escapeHtml(h.timestamp ?? "–")}</td><td>error ${h.direction}</td><td>${(h.errorRateBefore * 100).toFixed(1)}%</td></tr>`,
      ),
    )
    .join("");
  const params = report.detectors
    .map(
      (d) =>
        `<dt>${escapeHtml(d.name)}</dt><dd>${escapeHtml(
          Object.entries(d.parameters)
            .map(([k, v]) => `${k} ${v}`)
            .join(", "),
        )}</dd>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Concept drift: ${label}</title><style>${STYLE}</style></head>
<body><header><h1><span class="verdict v-${verdict}">${label}</span>Concept-drift report</h1>
<div class="meta">${report.sources.map((s) => `<b>${escapeHtml(s)}</b>`).join(", ")} · prediction <b>${escapeHtml(report.columns.prediction)}</b> against labels <b>${escapeHtml(report.columns.labels)}</b>${report.columns.timestamp === null ? "" : ` in order of <b>${escapeHtml(report.columns.timestamp)}</b>`} · ${escapeHtml(report.generatedAt)}</div></header>
<main><div class="tiles"><div class="tile"><b>${report.labelled.toLocaleString("en")}</b>labelled predictions</div>
<div class="tile"><b>${report.unlabelled.toLocaleString("en")}</b>without a label yet</div>
<div class="tile"><b>${(report.errorRate * 100).toFixed(2)}%</b>error rate overall</div>
<div class="tile"><b>${report.detectors.reduce((n, d) => n + d.detections.length, 0)}</b>detections</div>
<div class="tile"><b>${new Set(report.detectors.filter((d) => d.detections.some((h) => h.direction === "increase")).map((d) => d.name)).size} / ${report.quorum}</b>detectors seeing an error increase / needed</div>
<div class="tile"><b>${report.exitCode}</b>exit code</div></div>
<h2>Error rate and detections</h2><section class="card">${chart(report)}</section>
<h2>Detections</h2>${rows === "" ? "<p>No detector fired.</p>" : `<table><tr><th>detector</th><th>prediction #</th><th>row</th><th>timestamp</th><th>change</th><th>error rate of the segment it closed</th></tr>${rows}</table>`}
<section class="card"><h3>Detectors (river's default parameters)</h3><dl>${params}</dl><p class="meta">Classes: ${escapeHtml(report.classes.join(", "))}</p></section></main>
<footer>Generated by the pulumi-mlops drift job · report schema ${report.kind} v${report.schemaVersion}</footer></body></html>
`;
}
