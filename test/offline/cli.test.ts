import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";

describe("the mlops command", () => {
  it("lists the offline and the runtime commands", () => {
    const r = runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const command of [
      "preview",
      "check",
      "profile",
      "drift",
      "evaluate",
      "monitor-run",
      "trigger",
      "capture",
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    }
  });

  it("passes the drift job's exit codes through: 2 on drift, 0 without, 1 on error", () => {
    const ref = "test/runtime/data/reference.csv";
    expect(
      runCli(["drift", "--reference", ref, "--current", "test/runtime/data/current-drift.csv", "-q"]).code,
    ).toBe(2);
    expect(
      runCli(["drift", "--reference", ref, "--current", "test/runtime/data/current-same.csv", "-q"]).code,
    ).toBe(0);
    const missing = runCli(["drift", "--reference", ref, "--current", "test/runtime/data/nope.csv", "-q"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nope.csv: cannot read the file");
  });
});
