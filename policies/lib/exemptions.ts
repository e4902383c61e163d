/**
 * Per-resource exemptions, declared on the resource itself.
 *
 * CrossGuard has no suppression mechanism (pulumi/pulumi-policy#438, #225); checkov has `checkov:skip=` and
 * cdk-nag `NagSuppressions` with a mandatory reason. Ours: a resource may carry an exemption for one named
 * policy, with an expiry date and a reason, in the place each cloud offers for free-form metadata:
 *
 * | Cloud | Where | Key | Value |
 * |---|---|---|---|
 * | AWS, Azure | `tags` | `mlops-exempt:<policy-name>` | `<YYYY-MM-DD> <reason>` |
 * | GCP | `labels` (`resourceLabels` on GKE clusters) | `mlops-exempt-<policy-name>` | `<YYYYMMDD>_<reason>` |
 * | Kubernetes | `metadata.annotations` | `exemptions.pulumi-mlops.io/<policy-name>` | `<YYYY-MM-DD> <reason>` |
 *
 * GCP label values only allow `[a-z0-9_-]` and 63 characters, hence the compact date and a reason written in
 * lower case with `-` or `_` between words. AWS tag values allow letters, digits, spaces and `_ . : / = + - @`;
 * Azure tag values are free text up to 256 characters.
 *
 * The date is the last day (UTC) the exemption is valid. The reason must be at least 10 characters, as
 * cdk-nag requires of suppression reasons (`NagSuppressions`), so "ok" or "temp" does not pass review.
 *
 * Every rule goes through {@link applyExemption} (see `rule.ts`): a valid exemption turns each violation into an
 * advisory note "exempted by … until …, reason …"; an expired or malformed one is refused — the violation is
 * reported at the rule's own enforcement level with the problem appended. An exemption whose value is unknown
 * during preview is refused too: exemptions must be literal values a reviewer can read.
 */
import { cloudOf, exemptionMapPath } from "./clouds";
import { probe } from "./values";

/** Minimum length of an exemption reason (cdk-nag's rule for suppression reasons). */
export const MIN_REASON_LENGTH = 10;

/** The tag/label/annotation key that exempts a resource of `type` from `policyName`. */
export function exemptionKey(type: string, policyName: string): string | undefined {
  switch (cloudOf(type)) {
    case "aws":
    case "azure":
      return `mlops-exempt:${policyName}`;
    case "gcp":
      return `mlops-exempt-${policyName}`;
    case "kubernetes":
      return `exemptions.pulumi-mlops.io/${policyName}`;
    default:
      return undefined;
  }
}

/** Builds a correctly encoded exemption value (for documentation, components and tests). */
export function exemptionValue(type: string, until: string, reason: string): string {
  if (cloudOf(type) === "gcp") {
    return `${until.replaceAll("-", "")}_${reason
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, "-")
      .replace(/^-+|-+$/g, "")}`;
  }
  return `${until} ${reason}`;
}

/** A parsed exemption. */
export type Exemption =
  | { readonly status: "none" }
  | { readonly status: "valid"; readonly key: string; readonly until: string; readonly reason: string }
  | { readonly status: "expired"; readonly key: string; readonly until: string; readonly reason: string }
  | { readonly status: "malformed"; readonly key: string; readonly problem: string };

function isoDate(year: number, month: number, day: number): string | undefined {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return undefined;
  }
  return d.toISOString().slice(0, 10);
}

function parseValue(gcp: boolean, raw: string): { until: string; reason: string } | { problem: string } {
  const expected = gcp
    ? "<YYYYMMDD>_<reason>, e.g. 20270131_sec-123-legacy-notebook"
    : "<YYYY-MM-DD> <reason>";
  const match = gcp
    ? /^(\d{4})(\d{2})(\d{2})_([a-z0-9_-]*)$/.exec(raw)
    : /^(\d{4})-(\d{2})-(\d{2})\s+(.*)$/s.exec(raw);
  if (!match) {
    return { problem: `value ${JSON.stringify(raw)} is not of the form ${expected}` };
  }
  const until = isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  if (!until) {
    return { problem: `value ${JSON.stringify(raw)} has an impossible date; expected ${expected}` };
  }
  const reason = (gcp ? (match[4] ?? "").replace(/[_-]+/g, " ") : (match[4] ?? "")).trim();
  if (reason.length < MIN_REASON_LENGTH) {
    return {
      problem: `value ${JSON.stringify(raw)} gives no reason of at least ${MIN_REASON_LENGTH} characters; expected ${expected}`,
    };
  }
  return { until, reason };
}

/**
 * Looks up the exemption for `policyName` on a resource.
 * @param now the current time (injectable for tests); an exemption is valid through the end of its UTC day
 */
export function findExemption(
  type: string,
  props: unknown,
  policyName: string,
  now: Date = new Date(),
): Exemption {
  const key = exemptionKey(type, policyName);
  const mapPath = exemptionMapPath(type);
  if (!key || !mapPath) {
    return { status: "none" };
  }
  const map = probe(props, mapPath);
  if (map.state !== "known" || typeof map.value !== "object") {
    // An unknown tag map cannot carry a readable exemption; nothing is honoured.
    return { status: "none" };
  }
  const entry = probe(map.value, [key]);
  if (entry.state === "absent") {
    return { status: "none" };
  }
  if (entry.state === "unknown") {
    return {
      status: "malformed",
      key,
      problem: "its value is unknown during preview; exemptions must be literal values",
    };
  }
  if (typeof entry.value !== "string") {
    return { status: "malformed", key, problem: `value ${JSON.stringify(entry.value)} is not a string` };
  }
  const parsed = parseValue(cloudOf(type) === "gcp", entry.value.trim());
  if ("problem" in parsed) {
    return { status: "malformed", key, problem: parsed.problem };
  }
  const today = now.toISOString().slice(0, 10);
  return parsed.until >= today
    ? { status: "valid", key, until: parsed.until, reason: parsed.reason }
    : { status: "expired", key, until: parsed.until, reason: parsed.reason };
}

/** Where an exemption is declared, for messages: `tag "mlops-exempt:x"`. */
export function describeExemptionKey(type: string, key: string): string {
  switch (cloudOf(type)) {
    case "gcp":
      return `label "${key}"`;
    case "kubernetes":
      return `annotation "${key}"`;
    default:
      return `tag "${key}"`;
  }
}
