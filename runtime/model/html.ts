import { escapeHtml } from "../report/svg";
import type { EvaluationReport, ModelEvaluation } from "./evaluate";
import type { GateResult } from "./gates";
import { calibrationSvg, confusionTable, fairnessSvg, prSvg, rocSvg } from "./plots";

const STYLE = `
:root{--ok:#2e7d32;--bad:#c62828;--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f5f7fa}
header{padding:24px 32px;background:#fff;border-bottom:1px solid var(--line)}h1{margin:0 0 4px;font-size:22px}h2{margin:24px 0 8px}
.meta{color:var(--muted)}main{padding:24px 32px;max-width:1200px}
.verdict{display:inline-block;padding:4px 12px;border-radius:999px;color:#fff;font-weight:600;margin-right:8px}.v-pass{background:var(--ok)}.v-fail{background:var(--bad)}
.tiles{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.tile{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:140px}
.tile b{display:block;font-size:22px}table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);border-radius:8px}
th,td{padding:8px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}th{background:#f0f3f7;font-weight:600}
.badge{padding:2px 8px;border-radius:4px;color:#fff;font-size:12px;font-weight:600}.b-fail{background:var(--bad)}.b-ok{background:var(--ok)}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:16px;margin-top:16px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px}.card h3{margin:0 0 8px;font-size:16px}
svg.plot{width:100%;max-width:360px;height:auto}svg.bars{width:100%;max-width:640px;height:auto}svg .area{fill:#fafbfc;stroke:#9aa5b1}svg .diag{stroke:#9aa5b1;stroke-dasharray:4 4}
svg .axis{stroke:#9aa5b1}svg .tick,svg .label{font-size:10px;fill:var(--muted)}
table.confusion{width:auto}td.cm{text-align:right;min-width:64px;font-variant-numeric:tabular-nums}td.num{text-align:right;font-variant-numeric:tabular-nums}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;border-radius:2px}
footer{padding:16px 32px;color:var(--muted)}`;

function num(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "–";
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

function gateRow(g: GateResult): string {
  return `<tr><td>${escapeHtml(g.name)}</td><td class="num">${num(g.value)}</td><td>${g.comparison} ${num(g.limit)}</td><td>${g.passed ? '<span class="badge b-ok">pass</span>' : '<span class="badge b-fail">fail</span>'}</td></tr>`;
}

function metricRows(m: ModelEvaluation): [string, number | undefined][] {
  if (m.regression) {
    const r = m.regression;
    return [
      ["MAE", r.mae],
      ["RMSE", r.rmse],
      ["MAPE", r.mape],
      ["R²", r.r2],
    ];
  }
  const c = m.classification;
  return [
    ["accuracy", c?.accuracy],
    ["precision (class 1)", c?.precision],
    ["recall (class 1)", c?.recall],
    ["F1 (class 1)", c?.f1],
    ["macro F1", c?.macro.f1],
    ["weighted F1", c?.weighted.f1],
    ["ROC AUC", c?.rocAuc],
    ["PR AUC (average precision)", c?.prAuc],
    ["log loss", c?.logLoss],
    ["Brier score", c?.brier],
    ["expected calibration error", c?.ece],
  ];
}

function metricsTable(report: EvaluationReport): string {
  const cand = metricRows(report.candidate).filter(([, v]) => v !== undefined);
  const champ = report.champion ? new Map(metricRows(report.champion)) : undefined;
  const head = `<tr><th>metric</th><th>candidate</th>${champ ? "<th>champion</th>" : ""}</tr>`;
  const rows = cand
    .map(
      ([name, v]) =>
        `<tr><td>${name}</td><td class="num">${num(v)}</td>${champ ? `<td class="num">${num(champ.get(name))}</td>` : ""}</tr>`,
    )
    .join("");
  return `<table>${head}${rows}</table>`;
}

function perClassTable(m: ModelEvaluation): string {
  const c = m.classification;
  if (c === undefined) return "";
  const rows = c.perClass
    .map(
      (k) =>
        `<tr><td>${escapeHtml(k.class)}</td><td class="num">${num(k.precision)}</td><td class="num">${num(k.recall)}</td><td class="num">${num(k.f1)}</td><td class="num">${k.support.toLocaleString("en")}</td></tr>`,
    )
    .join("");
  return `<h2>Per class</h2><table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>${rows}</table>`;
}

function plots(report: EvaluationReport): string {
  const c = report.candidate.classification;
  const curves = report.curves;
  if (c === undefined || curves === undefined) return "";
  const cards: string[] = [];
  const classes = c.perClass.map((k) => k.class);
  cards.push(
    `<section class="card"><h3>Confusion matrix</h3>${confusionTable(c.confusionMatrix, classes)}</section>`,
  );
  if (curves.roc) cards.push(`<section class="card"><h3>ROC</h3>${rocSvg(curves.roc, c.rocAuc)}</section>`);
  if (curves.pr) {
    const share = (c.perClass[1]?.support ?? 0) / c.rows;
    cards.push(
      `<section class="card"><h3>Precision-recall</h3>${prSvg(curves.pr, c.prAuc, share)}</section>`,
    );
  }
  const binary = classes.length === 2;
  cards.push(
    `<section class="card"><h3>Calibration</h3>${calibrationSvg(curves.calibration, binary ? "mean P(class 1)" : "mean top-class probability", binary ? "share of class 1" : "accuracy")}<p class="meta">ECE ${num(c.ece)} over 10 equal-width bins</p></section>`,
  );
  return `<div class="plots">${cards.join("")}</div>`;
}

function championSection(report: EvaluationReport): string {
  const k = report.comparison;
  if (k === undefined || report.champion === undefined) return "";
  return `<h2>Champion</h2><p><b>${escapeHtml(report.champion.path)}</b>: improvement in ${k.metric} (positive is better) ${num(k.improvement.estimate)}, ${(k.confidence * 100).toFixed(0)}% paired bootstrap interval [${num(k.improvement.lower)}, ${num(k.improvement.upper)}] over ${k.resamples} resamples (seed ${k.seed}); the lower end must be ≥ ${num(k.margin)}.</p>`;
}

function fairnessSection(report: EvaluationReport): string {
  const f = report.fairness;
  if (f === undefined) return "";
  const groups = f.groups
    .map(
      (g) =>
        `<tr><td>${escapeHtml(g.group)}${g.group === f.privileged ? " (privileged)" : ""}</td><td class="num">${g.count.toLocaleString("en")}</td><td class="num">${g.positives.toLocaleString("en")}</td><td class="num">${num(g.selectionRate)}</td><td class="num">${num(g.truePositiveRate)}</td><td class="num">${num(g.falsePositiveRate)}</td></tr>`,
    )
    .join("");
  const comparisons = f.comparisons
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.group)}</td><td class="num">${num(c.statisticalParityDifference)}</td><td class="num">${num(c.disparateImpact)}</td><td class="num">${num(c.equalOpportunityDifference)}</td><td class="num">${num(c.averageOddsDifference)}</td></tr>`,
    )
    .join("");
  return `<h2>Fairness over ${escapeHtml(f.attribute)}</h2>
<p class="meta">Privileged group: ${escapeHtml(f.privileged)} (${f.privilegedSource}). Differences are unprivileged − privileged, as AIF360 defines them; class 1 is the favourable outcome.</p>
<div class="card">${fairnessSvg(f.groups, f.privileged)}</div>
<table><tr><th>group</th><th>rows</th><th>positives</th><th>selection rate</th><th>TPR</th><th>FPR</th></tr>${groups}</table>
<h3>Against the privileged group</h3>
<table><tr><th>group</th><th>statistical parity difference</th><th>disparate impact</th><th>equal opportunity difference</th><th>average odds difference</th></tr>${comparisons}</table>`;
}

/**
 * The evaluation as one self-contained page (inline CSS and SVG, no scripts, fonts or images
 * fetched), in the drift report's style: verdict, gates, metrics, plots, champion and fairness.
 */
export function evaluationHtml(report: EvaluationReport): string {
  const failed = report.gates.filter((g) => !g.passed).length;
  const c = report.candidate.classification;
  const r = report.candidate.regression;
  const tiles = c
    ? [
        ["accuracy", c.accuracy],
        ["ROC AUC", c.rocAuc],
        c.f1 === undefined ? ["macro F1", c.macro.f1] : ["F1", c.f1],
        ["log loss", c.logLoss],
      ]
    : [
        ["RMSE", r?.rmse],
        ["MAE", r?.mae],
        ["R²", r?.r2],
        ["MAPE", r?.mape],
      ];
  const lat = report.candidate.latency;
  const gates =
    report.gates.length === 0
      ? "<p>No gates configured.</p>"
      : `<table><tr><th>gate</th><th>value</th><th>limit</th><th>result</th></tr>${report.gates.map(gateRow).join("")}</table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Model evaluation: ${report.verdict}</title><style>${STYLE}</style></head>
<body><header><h1><span class="verdict v-${report.verdict}">${report.verdict}</span>Model evaluation</h1>
<div class="meta">model <b>${escapeHtml(report.candidate.path)}</b> · holdout <b>${escapeHtml(report.data.source)}</b> (${report.data.rows.toLocaleString("en")} rows, label ${escapeHtml(report.data.label)}) · ${report.task} (${report.taskSource === "flag" ? "--task" : `from the ${report.taskSource}`})${report.threshold !== undefined ? ` · threshold ${report.threshold}` : ""} · ${escapeHtml(report.generatedAt)}</div></header>
<main><div class="tiles">${tiles.map(([name, v]) => `<div class="tile"><b>${num(v as number | undefined)}</b>${name}</div>`).join("")}
<div class="tile"><b>${report.gates.length - failed} / ${report.gates.length}</b>gates passed</div><div class="tile"><b>${report.exitCode}</b>exit code</div></div>
<h2>Gates</h2>${gates}
<h2>Metrics</h2>${metricsTable(report)}
${perClassTable(report.candidate)}${plots(report)}${championSection(report)}${fairnessSection(report)}
<h2>Model</h2><p>Inputs: ${report.candidate.inputs.map((i) => `${escapeHtml(i.name)} (${i.type}) ← ${escapeHtml(i.columns.join(", "))}`).join("; ")}. Output: ${escapeHtml(report.candidate.outputDescription)}.
Inference: ${lat.batches} batches of up to ${lat.batchSize.toLocaleString("en")} rows, p50 ${num(lat.p50BatchMs)} ms, p95 ${num(lat.p95BatchMs)} ms per batch, ${Math.round(lat.inferenceRowsPerSecond).toLocaleString("en")} rows/s in ONNX Runtime.</p></main>
<footer>Generated by pulumi-mlops evaluate · report schema ${report.kind} v${report.schemaVersion}</footer></body></html>
`;
}
