import type { DriftReport } from "./schema";

type Histogram = NonNullable<DriftReport["columns"][number]["drift"]>["histogram"];

const WIDTH = 520;
const HEIGHT = 200;
const PAD = { left: 44, right: 12, top: 12, bottom: 40 };
export const REFERENCE_COLOUR = "#3b6fb6";
export const CURRENT_COLOUR = "#e07b29";

/** Escapes text for HTML and SVG. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fmt(value: number): string {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

/**
 * Reference and current distributions overlaid in one inline SVG: for numbers, the two histograms
 * drawn as translucent bars over the same bins; for categories, paired bars per category. Shares,
 * not counts, so samples of different sizes compare directly.
 */
export function overlaySvg(histogram: Histogram, title: string): string {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const max = Math.max(1e-12, ...histogram.referenceShares, ...histogram.currentShares);
  const y = (share: number) => PAD.top + plotH - (share / max) * plotH;
  const parts: string[] = [];
  const bins = histogram.referenceShares.length;
  const label =
    histogram.kind === "numerical"
      ? (i: number) => `${fmt(histogram.edges[i] as number)} – ${fmt(histogram.edges[i + 1] as number)}`
      : (i: number) => histogram.categories[i] as string;
  const step = plotW / Math.max(1, bins);
  for (let i = 0; i < bins; i++) {
    const ref = histogram.referenceShares[i] as number;
    const cur = histogram.currentShares[i] as number;
    const x = PAD.left + i * step;
    const tip = `${escapeHtml(label(i))}: reference ${(ref * 100).toFixed(1)}%, current ${(cur * 100).toFixed(1)}%`;
    if (histogram.kind === "numerical") {
      parts.push(
        `<rect class="ref" x="${x.toFixed(1)}" y="${y(ref).toFixed(1)}" width="${step.toFixed(1)}" height="${(PAD.top + plotH - y(ref)).toFixed(1)}"><title>${tip}</title></rect>`,
        `<rect class="cur" x="${(x + step * 0.2).toFixed(1)}" y="${y(cur).toFixed(1)}" width="${(step * 0.6).toFixed(1)}" height="${(PAD.top + plotH - y(cur)).toFixed(1)}"><title>${tip}</title></rect>`,
      );
    } else {
      const w = step * 0.4;
      parts.push(
        `<rect class="ref" x="${(x + step * 0.1).toFixed(1)}" y="${y(ref).toFixed(1)}" width="${w.toFixed(1)}" height="${(PAD.top + plotH - y(ref)).toFixed(1)}"><title>${tip}</title></rect>`,
        `<rect class="cur" x="${(x + step * 0.5).toFixed(1)}" y="${y(cur).toFixed(1)}" width="${w.toFixed(1)}" height="${(PAD.top + plotH - y(cur)).toFixed(1)}"><title>${tip}</title></rect>`,
      );
      if (bins <= 12) {
        const text = escapeHtml((histogram.categories[i] as string).slice(0, 12));
        parts.push(
          `<text class="tick" x="${(x + step / 2).toFixed(1)}" y="${HEIGHT - PAD.bottom + 14}" text-anchor="middle">${text}</text>`,
        );
      }
    }
  }
  if (histogram.kind === "numerical" && histogram.edges.length > 1) {
    const first = histogram.edges[0] as number;
    const last = histogram.edges[histogram.edges.length - 1] as number;
    parts.push(
      `<text class="tick" x="${PAD.left}" y="${HEIGHT - PAD.bottom + 14}" text-anchor="start">${fmt(first)}</text>`,
      `<text class="tick" x="${WIDTH - PAD.right}" y="${HEIGHT - PAD.bottom + 14}" text-anchor="end">${fmt(last)}</text>`,
    );
    const outside = histogram.currentBelowShare + histogram.currentAboveShare;
    if (outside > 0) {
      parts.push(
        `<text class="note" x="${WIDTH / 2}" y="${HEIGHT - 6}" text-anchor="middle">${(outside * 100).toFixed(1)}% of current values fall outside the reference range</text>`,
      );
    }
  }
  parts.push(
    `<line class="axis" x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${WIDTH - PAD.right}" y2="${PAD.top + plotH}"/>`,
    `<text class="tick" x="${PAD.left - 4}" y="${PAD.top + 8}" text-anchor="end">${(max * 100).toFixed(0)}%</text>`,
    `<text class="tick" x="${PAD.left - 4}" y="${PAD.top + plotH}" text-anchor="end">0%</text>`,
  );
  return `<svg class="overlay" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>${parts.join("")}</svg>`;
}
