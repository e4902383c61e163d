/**
 * The stack's configuration as the analyzer process sees it.
 *
 * The CLI starts a policy pack with `PULUMI_CONFIG` set to the stack config as JSON (secrets decrypted), which
 * is how rules learn the default provider's region (`aws:region`, `gcp:region`, `azure-native:location`) when a
 * resource uses the default provider and so carries no `args.provider`.
 */
let cached: { raw: string | undefined; parsed: Record<string, unknown> } | undefined;

/** One stack config value by full key (`aws:region`), or undefined. */
export function stackConfigValue(key: string): string | undefined {
  const raw = process.env.PULUMI_CONFIG;
  if (!cached || cached.raw !== raw) {
    let parsed: Record<string, unknown> = {};
    try {
      parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      parsed = {};
    }
    cached = { raw, parsed };
  }
  const value = cached.parsed[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}
