import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CaptureWriter, hourPartition } from "../../../runtime/capture/writer";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});
async function tmp() {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), "mlops-writer-"));
  dirs.push(d);
  return d;
}

const at = new Date("2026-01-05T07:30:00Z");
const hourDir = (root: string) => path.join(root, "ep", "v1", "2026", "01", "05", "07");

describe("CaptureWriter", () => {
  it("partitions by UTC hour", () => {
    expect(hourPartition(new Date("2026-12-31T23:59:59.999Z"))).toBe("2026/12/31/23");
    expect(hourPartition(new Date("2027-01-01T00:00:00.000+01:00"))).toBe("2026/12/31/23");
  });

  it("finishes a file at the size limit and numbers the next one", async () => {
    const root = await tmp();
    const w = new CaptureWriter({ root, endpoint: "ep", variant: "v1", instance: "pod-x", maxFileBytes: 40 });
    for (let i = 0; i < 4; i++) w.append([{ i, pad: "xxxxxxxxxx" }], at); // 24 bytes a line
    await w.close();
    const names = (await fs.readdir(hourDir(root))).sort();
    expect(names).toEqual(["pod-x-0.jsonl", "pod-x-1.jsonl", "pod-x-2.jsonl", "pod-x-3.jsonl"]);
    const first = await fs.readFile(path.join(hourDir(root), "pod-x-0.jsonl"), "utf8");
    expect(first).toBe('{"i":0,"pad":"xxxxxxxxxx"}\n');
  });

  it("finishes files after the age limit so recent rows become readable", async () => {
    const root = await tmp();
    let now = at;
    const w = new CaptureWriter({
      root,
      endpoint: "ep",
      variant: "v1",
      instance: "p",
      maxFileAgeMs: 1000,
      now: () => now,
    });
    w.append([{ a: 1 }], at);
    await w.flush();
    expect(await fs.readdir(hourDir(root))).toEqual(["p-0.jsonl.partial"]);
    now = new Date(at.getTime() + 1500);
    // The age check runs on a timer (at most once a minute); run it directly instead of waiting.
    await (w as unknown as { rotateIfOld(): Promise<void> }).rotateIfOld();
    expect(await fs.readdir(hourDir(root))).toEqual(["p-0.jsonl"]);
    await w.close();
  });

  it("after a crash, cuts the left-over partial file to its last complete line and continues numbering", async () => {
    const root = await tmp();
    const dir = hourDir(root);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, "pod-x-0.jsonl"), '{"old":0}\n');
    await fs.writeFile(path.join(dir, "pod-x-1.jsonl.partial"), '{"a":1}\n{"a":2}\n{"a":');
    await fs.writeFile(path.join(dir, "other-pod-7.jsonl.partial"), '{"b":1}\n');
    const w = new CaptureWriter({ root, endpoint: "ep", variant: "v1", instance: "pod-x" });
    w.append([{ a: 3 }], at);
    await w.close();
    expect((await fs.readdir(dir)).sort()).toEqual([
      "other-pod-7.jsonl.partial", // another writer's file is left alone
      "pod-x-0.jsonl",
      "pod-x-1.jsonl",
      "pod-x-2.jsonl",
    ]);
    expect(await fs.readFile(path.join(dir, "pod-x-1.jsonl"), "utf8")).toBe('{"a":1}\n{"a":2}\n');
    expect(await fs.readFile(path.join(dir, "pod-x-2.jsonl"), "utf8")).toBe('{"a":3}\n');
  });

  it("refuses rows after close and counts them as dropped", async () => {
    const root = await tmp();
    const w = new CaptureWriter({ root, endpoint: "ep", variant: "v1", instance: "p" });
    await w.close();
    expect(w.append([{ a: 1 }], at)).toBe(false);
    expect(w.stats.rowsDropped).toBe(1);
  });
});
