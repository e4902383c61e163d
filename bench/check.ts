/**
 * Benchmark of `mlops check`: a generated Pulumi program of 1,000 resources (AWS, GCP and Kubernetes, with
 * realistic inputs, grouped in components) checked against the real `policies/` pack with the dev config.
 *
 * Target: under 10 s wall time on the project's 2-core machine, for a run whose policy pack is already
 * compiled (ts-node caches the pack's compiled output in the OS temp directory; the first run after a
 * change to the pack also type-checks it). Both the cold and the warm run are printed.
 *
 * Runnable standalone: `npx tsx bench/check.ts`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

const REPO_ROOT = path.resolve(__dirname, "..");

/** Resources per unit: a component and the nine resources it holds. */
const PER_UNIT = 10;
export const BENCH_RESOURCES = 1_000;
export const TARGET_MS = 10_000;

/** The program: `units` data-platform units, each a component with AWS, GCP and Kubernetes resources. */
export function benchProgram(units: number): string {
  return `import * as pulumi from "@pulumi/pulumi";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as storage from "@pulumi/gcp/storage";
import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";

const tags = { owner: "ml-platform", "cost-center": "cc-1234", "data-classification": "internal", environment: "dev" };
const labels = { owner: "ml-platform", "cost-center": "cc-1234", "data-classification": "internal", environment: "dev" };

class Unit extends pulumi.ComponentResource {
  constructor(name: string, index: number, opts?: pulumi.ComponentResourceOptions) {
    super("bench:index:Unit", name, {}, opts);
    const parent = { parent: this };
    const key = new kms.Key(\`\${name}-key\`, { description: \`\${name} data key\`, enableKeyRotation: true, deletionWindowInDays: 30, tags }, parent);
    const bucket = new s3.Bucket(\`\${name}-data\`, { forceDestroy: false, tags }, parent);
    new s3.BucketVersioning(\`\${name}-versioning\`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, parent);
    new s3.BucketServerSideEncryptionConfiguration(\`\${name}-sse\`, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
    }, parent);
    new s3.BucketPublicAccessBlock(\`\${name}-pab\`, {
      bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, parent);
    new storage.Bucket(\`\${name}-features\`, {
      location: "EU", uniformBucketLevelAccess: true, publicAccessPrevention: "enforced", versioning: { enabled: true }, labels,
    }, parent);
    const appLabels = { app: name, "app.kubernetes.io/part-of": "ml-platform" };
    const config = new corev1.ConfigMap(\`\${name}-config\`, {
      metadata: { namespace: "serving", labels: appLabels },
      data: { MODEL_URI: pulumi.interpolate\`s3://\${bucket.bucket}/models/\${name}\`, SHARD: String(index) },
    }, parent);
    new appsv1.Deployment(\`\${name}-server\`, {
      metadata: { namespace: "serving", labels: appLabels },
      spec: {
        replicas: 2,
        selector: { matchLabels: appLabels },
        template: {
          metadata: { labels: appLabels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
            containers: [{
              name: "server",
              image: "ghcr.io/example/model-server:1.4.2@sha256:0000000000000000000000000000000000000000000000000000000000000000",
              ports: [{ name: "http", containerPort: 8080 }],
              envFrom: [{ configMapRef: { name: config.metadata.name } }],
              resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              readinessProbe: { httpGet: { path: "/healthz", port: "http" } },
              livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
            }],
          },
        },
      },
    }, parent);
    new corev1.Service(\`\${name}-svc\`, {
      metadata: { namespace: "serving", labels: appLabels },
      spec: { selector: appLabels, ports: [{ name: "http", port: 80, targetPort: "http" }] },
    }, parent);
    this.registerOutputs({ bucket: bucket.bucket });
  }
}

for (let i = 0; i < ${units}; i++) new Unit(\`unit-\${String(i).padStart(3, "0")}\`, i);
`;
}

interface Phases {
  program: number;
  packStart: number;
  analyze: number;
  configure: number;
  resources: number;
  stack: number;
  total: number;
}

interface BenchRun {
  wallMs: number;
  code: number;
  resources: number;
  phases: Phases;
  mandatory: number;
  advisory: number;
}

function runOnce(
  programDir: string,
  policyPack: string,
  policyPackConfig: string | undefined,
  json: string,
): BenchRun {
  const args = [
    path.join(REPO_ROOT, "bin/mlops.cjs"),
    "check",
    "--stack",
    "bench",
    "--program",
    programDir,
    "--policy-pack",
    policyPack,
    "--json",
    json,
  ];
  if (policyPackConfig) args.push("--policy-pack-config", policyPackConfig);
  const started = performance.now();
  const child = spawnSync(process.execPath, args, {
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  // 0 = passed, 1 = mandatory violations (expected: the generated program is not fully compliant); anything
  // else, or no report, is a failure of the check itself.
  if ((child.status !== 0 && child.status !== 1) || child.stderr.trim() !== "") {
    throw new Error(`mlops check failed (exit ${child.status}):\n${child.stderr || child.stdout}`);
  }
  const report = JSON.parse(readFileSync(json, "utf8")) as {
    summary: { resources: number; mandatory: number; advisory: number };
    timingsMs: Phases;
  };
  return {
    wallMs,
    code: child.status ?? -1,
    resources: report.summary.resources,
    phases: report.timingsMs,
    mandatory: report.summary.mandatory,
    advisory: report.summary.advisory,
  };
}

function describeRun(label: string, run: BenchRun): string {
  const p = run.phases;
  return (
    `${label}: ${(run.wallMs / 1000).toFixed(2)} s wall for ${run.resources} resources ` +
    `(${(run.wallMs / run.resources).toFixed(2)} ms/resource); in-process: program ${p.program} ms, ` +
    `pack ready after ${p.packStart} ms (started with the program), analyze ${p.analyze} ms ` +
    `(configure ${p.configure}, Remediate+Analyze ${p.resources}, AnalyzeStack ${p.stack}); ` +
    `${run.mandatory} mandatory, ${run.advisory} advisory violations; exit ${run.code}`
  );
}

export interface CheckBenchOptions {
  /** @default <repo>/policies */
  policyPack?: string;
  /** @default <pack>/config/dev.json when it exists */
  policyPackConfig?: string;
  /** @default 1000 */
  resources?: number;
}

/** Generates the program, runs `mlops check` on it twice (cold, then warm pack), prints and returns the timings. */
export async function runCheckBench(options: CheckBenchOptions = {}) {
  const resources = options.resources ?? BENCH_RESOURCES;
  const units = Math.ceil(resources / PER_UNIT);
  const policyPack = path.resolve(options.policyPack ?? path.join(REPO_ROOT, "policies"));
  let policyPackConfig = options.policyPackConfig;
  if (policyPackConfig === undefined) {
    const devConfig = path.join(policyPack, "config/dev.json");
    try {
      readFileSync(devConfig);
      policyPackConfig = devConfig;
    } catch {
      policyPackConfig = undefined;
    }
  }
  // Inside the repository (its gitignored tmp/) so the program resolves this checkout's @pulumi packages.
  const dir = path.join(REPO_ROOT, "tmp", `bench-check-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: bench-check\nruntime: nodejs\nmain: index.ts\n");
    writeFileSync(
      path.join(dir, "Pulumi.bench.yaml"),
      "config:\n  aws:region: eu-west-1\n  gcp:project: bench-project\n  gcp:region: europe-west1\n",
    );
    writeFileSync(path.join(dir, "index.ts"), benchProgram(units));
    const json = path.join(dir, "report.json");
    const cold = runOnce(dir, policyPack, policyPackConfig, json);
    const warm = runOnce(dir, policyPack, policyPackConfig, json);
    console.log(
      `mlops check benchmark: ${units} components x ${PER_UNIT} = ${units * PER_UNIT} resources (+ root stack)`,
    );
    console.log(`  pack: ${policyPack}${policyPackConfig ? `, config ${policyPackConfig}` : ""}`);
    // Wall times on a shared machine depend on what else runs; the load average says how much did.
    console.log(
      `  machine: ${cpus().length} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    console.log(`  ${describeRun("first run ", cold)}`);
    console.log(`  ${describeRun("second run", warm)}`);
    const verdict = warm.wallMs < TARGET_MS ? "met" : "MISSED";
    console.log(`  target < ${TARGET_MS / 1000} s (second run, pack compiled): ${verdict}`);
    return { cold, warm, targetMs: TARGET_MS, met: warm.wallMs < TARGET_MS };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runCheckBench({ policyPack: process.argv[2] }).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
