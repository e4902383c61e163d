import { type ChildProcess, spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import * as http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerCaptureCommand } from "../../../runtime/capture/command";

const repo = path.resolve(__dirname, "../../..");
const fromRepo = createRequire(path.join(repo, "package.json"));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = http.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, what: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what()}`);
}

describe("mlops capture (the command)", () => {
  let model: http.Server;
  let modelPort: number;
  beforeAll(async () => {
    model = http.createServer((req, res) => {
      req.resume();
      req.on("end", () =>
        res.writeHead(200, { "content-type": "application/json" }).end('{"predictions":[1]}'),
      );
    });
    await new Promise<void>((r) => model.listen(0, "127.0.0.1", r));
    modelPort = (model.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => model.close(() => r())));

  it("refuses a bad --sample with the flag and the value", async () => {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => {} });
    registerCaptureCommand(program);
    await expect(
      program.parseAsync(
        [
          "capture",
          "--listen",
          "0",
          "--upstream",
          "http://127.0.0.1:1",
          "--endpoint",
          "e",
          "--variant",
          "v",
        ].concat(["--metrics-port", "0", "--sample", "abc"]),
        { from: "user" },
      ),
    ).rejects.toThrow(/--sample needs a percent from 0 to 100, got "abc"/);
  });

  it("serves, captures, and on SIGTERM drains, finishes the file and exits 0", async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), "mlops-capture-cli-"));
    const [listen, metrics] = [await freePort(), await freePort()];
    // A host program mounting the command, as runtime/cli.ts will.
    const script = [
      `require(${JSON.stringify(fromRepo.resolve("tsx/cjs/api"))}).register();`,
      `const { Command } = require(${JSON.stringify(fromRepo.resolve("commander"))});`,
      `const { registerCaptureCommand } = require(${JSON.stringify(path.join(repo, "runtime/capture/command.ts"))});`,
      "const program = new Command('mlops');",
      "registerCaptureCommand(program);",
      "program.parseAsync(process.argv);",
    ].join("\n");
    const scriptPath = path.join(out, "host.cjs");
    await fs.writeFile(scriptPath, script);
    const args = ["capture", "--listen", String(listen), "--upstream", `http://127.0.0.1:${modelPort}`]
      .concat(["--out", path.join(out, "capture"), "--endpoint", "churn", "--variant", "challenger"])
      .concat([
        "--sample",
        "100",
        "--metrics-port",
        String(metrics),
        "--instance",
        "pod-1",
        "--shutdown-delay",
        "0",
        "--health-path",
        "/v2/health/ready",
      ]);
    const child: ChildProcess = spawn(process.execPath, [scriptPath, ...args], {
      cwd: repo,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${metrics}/healthz`)).ok,
        () => `the metrics port (stderr: ${stderr})`,
      );
      const res = await fetch(`http://127.0.0.1:${listen}/invocations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ dataframe_split: { columns: ["x"], data: [[4.5]] } }),
      });
      expect(await res.json()).toEqual({ predictions: [1] });
      // A custom server's health path is proxied but not counted.
      expect((await fetch(`http://127.0.0.1:${listen}/v2/health/ready`)).status).toBe(200);
      const text = await (await fetch(`http://127.0.0.1:${metrics}/metrics`)).text();
      expect(text).toContain(
        'mlops_requests_total{endpoint="churn",variant="challenger",revision="",code="200"} 1',
      );
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(stderr).toContain("SIGTERM, draining");
      const files = (await fs.readdir(path.join(out, "capture"), { recursive: true })).filter((f) =>
        f.endsWith(".jsonl"),
      );
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^churn\/challenger\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/pod-1-0\.jsonl$/);
      const row = JSON.parse(await fs.readFile(path.join(out, "capture", files[0]!), "utf8"));
      expect(row).toMatchObject({ x: 4.5, __variant: "challenger", __prediction: 1 });
    } finally {
      child.kill("SIGKILL");
      await fs.rm(out, { recursive: true, force: true });
    }
  });
});
