import type { Capture, CapturedResource } from "./capture";
import { isSecret, UNKNOWN } from "./properties";

function flags(r: CapturedResource): string {
  const f: string[] = [];
  if (r.options.protect) f.push("protect");
  if (r.options.retainOnDelete) f.push("retainOnDelete");
  if (r.options.ignoreChanges.length > 0) f.push(`ignoreChanges=${r.options.ignoreChanges.join(",")}`);
  if (r.options.deleteBeforeReplace) f.push("deleteBeforeReplace");
  return f.length > 0 ? `  [${f.join(" ")}]` : "";
}

/** The resource tree grouped under each component, with how many resources each component holds. */
export function renderTree(capture: Capture): string {
  const children = new Map<string | undefined, CapturedResource[]>();
  for (const r of capture.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const descendants = (urn: string): number =>
    (children.get(urn) ?? []).reduce((n, c) => n + 1 + descendants(c.urn), 0);

  const lines: string[] = [];
  const walk = (r: CapturedResource, prefix: string, last: boolean, root: boolean) => {
    const branch = root ? "" : last ? "└─ " : "├─ ";
    const kids = children.get(r.urn) ?? [];
    const n = descendants(r.urn);
    const count = r.custom ? "" : `  (${n} ${n === 1 ? "resource" : "resources"})`;
    lines.push(`${prefix}${branch}${r.type}  ${r.name}${count}${flags(r)}`);
    const nextPrefix = root ? "" : prefix + (last ? "   " : "│  ");
    for (const [i, k] of kids.entries()) walk(k, nextPrefix, i === kids.length - 1, false);
  };
  const roots = children.get(undefined) ?? [];
  for (const [i, r] of roots.entries()) walk(r, "", i === roots.length - 1, true);
  return lines.join("\n");
}

/** Resource counts for the summary line. */
export function summarize(capture: Capture) {
  const custom = capture.resources.filter((r) => r.custom).length;
  const components = capture.resources.length - custom;
  const byType = new Map<string, number>();
  for (const r of capture.resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  const protectedCount = capture.resources.filter((r) => r.options.protect).length;
  return { total: capture.resources.length, custom, components, protected: protectedCount, byType };
}

/** A stack output as `pulumi preview` shows it. */
export function formatOutput(value: unknown, indent = "    "): string {
  if (value === UNKNOWN) return "(known after apply)";
  if (isSecret(value)) return "[secret]";
  if (Array.isArray(value)) {
    return value.length === 0
      ? "[]"
      : `\n${value.map((v) => `${indent}- ${formatOutput(v, `${indent}  `)}`).join("\n")}`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0
      ? "{}"
      : `\n${entries.map(([k, v]) => `${indent}${k}: ${formatOutput(v, `${indent}  `)}`).join("\n")}`;
  }
  return JSON.stringify(value);
}
