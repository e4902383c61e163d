/**
 * Drives policies through the real `@pulumi/policy` 1.21 server functions, as the Pulumi CLI does.
 *
 * `makeAnalyzeRpcFun`, `makeAnalyzeStackRpcFun` and `makeRemediateRpcFun` (internal exports of
 * `@pulumi/policy/server`) receive protobuf `AnalyzeRequest`/`AnalyzeStackRequest` messages built here from
 * plain fixtures, so every rule runs through the same deserialisation, `unknownCheckingProxy`, type filtering,
 * not-applicable handling, enforcement-level resolution and "can't run during preview" conversion as in
 * production. Unknown values are the engine's string sentinel (`UNKNOWN`), exactly what the CLI sends.
 *
 * One thing the server functions cannot be given: the config that the (unexported) `configure` RPC stores in a
 * module global, and the stack tags `configureStack` stores. The harness injects both by wrapping each policy so
 * that its `args.getConfig()` returns the given config and `args.stackTags` the given tags. Config is first
 * reconciled as the CLI does (`ReconcilePolicyPackConfig`): `all` → level for every policy, a bare string → a
 * level, an object → level plus properties.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import type {
  EnforcementLevel,
  Policies,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

/** Untyped protobuf messages and internal modules. */
// biome-ignore lint/suspicious/noExplicitAny: generated protobuf code and internal modules have no typings
type Proto = any;

const requireFromRoot = createRequire(path.join(process.cwd(), "package.json"));
const server: Proto = requireFromRoot("@pulumi/policy/server");
const analyzerproto: Proto = requireFromRoot("@pulumi/pulumi/proto/analyzer_pb");
const structproto: Proto = createRequire(requireFromRoot.resolve("@pulumi/pulumi"))(
  "google-protobuf/google/protobuf/struct_pb",
);

/** The engine's sentinel for a computed value (`@pulumi/policy/proxy` `unknownStringValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const PACK_NAME = "mlops-governance";
export const PACK_VERSION = "0.1.0";

/** A resource as the engine would describe it. */
export interface Fixture {
  type: string;
  /** Inputs for Analyze/Remediate, outputs for AnalyzeStack. */
  props: Record<string, unknown>;
  name?: string;
  urn?: string;
  /** Explicit provider: `{type: "pulumi:providers:aws", props: {region: "eu-west-1"}}`. */
  provider?: { type: string; props: Record<string, unknown>; name?: string; urn?: string };
  protect?: boolean;
  /** Stack analysis only: the names of fixtures this one depends on. */
  dependencies?: string[];
  /** Stack analysis only: property name → names of fixtures that property came from. */
  propertyDependencies?: Record<string, string[]>;
  /** Stack analysis only: the name of the parent fixture. */
  parent?: string;
}

/** A `--policy-pack-config` document. */
export type PackConfig = Record<
  string,
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

export interface RunOptions {
  config?: PackConfig;
  stackTags?: Record<string, string>;
  /** The pack-level enforcement level (the PolicyPack's own default). */
  packLevel?: EnforcementLevel;
}

export interface Diagnostic {
  policyName: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  urn: string;
  severity: number;
}

export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: { policyName: string; reason: string }[];
}

const LEVELS: Record<number, EnforcementLevel> = {};
for (const [name, value] of Object.entries(analyzerproto.EnforcementLevel as Record<string, number>)) {
  LEVELS[value] = name.toLowerCase() as EnforcementLevel;
}

function urnOf(fixture: Fixture): string {
  return fixture.urn ?? `urn:pulumi:test::mlops::${fixture.type}::${fixture.name ?? "res"}`;
}

function struct(value: Record<string, unknown>): unknown {
  // Struct.fromJavaScript rejects undefined; the engine never sends undefined inputs either.
  return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

function options(fixture: Fixture): unknown {
  const opts = new analyzerproto.AnalyzerResourceOptions();
  opts.setProtect(fixture.protect ?? false);
  if (fixture.parent) {
    opts.setParent(fixture.parent);
  }
  return opts;
}

function provider(fixture: Fixture): unknown {
  if (!fixture.provider) {
    return undefined;
  }
  const p = new analyzerproto.AnalyzerProviderResource();
  p.setType(fixture.provider.type);
  p.setName(fixture.provider.name ?? "provider");
  p.setUrn(
    fixture.provider.urn ??
      `urn:pulumi:test::mlops::${fixture.provider.type}::${fixture.provider.name ?? "provider"}`,
  );
  p.setProperties(struct(fixture.provider.props));
  return p;
}

function analyzeRequest(fixture: Fixture): unknown {
  const req = new analyzerproto.AnalyzeRequest();
  req.setType(fixture.type);
  req.setUrn(urnOf(fixture));
  req.setName(fixture.name ?? "res");
  req.setProperties(struct(fixture.props));
  req.setOptions(options(fixture));
  const p = provider(fixture);
  if (p) {
    req.setProvider(p);
  }
  return req;
}

type Entry = { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> };

/** Reconciles a config document per policy, as the CLI does before `Configure`. */
export function reconcile(policies: Policies, config: PackConfig | undefined): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const all = config?.all;
  for (const p of policies) {
    const entry: Entry = { properties: {} };
    if (typeof all === "string") {
      entry.enforcementLevel = all;
    }
    const given = config?.[p.name];
    if (typeof given === "string") {
      entry.enforcementLevel = given;
    } else if (given) {
      const { enforcementLevel, ...properties } = given;
      if (enforcementLevel) {
        entry.enforcementLevel = enforcementLevel;
      }
      entry.properties = properties;
    }
    out.set(p.name, entry);
  }
  return out;
}

function tagsMap(tags: Record<string, string> | undefined): ReadonlyMap<string, string> {
  return new Map(Object.entries(tags ?? {}));
}

/** Wraps each policy so it sees the given config and stack tags (the state `configure`/`configureStack` hold). */
function configured(policies: Policies, options: RunOptions): Policies {
  const entries = reconcile(policies, options.config);
  const stackTags = tagsMap(options.stackTags);
  return policies.map((p) => {
    const entry = entries.get(p.name) as Entry;
    const getConfig = <T>() => ({ ...entry.properties }) as T;
    const level = entry.enforcementLevel ?? p.enforcementLevel;
    if ("validateStack" in p) {
      const sp = p as StackValidationPolicy;
      return {
        ...sp,
        enforcementLevel: level,
        validateStack: (args: StackValidationArgs, report) =>
          sp.validateStack({ ...args, getConfig, stackTags }, report),
      } satisfies StackValidationPolicy;
    }
    const rp = p as ResourceValidationPolicy;
    const wrap = <F extends (args: ResourceValidationArgs, ...rest: never[]) => unknown>(
      fn: F | undefined,
    ): F | undefined => {
      if (!fn) {
        return undefined;
      }
      const wrapped = ((args: ResourceValidationArgs, ...rest: never[]) =>
        fn({ ...args, getConfig, stackTags }, ...rest)) as F;
      const tag = (fn as unknown as { __pulumiType?: string }).__pulumiType;
      if (tag) {
        (wrapped as unknown as { __pulumiType: string }).__pulumiType = tag;
      }
      return wrapped;
    };
    return {
      ...rp,
      enforcementLevel: level,
      validateResource: wrap(rp.validateResource as (args: ResourceValidationArgs) => void),
      remediateResource: wrap(rp.remediateResource),
    } as ResourceValidationPolicy;
  });
}

function call(
  fn: (call: unknown, cb: (err: unknown, resp: unknown) => void) => void,
  request: unknown,
): Promise<Proto> {
  return new Promise((resolve, reject) => {
    fn({ request }, (err, resp) => (err ? reject(err) : resolve(resp)));
  });
}
function toResult(resp: Proto): AnalyzeResult {
  return {
    diagnostics: resp.getDiagnosticsList().map((d: Proto) => ({
      policyName: d.getPolicyname(),
      message: d.getMessage(),
      enforcementLevel: LEVELS[d.getEnforcementlevel()] as EnforcementLevel,
      urn: d.getUrn(),
      severity: d.getSeverity(),
    })),
    notApplicable: resp
      .getNotApplicableList()
      .map((n: Proto) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
  };
}

/** Runs the resource policies on one resource via `makeAnalyzeRpcFun` (the Analyze RPC). */
export async function analyzeResource(
  policies: Policies,
  fixture: Fixture,
  opts: RunOptions = {},
): Promise<AnalyzeResult> {
  const fn = server.makeAnalyzeRpcFun(
    PACK_NAME,
    PACK_VERSION,
    opts.packLevel ?? "advisory",
    configured(policies, opts),
  );
  return toResult(await call(fn, analyzeRequest(fixture)));
}

/** Runs the stack policies on a set of resources via `makeAnalyzeStackRpcFun` (the AnalyzeStack RPC). */
export async function analyzeStack(
  policies: Policies,
  fixtures: Fixture[],
  opts: RunOptions = {},
): Promise<AnalyzeResult> {
  const byName = new Map(fixtures.map((f) => [f.name ?? "res", f]));
  const urnFor = (name: string): string => {
    const f = byName.get(name);
    if (!f) {
      throw new Error(`fixture "${name}" is referenced but not defined`);
    }
    return urnOf(f);
  };
  const resources = fixtures.map((f) => {
    const r = new analyzerproto.AnalyzerResource();
    r.setType(f.type);
    r.setUrn(urnOf(f));
    r.setName(f.name ?? "res");
    r.setProperties(struct(f.props));
    r.setOptions(options({ ...f, parent: f.parent ? urnFor(f.parent) : undefined }));
    if (f.parent) {
      r.setParent(urnFor(f.parent));
    }
    r.setDependenciesList((f.dependencies ?? []).map(urnFor));
    const map = r.getPropertydependenciesMap();
    for (const [key, names] of Object.entries(f.propertyDependencies ?? {})) {
      const deps = new analyzerproto.AnalyzerPropertyDependencies();
      deps.setUrnsList(names.map(urnFor));
      map.set(key, deps);
    }
    const p = provider(f);
    if (p) {
      r.setProvider(p);
    }
    return r;
  });
  const req = new analyzerproto.AnalyzeStackRequest();
  req.setResourcesList(resources);
  const fn = server.makeAnalyzeStackRpcFun(
    PACK_NAME,
    PACK_VERSION,
    opts.packLevel ?? "advisory",
    configured(policies, opts),
  );
  return toResult(await call(fn, req));
}

export interface RemediateResult {
  remediations: { policyName: string; properties?: Record<string, unknown>; diagnostic: string }[];
  notApplicable: { policyName: string; reason: string }[];
}

/** Runs remediations via `makeRemediateRpcFun` (only policies at `remediate` run, as in production). */
export async function remediateResource(
  policies: Policies,
  fixture: Fixture,
  opts: RunOptions = {},
): Promise<RemediateResult> {
  const fn = server.makeRemediateRpcFun(
    PACK_NAME,
    PACK_VERSION,
    opts.packLevel ?? "advisory",
    configured(policies, opts),
  );
  const resp = await call(fn, analyzeRequest(fixture));
  return {
    remediations: resp.getRemediationsList().map((r: Proto) => ({
      policyName: r.getPolicyname(),
      properties: r.getProperties()?.toJavaScript(),
      diagnostic: r.getDiagnostic(),
    })),
    notApplicable: resp
      .getNotApplicableList()
      .map((n: Proto) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
  };
}

/** The diagnostics of one policy. */
export function of(result: AnalyzeResult, policyName: string): Diagnostic[] {
  return result.diagnostics.filter((d) => d.policyName === policyName);
}

/** The outcome of one policy on one run, for compact assertions. */
export type Outcome = "pass" | "fail" | "exempted" | "cant-run" | "not-applicable";

/** Classifies what one policy did: failed (non-advisory or advisory violation), note, can't-run, n/a, pass. */
export function outcome(result: AnalyzeResult, policyName: string): Outcome {
  const ds = of(result, policyName);
  if (ds.some((d) => d.message.includes("during preview: "))) {
    return "cant-run";
  }
  if (ds.some((d) => !d.message.includes("\nexempted by "))) {
    return "fail";
  }
  if (ds.length > 0) {
    return "exempted";
  }
  if (result.notApplicable.some((n) => n.policyName === policyName)) {
    return "not-applicable";
  }
  return "pass";
}
