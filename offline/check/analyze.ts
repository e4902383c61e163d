/**
 * Drives a running policy pack over the analyzer protocol in the order the Pulumi engine does:
 * Handshake (optional), ConfigureStack, GetAnalyzerInfo, reconciled Configure, then Remediate and
 * Analyze for every registered resource (components and the root stack included), then AnalyzeStack.
 */
import { performance } from "node:perf_hooks";
import type { ServiceError } from "@grpc/grpc-js";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Capture, CapturedResource, SourceLocation } from "../capture";
import { PolicyPackError, type PolicyPackProcess } from "./pack-process";
import {
  type EnforcementLevel,
  type PolicyConfig,
  PolicyConfigError,
  type ReconciledConfig,
  reconcilePolicyPackConfig,
} from "./policy-config";
import { analyzeRequest, ProviderResolver, StructCache, stackResource } from "./requests";
import type { AppliedRemediation, ComponentSource, PackInfo, PolicyInfo, PolicyViolation } from "./result";

const LEVELS: Record<number, EnforcementLevel> = {
  [analyzer.EnforcementLevel.ADVISORY]: "advisory",
  [analyzer.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzer.EnforcementLevel.DISABLED]: "disabled",
  [analyzer.EnforcementLevel.REMEDIATE]: "remediate",
};

const LEVEL_CODES: Record<EnforcementLevel, analyzer.EnforcementLevel> = {
  advisory: analyzer.EnforcementLevel.ADVISORY,
  mandatory: analyzer.EnforcementLevel.MANDATORY,
  disabled: analyzer.EnforcementLevel.DISABLED,
  remediate: analyzer.EnforcementLevel.REMEDIATE,
};

const SEVERITIES: Record<number, string | undefined> = {
  [analyzer.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [analyzer.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [analyzer.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [analyzer.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

function level(code: number): EnforcementLevel {
  const l = LEVELS[code];
  if (!l) throw new PolicyPackError(`the policy pack reported an invalid enforcement level ${code}`);
  return l;
}

const GRPC_UNIMPLEMENTED = 12;

function isUnimplemented(err: unknown): boolean {
  return (err as ServiceError | undefined)?.code === GRPC_UNIMPLEMENTED;
}

/** The pack's error, with what it printed to stderr (its own stack traces), as the CLI would surface it. */
function rpcFailure(pack: PolicyPackProcess, what: string, err: unknown): PolicyPackError {
  // The pack exited, or the call missed its deadline: already said in full.
  if (err instanceof PolicyPackError) return err;
  const details = (err as ServiceError).details || (err as Error).message || String(err);
  const stderr = pack.errorOutput.trim();
  return new PolicyPackError(
    `policy pack ${pack.project.dir}: ${what} failed: ${details}${stderr ? `\n${stderr}` : ""}`,
  );
}

function policyInfo(p: analyzer.PolicyInfo): PolicyInfo {
  const schema = p.getConfigschema();
  const framework = p.getFramework();
  const kind =
    p.getPolicyType() === analyzer.PolicyType.POLICY_TYPE_RESOURCE
      ? "resource"
      : p.getPolicyType() === analyzer.PolicyType.POLICY_TYPE_STACK
        ? "stack"
        : "unknown";
  return {
    name: p.getName(),
    displayName: p.getDisplayname(),
    description: p.getDescription(),
    message: p.getMessage(),
    enforcementLevel: level(p.getEnforcementlevel()),
    kind,
    ...(SEVERITIES[p.getSeverity()] ? { severity: SEVERITIES[p.getSeverity()] } : {}),
    ...(p.getUrl() ? { url: p.getUrl() } : {}),
    ...(p.getRemediationSteps() ? { remediationSteps: p.getRemediationSteps() } : {}),
    tags: p.getTagsList(),
    ...(framework
      ? {
          framework: {
            name: framework.getName(),
            version: framework.getVersion(),
            reference: framework.getReference(),
            specification: framework.getSpecification(),
          },
        }
      : {}),
    ...(schema
      ? {
          configSchema: {
            properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<
              string,
              Record<string, unknown>
            >,
            required: schema.getRequiredList(),
          },
        }
      : {}),
  };
}

export interface AnalyzeOptions {
  pack: PolicyPackProcess;
  capture: Capture;
  programDir: string;
  /** Stack config as passed to the program. */
  stackConfig: Record<string, string>;
  secretKeys: string[];
  /** The parsed `--policy-pack-config` file. */
  fileConfig?: Record<string, PolicyConfig>;
  configSource?: string;
  /** Resources in flight at once. @default 16 */
  concurrency?: number;
}

export interface AnalyzeOutcome {
  /** Milliseconds in the handshake/configure RPCs, the per-resource Remediate+Analyze pass, and AnalyzeStack. */
  timings: { configure: number; resources: number; stack: number };
  packInfo: PackInfo;
  config: ReconciledConfig;
  violations: PolicyViolation[];
  remediations: AppliedRemediation[];
}

async function configurePack(options: AnalyzeOptions): Promise<{ info: PackInfo; config: ReconciledConfig }> {
  const { pack, capture } = options;
  try {
    const hs = new analyzer.AnalyzerHandshakeRequest();
    hs.setEngineAddress("127.0.0.1:0");
    hs.setRootDirectory(pack.project.dir);
    hs.setProgramDirectory(pack.project.dir);
    await pack.call("handshake", hs, "Handshake");
  } catch (err) {
    if (!isUnimplemented(err)) throw rpcFailure(pack, "Handshake", err);
  }

  const cs = new analyzer.AnalyzerStackConfigureRequest();
  cs.setStack(capture.stack);
  cs.setProject(capture.project);
  cs.setOrganization(capture.organization);
  cs.setDryRun(capture.preview);
  const configMap = cs.getConfigMap();
  for (const [k, v] of Object.entries(options.stackConfig)) configMap.set(k, v);
  cs.setConfigSecretKeysList(options.secretKeys);
  try {
    await pack.call("configureStack", cs, "ConfigureStack");
  } catch (err) {
    if (!isUnimplemented(err)) throw rpcFailure(pack, "ConfigureStack", err);
  }

  let infoMsg: analyzer.AnalyzerInfo;
  try {
    infoMsg = await pack.call<Empty, analyzer.AnalyzerInfo>(
      "getAnalyzerInfo",
      new Empty(),
      "GetAnalyzerInfo",
    );
  } catch (err) {
    throw rpcFailure(pack, "GetAnalyzerInfo", err);
  }
  const policies = infoMsg.getPoliciesList().map(policyInfo);
  policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const info: PackInfo = {
    name: infoMsg.getName(),
    displayName: infoMsg.getDisplayname() || infoMsg.getName(),
    // PulumiPolicy.yaml's version wins over the pack's, as in the CLI.
    version: pack.project.version ?? infoMsg.getVersion(),
    ...(infoMsg.getDescription() || pack.project.description
      ? { description: infoMsg.getDescription() || pack.project.description }
      : {}),
    ...(infoMsg.getRepository() ? { repository: infoMsg.getRepository() } : {}),
    dir: pack.project.dir,
    policies,
  };

  if (!infoMsg.getSupportsconfig()) {
    if (options.fileConfig) {
      throw new PolicyConfigError(
        `policy pack "${info.name}" at "${pack.project.dir}" does not support config. Fix: drop --policy-pack-config for this pack.`,
      );
    }
    return { info, config: {} };
  }

  const initialConfig: Record<string, PolicyConfig> = {};
  infoMsg.getInitialconfigMap().forEach((v, k) => {
    const props = v.getProperties()?.toJavaScript();
    initialConfig[k] = {
      enforcementLevel: level(v.getEnforcementlevel()),
      ...(props && Object.keys(props).length > 0 ? { properties: props } : {}),
    };
  });
  const config = reconcilePolicyPackConfig({
    packName: info.name,
    packVersion: info.version,
    policies,
    initialConfig,
    fileConfig: options.fileConfig ?? {},
    source: options.configSource,
  });

  if (Object.keys(config).length > 0) {
    const req = new analyzer.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, c] of Object.entries(config)) {
      const pc = new analyzer.PolicyConfig();
      pc.setEnforcementlevel(LEVEL_CODES[c.enforcementLevel]);
      pc.setProperties(Struct.fromJavaScript((c.properties ?? {}) as never));
      map.set(name, pc);
    }
    try {
      await pack.call("configure", req, "Configure");
    } catch (err) {
      throw rpcFailure(pack, "Configure", err);
    }
  }
  return { info, config };
}

function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

/** Runs `work(i)` for i in [0, n) with at most `limit` in flight; the first failure rejects and stops the rest. */
async function pool(n: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < n && !failed) {
      const i = next++;
      try {
        await work(i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

/** Splits a URN into the type and name the CLI shows: `(aws:s3/bucket:Bucket: data)`. */
function typeAndName(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  return { type: qualified.split("$").pop() ?? qualified, name: parts.slice(3).join("::") };
}

/** Configures the pack, then analyzes every captured resource and the whole stack. */
export async function analyzeCapture(options: AnalyzeOptions): Promise<AnalyzeOutcome> {
  const { pack, capture } = options;
  const t0 = performance.now();
  const { info, config } = await configurePack(options);
  const t1 = performance.now();
  const providers = new ProviderResolver(capture, options.stackConfig, options.programDir);
  const structs = new StructCache();
  const byUrn = new Map<string, CapturedResource>(capture.resources.map((r) => [r.urn, r]));
  const stackUrn = capture.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  /**
   * The resource's names up its parents (innermost first, the root stack left out), where it was
   * declared, and where each component around it was, as far as the SDK said.
   */
  const located = (
    urn: string,
  ): { ancestry: string[]; source?: SourceLocation; declaredIn?: ComponentSource[] } => {
    const chain: CapturedResource[] = [];
    for (
      let r = byUrn.get(urn);
      r && r.type !== "pulumi:pulumi:Stack";
      r = r.parent ? byUrn.get(r.parent) : undefined
    ) {
      chain.push(r);
    }
    const [resource, ...parents] = chain;
    if (resource === undefined) return { ancestry: [typeAndName(urn).name] };
    const ancestry = chain.map((r) => r.name);
    if (resource.source === undefined) return { ancestry };
    const declaredIn = parents.flatMap((p) => (p.source ? [{ name: p.name, source: p.source }] : []));
    return { ancestry, source: resource.source, ...(declaredIn.length > 0 ? { declaredIn } : {}) };
  };

  const toViolation = (
    d: analyzer.AnalyzeDiagnostic,
    fallbackUrn: string | undefined,
    stage: PolicyViolation["stage"],
  ): PolicyViolation => {
    const urn = d.getUrn() || fallbackUrn || "";
    const known = byUrn.get(urn);
    const { type, name } = known ? { type: known.type, name: known.name } : typeAndName(urn);
    const l = level(d.getEnforcementlevel());
    return {
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      policyPackVersion: pack.project.version ?? d.getPolicypackversion(),
      description: d.getDescription(),
      message: d.getMessage(),
      // The engine treats a violation that survived remediation as mandatory.
      enforcementLevel: l === "advisory" ? "advisory" : "mandatory",
      ...(SEVERITIES[d.getSeverity()] ? { severity: SEVERITIES[d.getSeverity()] } : {}),
      urn,
      resourceType: type,
      resourceName: name,
      ...located(urn),
      stage,
    };
  };

  // The pack's Remediate handler runs only policies whose level is exactly "remediate" and returns nothing
  // else; when none is, skipping the call gives the same result with half the round trips.
  const levels = new Map(
    info.policies.map((p) => [p.name, config[p.name]?.enforcementLevel ?? p.enforcementLevel]),
  );
  const anyRemediate = [...levels.values()].some((l) => l === "remediate");

  const resources = capture.resources;
  const perResource: PolicyViolation[][] = resources.map(() => []);
  const perRemediation: AppliedRemediation[][] = resources.map(() => []);
  const finalInputs: Record<string, unknown>[] = resources.map((r) => r.inputs);

  await pool(resources.length, options.concurrency ?? 16, async (i) => {
    const r = resources[i]!;
    const provider = providers.providerFor(r);
    let props = r.inputs;
    let remediation: analyzer.RemediateResponse | undefined;
    try {
      if (anyRemediate) {
        remediation = await pack.call(
          "remediate",
          analyzeRequest(r, props, provider, true, structs),
          `Remediate of ${r.urn}`,
        );
      }
    } catch (err) {
      if (!isUnimplemented(err)) throw rpcFailure(pack, `Remediate of ${r.urn}`, err);
    }
    for (const rem of remediation?.getRemediationsList() ?? []) {
      if (rem.getDiagnostic()) {
        perResource[i]!.push({
          policyName: rem.getPolicyname(),
          policyPackName: rem.getPolicypackname(),
          policyPackVersion: pack.project.version ?? rem.getPolicypackversion(),
          description: rem.getDescription(),
          message: rem.getDiagnostic(),
          enforcementLevel: "advisory",
          urn: r.urn,
          resourceType: r.type,
          resourceName: r.name,
          ...located(r.urn),
          stage: "remediate",
        });
        continue;
      }
      const next = rem.getProperties()?.toJavaScript();
      if (!next) continue;
      perRemediation[i]!.push({
        policyName: rem.getPolicyname(),
        policyPackName: rem.getPolicypackname(),
        policyPackVersion: pack.project.version ?? rem.getPolicypackversion(),
        description: rem.getDescription(),
        urn: r.urn,
        resourceType: r.type,
        resourceName: r.name,
        ...located(r.urn),
        changedKeys: changedKeys(props, next),
      });
      props = next;
    }
    finalInputs[i] = props;
    let analysis: analyzer.AnalyzeResponse;
    try {
      analysis = await pack.call(
        "analyze",
        analyzeRequest(r, props, provider, false, structs),
        `Analyze of ${r.urn}`,
      );
    } catch (err) {
      throw rpcFailure(pack, `Analyze of ${r.urn}`, err);
    }
    for (const d of analysis.getDiagnosticsList()) perResource[i]!.push(toViolation(d, r.urn, "analyze"));
  });

  const t2 = performance.now();
  const stackReq = new analyzer.AnalyzeStackRequest();
  stackReq.setResourcesList(
    resources.map((r, i) => {
      // In a preview, a resource to be created has its (remediated) inputs as its planned outputs.
      const outputs = r.custom && perRemediation[i]!.length > 0 ? finalInputs[i]! : r.outputs;
      return stackResource(r, outputs, providers.providerFor(r), structs);
    }),
  );
  let stackViolations: PolicyViolation[] = [];
  try {
    const resp = await pack.call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(
      "analyzeStack",
      stackReq,
      "AnalyzeStack",
    );
    stackViolations = resp.getDiagnosticsList().map((d) => toViolation(d, stackUrn, "analyze-stack"));
  } catch (err) {
    if (!isUnimplemented(err)) throw rpcFailure(pack, "AnalyzeStack", err);
  }

  const t3 = performance.now();
  // Group by resource, in registration order, as the CLI groups violations under each resource.
  const order = new Map(resources.map((r, i) => [r.urn, i]));
  const all = [...perResource.flat(), ...stackViolations];
  const violations = all
    .map((v, seq) => ({ v, seq }))
    .sort((a, b) => {
      const ia = order.get(a.v.urn) ?? resources.length;
      const ib = order.get(b.v.urn) ?? resources.length;
      return ia - ib || a.seq - b.seq;
    })
    .map(({ v }) => v);
  return {
    timings: { configure: Math.round(t1 - t0), resources: Math.round(t2 - t1), stack: Math.round(t3 - t2) },
    packInfo: info,
    config,
    violations,
    remediations: perRemediation.flat(),
  };
}
