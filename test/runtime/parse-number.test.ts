import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseNumber } from "../../runtime/profile/parseNumber";

/** Object.is, so -0 and NaN compare as `+text` returns them. */
function expectSameAsUnaryPlus(text: string) {
  expect(Object.is(parseNumber(text), +text), `parseNumber(${JSON.stringify(text)})`).toBe(true);
}

describe("parseNumber", () => {
  it("equals +text on decimals as CSV writers print them", () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 0, max: 17 }),
        (x, digits) => {
          expectSameAsUnaryPlus(x.toFixed(Math.min(digits, 100)));
          expectSameAsUnaryPlus(String(x));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it("equals +text on digit strings at and past the 15-digit exact limit", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("", "-", "+"),
        fc.stringMatching(/^[0-9]{0,18}$/),
        fc.option(fc.stringMatching(/^[0-9]{0,18}$/)),
        (sign, whole, fraction) => {
          expectSameAsUnaryPlus(`${sign}${whole}${fraction === null ? "" : `.${fraction}`}`);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it("equals +text on anything else, NaN included", () => {
    fc.assert(fc.property(fc.stringMatching(/^[-+0-9.eExXa-f \tInfinity]{0,12}$/), expectSameAsUnaryPlus), {
      numRuns: 5_000,
    });
    for (const text of [
      "-0",
      "-0.000",
      "+.5",
      "5.",
      ".",
      "-",
      "1.2.3",
      " 1",
      "1e3",
      "0x1f",
      "Infinity",
      "9007199254740993",
    ]) {
      expectSameAsUnaryPlus(text);
    }
  });
});
