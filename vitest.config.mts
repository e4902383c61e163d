import { defineConfig } from "vitest/config";

// Five projects. Inline projects do not inherit the root's `test` options, so each sets its own
// timeouts (hooks included: a `beforeAll` that runs `mlops preview` outlasts vitest's 10 s default
// on a loaded machine).
// - infra: component tests, each file in a fresh worker with the Pulumi mocks of the offline
//   capture, their Kubernetes objects then held to the schema rules (test/fidelity);
// - offline: `mlops preview` / `mlops check` as a user runs them, the golden URN lists, and the
//   docs (test/docs: the README's snippets compile, the paths the Markdown names exist);
// - fidelity: every stack's and example's objects against the published schemas and each other;
// - policies, runtime: no mocks.
const slow = { testTimeout: 120_000, hookTimeout: 120_000 };
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "infra",
          include: ["test/components/**/*.test.ts"],
          setupFiles: ["test/setup/pulumi.mts", "test/fidelity/componentObjects.setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "offline",
          include: ["test/offline/**/*.test.ts", "test/check/**/*.test.ts", "test/docs/**/*.test.ts"],
          ...slow,
        },
      },
      { test: { name: "fidelity", include: ["test/fidelity/**/*.test.ts"], ...slow } },
      {
        test: {
          name: "policies",
          include: ["test/policies/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: "runtime", include: ["test/runtime/**/*.test.ts"], ...slow } },
    ],
  },
});
