import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { CapturedResource } from "../../offline/capture";
import { containsUnknown, plain, UNKNOWN } from "../../offline/properties";
import { REPO_ROOT } from "../helpers/cli";

/** Manifests are untyped JSON; the checks read them by the API's field names. */
// biome-ignore lint/suspicious/noExplicitAny: untyped JSON documents
export type Json = any;

/** A Kubernetes object as the API server would receive it, with where it came from. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: Json };
  spec?: Json;
  [k: string]: Json;
  /** The program (stack or example) and Pulumi logical name, for messages. Not sent to the API server. */
  source: string;
}

/** One finding: the object, the field (a JSON-pointer-like path) and why a cluster would not accept it. */
export interface Problem {
  object: string;
  field: string;
  reason: string;
}

/** `Kind namespace/name (program)`, the way a reviewer finds the object. */
export function describeObject(m: Manifest): string {
  const where = m.metadata.namespace ? `${m.metadata.namespace}/` : "";
  return `${m.kind} ${where}${m.metadata.name} (${m.source})`;
}

export function problem(m: Manifest, field: string, reason: string): Problem {
  return { object: describeObject(m), field, reason };
}

/** One line per problem, so a failing test lists all of them. */
export function formatProblems(problems: Problem[]): string[] {
  return problems.map((p) => `${p.object}: ${p.field}: ${p.reason}`);
}

/** Kinds that live outside namespaces (the rest default to the provider's namespace, `default`). */
export const CLUSTER_SCOPED = new Set([
  "Namespace",
  "PriorityClass",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "StorageClass",
  "PersistentVolume",
  "ClusterQueue",
  "ResourceFlavor",
  "Cohort",
  "ClusterAnalysisTemplate",
]);

/** Placeholder for a name Pulumi would auto-generate (the logical name plus a random suffix). */
export const AUTONAME_SUFFIX = "-autoname";

/**
 * Turns the Kubernetes resources of an offline capture into the manifests the provider would send:
 * every `kubernetes:<group>/<version>:<Kind>` resource (custom resources included) with its inputs as
 * plain values (secrets unwrapped; values unknown until deployment stay {@link UNKNOWN}).
 */
export function toManifests(resources: CapturedResource[], program: string): Manifest[] {
  const out: Manifest[] = [];
  for (const r of resources) {
    if (!r.custom || !r.type.startsWith("kubernetes:")) continue;
    const props = plain(r.inputs) as Record<string, Json>;
    const [, groupVersion, kind] = r.type.split(":");
    if (!groupVersion || !kind || kind.startsWith("Chart") || groupVersion.startsWith("helm.sh")) continue;
    const apiVersion =
      typeof props.apiVersion === "string" ? props.apiVersion : groupVersion.replace(/^core\//, "");
    const metadata = { ...(props.metadata ?? {}) };
    // Without a name, the provider names the object after the logical name with a random suffix.
    if (metadata.name === undefined) metadata.name = `${r.name}${AUTONAME_SUFFIX}`;
    const objKind = typeof props.kind === "string" ? props.kind : kind;
    if (!CLUSTER_SCOPED.has(objKind) && metadata.namespace === undefined) metadata.namespace = "default";
    out.push({ ...props, apiVersion, kind: objKind, metadata, source: `${program}: ${r.name}` });
  }
  return out;
}

/** The manifest without the test's own bookkeeping, as the API server would see it. */
export function body(m: Manifest): Record<string, unknown> {
  const { source: _source, ...rest } = m;
  return rest;
}

export { containsUnknown, UNKNOWN };

/** A program of the repo: a stack of `stacks/`, or a stack of an example directory. */
export interface Program {
  stack: string;
  dir?: string;
}

export function programLabel(p: Program): string {
  return p.dir ? `${p.dir} -s ${p.stack}` : `stacks -s ${p.stack}`;
}

/**
 * Runs `mlops preview --json` on a program in a child process (the Pulumi runtime is global state,
 * one program per process) and returns its manifests. Programs run in parallel.
 */
export async function previewManifests(program: Program): Promise<Manifest[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "mlops-fidelity-"));
  try {
    const out = path.join(dir, "plan.json");
    const args = ["preview", "--stack", program.stack, "--json", out];
    if (program.dir) args.push("--program", program.dir);
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = execFile(
        process.execPath,
        [path.join(REPO_ROOT, "bin/mlops.cjs"), ...args],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, VITEST: "", NO_COLOR: "1" },
          timeout: 110_000,
          maxBuffer: 64 << 20,
        },
        (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      );
      child.on("error", reject);
    });
    if (run.code !== 0) throw new Error(`mlops ${args.join(" ")} failed (${run.code}):\n${run.stderr}`);
    const plan = JSON.parse(readFileSync(out, "utf8")) as { resources: CapturedResource[] };
    return toManifests(plan.resources, programLabel(program));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
