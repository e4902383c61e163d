import { sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { invokeResult } from "./invokes";
import { UNKNOWN } from "./properties";

/** The options the engine would record for a resource, as the CLI passes them to a policy pack. */
export interface CapturedOptions {
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  deleteBeforeReplace: boolean;
  deleteBeforeReplaceDefined: boolean;
  additionalSecretOutputs: string[];
  aliases: string[];
  customTimeouts?: { create?: string; update?: string; delete?: string };
  deletedWith?: string;
  importId?: string;
  version?: string;
}

/** One RegisterResource call, with every URN in engine form. */
export interface CapturedResource {
  urn: string;
  type: string;
  name: string;
  /** `true` for provider resources, `false` for components (and the root stack). */
  custom: boolean;
  parent?: string;
  /** Provider reference `<provider urn>::<id>`, or `undefined` for the default provider. */
  provider?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  options: CapturedOptions;
  /** Inputs in the engine's wire form: unknowns are {@link UNKNOWN}, secrets and resource references are signature objects. */
  inputs: Record<string, unknown>;
  /** Outputs after the (mocked) provider and `registerOutputs`; computed values stay {@link UNKNOWN}. */
  outputs: Record<string, unknown>;
  /**
   * Where the resource was declared: the innermost frame of the stack Pulumi sent with the registration that
   * is not inside `node_modules` (so an app team's `new …` line rather than the library's). Absent when the SDK
   * sent no stack, and for the root stack.
   */
  source?: SourceLocation;
}

/** A position in a source file (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** Everything a program registered. */
export interface Capture {
  project: string;
  stack: string;
  organization: string;
  preview: boolean;
  resources: CapturedResource[];
  /** The root stack's outputs, in wire form. */
  stackOutputs: Record<string, unknown>;
  /** Invokes the offline run answered with an empty result, so values derived from them are missing. */
  unmockedInvokes: string[];
}

export interface CaptureOptions {
  project: string;
  stack: string;
  organization?: string;
  /** Preview mode: computed outputs stay unknown, as in `pulumi preview`. @default true */
  preview?: boolean;
  /** Stack config as the CLI passes it (`<namespace>:<key>` → string). @default {} */
  config?: Record<string, string>;
  /** Config keys whose values are secrets. @default [] */
  secretKeys?: string[];
}

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The engine's URN: parent's qualified type joined with `$`, the root stack's type left out. */
export function engineUrn(
  stack: string,
  project: string,
  parentUrn: string | undefined,
  type: string,
  name: string,
) {
  let qualified = type;
  if (parentUrn) {
    const parentQualified = parentUrn.split("::")[2];
    if (parentQualified && parentQualified !== ROOT_STACK_TYPE) qualified = `${parentQualified}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * Installs Pulumi's mock monitor, patched to behave like the engine where it matters to a reviewer:
 * engine-form URNs, duplicate-URN errors, and a full record of each RegisterResource request
 * (parent, dependencies, property dependencies, provider, options and inputs), which the stock
 * mocks drop. Call once per process, before the program's resources are constructed.
 */
export async function installCapture(options: CaptureOptions): Promise<CaptureSession> {
  const preview = options.preview ?? true;
  const organization = options.organization ?? "organization";
  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);
  const session = new CaptureSession(options.project, options.stack, organization, preview);
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => session.newResource(args),
      call: (args) => session.call(args),
    },
    options.project,
    options.stack,
    preview,
    organization,
  );
  session.attach();
  return session;
}

type Callback = (err: Error | null, resp?: unknown) => void;
// The protobuf request/response objects of the resource monitor; typed loosely as the SDK does not export them.
// biome-ignore lint/suspicious/noExplicitAny: protobuf messages
type Msg = any;

export class CaptureSession {
  private readonly byUrn = new Map<string, CapturedResource>();
  private readonly order: string[] = [];
  private readonly unmocked = new Set<string>();
  private stackOutputs: Record<string, unknown> = {};
  private rejectFailed: (err: Error) => void = () => {};
  /**
   * Rejects at the first registration the engine would refuse (a duplicate URN), so that a run fails
   * at once rather than waiting on the resources that depend on the refused one, which never resolve.
   */
  readonly failed: Promise<never> = new Promise<never>((_, reject) => {
    this.rejectFailed = reject;
  });

  constructor(
    readonly project: string,
    readonly stack: string,
    readonly organization: string,
    readonly preview: boolean,
  ) {
    // Only runs that wait on it report it; the others see the SDK's own rejection.
    this.failed.catch(() => {});
  }

  /** The root stack's URN. */
  get stackUrn(): string {
    return engineUrn(this.stack, this.project, undefined, ROOT_STACK_TYPE, `${this.project}-${this.stack}`);
  }

  newResource(args: pulumi.runtime.MockResourceArgs): {
    id: string | undefined;
    state: Record<string, unknown>;
  } {
    if (args.type === "pulumi:pulumi:StackReference") return { id: args.name, state: { outputs: {} } };
    // During a preview the engine plans a create: inputs become the planned outputs and the id is unknown.
    return { id: this.preview ? undefined : `${args.name}-id`, state: { ...args.inputs } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const result = invokeResult(args.token, args.inputs, pulumi.runtime.allConfig());
    if (result === undefined) {
      this.unmocked.add(args.token);
      return {};
    }
    return result;
  }

  attach(): void {
    const monitor = pulumi.runtime.getMonitor() as Msg;
    // Engine-form URNs everywhere, so Outputs such as `component.urn` carry what `pulumi up` would show.
    monitor.newUrn = (parent: string, type: string, name: string) =>
      engineUrn(this.stack, this.project, parent || undefined, type, name);

    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: Msg, callback: Callback) => {
      const urn = engineUrn(
        this.stack,
        this.project,
        req.getParent() || undefined,
        req.getType(),
        req.getName(),
      );
      const first = this.byUrn.get(urn);
      if (first) {
        const err = new DuplicateUrnError(first, sourceOf(req).source);
        this.rejectFailed(err);
        callback(err);
        return;
      }
      const record = this.recordRequest(urn, req);
      this.byUrn.set(urn, record);
      this.order.push(urn);
      register(req, (err: Error | null, resp: Msg) => {
        if (!err && resp) record.outputs = structToJs(resp.getObject());
        callback(err, resp);
      });
    };

    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: Msg, callback: Callback) => {
      const outputs = structToJs(req.getOutputs());
      const record = this.byUrn.get(req.getUrn());
      if (record) record.outputs = outputs;
      if (req.getUrn() === this.stackUrn) this.stackOutputs = outputs;
      registerOutputs(req, callback);
    };
  }

  private recordRequest(urn: string, req: Msg): CapturedResource {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: Msg, key: string) => {
      propertyDependencies[key] = deps.getUrnsList();
    });
    const timeouts = req.getCustomtimeouts();
    const customTimeouts = timeouts
      ? {
          ...(timeouts.getCreate() ? { create: timeouts.getCreate() } : {}),
          ...(timeouts.getUpdate() ? { update: timeouts.getUpdate() } : {}),
          ...(timeouts.getDelete() ? { delete: timeouts.getDelete() } : {}),
        }
      : undefined;
    return {
      urn,
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      parent: req.getParent() || undefined,
      provider: req.getProvider() || undefined,
      dependencies: [...req.getDependenciesList()],
      propertyDependencies,
      options: {
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
        ignoreChanges: [...req.getIgnorechangesList()],
        replaceOnChanges: [...req.getReplaceonchangesList()],
        deleteBeforeReplace: req.getDeletebeforereplace(),
        deleteBeforeReplaceDefined: req.getDeletebeforereplacedefined(),
        additionalSecretOutputs: [...req.getAdditionalsecretoutputsList()],
        aliases: aliasUrns(urn, req),
        ...(customTimeouts && Object.keys(customTimeouts).length > 0 ? { customTimeouts } : {}),
        ...(req.getDeletedwith() ? { deletedWith: req.getDeletedwith() } : {}),
        ...(req.getImportid() ? { importId: req.getImportid() } : {}),
        ...(req.getVersion() ? { version: req.getVersion() } : {}),
      },
      inputs: structToJs(req.getObject()),
      outputs: {},
      // The root stack is registered by whatever runs the program, never declared by it.
      ...(req.getType() === ROOT_STACK_TYPE ? {} : sourceOf(req)),
    };
  }

  /** All resources in registration order. */
  resources(): CapturedResource[] {
    return this.order.map((urn) => this.byUrn.get(urn)!);
  }

  /** Waits for every outstanding registration, then returns the capture. */
  async finish(): Promise<Capture> {
    await waitForRegistrations();
    return {
      project: this.project,
      stack: this.stack,
      organization: this.organization,
      preview: this.preview,
      resources: this.resources(),
      stackOutputs: this.stackOutputs,
      unmockedInvokes: [...this.unmocked].sort(),
    };
  }
}

/** Where two registrations of one URN were declared, when the SDK said. */
function declaredAt(first: SourceLocation | undefined, second: SourceLocation | undefined): string {
  const at = (s: SourceLocation) => `${s.file}:${s.line}:${s.column}`;
  if (first && second)
    return at(first) === at(second)
      ? `, both declared at ${at(first)}`
      : `, declared at ${at(first)} and ${at(second)}`;
  return first ? `, the first declared at ${at(first)}` : "";
}

/** Two registrations with one URN: the engine refuses the second, and so does the offline run. */
export class DuplicateUrnError extends Error {
  constructor(first: CapturedResource, second: SourceLocation | undefined) {
    super(
      `Duplicate resource URN '${first.urn}'; try giving it a unique name. Two resources of type ${first.type} are both named '${first.name}'${declaredAt(first.source, second)}. Fix: give each a unique name; a component passes its name on to its children, so two components of one name (such as two serving endpoints with the same name) collide too.`,
    );
    this.name = "DuplicateUrnError";
  }

  /** The message says it all; the frames are the offline runner's own. */
  readonly hideStack = true;
}

function structToJs(struct: Msg): Record<string, unknown> {
  return struct ? (struct.toJavaScript() as Record<string, unknown>) : {};
}

/** Resolves once the SDK's RPC queue has drained (the same wait `pulumi` does before exiting). */
export async function waitForRegistrations(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  if (runtime.waitForRPCs) await runtime.waitForRPCs();
  // Registrations chain through promise callbacks; let them settle.
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}

export { UNKNOWN };

/**
 * The declaring frame of a RegisterResource request (see {@link CapturedResource.source}): the innermost one
 * outside dependencies and this runner, which calls every program.
 */
function sourceOf(req: Msg): { source?: SourceLocation } {
  const frames: Msg[] = req.getStacktrace?.()?.getFramesList?.() ?? [];
  for (const frame of frames) {
    const pc = frame.getPc?.();
    const uri: string | undefined = pc?.getUri?.();
    if (!uri?.startsWith("file:")) continue;
    const file = fileURLToPath(uri);
    if (file.split(sep).includes("node_modules") || file.startsWith(RUNNER_DIR)) continue;
    return { source: { file, line: pc.getLine(), column: pc.getColumn() } };
  }
  return {};
}

/** This directory: the offline runner's own frames sit under every program's. */
const RUNNER_DIR = `${__dirname}${sep}`;

/**
 * The URNs a resource's aliases stand for. The SDK sends structured aliases (name, type, parent,
 * stack and project, each defaulting to the resource's own) whenever the monitor supports them, as
 * the mock monitor does, and plain URNs otherwise; the engine resolves both to URNs the same way.
 */
function aliasUrns(urn: string, req: Msg): string[] {
  const [prefix, project] = urn.split("::");
  const stack = prefix!.slice("urn:pulumi:".length);
  const urns: string[] = [...req.getAliasurnsList()];
  for (const alias of req.getAliasesList() as Msg[]) {
    if (alias.getUrn()) {
      urns.push(alias.getUrn());
      continue;
    }
    const spec = alias.getSpec();
    const parent = spec.getNoparent() ? "" : spec.getParenturn() || req.getParent() || "";
    const type = spec.getType() || req.getType();
    const parentType = parent ? parent.split("::")[2]! : "";
    const qualifiedType = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
    urns.push(
      `urn:pulumi:${spec.getStack() || stack}::${spec.getProject() || project}::${qualifiedType}::${spec.getName() || req.getName()}`,
    );
  }
  return urns;
}
