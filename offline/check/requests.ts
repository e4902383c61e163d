/**
 * Builds the analyzer protocol's requests from captured registrations, field for field as the engine
 * fills them (`pulumi/pulumi:sdk/go/common/resource/plugin/analyzer_plugin.go`).
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Capture, CapturedResource } from "../capture";

/** The provider the engine passes along with a resource. */
export interface ProviderInfo {
  urn: string;
  type: string;
  name: string;
  properties: Record<string, unknown>;
}

/**
 * Drops the engine's internal keys (those starting with `__`), as it does for Analyze and AnalyzeStack
 * (`SkipInternalKeys: true`), at the top level of a property map.
 */
export function withoutInternalKeys(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (!k.startsWith("__")) out[k] = v;
  return out;
}

/** Go duration strings such as `"1h30m"`, `"90s"` or `"1.5h"` in seconds; the engine parses custom timeouts the same way. */
export function durationSeconds(text: string | undefined): number {
  if (!text) return 0;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = re.exec(text); match; match = re.exec(text)) {
    total += Number(match[1]) * unit[match[2]!]!;
    consumed = re.lastIndex;
  }
  if (consumed !== text.length) {
    throw new Error(`custom timeout ${JSON.stringify(text)} is not a duration such as "10m" or "1h30m"`);
  }
  return total;
}

export function resourceOptions(r: CapturedResource): analyzer.AnalyzerResourceOptions {
  const opts = new analyzer.AnalyzerResourceOptions();
  opts.setProtect(r.options.protect);
  opts.setIgnorechangesList(r.options.ignoreChanges);
  opts.setDeletebeforereplace(r.options.deleteBeforeReplace);
  opts.setDeletebeforereplacedefined(r.options.deleteBeforeReplaceDefined);
  opts.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
  opts.setAliasesList(r.options.aliases);
  const timeouts = new analyzer.AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(durationSeconds(r.options.customTimeouts?.create));
  timeouts.setUpdate(durationSeconds(r.options.customTimeouts?.update));
  timeouts.setDelete(durationSeconds(r.options.customTimeouts?.delete));
  opts.setCustomtimeouts(timeouts);
  if (r.parent) opts.setParent(r.parent);
  return opts;
}

/** The package a type token belongs to: `aws` for `aws:s3/bucket:Bucket`. */
export function packageOf(type: string): string {
  return type.split(":")[0] ?? type;
}

/**
 * Resolves the provider of each custom resource.
 *
 * An explicit provider (`opts.provider`) is a registered `pulumi:providers:<pkg>` resource; the engine
 * sends its inputs. A default provider is never registered by the SDK (the engine creates it), so the
 * offline run synthesises what the engine would build: type `pulumi:providers:<pkg>`, name
 * `default_<version>` (or `default` when the package's version is not found), and as properties the stack
 * config keys of that package's namespace (`aws:region` → `region`) as strings, plus `version`.
 * Provider `CheckConfig` does not run offline, so provider-side defaults (a region from the environment,
 * say) are absent.
 */
export class ProviderResolver {
  private readonly byUrn = new Map<string, CapturedResource>();
  private readonly defaults = new Map<string, ProviderInfo>();

  constructor(
    private readonly capture: Capture,
    private readonly config: Record<string, string>,
    private readonly programDir: string,
  ) {
    for (const r of capture.resources) this.byUrn.set(r.urn, r);
  }

  providerFor(r: CapturedResource): ProviderInfo | undefined {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) return undefined;
    if (r.provider) {
      const urn = r.provider.split("::").slice(0, -1).join("::");
      const p = this.byUrn.get(urn);
      if (p) return { urn, type: p.type, name: p.name, properties: withoutInternalKeys(p.inputs) };
    }
    return this.defaultProvider(packageOf(r.type));
  }

  private packageVersion(pkg: string): string | undefined {
    try {
      const file = require.resolve(`@pulumi/${pkg}/package.json`, { paths: [this.programDir] });
      if (!existsSync(file)) return undefined;
      const version = (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version;
      return version;
    } catch {
      return undefined;
    }
  }

  private defaultProvider(pkg: string): ProviderInfo {
    const cached = this.defaults.get(pkg);
    if (cached) return cached;
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.config)) {
      const [namespace, ...rest] = key.split(":");
      if (namespace === pkg && rest.length > 0) properties[rest.join(":")] = value;
    }
    const version = this.packageVersion(pkg);
    if (version) properties.version = version;
    const name = version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
    const type = `pulumi:providers:${pkg}`;
    const info = {
      urn: `urn:pulumi:${this.capture.stack}::${this.capture.project}::${type}::${name}`,
      type,
      name,
      properties,
    };
    this.defaults.set(pkg, info);
    return info;
  }
}

/**
 * Converts property maps to protobuf Structs once per distinct value. `Struct.fromJavaScript` dominates the
 * client's cost, and the same map is sent several times: to Remediate and then Analyze when no remediation
 * changed it, as a provider's properties with every resource it manages, and as a planned resource's outputs
 * in AnalyzeStack (in a preview, a resource to create has its inputs as outputs). Messages are only read
 * when a request is serialized, so one Struct can be shared by many requests.
 */
export class StructCache {
  private readonly cache = new Map<string, Struct>();

  get(value: Record<string, unknown>): Struct {
    const key = JSON.stringify(value);
    let struct = this.cache.get(key);
    if (!struct) {
      struct = Struct.fromJavaScript(value as never);
      this.cache.set(key, struct);
    }
    return struct;
  }
}

function providerMessage(info: ProviderInfo, structs: StructCache): analyzer.AnalyzerProviderResource {
  const p = new analyzer.AnalyzerProviderResource();
  p.setUrn(info.urn);
  p.setType(info.type);
  p.setName(info.name);
  p.setProperties(structs.get(info.properties));
  return p;
}

/**
 * The request for Remediate (`internal` keys kept, as the engine does) or Analyze (internal keys dropped).
 */
export function analyzeRequest(
  r: CapturedResource,
  properties: Record<string, unknown>,
  provider: ProviderInfo | undefined,
  forRemediate: boolean,
  structs: StructCache,
): analyzer.AnalyzeRequest {
  const req = new analyzer.AnalyzeRequest();
  req.setUrn(r.urn);
  req.setType(r.type);
  req.setName(r.name);
  req.setProperties(structs.get(forRemediate ? properties : withoutInternalKeys(properties)));
  req.setOptions(resourceOptions(r));
  if (provider) req.setProvider(providerMessage(provider, structs));
  return req;
}

/** One resource of the AnalyzeStack request: outputs, parent, dependencies and property dependencies. */
export function stackResource(
  r: CapturedResource,
  outputs: Record<string, unknown>,
  provider: ProviderInfo | undefined,
  structs: StructCache,
): analyzer.AnalyzerResource {
  const res = new analyzer.AnalyzerResource();
  res.setUrn(r.urn);
  res.setType(r.type);
  res.setName(r.name);
  res.setProperties(structs.get(withoutInternalKeys(outputs)));
  res.setOptions(resourceOptions(r));
  if (provider) res.setProvider(providerMessage(provider, structs));
  if (r.parent) res.setParent(r.parent);
  res.setDependenciesList(r.dependencies);
  const deps = res.getPropertydependenciesMap();
  for (const [key, urns] of Object.entries(r.propertyDependencies)) {
    // The engine leaves out properties that have no dependencies.
    if (urns.length === 0) continue;
    const pd = new analyzer.AnalyzerPropertyDependencies();
    pd.setUrnsList(urns);
    deps.set(key, pd);
  }
  return res;
}

/** A path relative to `from`, with forward slashes, for reports and SARIF. */
export function relativePath(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join("/");
}
