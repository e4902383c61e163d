/** The `podSecurityVersion` setting: which versions it accepts, and what `latest` means. */
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../policies/lib/config";
import {
  NEWEST_POD_SECURITY_MINOR,
  type PodSecurityVersionConfig,
  podSecurityMinor,
  podSecurityVersionSchema,
} from "../../policies/lib/podSecurity";

const resolve = (given: object) =>
  resolveConfig<PodSecurityVersionConfig>("kubernetes-run-as-non-root", podSecurityVersionSchema, given);

describe("podSecurityVersion", () => {
  it("defaults to latest, the newest checks the pack knows", () => {
    expect(resolve({})).toEqual({ podSecurityVersion: "latest" });
    expect(podSecurityMinor(resolve({}))).toBe(NEWEST_POD_SECURITY_MINOR);
  });

  it.each([
    ["1.25", 25],
    ["v1.31", 31],
    ["1.37", 37],
  ])("accepts %s as minor %i", (given, minor) => {
    expect(podSecurityMinor(resolve({ podSecurityVersion: given }))).toBe(minor);
  });

  it.each(["1.24", "1.38", "1.3", "2.0", "v1.250", ""])(
    "refuses %j, naming the policy and the field",
    (given) => {
      expect(() => resolve({ podSecurityVersion: given })).toThrow(
        /policy "kubernetes-run-as-non-root": invalid configuration: field "podSecurityVersion" must match pattern/,
      );
    },
  );
});
