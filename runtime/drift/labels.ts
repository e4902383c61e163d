/**
 * Category spelling. pandas reads a column whose every value is a number as numbers, so `1` and `1.0` are one
 * category there (an integer column holding NaN is written as floats: `1.0`, `2.0`). A column forced
 * categorical, or numbers compared as categories, must not drift against itself for that reason: when every
 * label on one side is a decimal number, that side's labels are spelled as the shortest form of the number.
 * A side holding any other label keeps its labels as written, as pandas keeps strings.
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The shortest spelling of a number label (`1.0` → `1`, `1e3` → `1000`), or undefined if it is not one. */
export function numberLabel(label: string): string | undefined {
  if (!DECIMAL.test(label)) return undefined;
  const v = Number(label);
  return Number.isFinite(v) ? String(v === 0 ? 0 : v) : undefined;
}

/** The counts with number labels merged by value, when every label is a number; else the counts unchanged. */
export function canonicalCounts(counts: ReadonlyMap<string, number>): ReadonlyMap<string, number> {
  const spelled: [string, string][] = [];
  let changed = false;
  for (const label of counts.keys()) {
    const canonical = numberLabel(label);
    if (canonical === undefined) return counts;
    spelled.push([label, canonical]);
    if (canonical !== label) changed = true;
  }
  if (!changed) return counts;
  const out = new Map<string, number>();
  for (const [label, canonical] of spelled)
    out.set(canonical, (out.get(canonical) ?? 0) + counts.get(label)!);
  return out;
}

/** Numbers as category labels (for numeric columns compared as categories), spelled as {@link numberLabel}. */
export function numericToCounts(values: Float64Array): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const key = String(v === 0 ? 0 : v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Whether every label is a whole number (Evidently's integer columns). */
export function allIntegerLabels(counts: ReadonlyMap<string, number>): boolean {
  for (const label of counts.keys()) {
    const canonical = numberLabel(label);
    if (canonical === undefined || !Number.isInteger(Number(canonical))) return false;
  }
  return true;
}
