import type { CapturedResource, CaptureSession } from "../../offline/capture";
import { waitForRegistrations } from "../../offline/capture";
import { plain } from "../../offline/properties";

function session(): CaptureSession {
  const s = (globalThis as { __mlopsCapture?: CaptureSession }).__mlopsCapture;
  if (!s) throw new Error("the capture is not installed: run this test in the vitest 'infra' project");
  return s;
}

/** Every resource registered so far in this worker, once registrations have settled. */
export async function registered(): Promise<CapturedResource[]> {
  await waitForRegistrations();
  return session().resources();
}

/** A captured resource with its inputs turned into plain values (secrets unwrapped). */
export interface PlainResource extends CapturedResource {
  props: Record<string, any>;
}

function withProps(r: CapturedResource): PlainResource {
  return { ...r, props: plain(r.inputs) as Record<string, any> };
}

/** Resources of `type` whose logical name starts with `prefix` (a component's name). */
export async function ofType(type: string, prefix = ""): Promise<PlainResource[]> {
  return (await registered()).filter((r) => r.type === type && r.name.startsWith(prefix)).map(withProps);
}

/** The one resource of `type` named exactly `name`. */
export async function one(type: string, name: string): Promise<PlainResource> {
  const found = (await registered()).filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) {
    const names = (await registered()).filter((r) => r.type === type).map((r) => r.name);
    throw new Error(`expected one ${type} named ${name}, found ${found.length} (have: ${names.join(", ")})`);
  }
  return withProps(found[0]!);
}

/** All resources whose parent chain reaches `urn`. */
export async function descendantsOf(urn: string): Promise<PlainResource[]> {
  const all = await registered();
  const byUrn = new Map(all.map((r) => [r.urn, r]));
  const reaches = (r: CapturedResource): boolean => {
    let p = r.parent;
    while (p) {
      if (p === urn) return true;
      p = byUrn.get(p)?.parent;
    }
    return false;
  };
  return all.filter(reaches).map(withProps);
}

/** Every pod template (Deployments, StatefulSets, Jobs, CronJobs, Rollouts) in the captured resources. */
export function podSpecsOf(r: PlainResource): Record<string, any>[] {
  const p = r.props;
  const specs = [p.spec?.template?.spec, p.spec?.jobTemplate?.spec?.template?.spec].filter(Boolean);
  return specs as Record<string, any>[];
}
