import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createJobFromTemplate,
  loadJobTemplate,
  registerTriggerCommand,
  retrainJobName,
  triggerPayload,
  triggerRetraining,
} from "../../../runtime/trigger";
import { driftReport } from "./report";

const fixtures = join(__dirname, "fixtures");
const ca = join(fixtures, "apiserver.crt");

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

/** A fake Kubernetes API server over TLS on 127.0.0.1, answering from a script; at most 10 requests. */
let server: Server;
let apiServer: string;
let received: Received[] = [];
let script: ((res: ServerResponse) => void)[] = [];

const dir = mkdtempSync(join(tmpdir(), "mlops-trigger-"));
const tokenFile = join(dir, "token");
const templateFile = join(dir, "job.yaml");
writeFileSync(tokenFile, "token-1\n");
writeFileSync(
  templateFile,
  `apiVersion: batch/v1
kind: Job
metadata:
  name: fraud-retrain
  labels: { team: fraud }
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: train
          image: ghcr.io/acme/fraud-train:1.4.0
`,
);

beforeAll(async () => {
  server = createServer(
    {
      cert: readFileSync(join(fixtures, "apiserver.crt")),
      key: readFileSync(join(fixtures, "apiserver.key")),
    },
    (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({
          method: req.method ?? "",
          url: req.url ?? "",
          authorization: req.headers.authorization,
          body: Buffer.concat(chunks).toString(),
        });
        if (received.length > 10) throw new Error("the client sent more than 10 requests");
        const answer = script.shift() ?? apiStatus(500, "script exhausted");
        answer(res);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiServer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = [];
  script = [];
});

/** A Kubernetes `Status` response. */
function apiStatus(code: number, message: string) {
  return (res: ServerResponse) =>
    res
      .writeHead(code, { "content-type": "application/json" })
      .end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message, code }));
}
const created = (res: ServerResponse) =>
  res.writeHead(201, { "content-type": "application/json" }).end('{"kind":"Job"}');
const sleep = async () => {};
const payload = triggerPayload(driftReport("drift"), { runId: "mon-drift-29012345", endpoint: "fraud" });
const api = () => ({ server: apiServer, tokenFile, caFile: ca, namespace: "ml" });

describe("createJobFromTemplate", () => {
  it("POSTs the Job to the namespace's jobs with the ServiceAccount token, verifying the cluster CA", async () => {
    script = [created];
    const template = await loadJobTemplate(templateFile);
    const job = await createJobFromTemplate(template, payload, api(), { sleep });
    expect(job).toEqual({
      name: retrainJobName(template, payload.runId),
      namespace: "ml",
      created: true,
      attempts: 1,
    });
    expect(job.name).toMatch(/^fraud-retrain-[0-9a-f]{10}$/);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.method).toBe("POST");
    expect(request!.url).toBe("/apis/batch/v1/namespaces/ml/jobs");
    expect(request!.authorization).toBe("Bearer token-1");
    const body = JSON.parse(request!.body);
    expect(body.apiVersion).toBe("batch/v1");
    expect(body.kind).toBe("Job");
    expect(body.metadata.name).toBe(job.name);
    expect(body.metadata.namespace).toBe("ml");
    expect(body.metadata.labels).toEqual({
      team: "fraud",
      "mlops.pulumi-mlops.io/triggered-by": "mon-drift-29012345",
    });
    expect(JSON.parse(body.metadata.annotations["mlops.pulumi-mlops.io/drift-summary"])).toMatchObject({
      verdict: "drift",
      driftedCount: 1,
    });
    expect(body.spec.template.spec.containers[0].image).toBe("ghcr.io/acme/fraud-train:1.4.0");
  });

  it("names the Job after the run, so one run never creates two", () => {
    const template = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { generateName: "Retrain_Fraud-" },
      spec: {},
    };
    expect(retrainJobName(template, "run-a")).toBe(retrainJobName(template, "run-a"));
    expect(retrainJobName(template, "run-a")).not.toBe(retrainJobName(template, "run-b"));
    expect(retrainJobName(template, "run-a")).toMatch(/^retrain-fraud-[0-9a-f]{10}$/);
    const long = { metadata: { name: "x".repeat(80) } };
    expect(retrainJobName(long, "r").length).toBeLessThanOrEqual(63);
  });

  it("retries a 500 and re-reads the token, which the kubelet rotates", async () => {
    script = [
      (res) => {
        writeFileSync(tokenFile, "token-2\n");
        apiStatus(500, "etcdserver: request timed out")(res);
      },
      created,
    ];
    const job = await createJobFromTemplate(await loadJobTemplate(templateFile), payload, api(), { sleep });
    expect(job.attempts).toBe(2);
    expect(received.map((r) => r.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
    writeFileSync(tokenFile, "token-1\n");
  });

  it("treats 409 AlreadyExists as this run's Job created by an earlier attempt", async () => {
    script = [apiStatus(409, 'jobs.batch "fraud-retrain-x" already exists')];
    const job = await createJobFromTemplate(await loadJobTemplate(templateFile), payload, api(), { sleep });
    expect(job.created).toBe(false);
    expect(received).toHaveLength(1);
  });

  it("does not retry a 403 and says which RBAC is missing", async () => {
    script = [
      apiStatus(403, 'jobs.batch is forbidden: User "system:serviceaccount:ml:mon-drift" cannot create'),
    ];
    await expect(
      createJobFromTemplate(await loadJobTemplate(templateFile), payload, api(), { sleep }),
    ).rejects.toThrow(
      /failed after 1 attempt\(s\): HTTP 403: jobs\.batch is forbidden.* Fix: bind the job's ServiceAccount to a Role allowing create on jobs in ml/,
    );
    expect(received).toHaveLength(1);
  });

  it("refuses an API server whose certificate the CA does not vouch for, without retrying", async () => {
    await expect(
      createJobFromTemplate(
        await loadJobTemplate(templateFile),
        payload,
        { ...api(), caFile: join(fixtures, "other-ca.crt") },
        { sleep },
      ),
    ).rejects.toThrow(/failed after 1 attempt\(s\)/);
    expect(received).toHaveLength(0);
  });

  it("says how to fix a missing token", async () => {
    await expect(
      createJobFromTemplate(
        await loadJobTemplate(templateFile),
        payload,
        { ...api(), tokenFile: join(dir, "nope") },
        { sleep },
      ),
    ).rejects.toThrow(/cannot read the ServiceAccount token .* Fix: mount the ServiceAccount token/);
  });

  it("refuses a template that is not a batch/v1 Job", async () => {
    const pod = join(dir, "pod.yaml");
    writeFileSync(pod, "apiVersion: v1\nkind: Pod\nspec: {}\n");
    await expect(loadJobTemplate(pod)).rejects.toThrow(/is not a batch\/v1 Job with spec\.template/);
  });
});

describe("triggerRetraining and `mlops trigger` with a Job template", () => {
  it("creates the Job on drift and nothing otherwise", async () => {
    script = [created];
    const options = { jobTemplate: templateFile, kubernetesApi: api(), retry: { sleep } };
    const outcome = await triggerRetraining(driftReport("drift"), { runId: "r1" }, options);
    expect(outcome).toMatchObject({ action: "job", namespace: "ml", created: true });
    const none = await triggerRetraining(driftReport("no-drift"), { runId: "r2" }, options);
    expect(none.action).toBe("skipped");
    expect(received).toHaveLength(1);
  });

  it("runs as a command over a report file, exiting 1 when the trigger fails", async () => {
    const reportFile = join(dir, "report.json");
    writeFileSync(reportFile, JSON.stringify(driftReport("drift")));
    const previous = process.exitCode;
    try {
      // Outside a pod there is no in-cluster API: the command must fail with the fix, not hang.
      const saved = process.env.KUBERNETES_SERVICE_HOST;
      delete process.env.KUBERNETES_SERVICE_HOST;
      const program = registerTriggerCommand(new Command().exitOverride());
      await program.parseAsync(
        ["trigger", "--report", reportFile, "--job-template", templateFile, "--namespace", "ml"],
        {
          from: "user",
        },
      );
      expect(process.exitCode).toBe(1);
      if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
      // A report without drift triggers nothing and succeeds.
      writeFileSync(reportFile, JSON.stringify(driftReport("no-drift")));
      await registerTriggerCommand(new Command().exitOverride()).parseAsync(
        ["trigger", "--report", reportFile, "--job-template", templateFile],
        { from: "user" },
      );
      expect(process.exitCode).toBe(0);
      expect(received).toHaveLength(0);
    } finally {
      process.exitCode = previous;
    }
  });
});
