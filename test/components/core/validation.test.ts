import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ArgsValidationError,
  dnsLabelSchema,
  input,
  validateArgs,
} from "../../../components/core/validation";

const schema = z.strictObject({
  name: dnsLabelSchema,
  replicas: z.number().int().min(1).default(1),
  mode: z.enum(["a", "b"]).default("a"),
  image: input(z.string().min(3, "is too short. Fix: give a full image reference")),
  variants: z.array(z.strictObject({ weight: z.number().max(100) })).default([]),
});

function problems(args: unknown) {
  try {
    validateArgs("Thing", "t1", schema, args);
  } catch (err) {
    expect(err).toBeInstanceOf(ArgsValidationError);
    return (err as ArgsValidationError).problems;
  }
  throw new Error("expected a validation error");
}

describe("validateArgs", () => {
  it("returns parsed args with defaults", () => {
    expect(validateArgs("Thing", "t1", schema, { name: "ok", image: "nginx:1" })).toEqual({
      name: "ok",
      replicas: 1,
      mode: "a",
      image: "nginx:1",
      variants: [],
    });
  });

  it("lists every problem with its path, the bad value and a fix", () => {
    const found = problems({
      name: "Bad_Name",
      replicas: 0,
      mode: "c",
      image: "x",
      variants: [{ weight: 101 }],
      extra: 1,
    });
    const byPath = Object.fromEntries(found.map((p) => [p.path, p]));
    expect(byPath["args.name"]!.value).toBe("Bad_Name");
    expect(byPath["args.name"]!.message).toMatch(/DNS-1123 label\. Fix:/);
    expect(byPath["args.replicas"]!.message).toMatch(/Fix: use a value of at least 1/);
    expect(byPath["args.mode"]!.message).toMatch(/Fix: use one of "a", "b"/);
    expect(byPath["args.image"]!.message).toBe("is too short. Fix: give a full image reference");
    expect(byPath["args.variants[0].weight"]!.value).toBe(101);
    expect(byPath["args.extra"]!.message).toMatch(
      /unknown field\(s\) "extra"\. Fix: remove them or check the spelling/,
    );
  });

  it("says a missing required field is required", () => {
    const [p] = problems({ image: "nginx:1" });
    expect(p).toEqual({
      path: "args.name",
      value: undefined,
      message: "required. Fix: set it (expected string)",
    });
  });

  it("formats one readable error naming the component and resource", () => {
    expect(() => validateArgs("Thing", "t1", schema, { name: "ok", image: "x" })).toThrow(
      'Invalid arguments for Thing "t1":\n  - args.image = "x": is too short. Fix: give a full image reference',
    );
  });

  it("lets Outputs through for Input fields, since their value is only known at deployment", () => {
    const image = pulumi.output("x");
    expect(validateArgs("Thing", "t1", schema, { name: "ok", image }).image).toBe(image);
  });
});
