import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RuntimeInputError } from "../../runtime/errors";
import { readJsonLines } from "../../runtime/io/jsonl";
import { linesOf } from "../../runtime/io/text";
import { cutAt } from "./helpers";

async function lines(chunks: Buffer[]): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of linesOf(Readable.from(chunks))) out.push(...batch);
  return out;
}

describe("linesOf", () => {
  it("gives the lines split on \\n, whatever the chunking, multi-byte characters and long lines included", async () => {
    const text = fc
      .array(fc.constantFrom("a", "\n", "\r", "é", "日", "{}", "x".repeat(40_000)), { maxLength: 40 })
      .map((parts) => parts.join(""));
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(200_000), { maxLength: 8 }), async (t, cuts) => {
        const expected = t.split("\n");
        // A final line feed ends the last line; it does not start an empty one.
        if (t.endsWith("\n") || t === "") expected.pop();
        expect(await lines(cutAt(Buffer.from(t, "utf8"), cuts))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe("readJsonLines line endings", () => {
  async function rows(text: string) {
    const out: unknown[] = [];
    for await (const batch of readJsonLines(Readable.from([Buffer.from(text)]), "in.jsonl")) {
      for (let i = 0; i < batch.length; i++) out.push(batch.columns.get("x")?.[i]);
    }
    return out;
  }

  it("reads \\r\\n line endings, and a carriage return as the whitespace JSON makes it", async () => {
    expect(await rows('{"x":1}\r\n{"x":2}\r\n\r\n{"x":\r3}')).toEqual([1, 2, 3]);
  });

  it("names the physical line of a bad one, blank lines counted", async () => {
    const error = await rows('{"x":1}\n\n{"x":\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeInputError);
    expect((error as Error).message).toMatch(/in\.jsonl, row 2: line 3 is not valid JSON/);
  });
});
