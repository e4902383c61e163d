// Holds every Kubernetes object the component tests register to the rules a real cluster applies on
// its own: the published schema of its API, the API server's name rules, and the checks that need no
// other object (a probe's named port is one of its own container's ports; a workload's selector
// matches its template; a volume mount names a pod volume; PromQL parses). Cross-object checks need a
// whole program and run over the stacks and examples (stacks.test.ts). Installed for the `infra`
// project after the capture mocks, it runs once per test file, after that file's tests.
import { afterAll, expect } from "vitest";
import type { CapturedResource, CaptureSession } from "../../offline/capture";
import { registered } from "../helpers/capture";
import { selfContainedProblems } from "./checks";
import { formatProblems, toManifests } from "./manifests";

/**
 * The resources registered so far. A file whose program left the Pulumi runtime stuck (its own test
 * fails for that) never settles; then the registrations recorded until now are checked.
 */
async function settledResources(): Promise<CapturedResource[]> {
  const session = (globalThis as { __mlopsCapture?: CaptureSession }).__mlopsCapture;
  const stuck = new Promise<CapturedResource[]>((resolve) => {
    setTimeout(() => resolve(session?.resources() ?? []), 15_000).unref();
  });
  return Promise.race([registered(), stuck]);
}

afterAll(async () => {
  const file = expect.getState().testPath ?? "component tests";
  const manifests = toManifests(await settledResources(), file.replace(/^.*\/test\//, "test/"));
  const problems = formatProblems(await selfContainedProblems(manifests));
  if (problems.length > 0) {
    throw new Error(
      `${problems.length} object(s) registered by this file would be refused or broken on a real cluster:\n  ${problems.join("\n  ")}`,
    );
  }
}, 60_000);
