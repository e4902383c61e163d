/**
 * End to end: the pack as the Pulumi CLI starts it (`@pulumi/pulumi/cmd/run-policy-pack` in `policies/`, which
 * ts-node-compiles `policies/index.ts` and serves the analyzer over gRPC), configured with `config/prod.json` through
 * the real `Configure` RPC, then asked to analyze resources. Slow (the pack compiles on start), so it is one file.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { EnforcementLevel } from "@pulumi/policy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allRules } from "../../policies/rules";
import { type PackConfig, reconcile } from "./harness";

const root = process.cwd();
const requireFromPulumi = createRequire(
  createRequire(path.join(root, "package.json")).resolve("@pulumi/pulumi"),
);
// biome-ignore lint/suspicious/noExplicitAny: generated gRPC/protobuf code without typings
type Proto = any;
const grpc: Proto = requireFromPulumi("@grpc/grpc-js");
const analyzerproto: Proto = requireFromPulumi("./proto/analyzer_pb");
const analyzerrpc: Proto = requireFromPulumi("./proto/analyzer_grpc_pb");
const structproto: Proto = requireFromPulumi("google-protobuf/google/protobuf/struct_pb");
const emptyproto: Proto = requireFromPulumi("google-protobuf/google/protobuf/empty_pb");

const LEVEL: Record<EnforcementLevel, number> = {
  advisory: analyzerproto.EnforcementLevel.ADVISORY,
  mandatory: analyzerproto.EnforcementLevel.MANDATORY,
  remediate: analyzerproto.EnforcementLevel.REMEDIATE,
  disabled: analyzerproto.EnforcementLevel.DISABLED,
};

let pack: ChildProcess | undefined;
let client: Proto;

function rpc<T>(method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    client[method](request, (err: unknown, resp: T) => (err ? reject(err) : resolve(resp))),
  );
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>): Proto {
  const req = new analyzerproto.AnalyzeRequest();
  req.setType(type);
  req.setName(name);
  req.setUrn(`urn:pulumi:aws-prod::mlops::${type}::${name}`);
  req.setProperties(structproto.Struct.fromJavaScript(props));
  req.setOptions(new analyzerproto.AnalyzerResourceOptions());
  return req;
}

async function diagnostics(type: string, name: string, props: Record<string, unknown>) {
  const resp: Proto = await rpc("analyze", analyzeRequest(type, name, props));
  return resp.getDiagnosticsList().map((d: Proto) => ({
    policyName: d.getPolicyname() as string,
    message: d.getMessage() as string,
    mandatory: d.getEnforcementlevel() === LEVEL.mandatory,
  }));
}

beforeAll(async () => {
  pack = spawn(
    process.execPath,
    [path.join(root, "node_modules/@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:0", "."],
    {
      cwd: path.join(root, "policies"),
      env: {
        ...process.env,
        PULUMI_STACK: "aws-prod",
        PULUMI_PROJECT: "mlops",
        PULUMI_CONFIG: JSON.stringify({ "aws:region": "eu-west-1" }),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  pack.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  const port = await new Promise<string>((resolve, reject) => {
    pack?.stdout?.once("data", (d) => resolve(String(d).trim().split("\n")[0] as string));
    pack?.once("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
  });
  client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

  // What the CLI does before analyzing: reconcile the config file with each policy's own level, then Configure.
  const prod = JSON.parse(readFileSync(path.join(root, "policies/config/prod.json"), "utf8")) as PackConfig;
  const configure = new analyzerproto.ConfigureAnalyzerRequest();
  const map = configure.getPolicyconfigMap();
  for (const [name, entry] of reconcile([...allRules], prod)) {
    const policy = allRules.find((r) => r.name === name);
    const pc = new analyzerproto.PolicyConfig();
    pc.setEnforcementlevel(LEVEL[entry.enforcementLevel ?? policy?.enforcementLevel ?? "advisory"]);
    pc.setProperties(structproto.Struct.fromJavaScript(entry.properties));
    map.set(name, pc);
  }
  await rpc("configure", configure);
}, 180_000);

afterAll(() => {
  client?.close?.();
  pack?.kill();
});

describe("the served pack", () => {
  it("describes itself with every rule", async () => {
    const info: Proto = await rpc("getAnalyzerInfo", new emptyproto.Empty());
    expect(info.getName()).toBe("mlops-governance");
    expect(info.getVersion()).toBe("0.1.0");
    expect(
      info
        .getPoliciesList()
        .map((p: Proto) => p.getName())
        .sort(),
    ).toEqual(allRules.map((r) => r.name).sort());
  });

  it("applies prod.json: advisory-by-default rules become mandatory, properties reach the rules", async () => {
    const ds = await diagnostics("aws:cloudwatch/logGroup:LogGroup", "logs", {
      retentionInDays: 90,
      kmsKeyId: "k",
    });
    const retention = ds.find((d: { policyName: string }) => d.policyName === "aws-log-group-retention");
    expect(retention?.mandatory).toBe(true);
    expect(retention?.message).toContain("the minimum is 365");
  });

  it("takes the default provider's region from the stack config", async () => {
    const ds = await diagnostics("aws:cloudwatch/logGroup:LogGroup", "logs", {
      retentionInDays: 400,
      kmsKeyId: "k",
    });
    expect(ds.map((d: { policyName: string }) => d.policyName)).not.toContain("aws-allowed-regions");
  });

  it("reports a mandatory violation for an unhardened notebook", async () => {
    const ds = await diagnostics("aws:sagemaker/notebookInstance:NotebookInstance", "nb", {
      instanceType: "ml.t3.medium",
      roleArn: "r",
    });
    const names = ds
      .filter((d: { mandatory: boolean }) => d.mandatory)
      .map((d: { policyName: string }) => d.policyName);
    expect(names).toEqual(
      expect.arrayContaining([
        "aws-sagemaker-notebook-kms",
        "aws-sagemaker-notebook-root-access",
        "aws-sagemaker-notebook-no-direct-internet",
      ]),
    );
  });
});
