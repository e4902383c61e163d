import { CURRENT_COLOUR, escapeHtml, REFERENCE_COLOUR } from "../report/svg";

const SIZE = 300;
const PAD = { left: 44, right: 12, top: 12, bottom: 40 };
const PLOT = SIZE - PAD.left - PAD.right;

const x = (v: number) => PAD.left + v * PLOT;
const y = (v: number) => PAD.top + (1 - v) * (SIZE - PAD.top - PAD.bottom);

function frame(title: string, xLabel: string, yLabel: string, body: string): string {
  const ticks = [0, 0.5, 1]
    .map(
      (t) =>
        `<text class="tick" x="${x(t).toFixed(1)}" y="${SIZE - PAD.bottom + 14}" text-anchor="middle">${t}</text>` +
        `<text class="tick" x="${PAD.left - 6}" y="${(y(t) + 3).toFixed(1)}" text-anchor="end">${t}</text>`,
    )
    .join("");
  return `<svg class="plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SIZE} ${SIZE}" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>
<rect class="area" x="${PAD.left}" y="${PAD.top}" width="${PLOT}" height="${y(0) - PAD.top}"/>${ticks}
<text class="label" x="${x(0.5)}" y="${SIZE - 8}" text-anchor="middle">${escapeHtml(xLabel)}</text>
<text class="label" transform="translate(12 ${y(0.5)}) rotate(-90)" text-anchor="middle">${escapeHtml(yLabel)}</text>${body}</svg>`;
}

function polyline(points: readonly [number, number][], colour: string, steps = false): string {
  const coords: string[] = [];
  let prev: [number, number] | undefined;
  for (const p of points) {
    if (steps && prev !== undefined) coords.push(`${x(p[0]).toFixed(1)},${y(prev[1]).toFixed(1)}`);
    coords.push(`${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`);
    prev = p;
  }
  return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${coords.join(" ")}"/>`;
}

const diagonal = `<line class="diag" x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}"/>`;

/** ROC curve with the chance diagonal. */
export function rocSvg(points: readonly [number, number][], auc: number): string {
  return frame(
    `ROC curve, AUC ${auc.toFixed(3)}`,
    "false positive rate",
    "true positive rate",
    diagonal + polyline(points, REFERENCE_COLOUR),
  );
}

/** Precision-recall curve, drawn as the steps average precision sums, with the positive share as baseline. */
export function prSvg(points: readonly [number, number][], ap: number, positiveShare: number): string {
  const baseline = `<line class="diag" x1="${x(0)}" y1="${y(positiveShare)}" x2="${x(1)}" y2="${y(positiveShare)}"/>`;
  return frame(
    `Precision-recall curve, average precision ${ap.toFixed(3)}`,
    "recall",
    "precision",
    baseline + polyline(points, REFERENCE_COLOUR, true),
  );
}

/** Reliability diagram: observed rate against mean predicted probability per bin, dots sized by count. */
export function calibrationSvg(
  bins: readonly {
    meanPredicted: number;
    observedRate: number;
    count: number;
    lower: number;
    upper: number;
  }[],
  xLabel: string,
  yLabel: string,
): string {
  const max = Math.max(1, ...bins.map((b) => b.count));
  const dots = bins
    .map(
      (b) =>
        `<circle cx="${x(b.meanPredicted).toFixed(1)}" cy="${y(b.observedRate).toFixed(1)}" r="${(3 + 5 * Math.sqrt(b.count / max)).toFixed(1)}" fill="${CURRENT_COLOUR}" fill-opacity=".8"><title>${b.lower.toFixed(1)}–${b.upper.toFixed(1)}: ${b.count} rows, mean predicted ${b.meanPredicted.toFixed(3)}, observed ${b.observedRate.toFixed(3)}</title></circle>`,
    )
    .join("");
  const line = polyline(
    bins.map((b) => [b.meanPredicted, b.observedRate] as [number, number]),
    CURRENT_COLOUR,
  );
  return frame("Calibration (reliability diagram)", xLabel, yLabel, diagonal + line + dots);
}

/** Confusion matrix as a table shaded by each cell's share of its true class. */
export function confusionTable(matrix: readonly (readonly number[])[], classes: readonly string[]): string {
  const head = classes.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const rows = matrix
    .map((row, i) => {
      const total = row.reduce((a, v) => a + v, 0) || 1;
      const cells = row
        .map((v, j) => {
          const share = v / total;
          const colour = i === j ? "46,125,50" : "198,40,40";
          return `<td class="cm" style="background:rgba(${colour},${(0.08 + 0.6 * share).toFixed(2)})" title="${(share * 100).toFixed(1)}% of class ${escapeHtml(classes[i] as string)}">${v.toLocaleString("en")}</td>`;
        })
        .join("");
      return `<tr><th>${escapeHtml(classes[i] as string)}</th>${cells}</tr>`;
    })
    .join("");
  return `<table class="confusion"><tr><th>true ↓ / predicted →</th>${head}</tr>${rows}</table>`;
}

/** Per-group bars of selection rate, true positive rate and false positive rate. */
export function fairnessSvg(
  groups: readonly {
    group: string;
    selectionRate: number;
    truePositiveRate: number;
    falsePositiveRate: number;
  }[],
  privileged: string,
): string {
  const width = 560;
  const height = 220;
  const left = 44;
  const bottom = 40;
  const plotH = height - 12 - bottom;
  const series = [
    ["selectionRate", "selection rate", REFERENCE_COLOUR],
    ["truePositiveRate", "true positive rate", CURRENT_COLOUR],
    ["falsePositiveRate", "false positive rate", "#7b8794"],
  ] as const;
  const step = (width - left - 12) / Math.max(1, groups.length);
  const bar = (step * 0.8) / series.length;
  const parts: string[] = [];
  groups.forEach((g, k) => {
    series.forEach(([key, label, colour], s) => {
      const v = Number.isFinite(g[key]) ? g[key] : 0;
      const bx = left + k * step + step * 0.1 + s * bar;
      const by = 12 + (1 - v) * plotH;
      parts.push(
        `<rect x="${bx.toFixed(1)}" y="${by.toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${(12 + plotH - by).toFixed(1)}" fill="${colour}"><title>${escapeHtml(g.group)}: ${label} ${(g[key] * 100).toFixed(1)}%</title></rect>`,
      );
    });
    const name = `${g.group}${g.group === privileged ? " (privileged)" : ""}`;
    parts.push(
      `<text class="tick" x="${(left + k * step + step / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle">${escapeHtml(name.slice(0, 28))}</text>`,
    );
  });
  const axis = [0, 0.5, 1]
    .map(
      (t) =>
        `<text class="tick" x="${left - 6}" y="${(12 + (1 - t) * plotH + 3).toFixed(1)}" text-anchor="end">${t * 100}%</text>`,
    )
    .join("");
  return `<svg class="bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="Rates per group"><title>Rates per group</title>${axis}<line class="axis" x1="${left}" y1="${12 + plotH}" x2="${width - 12}" y2="${12 + plotH}"/>${parts.join("")}</svg>
<div class="legend">${series.map(([, label, colour]) => `<span style="background:${colour}"></span>${label}`).join("")}</div>`;
}
