import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Progress } from "../../runtime/progress";

function fakeStream(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), {
    isTTY,
    columns: 100,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  const written: string[] = [];
  stream.on("data", (chunk: Buffer) => written.push(chunk.toString("utf8")));
  return { stream, written };
}

describe("Progress", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("draws a bar on a terminal", async () => {
    vi.stubEnv("NO_PROGRESS", undefined);
    const { stream, written } = fakeStream(true);
    const progress = new Progress({ stream });
    const update = progress.start("reference", 1000);
    update(500);
    progress.stop();
    await new Promise((r) => setImmediate(r));
    expect(written.join("")).toMatch(/reference \[.*\] \d+%/);
  });

  it("stays silent when stderr is not a terminal, when quiet, or for stdin of unknown size", async () => {
    vi.stubEnv("NO_PROGRESS", undefined);
    for (const [isTTY, quiet, total] of [
      [false, false, 1000],
      [true, true, 1000],
      [true, false, undefined],
    ] as const) {
      const { stream, written } = fakeStream(isTTY);
      const progress = new Progress({ stream, quiet });
      progress.start("current", total)(500);
      progress.stop();
      await new Promise((r) => setImmediate(r));
      expect(written).toEqual([]);
    }
  });
});
